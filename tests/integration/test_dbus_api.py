# SPDX-License-Identifier: GPL-2.0-or-later
"""The configuration API over D-Bus, through deskphonectl: get, set, dump,
apply; bad input gets a clear error (exit 2) and changes nothing."""

import gzip
import os
import subprocess
import unittest

from dptest import PhoneTestCase


def state_file(phone):
    path = os.path.join(phone.state_dir, "config.xml")
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return f.read()


class ConfigApiTest(PhoneTestCase):

    def setUp(self):
        super().setUp()
        self.phone = self.start_phone()

    def test_get_describes_a_parameter(self):
        param = self.phone.ctl_json("config", "get", "Register_Expires_1_")
        self.assertEqual(param["name"], "Register_Expires_1_")
        self.assertEqual(param["value"], "3600")
        self.assertEqual(param["default"], "3600")
        self.assertEqual(param["type"], "int")
        self.assertEqual((param["tab"], param["section"]), ("Ext_1", "Proxy_and_Registration"))
        enum = self.phone.ctl_json("config", "get", "SIP_Transport_1_")
        self.assertEqual(enum["type"], "enum")
        self.assertIn("TLS", enum["choices"])
        plain = self.phone.ctl("config", "get", "Profile_Rule")
        self.assertEqual(plain.stdout.strip(), "/spa$PSN.cfg")

    def test_set_then_get(self):
        result = self.phone.ctl("config", "set", "Proxy_3_", "sip.example.com")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.phone.get("Proxy_3_"), "sip.example.com")
        # SPA boolean spellings are accepted.
        for spelling in ("no", "Enable", "0", "Yes"):
            self.assertEqual(self.phone.ctl("config", "set", "Line_Enable_2_", spelling).returncode, 0)
            self.assertEqual(self.phone.get("Line_Enable_2_"), spelling)

    def test_invalid_value_is_refused_and_nothing_changes(self):
        before = state_file(self.phone)
        result = self.phone.ctl("config", "set", "Register_Expires_1_", "forever")
        self.assertEqual(result.returncode, 2)
        self.assertIn("Register_Expires_1_", result.stderr)
        self.assertIn("forever", result.stderr)
        self.assertEqual(self.phone.get("Register_Expires_1_"), "3600")
        self.assertEqual(state_file(self.phone), before)
        result = self.phone.ctl("config", "set", "SIP_Transport_1_", "SCTP")
        self.assertEqual(result.returncode, 2)
        self.assertIn("UDP", result.stderr)   # the message lists the choices

    def test_invalid_script_is_refused(self):
        result = self.phone.ctl("config", "set", "Dial_Plan_1_", "(1xx[2-")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("Dial_Plan_1_", result.stderr)
        result = self.phone.ctl("config", "set", "Busy_Tone", "480@-19,620@-19;10(.5/.5/3)")
        self.assertEqual(result.returncode, 2, result.stderr)

    def test_unknown_and_status_parameters(self):
        result = self.phone.ctl("config", "get", "No_Such_Thing")
        self.assertEqual(result.returncode, 2)
        self.assertIn("No_Such_Thing", result.stderr)
        result = self.phone.ctl("config", "set", "Software_Version", "9.9.9")
        self.assertEqual(result.returncode, 2)

    def test_secrets_are_masked_and_never_logged(self):
        secret = "s3cret-Pa55word"
        self.assertEqual(self.phone.ctl("config", "set", "Password_1_", secret).returncode, 0)
        self.assertEqual(self.phone.get("Password_1_"), "********")
        dump = self.phone.ctl("config", "dump", "--json")
        self.assertNotIn(secret, dump.stdout)
        # The state file must keep it (so the phone can register after a reboot).
        self.assertIn(secret.encode(), state_file(self.phone))
        result = self.phone.ctl("config", "set", "Password_1_", "x" * 5000)
        self.assertNotIn(secret, self.phone.read_log())

    def test_dump_lists_every_parameter(self):
        dump = self.phone.ctl_json("config", "dump")
        names = [p["name"] for p in dump]
        self.assertEqual(len(names), len(set(names)))
        self.assertGreaterEqual(len(names), 908)
        for p in dump:
            for key in ("name", "value", "default", "type", "access", "tab", "section"):
                self.assertIn(key, p)

    def test_apply_profile_transaction(self):
        good = self.write("good.xml", "<flat-profile><GPP_A>one</GPP_A><GPP_B>two</GPP_B>"
                                      "<No_Such_Param>x</No_Such_Param></flat-profile>")
        stats = self.phone.ctl_json("config", "apply", good)
        self.assertEqual((stats["applied"], stats["unknown"]), (2, 1))
        self.assertEqual(self.phone.get("GPP_A"), "one")
        before = state_file(self.phone)
        bad = self.write("bad.xml", "<flat-profile><GPP_A>changed</GPP_A>"
                                    "<Resync_Periodic>hourly</Resync_Periodic></flat-profile>")
        result = self.phone.ctl("config", "apply", bad)
        self.assertEqual(result.returncode, 2)
        self.assertIn("Resync_Periodic", result.stderr)
        self.assertIn("hourly", result.stderr)
        self.assertEqual(self.phone.get("GPP_A"), "one")
        self.assertEqual(state_file(self.phone), before)

    def test_apply_malformed_and_oversize(self):
        before = state_file(self.phone)
        broken = self.write("broken.xml", "<flat-profile><GPP_A>x</GPP_B></flat-profile>")
        result = self.phone.ctl("config", "apply", broken)
        self.assertEqual(result.returncode, 2)
        self.assertIn("line", result.stderr)
        # A gzip bomb: 32 MiB of zeros inflated from a small file.
        bomb = gzip.compress(b"<flat-profile>" + b" " * (32 << 20) + b"</flat-profile>")
        path = self.write("bomb.cfg", bomb, mode="wb")
        result = self.phone.ctl("config", "apply", path)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(state_file(self.phone), before)
        self.assertEqual(self.phone.ctl("status").returncode, 0)

    def test_apply_encrypted_profile(self):
        plain = self.write("p.xml", "<flat-profile><GPP_C>secret stuff</GPP_C></flat-profile>")
        encrypted = os.path.join(self.folder, "p.cfg")
        subprocess.run(["openssl", "enc", "-e", "-aes-256-cbc", "-md", "md5", "-k", "Key123",
                        "-in", plain, "-out", encrypted], check=True, capture_output=True)
        result = self.phone.ctl("config", "apply", encrypted)
        self.assertEqual(result.returncode, 2)   # no key
        result = self.phone.ctl("config", "apply", encrypted, "--key", "WrongKey")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(self.phone.get("GPP_C"), "")
        result = self.phone.ctl("config", "apply", encrypted, "--key", "Key123")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.phone.get("GPP_C"), "secret stuff")


if __name__ == "__main__":
    unittest.main()
