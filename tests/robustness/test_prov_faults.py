#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Provisioning server faults, through deskphoned and deskphonectl, against
a scripted HTTP server on 127.0.0.1 (robustlib.FaultServer).

Every faulty answer carries (or would carry) a valid profile that changes
GPP_A; after each fault: the resync result is "failure" with an error that
says what went wrong, GPP_A is unchanged (nothing applied), the failure
counts as a retry (retries grows, the next attempt is a retry at
Resync_Error_Retry_Delay) and the phone still answers. Faults: truncated
body, 500, 503, 404 (Resync_Fails_On_FNF Yes), a redirect to another host
(redirects are refused), a 17 MiB Content-Length and a 17 MiB stream
without length (the profile limit is 16 MiB), a server that accepts and
then closes without answering. A slow server (2 s before the first byte,
then small pieces) still succeeds: slowness alone is not a failure."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.environ.get("DP_SOURCE_ROOT", os.path.join(HERE, "..", "..")),
                                "tests", "provisioning"))

import provtest  # noqa: E402
from provtest import flat  # noqa: E402
import robustlib  # noqa: E402

PROFILE = flat(GPP_A="applied", GPP_B="also-applied").encode()
# (path, what the error must mention: a regular expression, case-insensitive)
FAULTS = [
    ("/truncated/p.xml", r"truncat|short|clos|incomplete|premature|end"),
    ("/status/500", r"500"),
    ("/status/503", r"503"),
    ("/status/404", r"404|not found"),
    ("/redirect", r"redirect|302"),
    ("/huge-length", r"large|limit|size|\bbytes\b"),
    ("/huge-stream", r"large|limit|size|\bbytes\b"),
    ("/stall", r"clos|connection|end|empty|eof|no response|reset"),
]


class ProvFaultTest(provtest.ProvPhoneTestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = robustlib.FaultServer()
        cls.server.files["p.xml"] = PROFILE

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_faults_apply_nothing_and_schedule_a_retry(self):
        phone = self.boot(Resync_On_Reset="No", Resync_Random_Delay="0",
                          Resync_Error_Retry_Delay="3600", Resync_Fails_On_FNF="Yes",
                          GPP_A="factory", GPP_B="factory")
        retries = self.prov(phone).get("retries", 0)
        for path, expected in FAULTS:
            with self.subTest(fault=path):
                p = self.resync(phone, self.server.url(path))
                self.assertEqual(p["last_result"], "failure", f"{path}: {p}")
                error = p.get("last_error") or ""
                print(f"{path}: {error}", file=sys.stderr)
                self.assertRegex(error.lower(), expected, f"{path}: unclear error {error!r}")
                self.assertEqual(phone.get("GPP_A"), "factory", f"{path} applied something")
                self.assertEqual(phone.get("GPP_B"), "factory", f"{path} applied something")
                self.assertEqual(p["retries"], retries + 1, f"{path}: {p}")
                retries = p["retries"]
                self.assertEqual(p.get("next_kind"), "retry", f"{path}: {p}")
                self.assertIsNone(phone.process.poll())
        # The redirect's target was never contacted (it is another host).
        self.assertFalse(any(path.startswith("/elsewhere") for path, _ in self.server.hits))
        # A good profile afterwards applies and clears the retry count.
        p = self.resync(phone, self.server.url("/ok/p.xml"))
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual(phone.get("GPP_A"), "applied")
        self.assertEqual(p["retries"], 0)

    def test_slow_server_still_succeeds(self):
        phone = self.boot(Resync_On_Reset="No", Resync_Random_Delay="0", GPP_A="factory")
        p = self.resync(phone, self.server.url("/slow/p.xml"))
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual(phone.get("GPP_A"), "applied")


if __name__ == "__main__":
    unittest.main(verbosity=2)
