# SPDX-License-Identifier: GPL-2.0-or-later
"""The call commands of the D-Bus API without a call provider: every request
fails with a clear message and the right exit code; listings still work."""

import unittest

from dptest import PhoneTestCase


class CallsWithoutProviderTest(PhoneTestCase):

    def setUp(self):
        super().setUp()
        # No plugin folders at all: nothing can place calls.
        self.phone = self.start_phone(plugin_path=self.folder)

    def test_dial_needs_a_provider(self):
        result = self.phone.ctl("dial", "5551234")
        self.assertEqual(result.returncode, 1)
        self.assertIn("no plugin places calls", result.stderr)

    def test_bad_arguments_are_exit_2(self):
        self.assertEqual(self.phone.ctl("dial").returncode, 2)
        self.assertEqual(self.phone.ctl("dial", "--line", "9", "100").returncode, 2)
        self.assertEqual(self.phone.ctl("transfer").returncode, 2)
        self.assertEqual(self.phone.ctl("answer", "1", "2").returncode, 2)

    def test_no_current_call(self):
        for command in ("answer", "hangup", "hold", "resume"):
            result = self.phone.ctl(command)
            self.assertEqual(result.returncode, 1, command)
            self.assertIn("call", result.stderr)
        result = self.phone.ctl("hangup", "42")
        self.assertIn("no call with id 42", result.stderr)

    def test_actions_need_a_plugin(self):
        result = self.phone.ctl("resync", "http://127.0.0.1:9/x.cfg")
        self.assertEqual(result.returncode, 1)
        self.assertIn('no plugin handles "resync"', result.stderr)
        self.assertEqual(self.phone.ctl("upgrade", "a", "b").returncode, 2)

    def test_listings(self):
        self.assertEqual(self.phone.ctl_json("calls"), [])
        lines = self.phone.ctl_json("lines")
        self.assertEqual([line["index"] for line in lines], [1, 2, 3, 4, 5, 6])
        self.assertTrue(all(line["registration"] == "unavailable" for line in lines))


if __name__ == "__main__":
    unittest.main()
