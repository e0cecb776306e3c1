# SPDX-License-Identifier: GPL-2.0-or-later
"""HTTP-level tests of the web UI: every admin page and action is refused
without a session, with a user session and without the CSRF token; the
login back-off; no page holds a stored secret; transactional submit and
import; first-boot setup; Restricted_Access_Domains; language."""

import os
import re
import time
import unittest

from webuitest import (ADMIN_PASSWORD, SIP_SECRET, USER_PASSWORD, WebuiTestCase, hidden,
                       multipart, profile_xml)

ADMIN_GETS = ["/admin", "/admin/", "/admin/basic", "/admin/advanced", "/admin/config.xml",
              "/admin/upgrade-status", "/admin/resync?http://127.0.0.1:9/x.xml",
              "/admin/upgrade?http://127.0.0.1:9/fw.bin", "/admin/reboot", "/upgrade?x"]
ADMIN_POSTS = ["/admin/submit", "/admin/resync", "/admin/upgrade", "/admin/reboot",
               "/admin/import"]


class WebuiHttpTest(WebuiTestCase):

    def setUp(self):
        super().setUp()
        self.phone = self.start_web_phone(Admin_Passwd=ADMIN_PASSWORD,
                                          User_Password=USER_PASSWORD,
                                          Password_1_=SIP_SECRET,
                                          GPP_SA="gpp-secret-99")

    def state_text(self):
        with open(os.path.join(self.phone.state_dir, "config.xml")) as f:
            return f.read()

    def test_admin_pages_refused_without_session(self):
        anonymous = self.client(self.phone)
        for path in ADMIN_GETS:
            response = anonymous.get(path)
            self.assertEqual(response.status, 303, path)
            self.assertEqual(response.location, "/login", path)
            self.assertNotIn("Submit", response.body)
        for path in ADMIN_POSTS + ["/submit", "/logout"]:
            response = anonymous.post(path, {"csrf": "x", "SIP_T1": "1"})
            self.assertEqual(response.status, 403, path)
        self.assertEqual(anonymous.get("/").status, 303)
        self.assertEqual(self.phone.get("SIP_T1"), ".5")

    def test_admin_pages_refused_with_user_session(self):
        user = self.client(self.phone)
        self.assertEqual(user.login("user", USER_PASSWORD).status, 303)
        csrf = user.csrf("/")
        for path in ADMIN_GETS:
            response = user.get(path)
            self.assertEqual(response.status, 403, path)
            self.assertNotIn("SIP_T1", response.body)
        for path in ADMIN_POSTS:
            response = user.post(path, {"csrf": csrf, "SIP_T1": "1", "arg": "x"})
            self.assertEqual(response.status, 403, path)
        self.assertEqual(self.phone.get("SIP_T1"), ".5")

    def test_state_changes_refused_without_csrf(self):
        admin = self.admin(self.phone)
        good = admin.csrf()
        for token in (None, "", "0" * 64, good[:-1]):
            fields = {"view": "advanced", "SIP_T1": "1", "arg": "http://127.0.0.1:9/x"}
            if token is not None:
                fields["csrf"] = token
            for path in ADMIN_POSTS + ["/logout"]:
                response = admin.post(path, dict(fields))
                self.assertEqual(response.status, 403, (path, token))
        body, ctype = multipart({}, {"profile": ("p.xml", profile_xml(SIP_T1="2"))})
        self.assertEqual(admin.request("POST", "/admin/import", body=body, content_type=ctype).status, 403)
        # The right token from another origin is refused too.
        response = admin.post("/admin/submit", {"csrf": good, "SIP_T1": "1"},
                              headers={"Origin": "http://evil.example"})
        self.assertEqual(response.status, 403)
        self.assertEqual(self.phone.get("SIP_T1"), ".5")
        # Functional URLs only show a confirmation on GET.
        response = admin.get("/admin/reboot")
        self.assertEqual(response.status, 200)
        self.assertIn('action="/admin/reboot"', response.body)
        response = admin.get("/admin/resync?http://127.0.0.1:9/prov.xml")
        self.assertIn('value="http://127.0.0.1:9/prov.xml"', response.body)

    def test_login_backoff(self):
        client = self.client(self.phone)
        for _ in range(4):
            response = client.login("admin", "wrong")
            self.assertEqual(response.status, 403)
            self.assertIn("Login failed", response.body)
            self.assertNotIn("dp_session", client.cookies)
        # Locked: even the right password is refused until the wait is over.
        response = client.login("admin", ADMIN_PASSWORD)
        self.assertEqual(response.status, 429)
        wait = int(response.header("Retry-After"))
        self.assertGreaterEqual(wait, 1)
        self.assertNotIn("dp_session", client.cookies)
        time.sleep(wait + 0.2)
        response = client.login("admin", "wrong again")
        self.assertEqual(response.status, 403)
        # The lock doubled.
        response = client.login("admin", ADMIN_PASSWORD)
        self.assertEqual(response.status, 429)
        self.assertEqual(int(response.header("Retry-After")), 2)
        time.sleep(2.2)
        self.assertEqual(client.login("admin", ADMIN_PASSWORD).status, 303)
        self.assertIn("dp_session", client.cookies)

    def test_session_cookie_and_headers(self):
        client = self.client(self.phone)
        page = client.get("/login?account=admin")
        csp = page.header("Content-Security-Policy")
        self.assertIn("default-src 'none'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertNotIn("script-src", csp)
        self.assertEqual(page.header("X-Content-Type-Options"), "nosniff")
        self.assertNotIn("<script", page.body)
        token = hidden(page.body, "token")
        response = client.post("/login", {"token": token, "account": "admin",
                                          "password": ADMIN_PASSWORD})
        cookies = [c for c in response.headers.get_all("Set-Cookie") if c.startswith("dp_session=")]
        self.assertEqual(len(cookies), 1)
        self.assertIn("HttpOnly", cookies[0])
        self.assertIn("SameSite=Strict", cookies[0])
        # Login without the double-submit token is refused.
        other = self.client(self.phone)
        response = other.post("/login", {"account": "admin", "password": ADMIN_PASSWORD})
        self.assertEqual(response.status, 403)
        # Logout ends the session server-side.
        sid = client.cookies["dp_session"]
        csrf = client.csrf()
        self.assertEqual(client.post("/logout", {"csrf": csrf}).status, 303)
        client.cookies["dp_session"] = sid
        self.assertEqual(client.get("/admin/advanced").status, 303)

    def test_no_page_contains_a_secret(self):
        state = self.state_text()
        hashes = re.findall(r"\$pbkdf2-sha256\$[^<]*", state)
        self.assertEqual(len(hashes), 2, "both passwords are stored hashed")
        self.assertNotIn(ADMIN_PASSWORD, state)
        self.assertNotIn(USER_PASSWORD, state)
        secrets = [ADMIN_PASSWORD, USER_PASSWORD, SIP_SECRET, "gpp-secret-99"] + hashes
        admin = self.admin(self.phone)
        pages = [admin.get(p).body for p in ("/admin/advanced", "/admin/basic", "/",
                                              "/admin/config.xml", "/admin/upgrade-status")]
        user = self.client(self.phone)
        user.login("user", USER_PASSWORD)
        pages.append(user.get("/").body)
        for body in pages:
            for secret in secrets:
                self.assertNotIn(secret, body)
        export = pages[3]
        self.assertIn('<Password_1_ group="Ext_1/Subscriber_Information" ua="na"/>', export)
        # A rejected submit does not echo a secret either.
        csrf = admin.csrf()
        response = admin.post("/admin/submit", {"csrf": csrf, "view": "advanced",
                                                "Password_2_": "typed-secret-5", "SIP_T1": "x"})
        self.assertEqual(response.status, 400)
        self.assertNotIn("typed-secret-5", response.body)

    def test_user_view_hides_na_and_protects_ro(self):
        user = self.client(self.phone)
        self.assertEqual(user.login("user", USER_PASSWORD).status, 303)
        page = user.get("/").body
        self.assertNotIn('name="SIP_T1"', page)         # SIP tab: na
        self.assertNotIn("Admin_Passwd", page)
        self.assertNotIn("Password_1_", page)
        self.assertIn('name="Proxy_1_"', page)         # Ext: ro, shown disabled
        self.assertRegex(page, r'name="Proxy_1_" value="[^"]*" disabled')
        self.assertNotIn("#tab-Provisioning", page)
        csrf = hidden(page, "csrf")
        for name, value in (("Proxy_1_", "evil.example"), ("SIP_T1", "1"),
                            ("Admin_Passwd", "takeover")):
            response = user.post("/submit", {"csrf": csrf, "Speed_Dial_2": "5551234",
                                              name: value})
            self.assertEqual(response.status, 400, name)
        self.assertEqual(self.phone.get("Proxy_1_"), "")
        self.assertEqual(self.phone.get("Speed_Dial_2"), "")
        self.assertEqual(self.client(self.phone).login("admin", "takeover").status, 403)
        response = user.post("/submit", {"csrf": csrf, "Speed_Dial_2": "5551234"})
        self.assertEqual(response.status, 303)
        self.assertEqual(self.phone.get("Speed_Dial_2"), "5551234")

    def test_submit_is_transactional_and_persisted(self):
        admin = self.admin(self.phone)
        csrf = admin.csrf()
        response = admin.post("/admin/submit", {"csrf": csrf, "view": "advanced",
                                                "Time_Zone": "GMT+01:00", "SIP_T1": "soon",
                                                "Max_Forward": "many"})
        self.assertEqual(response.status, 400)
        self.assertRegex(response.body, r'id="err-SIP_T1">SIP_T1: value &quot;soon&quot; is invalid')
        self.assertIn('id="err-Max_Forward"', response.body)
        self.assertNotIn('id="err-Time_Zone"', response.body)
        self.assertRegex(response.body, r'name="SIP_T1" value="soon"')
        self.assertEqual(self.phone.get("Time_Zone"), "GMT-08:00")
        response = admin.post("/admin/submit", {"csrf": csrf, "view": "advanced",
                                                "Time_Zone": "GMT+01:00", "SIP_T1": ".75",
                                                "Max_Forward": "42"})
        self.assertEqual(response.status, 303, response.body)
        self.assertIn("saved=3", response.header("Location"))
        self.assertEqual(self.phone.get("Time_Zone"), "GMT+01:00")
        self.assertEqual(self.phone.get("SIP_T1"), ".75")
        self.assertEqual(self.phone.terminate(), 0)
        phone = self.start_phone(plugin_path=self.webui_plugin_path())
        self.assertEqual(phone.get("Max_Forward"), "42")
        self.assertEqual(phone.get("Time_Zone"), "GMT+01:00")

    def test_admin_password_change_from_the_form(self):
        admin = self.admin(self.phone)
        csrf = admin.csrf()
        response = admin.post("/admin/submit", {"csrf": csrf, "view": "advanced",
                                                "Admin_Passwd": "n3w-admin-pw", "Password_1_": ""})
        self.assertEqual(response.status, 303, response.body)
        self.assertNotIn("n3w-admin-pw", self.state_text())
        self.assertEqual(self.client(self.phone).login("admin", ADMIN_PASSWORD).status, 403)
        self.assertEqual(self.client(self.phone).login("admin", "n3w-admin-pw").status, 303)
        # The empty secret field left the SIP password alone.
        self.assertIn(SIP_SECRET, self.state_text())

    def test_export_and_import(self):
        admin = self.admin(self.phone)
        export = admin.get("/admin/config.xml")
        self.assertEqual(export.status, 200)
        self.assertEqual(export.header("Content-Type"), "application/xml")
        self.assertIn('<SIP_T1 group="SIP/SIP_Timer_Values__sec_" ua="na">.5</SIP_T1>', export.body)
        self.assertIn('<Time_Zone group="Regional/Miscellaneous"', export.body)
        n_params = len(self.phone.ctl_json("config", "dump"))
        self.assertEqual(export.body.count(" group="), n_params)
        csrf = admin.csrf()
        # A profile with one bad value applies nothing.
        body, ctype = multipart({"csrf": csrf},
                                {"profile": ("bad.xml", profile_xml(Max_Forward="20", SIP_T1="bad"))})
        response = admin.request("POST", "/admin/import", body=body, content_type=ctype)
        self.assertEqual(response.status, 400)
        self.assertIn("SIP_T1", response.body)
        self.assertEqual(self.phone.get("Max_Forward"), "70")
        # The export re-imported with a change applies it and keeps secrets.
        changed = export.body.replace('ua="na">70</Max_Forward>', 'ua="na">33</Max_Forward>')
        self.assertNotEqual(changed, export.body)
        body, ctype = multipart({"csrf": csrf}, {"profile": ("good.xml", changed)})
        response = admin.request("POST", "/admin/import", body=body, content_type=ctype)
        self.assertEqual(response.status, 200, response.body)
        self.assertEqual(self.phone.get("Max_Forward"), "33")
        self.assertIn(SIP_SECRET, self.state_text())
        self.assertEqual(self.client(self.phone).login("admin", ADMIN_PASSWORD).status, 303)

    def test_functional_urls_run_the_core_actions(self):
        admin = self.admin(self.phone)
        csrf = admin.csrf()
        for action in ("resync", "upgrade", "reboot"):
            response = admin.post(f"/admin/{action}", {"csrf": csrf, "arg": "http://127.0.0.1:9/f"})
            # Without a plugin providing the action the core's error is shown.
            self.assertIn(response.status, (200, 303, 409), action)
            if response.status == 409:
                self.assertIn(action, response.body)
        progress = admin.get("/admin/upgrade-status")
        self.assertEqual(progress.status, 200)
        self.assertIn('http-equiv="refresh"', progress.body)

    def test_enable_web_admin_access_no(self):
        admin = self.admin(self.phone)
        self.assertEqual(self.phone.ctl("config", "set", "Enable_Web_Admin_Access", "No").returncode, 0)
        self.assertEqual(admin.get("/admin/advanced").status, 403)
        self.assertEqual(self.client(self.phone).login("admin", ADMIN_PASSWORD).status, 403)
        user = self.client(self.phone)
        self.assertEqual(user.login("user", USER_PASSWORD).status, 303)
        self.assertEqual(user.get("/").status, 200)

    def test_restricted_access_domains(self):
        self.assertEqual(self.phone.ctl("config", "set", "Restricted_Access_Domains",
                                        "10.0.0.0/8, phone.example.net").returncode, 0)
        self.assertEqual(self.client(self.phone).get("/login").status, 403)
        named = self.client(self.phone, host_header=f"phone.example.net:{self.phone.web_port}")
        self.assertEqual(named.get("/login").status, 200)
        self.assertEqual(self.phone.ctl("config", "set", "Restricted_Access_Domains",
                                        "127.0.0.0/8").returncode, 0)
        self.assertEqual(self.client(self.phone).get("/login").status, 200)

    def test_pages_follow_language_selection(self):
        admin = self.admin(self.phone)
        self.assertIn("Submit All Changes", admin.get("/admin/advanced").body)
        self.assertEqual(self.phone.ctl("config", "set", "Language_Selection", "French").returncode, 0)
        page = admin.get("/admin/advanced").body
        self.assertIn('<html lang="fr">', page)
        self.assertIn("Soumettre toutes les modifications", page)
        self.assertIn("Annuler toutes les modifications", page)

    def test_port_change_moves_the_server(self):
        old = self.phone.web_port
        self.assertEqual(self.phone.ctl("config", "set", "Enable_Web_Server", "No").returncode, 0)
        wait_gone = lambda: self.phone.ctl_json("status")["ports"].get("web") is None
        from dptest import wait_for
        wait_for(wait_gone, what="web server stopped")
        with self.assertRaises(OSError):
            self.client(self.phone).get("/login")
        self.assertEqual(self.phone.ctl("config", "set", "Enable_Web_Server", "Yes").returncode, 0)
        self.phone.web_port = self.web_port(self.phone)
        self.assertEqual(self.client(self.phone).get("/login").status, 200)
        self.assertIsInstance(old, int)


class WebuiFirstBootTest(WebuiTestCase):

    def test_setup_code_flow(self):
        phone = self.start_web_phone(User_Password="")
        code_file = os.path.join(phone.state_dir, "webui-setup-code")
        self.assertTrue(os.path.exists(code_file))
        self.assertEqual(os.stat(code_file).st_mode & 0o777, 0o600)
        with open(code_file) as f:
            code = f.read().strip()
        client = self.client(phone)
        response = client.login("admin", "")
        self.assertEqual(response.status, 303)
        self.assertEqual(response.location, "/setup")
        # The user account stays closed without a password.
        self.assertEqual(self.client(phone).login("user", "").status, 403)
        page = client.get("/setup")
        token = hidden(page.body, "token")
        response = client.post("/setup", {"token": token, "code": "0" * len(code),
                                          "password": "first-pass-1", "password2": "first-pass-1"})
        self.assertEqual(response.status, 403)
        token = hidden(response.body, "token")
        response = client.post("/setup", {"token": token, "code": code,
                                          "password": "short", "password2": "short"})
        self.assertEqual(response.status, 400)
        token = hidden(response.body, "token")
        response = client.post("/setup", {"token": token, "code": code,
                                          "password": "first-pass-1", "password2": "first-pass-1"})
        self.assertEqual(response.status, 303)
        self.assertEqual(response.location, "/admin/advanced")
        self.assertEqual(client.get("/admin/advanced").status, 200)
        self.assertFalse(os.path.exists(code_file))
        # Setup is closed now, and the new password works.
        self.assertEqual(self.client(phone).get("/setup").status, 303)
        self.assertEqual(self.client(phone).login("admin", "first-pass-1").status, 303)


if __name__ == "__main__":
    unittest.main(verbosity=2)
