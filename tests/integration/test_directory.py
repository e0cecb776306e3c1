# SPDX-License-Identifier: GPL-2.0-or-later
"""The personal directory and call history kept by the core: changed with
deskphonectl (D-Bus), validated (bad input exits 2 and changes nothing),
persisted in the state folder across a restart, and the history records
calls made through the sip plugin with baresip as the far phone."""

import json
import os
import unittest

from dptest import PhoneTestCase, wait_for
from peers import Baresip
from sippeers import SipPhoneTestCase


class DirectoryTest(PhoneTestCase):

    def ctl_ok(self, phone, *args):
        result = phone.ctl(*args)
        self.assertEqual(result.returncode, 0, f"{args}: {result.stderr}")
        return result

    def entries(self, phone):
        return phone.ctl_json("directory")["entries"]

    def test_add_edit_delete_persisted(self):
        phone = self.start_phone()
        self.assertEqual(self.entries(phone), [])
        zoe = self.ctl_ok(phone, "directory", "add", "Zoe", "2001").stdout.strip()
        alice = phone.ctl_json("directory", "add", "Alice Smith", "sip:alice@example.com")["id"]
        self.assertNotEqual(zoe, alice)
        self.assertEqual([(e["id"], e["name"]) for e in self.entries(phone)],
                         [(alice, "Alice Smith"), (zoe, "Zoe")])
        self.ctl_ok(phone, "directory", "edit", zoe, "Bob", "*98")
        self.assertEqual([(e["id"], e["name"], e["number"]) for e in self.entries(phone)],
                         [(alice, "Alice Smith", "sip:alice@example.com"), (zoe, "Bob", "*98")])
        text = self.ctl_ok(phone, "directory").stdout
        self.assertIn("Alice Smith", text)
        self.assertIn("*98", text)
        status = phone.ctl_json("status")
        self.assertEqual(status["history"]["directory"], 2)

        # restart: same entries, same ids, from <state>/directory.json
        self.assertEqual(phone.terminate(), 0)
        with open(os.path.join(phone.state_dir, "directory.json")) as f:
            stored = json.load(f)
        self.assertEqual(len(stored["entries"]), 2)
        phone.start()
        self.assertEqual([(e["id"], e["name"]) for e in self.entries(phone)],
                         [(alice, "Alice Smith"), (zoe, "Bob")])
        self.ctl_ok(phone, "directory", "delete", alice)
        self.assertEqual([e["id"] for e in self.entries(phone)], [zoe])

    def test_bad_input_exits_2_and_changes_nothing(self):
        phone = self.start_phone()
        only = self.ctl_ok(phone, "directory", "add", "Carol", "3000").stdout.strip()
        before = self.entries(phone)
        path = os.path.join(phone.state_dir, "directory.json")
        with open(path) as f:
            stored = f.read()
        cases = [
            (("directory", "add", "Bad", "30 00"), "number: character 3"),
            (("directory", "add", "", "3000"), "name: must be 1 to 64 bytes"),
            (("directory", "add", "x" * 65, "1"), "name: must be 1 to 64 bytes long (it is 65)"),
            (("directory", "add", "Tab\tName", "1"), "name: character 4"),
            (("directory", "edit", only, "Carol", "3000<"), "number: character 5"),
            (("directory", "edit", "999", "Carol", "1"), "no directory entry with id \"999\""),
            (("directory", "delete", "999"), "no directory entry with id \"999\""),
            (("directory", "dial", "999"), "no directory entry with id \"999\""),
            (("directory", "add", "OnlyName"), "usage: directory"),
            (("directory", "frobnicate"), "usage: directory"),
            (("history", "everything"), "usage: history"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                result = phone.ctl(*args)
                self.assertEqual(result.returncode, 2, f"{args}: {result.stdout} {result.stderr}")
                self.assertIn(message, result.stderr)
        self.assertEqual(self.entries(phone), before)
        with open(path) as f:
            self.assertEqual(f.read(), stored)

    def test_corrupt_files_kept_aside(self):
        state = os.path.join(self.folder, "state")
        os.makedirs(state, exist_ok=True)
        with open(os.path.join(state, "directory.json"), "w") as f:
            f.write('{"version":1,"entries":[{"name":"A","number":"1 2"}]}')
        with open(os.path.join(state, "history.json"), "w") as f:
            f.write('{"version":1,"entries":[')
        phone = self.start_phone()
        self.assertEqual(self.entries(phone), [])
        self.assertEqual(phone.ctl_json("history")["entries"], [])
        self.assertTrue(os.path.exists(os.path.join(state, "directory.json.corrupt")))
        self.assertTrue(os.path.exists(os.path.join(state, "history.json.corrupt")))
        log = phone.read_log()
        self.assertIn("entry 1: number: character 2", log)


class HistoryCallTest(SipPhoneTestCase):

    def setUp(self):
        super().setUp()
        self.bob = self.peer(Baresip(self.folder, "bob")).start()
        self.phone = self.start_sip_phone(Proxy_1_=f"127.0.0.1:{self.bob.port}",
                                          User_ID_1_="phone", Display_Name_1_="Desk Phone",
                                          Register_1_="No")
        self.port = self.sip_port(self.phone)
        self.phone_uri = f"sip:phone@127.0.0.1:{self.port}"

    def ctl_ok(self, *args):
        result = self.phone.ctl(*args)
        self.assertEqual(result.returncode, 0, f"{args}: {result.stderr}")
        return result

    def history(self):
        return self.phone.ctl_json("history")["entries"]

    def test_dial_from_directory_and_history(self):
        self.assertEqual(self.history(), [])
        bob_id = self.ctl_ok("directory", "add", "Bob", "bob").stdout.strip()
        call_id = self.ctl_ok("directory", "dial", bob_id).stdout.strip()
        incoming = self.bob.wait_for_event("CALL_INCOMING")
        self.assertIn("phone", incoming.get("peeruri", ""))
        call = self.wait_call(self.phone, "ringback", call_id)
        self.assertEqual(call["peer"], f"sip:bob@127.0.0.1:{self.bob.port}")
        self.bob.answer()
        self.bob.wait_for_event("CALL_ESTABLISHED")
        self.wait_call(self.phone, "active", call_id)
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)
        placed = wait_for(self.history, what="the placed call in the history")
        self.assertEqual(len(placed), 1)
        self.assertEqual(placed[0]["kind"], "placed")
        self.assertEqual(placed[0]["peer"], f"sip:bob@127.0.0.1:{self.bob.port}")
        self.assertEqual(placed[0]["line"], 1)
        self.assertEqual(placed[0]["end_reason"], "hangup")

        # an incoming call the caller gives up is missed
        self.bob.dial(self.phone_uri)
        self.wait_call(self.phone, "ringing")
        self.bob.hangup()
        self.wait_no_calls(self.phone)
        entries = wait_for(lambda: len(self.history()) == 2 and self.history(),
                           what="the missed call in the history")
        self.assertEqual([e["kind"] for e in entries], ["missed", "placed"])
        self.assertIn("bob@", entries[0]["peer"])
        self.assertEqual(entries[0]["duration_s"], 0)
        status = self.phone.ctl_json("status")["history"]
        self.assertEqual((status["placed"], status["received"], status["missed"]), (0 + 1, 0, 1))
        text = self.ctl_ok("history").stdout  # labels, not the JSON identifiers
        self.assertIn("Missed", text)
        self.assertIn("Placed", text)

        # persisted across a restart, then cleared
        self.assertEqual(self.phone.terminate(), 0)
        self.phone.start()
        self.assertEqual([e["kind"] for e in self.history()], ["missed", "placed"])
        self.ctl_ok("history", "clear")
        self.assertEqual(self.history(), [])
        self.assertEqual(self.phone.terminate(), 0)
        self.phone.start()
        self.assertEqual(self.history(), [])


if __name__ == "__main__":
    unittest.main()
