#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""deskphoned under valgrind memcheck through a representative session:
start with every plugin from the build tree and a SIP line, D-Bus status
and config calls, a successful and a failed resync (HTTP), SIP OPTIONS,
INVITE + CANCEL pairs and garbage at the line, then SIGTERM (so the leak
check runs at a clean exit).

Pass condition: no memcheck error (invalid read/write, uninitialised
value, invalid free, definitely lost block) whose stack shows project code
(libdeskphone, deskphoned, deskphonectl or a plugin under the source or
build tree). Errors entirely inside GLib, GStreamer, libsoup, sofia-sip,
GnuTLS and friends are reported on stderr for information; known noise
is silenced by valgrind.supp beside this file. Only "definite" leaks are
counted: GLib's type system and caches keep "possibly lost" and "still
reachable" memory by design. Skipped when valgrind is not installed."""

import os
import shutil
import stat
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.environ.get("DP_SOURCE_ROOT", os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(SOURCE_ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(SOURCE_ROOT, "tests", "provisioning"))

import dptest  # noqa: E402
from peers import sip_options  # noqa: E402
from provtest import flat  # noqa: E402
from sippeers import SipPhoneTestCase  # noqa: E402
import robustlib  # noqa: E402
import valgrind  # noqa: E402

SUPPRESSIONS = os.environ.get("DP_VALGRIND_SUPPRESSIONS", os.path.join(HERE, "valgrind.supp"))


@unittest.skipUnless(shutil.which("valgrind"), "valgrind is not installed")
class ValgrindDaemonTest(SipPhoneTestCase):

    def setUp(self):
        super().setUp()
        self.valgrind_log = os.path.join(self.folder, "memcheck.log")
        wrapper = self.write("deskphoned-valgrind", (
            "#!/bin/sh\n"
            f"exec valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite "
            f"--errors-for-leak-kinds=definite --num-callers=30 --track-origins=no "
            f"--suppressions={SUPPRESSIONS} --log-file={self.valgrind_log} "
            f"{dptest.DESKPHONED} \"$@\"\n"))
        os.chmod(wrapper, stat.S_IRWXU)
        self.saved = dptest.DESKPHONED
        dptest.DESKPHONED = wrapper
        self.addCleanup(setattr, dptest, "DESKPHONED", self.saved)
        # GLib's slice allocator and GStreamer's plugin scan confuse memcheck.
        os.environ["G_SLICE"] = "always-malloc"
        os.environ["G_DEBUG"] = "gc-friendly"
        self.server = robustlib.FaultServer()
        self.server.files["p.xml"] = flat(GPP_A="from-server").encode()
        self.addCleanup(self.server.stop)

    def test_session_under_memcheck(self):
        config = dict(self.BASE, Proxy_1_="127.0.0.1:9", User_ID_1_="vg", Register_1_="No",
                      Resync_On_Reset="No", Resync_Random_Delay="0")
        profile = self.write("vg.xml", "<flat-profile>" + "".join(
            f"<{k}>{v}</{k}>" for k, v in config.items()) + "</flat-profile>")
        phone = dptest.Phone(self.folder, self.bus, ["--profile", profile])
        self.phones.append(phone)
        phone.log = open(phone.log_path, "w")
        phone.process = subprocess.Popen(
            [dptest.DESKPHONED, "--bus", "session", "--state-dir", phone.state_dir, "--verbose",
             "--profile", profile], env=phone.env, stdout=phone.log, stderr=subprocess.STDOUT)
        dptest.wait_for(phone.is_ready, timeout=120, interval=0.5, what="deskphoned under valgrind")

        self.assertEqual(phone.ctl("config", "set", "GPP_B", "valgrind").returncode, 0)
        phone.ctl_json("status")
        phone.ctl_json("config", "dump")
        for path, result in (("/ok/p.xml", "success"), ("/status/500", "failure")):
            before = phone.ctl_json("status")["provisioning"]["last_time"]
            self.assertEqual(phone.ctl("resync", self.server.url(path)).returncode, 0)
            p = dptest.wait_for(lambda: (lambda p: p if p["last_time"] != before and
                                         p["state"] != "resyncing" else None)(
                phone.ctl_json("status")["provisioning"]), timeout=60, interval=0.5,
                what=f"resync of {path}")
            self.assertEqual(p["last_result"], result, p)
        port = self.sip_port(phone)
        self.assertIsNotNone(dptest.wait_for(lambda: sip_options("127.0.0.1", port, timeout=5),
                                             timeout=30, what="OPTIONS answer"))
        flooder = robustlib.Flooder(port, rate=20, seconds=2)
        flooder.run()
        flooder.close(linger=5)
        dptest.wait_for(lambda: self.calls(phone) == [], timeout=60, interval=0.5,
                        what="flood calls to end")

        phone.process.terminate()
        status = phone.process.wait(timeout=120)
        with open(self.valgrind_log, errors="replace") as f:
            text = f.read()
        errors = valgrind.memcheck_errors(text)
        ours = valgrind.project_errors(errors)
        print(valgrind.describe(errors, ours), file=sys.stderr)
        summary = valgrind.summary(text)
        print(f"memcheck: {len(errors)} error blocks, {len(ours)} in project code; "
              f"{summary or 'no summary'}", file=sys.stderr)
        self.assertTrue(summary, "valgrind wrote no summary:\n" + text[-3000:])
        self.assertEqual(status, 0, "deskphoned did not exit cleanly under valgrind:\n"
                         + phone.read_log()[-3000:])
        self.assertEqual(ours, [], "memcheck errors in project code (see stderr)")


if __name__ == "__main__":
    unittest.main(verbosity=2)
