#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Firmware upgrade (signature, Downgrade_Rev_Limit, once per URL, a
recording installer script) and Report_Rule, against real servers on
127.0.0.1 through deskphoned, deskphonectl and D-Bus RunAction."""

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import provtest  # noqa: E402
from provtest import flat  # noqa: E402
import dptest  # noqa: E402

INSTALLER = """#!/bin/sh
# records its arguments and the image it was given
printf '%s\\n' "$@" >> "{record}"
sha256sum "$1" | cut -d' ' -f1 >> "{record}"
exit {status}
"""


class Servers:
    pass


def setUpModule():
    Servers.folder = tempfile.mkdtemp(prefix="dp-upg-")
    Servers.pki = provtest.Pki(os.path.join(Servers.folder, "pki"))
    Servers.nginx = provtest.Nginx(Servers.folder, Servers.pki, names=("server",))
    Servers.http = provtest.Recorder()
    openssl = provtest.tool("openssl")
    key = os.path.join(Servers.folder, "sign.key")
    provtest.run(openssl, "genpkey", "-algorithm", "ed25519", "-out", key)
    Servers.public_key = provtest.run(openssl, "pkey", "-in", key, "-pubout")
    Servers.image = os.urandom(200000)
    image_path = os.path.join(Servers.folder, "fw.img")
    with open(image_path, "wb") as f:
        f.write(Servers.image)
    Servers.signature = provtest.run(openssl, "pkeyutl", "-sign", "-rawin", "-inkey", key,
                                     "-in", image_path)
    for path in ("/fw/deskphone-1.2.3.img", "/fw/deskphone-2.5.0.img"):
        Servers.http.files[path] = Servers.image
        Servers.http.files[path + ".sig"] = Servers.signature
    Servers.http.files["/fw/deskphone-3.0.0.img"] = Servers.image
    Servers.http.files["/fw/deskphone-3.0.0.img.sig"] = b"\x00" * 64
    Servers.nginx.put("fw/deskphone-4.0.0.img", Servers.image)
    Servers.nginx.put("fw/deskphone-4.0.0.img.sig", Servers.signature)


def tearDownModule():
    Servers.http.stop()
    Servers.nginx.stop()
    shutil.rmtree(Servers.folder, ignore_errors=True)


class UpgradeTest(provtest.ProvPhoneTestCase):

    def setUp(self):
        super().setUp()
        self.record = os.path.join(self.folder, "installer.log")
        self.installer = self.write("install.sh", INSTALLER.format(record=self.record, status=0))
        os.chmod(self.installer, stat.S_IRWXU)
        with open(os.path.join(self.state_dir, "upgrade-key.pem"), "wb") as f:
            f.write(Servers.public_key)

    def boot_upgrader(self, **params):
        values = dict(Resync_On_Reset="No", Upgrade_Install_Command=f"{self.installer} %f %v",
                      Upgrade_Signing_Key="upgrade-key.pem", Upgrade_Error_Retry_Delay="3600")
        values.update(params)
        return self.boot(**values)

    def upgrade(self, phone, url=""):
        result = phone.ctl("upgrade", *([url] if url else []))
        self.assertEqual(result.returncode, 0, result.stderr)
        return dptest.wait_for(
            lambda: (lambda u: u if u["state"] in ("idle", "scheduled") and u["last_result"] else None)(
                self.prov(phone)["upgrade"]), timeout=20, what="upgrade result")

    def installs(self):
        if not os.path.exists(self.record):
            return []
        with open(self.record) as f:
            lines = f.read().split()
        return [lines[i:i + 3] for i in range(0, len(lines), 3)]

    def test_signed_upgrade_runs_installer(self):
        phone = self.boot_upgrader()
        u = self.upgrade(phone, Servers.http.url("/fw/deskphone-1.2.3.img"))
        self.assertEqual(u["last_result"], "success", u)
        self.assertEqual(u["version"], "1.2.3")
        self.assertEqual(u["size"], len(Servers.image))
        self.assertEqual((u["received"], u["total"], u["progress"]),
                         (len(Servers.image), len(Servers.image), 1.0))
        [(path, version, digest)] = self.installs()
        self.assertEqual(version, "1.2.3")
        self.assertTrue(path.startswith(self.state_dir), path)
        import hashlib
        self.assertEqual(digest, hashlib.sha256(Servers.image).hexdigest())
        log = phone.read_log()
        self.assertIn("-- Requesting upgrade http://127.0.0.1:", log)
        self.assertIn("/fw/deskphone-1.2.3.img -- 1.2.3", log)  # success message with $ERR

    def test_bad_signature_is_not_installed(self):
        phone = self.boot_upgrader()
        u = self.upgrade(phone, Servers.http.url("/fw/deskphone-3.0.0.img"))
        self.assertEqual(u["last_result"], "failure")
        self.assertIn("signature", u["last_error"])
        self.assertEqual(self.installs(), [])
        self.assertIn("Upgrade failed:", phone.read_log())
        self.assertIsNotNone(u["next_retry_in_s"])

    def test_downgrade_rev_limit(self):
        phone = self.boot_upgrader(Downgrade_Rev_Limit="2.0.0")
        u = self.upgrade(phone, Servers.http.url("/fw/deskphone-1.2.3.img"))
        self.assertEqual(u["last_result"], "failure")
        self.assertIn("Downgrade_Rev_Limit", u["last_error"])
        self.assertEqual(self.installs(), [])
        u = self.upgrade(phone, Servers.http.url("/fw/deskphone-2.5.0.img"))
        self.assertEqual(u["last_result"], "success", u)

    def test_upgrade_rule_once_per_url_over_https(self):
        Servers.pki.install(self.state_dir)
        Servers.http.files["/empty.xml"] = flat(GPP_P="x")
        phone = self.boot_upgrader(Upgrade_Rule=Servers.nginx.url("server", "fw/deskphone-$(A:0:5).img"),
                                   GPP_A="4.0.0", Profile_Rule=Servers.http.url("/empty.xml"),
                                   Resync_After_Upgrade_Attempt="Yes")
        self.resync(phone)
        dptest.wait_for(lambda: len(self.installs()) == 1, timeout=20, what="install")
        # the upgrade's own resync and further resyncs do not flash again
        self.resync(phone)
        self.resync(phone)
        self.assertEqual(len(self.installs()), 1)
        self.assertEqual(self.prov(phone)["upgrade"]["last_result"], "success")

    def test_upgrade_enable_no(self):
        phone = self.boot_upgrader(Upgrade_Enable="No")
        result = phone.ctl("upgrade", Servers.http.url("/fw/deskphone-1.2.3.img"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("Upgrade_Enable", result.stderr)

    def test_installer_failure(self):
        with open(self.installer, "w") as f:
            f.write(INSTALLER.format(record=self.record, status=3))
        phone = self.boot_upgrader()
        u = self.upgrade(phone, Servers.http.url("/fw/deskphone-1.2.3.img"))
        self.assertEqual(u["last_result"], "failure")
        self.assertIn("installer failed", u["last_error"])
        self.assertEqual(len(self.installs()), 1)


class ReportTest(provtest.ProvPhoneTestCase):

    def run_action(self, phone, name, argument=""):
        return subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.deskphone.Phone1", "--object-path",
             "/org/deskphone/Phone1", "--method", "org.deskphone.Phone1.RunAction", name, argument],
            env=phone.env, capture_output=True, text=True, timeout=30)

    def wait_report(self, phone):
        return dptest.wait_for(
            lambda: (lambda r: r if r["state"] == "idle" and r["last_result"] else None)(
                self.prov(phone)["report"]), timeout=20, what="report")

    def test_encrypted_report(self):
        Servers.http.files["/rep/000e08aabbcc/rep.xml.enc"] = "stored"
        phone = self.boot(Resync_On_Reset="No", GPP_A="reported", Password_1_="pw1",
                          Report_Rule=f"[ --key secretphrase ] {Servers.http.url('/rep/$MA/rep.xml.enc')}")
        result = self.run_action(phone, "report")
        self.assertEqual(result.returncode, 0, result.stderr)
        r = self.wait_report(phone)
        self.assertEqual(r["last_result"], "success", r)
        _, method, _, headers, body = Servers.http.hits("/rep/000e08aabbcc/rep.xml.enc")[-1]
        self.assertEqual(method, "POST")
        plain = subprocess.run([provtest.tool("openssl"), "enc", "-d", "-aes-256-cbc", "-md", "md5",
                                "-k", "secretphrase"], input=body, capture_output=True, check=True).stdout
        text = plain.decode()
        self.assertIn('<GPP_A ua="na" group="Provisioning/General_Purpose_Parameters">reported</GPP_A>', text)
        self.assertIn(">pw1</Password_1_>", text)   # secrets only in encrypted reports
        # and the report parses as a profile
        path = self.write("report.xml", text)
        parsed = phone.ctl_json("profile", path)
        self.assertIn({"name": "GPP_A", "value": "reported", "access": "na"}, parsed)

    def test_plain_report_hides_secrets_and_tftp_is_refused(self):
        Servers.http.files["/rep/plain.xml"] = "stored"
        phone = self.boot(Resync_On_Reset="No", Password_1_="pw1",
                          Report_Rule=Servers.http.url("/rep/plain.xml"))
        self.assertEqual(self.run_action(phone, "report").returncode, 0)
        self.assertEqual(self.wait_report(phone)["last_result"], "success")
        body = Servers.http.hits("/rep/plain.xml")[-1][4].decode()
        self.assertIn("<Password_1_", body)
        self.assertNotIn("pw1", body)
        result = self.run_action(phone, "report", "tftp://127.0.0.1:9/rep.xml")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("TFTP", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
