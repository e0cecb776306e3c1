# SPDX-License-Identifier: GPL-2.0-or-later
"""HTTP tests of the personal directory (/directory) and call history
(/history) pages of the web UI (issue 11): both accounts list, add, edit,
delete and dial; every change is a CSRF-protected POST; validation messages
appear next to their fields with nothing changed; entries persist in the
core's directory.json and round-trip through a restart; the history page
lists the core's placed / received / missed calls."""

import json
import os
import unittest

from webuitest import ADMIN_PASSWORD, USER_PASSWORD, WebuiTestCase, hidden


class WebuiDirectoryTest(WebuiTestCase):

    def setUp(self):
        super().setUp()
        self.phone = self.start_web_phone(Admin_Passwd=ADMIN_PASSWORD, User_Password=USER_PASSWORD)

    def user(self):
        client = self.client(self.phone)
        self.assertEqual(client.login("user", USER_PASSWORD).status, 303)
        return client

    def stored(self):
        path = os.path.join(self.phone.state_dir, "directory.json")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [(e["name"], e["number"]) for e in json.load(f)["entries"]]

    def test_refused_without_session_or_csrf(self):
        anonymous = self.client(self.phone)
        for path in ("/directory", "/history"):
            response = anonymous.get(path)
            self.assertEqual(response.status, 303, path)
            self.assertEqual(response.location, "/login")
        for path in ("/directory/add", "/directory/edit", "/directory/delete", "/directory/dial"):
            response = anonymous.post(path, {"csrf": "x", "name": "Eve", "number": "666"})
            self.assertEqual(response.status, 403, path)
        user = self.user()
        for token in (None, "", "0" * 64):
            fields = {"name": "Eve", "number": "666"}
            if token is not None:
                fields["csrf"] = token
            self.assertEqual(user.post("/directory/add", fields).status, 403)
        good = user.csrf("/directory")
        response = user.post("/directory/add", {"csrf": good, "name": "Eve", "number": "666"},
                             headers={"Origin": "http://evil.example"})
        self.assertEqual(response.status, 403)
        self.assertEqual(self.stored(), [])

    def test_add_edit_delete_round_trip(self):
        user = self.user()
        self.assertIn('href="/directory"', user.get("/").body)
        page = user.get("/directory")
        self.assertEqual(page.status, 200)
        self.assertIn('id="empty"', page.body)
        csrf = hidden(page.body, "csrf")
        for name, number in (("Zoë <b>Müller</b>", "5551234"), ("alice", "sip:alice@example.net")):
            response = user.post("/directory/add", {"csrf": csrf, "name": name, "number": number})
            self.assertEqual(response.status, 303, response.body)
            self.assertEqual(response.location, "/directory")
        page = user.get("/directory?saved=1").body
        self.assertIn("Zoë &lt;b&gt;Müller&lt;/b&gt;", page)
        self.assertNotIn("<b>Müller", page)
        # Sorted by name, case-folded.
        self.assertLess(page.index("alice"), page.index("Zoë"))
        self.assertEqual(sorted(self.stored()), [("Zoë <b>Müller</b>", "5551234"),
                                                 ("alice", "sip:alice@example.net")])
        entries = {e["name"]: e["id"] for e in json.load(
            open(os.path.join(self.phone.state_dir, "directory.json")))["entries"]}
        alice = entries["alice"]
        edit = user.get(f"/directory?edit={alice}").body
        self.assertIn('action="/directory/edit"', edit)
        self.assertIn('name="number" id="number" maxlength="64" value="sip:alice@example.net"', edit)
        response = user.post("/directory/edit", {"csrf": csrf, "id": alice, "name": "Alice",
                                                 "number": "200"})
        self.assertEqual(response.status, 303, response.body)
        self.assertIn(("Alice", "200"), self.stored())
        response = user.post("/directory/delete", {"csrf": csrf, "id": alice})
        self.assertEqual(response.status, 303)
        self.assertEqual(self.stored(), [("Zoë <b>Müller</b>", "5551234")])
        self.assertEqual(user.post("/directory/delete", {"csrf": csrf, "id": alice}).status, 404)
        self.assertEqual(user.post("/directory/edit", {"csrf": csrf, "id": "999", "name": "x",
                                                       "number": "1"}).status, 404)
        # The admin sees and edits the same directory.
        admin = self.admin(self.phone)
        self.assertIn('href="/directory"', admin.get("/admin/advanced").body)
        page = admin.get("/directory").body
        self.assertIn("5551234", page)
        self.assertIn('href="/admin/advanced"', page)
        # Persisted: a restart shows the same entry.
        self.assertEqual(self.phone.terminate(), 0)
        self.phone = self.start_web_phone()
        user = self.user()
        self.assertIn("5551234", user.get("/directory").body)

    def test_validation_errors_next_to_fields(self):
        user = self.user()
        csrf = user.csrf("/directory")
        response = user.post("/directory/add", {"csrf": csrf, "name": "Bob", "number": "555 12 34"})
        self.assertEqual(response.status, 400)
        self.assertIn('id="err-number"', response.body)
        self.assertNotIn('id="err-name"', response.body)
        self.assertIn('name="number" id="number" maxlength="64" value="555 12 34"', response.body)
        self.assertIn('value="Bob"', response.body)
        response = user.post("/directory/add", {"csrf": csrf, "name": "", "number": "x" * 65})
        self.assertEqual(response.status, 400)
        self.assertIn('id="err-name"', response.body)
        self.assertIn('id="err-number"', response.body)
        response = user.post("/directory/add", {"csrf": csrf, "name": "Bell\x07", "number": "1"})
        self.assertEqual(response.status, 400)
        self.assertIn('id="err-name"', response.body)
        self.assertEqual(self.stored(), [])
        # An edit with a bad value changes nothing either.
        self.assertEqual(user.post("/directory/add", {"csrf": csrf, "name": "Bob",
                                                      "number": "100"}).status, 303)
        bob = json.load(open(os.path.join(self.phone.state_dir, "directory.json")))["entries"][0]["id"]
        response = user.post("/directory/edit", {"csrf": csrf, "id": bob, "name": "Bob",
                                                 "number": "1 0 0"})
        self.assertEqual(response.status, 400)
        self.assertIn('action="/directory/edit"', response.body)
        self.assertEqual(self.stored(), [("Bob", "100")])

    def test_dial_without_call_provider_reports_the_error(self):
        user = self.user()
        csrf = user.csrf("/directory")
        self.assertEqual(user.post("/directory/add", {"csrf": csrf, "name": "Bob",
                                                      "number": "100"}).status, 303)
        bob = json.load(open(os.path.join(self.phone.state_dir, "directory.json")))["entries"][0]["id"]
        self.assertIn(f'id="dial-{bob}"', user.get("/directory").body)
        # These tests load only the webui and l10n plugins: no sip plugin, so
        # dp_core_dial() fails and the page says why instead of pretending.
        response = user.post("/directory/dial", {"csrf": csrf, "id": bob})
        self.assertEqual(response.status, 409, response.body)
        self.assertIn("Dialing failed", response.body)
        self.assertEqual(user.post("/directory/dial", {"csrf": csrf, "id": "404"}).status, 404)
        self.assertEqual(self.phone.ctl_json("status")["calls"], [])

    def test_call_history_page(self):
        self.assertEqual(self.phone.terminate(), 0)
        history = {"version": 1, "entries": [
            {"kind": "missed", "peer": "sip:carol@example.net", "name": "Carol <c>", "line": 1,
             "start": 1700000300, "duration_s": 0, "end_reason": ""},
            {"kind": "received", "peer": "300", "name": "", "line": 2,
             "start": 1700000200, "duration_s": 75, "end_reason": "remote"},
            {"kind": "placed", "peer": "100", "name": "Bob", "line": 1,
             "start": 1700000100, "duration_s": 3600, "end_reason": "local"}]}
        with open(os.path.join(self.phone.state_dir, "history.json"), "w") as f:
            json.dump(history, f)
        self.phone = self.start_web_phone()
        user = self.user()
        page = user.get("/history")
        self.assertEqual(page.status, 200)
        body = page.body
        placed = body[body.index('id="history-placed"'):body.index('id="history-received"')]
        received = body[body.index('id="history-received"'):body.index('id="history-missed"')]
        missed = body[body.index('id="history-missed"'):]
        self.assertIn("<td>100</td>", placed)
        self.assertIn("<td>60:00</td>", placed)
        self.assertIn("<td>300</td>", received)
        self.assertIn("<td>1:15</td>", received)
        self.assertIn("Carol &lt;c&gt;", missed)
        self.assertNotIn("Carol", placed + received)
        # Read-only: no form acts on the history.
        self.assertNotIn('action="/history', body)
        self.assertEqual(user.post("/history", {"csrf": hidden(body, "csrf")}).status, 404)


if __name__ == "__main__":
    unittest.main(verbosity=2)
