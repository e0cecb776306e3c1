# SPDX-License-Identifier: GPL-2.0-or-later
"""deskphoned end to end: start-up, status, start-up profiles, SIGTERM."""

import os
import subprocess
import unittest

from dptest import DESKPHONED, PhoneTestCase, wait_for


class DaemonTest(PhoneTestCase):

    def test_status_lists_plugins_lines_and_contract_fields(self):
        phone = self.start_phone()
        status = phone.ctl_json("status")
        for key in ("version", "uptime_s", "ports", "plugins", "lines", "calls",
                    "provisioning", "sidecar", "feeds", "language"):
            self.assertIn(key, status)
        self.assertIsInstance(status["uptime_s"], int)
        names = {p["name"]: p for p in status["plugins"]}
        self.assertIn("example", names)
        self.assertTrue(names["example"]["loaded"], names["example"])
        self.assertIsNone(names["example"]["error"])
        self.assertEqual([line["index"] for line in status["lines"]], [1, 2, 3, 4, 5, 6])
        self.assertTrue(all(line["enabled"] for line in status["lines"]))
        self.assertEqual(status["language"], "English")
        # The same list through the plugins subcommand.
        self.assertEqual(phone.ctl_json("plugins"), status["plugins"])

    def test_startup_profile_is_applied_and_persisted(self):
        profile = self.write("startup.xml",
                             "<flat-profile><Proxy_2_>sip.example.net</Proxy_2_>"
                             "<Display_Name_2_>Desk 2</Display_Name_2_></flat-profile>")
        phone = self.start_phone("--profile", profile)
        self.assertEqual(phone.get("Proxy_2_"), "sip.example.net")
        self.assertEqual(phone.terminate(), 0)
        # Restart without the profile: the value came back from the state folder.
        phone = self.start_phone()
        self.assertEqual(phone.get("Proxy_2_"), "sip.example.net")
        self.assertEqual(phone.get("Display_Name_2_"), "Desk 2")

    def test_plain_text_startup_profile(self):
        profile = self.write("startup.txt",
                             '# SPA plain text\nProxy[1] "pbx.example.org" ;\nUser_ID[1] ! "1001";\n')
        phone = self.start_phone("--profile", profile)
        self.assertEqual(phone.get("Proxy_1_"), "pbx.example.org")
        user = phone.ctl_json("config", "get", "User_ID_1_")
        self.assertEqual((user["value"], user["access"]), ("1001", "rw"))

    def test_bad_startup_profile_exits_2_naming_the_problem(self):
        profile = self.write("bad.xml",
                             "<flat-profile><Proxy_1_>ok</Proxy_1_>"
                             "<Register_Expires_1_>soon</Register_Expires_1_></flat-profile>")
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.bus.address)
        result = subprocess.run([DESKPHONED, "--bus", "none", "--state-dir",
                                 os.path.join(self.folder, "s"), "--profile", profile],
                                env=env, capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("Register_Expires_1_", result.stderr)
        self.assertIn("soon", result.stderr)
        # Nothing was saved.
        self.assertFalse(os.path.exists(os.path.join(self.folder, "s", "config.xml")))

    def test_damaged_state_file_is_kept_aside(self):
        # A state file that does not parse (a disk fault, a hand edit) must
        # neither stop the phone nor be overwritten: it is moved aside and
        # the phone runs on its factory values.
        state_dir = os.path.join(self.folder, "state")
        os.makedirs(state_dir)
        damaged = "<flat-profile><Proxy_1_>half-written</Pro"
        with open(os.path.join(state_dir, "config.xml"), "w") as f:
            f.write(damaged)
        phone = self.start_phone()
        self.assertEqual(phone.get("Proxy_1_"), "")
        with open(os.path.join(state_dir, "config.xml.damaged")) as f:
            self.assertEqual(f.read(), damaged)
        self.assertIn("config.xml.damaged", phone.read_log())
        # New changes are saved to a fresh file.
        self.assertEqual(phone.ctl("config", "set", "Proxy_1_", "sip.example.org").returncode, 0)
        self.assertEqual(phone.terminate(), 0)
        phone = self.start_phone()
        self.assertEqual(phone.get("Proxy_1_"), "sip.example.org")

    def test_sigterm_exits_cleanly(self):
        phone = self.start_phone()
        self.assertEqual(phone.terminate(), 0)
        self.assertIn("stopped", phone.read_log())

    def test_bad_command_line(self):
        result = subprocess.run([DESKPHONED, "--bus", "tram"], capture_output=True, text=True)
        self.assertEqual(result.returncode, 2)
        self.assertIn("tram", result.stderr)
        result = subprocess.run([DESKPHONED, "--version"], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0)
        self.assertIn("deskphoned", result.stdout)

    def test_second_daemon_on_the_same_bus_refuses_to_run(self):
        self.start_phone()
        second = self.start_phone(wait=False)
        wait_for(lambda: second.process.poll() is not None, what="second daemon to exit")
        self.assertNotEqual(second.process.returncode, 0)
        self.assertIn("another deskphoned", second.read_log())


if __name__ == "__main__":
    unittest.main()
