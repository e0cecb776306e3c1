# SPDX-License-Identifier: GPL-2.0-or-later
"""HTTPS tests of the web UI (Web_HTTPS_Enable / Web_HTTPS_Port /
Web_HTTPS_Certificate): a test CA and device certificate made with
certtool, pages fetched over TLS trusting only that CA, `Secure` cookies,
HSTS, and plain HTTP pointing to HTTPS (dp-webui-server.h)."""

import http.client
import os
import ssl
import subprocess
import unittest
import urllib.parse

from webuitest import ADMIN_PASSWORD, USER_PASSWORD, WebuiTestCase, hidden, wait_for


def certtool(*args):
    subprocess.run(["certtool", *args], check=True, capture_output=True)


def make_certificates(folder):
    """CA, then a device certificate for 127.0.0.1; returns (ca.pem, device.pem
    holding certificate and key)."""
    paths = {n: os.path.join(folder, n) for n in
             ("ca-key.pem", "ca.pem", "ca.tmpl", "key.pem", "cert.pem", "cert.tmpl", "device.pem")}
    with open(paths["ca.tmpl"], "w") as f:
        f.write('cn = "deskphone test CA"\nca\ncert_signing_key\nexpiration_days = 2\n')
    with open(paths["cert.tmpl"], "w") as f:
        f.write('cn = "127.0.0.1"\nip_address = "127.0.0.1"\ndns_name = "localhost"\n'
                'tls_www_server\nencryption_key\nsigning_key\nexpiration_days = 2\n')
    certtool("--generate-privkey", "--key-type=ecdsa", "--outfile", paths["ca-key.pem"])
    certtool("--generate-self-signed", "--load-privkey", paths["ca-key.pem"],
             "--template", paths["ca.tmpl"], "--outfile", paths["ca.pem"])
    certtool("--generate-privkey", "--key-type=ecdsa", "--outfile", paths["key.pem"])
    certtool("--generate-certificate", "--load-privkey", paths["key.pem"],
             "--load-ca-certificate", paths["ca.pem"], "--load-ca-privkey", paths["ca-key.pem"],
             "--template", paths["cert.tmpl"], "--outfile", paths["cert.pem"])
    with open(paths["device.pem"], "w") as out:
        for name in ("cert.pem", "key.pem"):
            with open(paths[name]) as f:
                out.write(f.read())
    return paths["ca.pem"], paths["device.pem"]


class TlsClient:
    """Cookie-keeping HTTPS client trusting only the test CA."""

    def __init__(self, port, ca_file):
        self.port = port
        self.cookies = {}
        self.context = ssl.create_default_context(cafile=ca_file)
        self.set_cookie_headers = []

    def request(self, method, path, fields=None):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=20)
        headers = {}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        conn.close()
        self.set_cookie_headers = response.headers.get_all("Set-Cookie") or []
        for cookie in self.set_cookie_headers:
            name, _, rest = cookie.partition("=")
            if "Max-Age=0" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = rest.split(";", 1)[0]
        return response


class WebuiHttpsTest(WebuiTestCase):

    def setUp(self):
        super().setUp()
        self.ca, self.device = make_certificates(self.folder)

    def start(self, certificate=None):
        phone = self.start_web_phone(Admin_Passwd=ADMIN_PASSWORD, User_Password=USER_PASSWORD,
                                     Web_HTTPS_Enable="Yes", Web_HTTPS_Port="0",
                                     Web_HTTPS_Certificate=certificate or self.device)
        return phone

    def https_port(self, phone):
        return wait_for(lambda: phone.ctl_json("status")["ports"].get("web_https"),
                        what="the HTTPS port in the status")

    def test_pages_over_tls_with_secure_cookies(self):
        phone = self.start()
        client = TlsClient(self.https_port(phone), self.ca)
        page = client.request("GET", "/login?account=admin")
        self.assertEqual(page.status, 200)
        self.assertIn('name="password"', page.text)
        self.assertEqual(page.headers["Strict-Transport-Security"], "max-age=31536000")
        login_cookie = [c for c in client.set_cookie_headers if c.startswith("dp_login=")]
        self.assertEqual(len(login_cookie), 1)
        self.assertIn("; Secure", login_cookie[0])
        response = client.request("POST", "/login", {"token": hidden(page.text, "token"),
                                                     "account": "admin",
                                                     "password": ADMIN_PASSWORD})
        self.assertEqual(response.status, 303, response.text)
        session = [c for c in client.set_cookie_headers if c.startswith("dp_session=")]
        self.assertEqual(len(session), 1)
        for flag in ("; Secure", "HttpOnly", "SameSite=Strict"):
            self.assertIn(flag, session[0])
        page = client.request("GET", "/admin/advanced")
        self.assertEqual(page.status, 200)
        self.assertIn('name="Web_HTTPS_Enable"', page.text)
        # A client that does not trust the test CA gets no page at all.
        stranger = TlsClient(self.https_port(phone), None)
        stranger.context = ssl.create_default_context()
        with self.assertRaises(ssl.SSLError):
            stranger.request("GET", "/login")

    def test_http_points_to_https(self):
        phone = self.start()
        https = self.https_port(phone)
        plain = self.client(phone)
        response = plain.get("/admin/advanced?x=1")
        self.assertEqual(response.status, 308)
        self.assertEqual(response.header("Location"), f"https://127.0.0.1:{https}/admin/advanced?x=1")
        self.assertNotIn("Set-Cookie", response.headers)
        # A password sent over HTTP is not acted on, not even checked.
        response = plain.post("/login", {"token": "t", "account": "admin",
                                         "password": ADMIN_PASSWORD})
        self.assertEqual(response.status, 403)
        self.assertEqual(response.header("Location"), f"https://127.0.0.1:{https}/login")
        self.assertNotIn("dp_session", plain.cookies)
        # Turning HTTPS off gives HTTP back its pages, without Secure cookies.
        self.assertEqual(phone.ctl("config", "set", "Web_HTTPS_Enable", "No").returncode, 0)
        wait_for(lambda: phone.ctl_json("status")["ports"].get("web_https") is None,
                 what="HTTPS listener stopped")
        phone.web_port = self.web_port(phone)
        plain = self.client(phone)
        response = plain.login("user", USER_PASSWORD)
        self.assertEqual(response.status, 303)
        self.assertTrue(all("Secure" not in c for c in response.headers.get_all("Set-Cookie")))

    def test_bad_certificate_keeps_http(self):
        broken = os.path.join(self.folder, "broken.pem")
        with open(broken, "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n")
        phone = self.start(certificate=broken)
        self.assertIsNone(phone.ctl_json("status")["ports"].get("web_https"))
        self.assertEqual(self.client(phone).get("/login").status, 200)
        self.assertIn("Web_HTTPS_Certificate", phone.read_log())


if __name__ == "__main__":
    unittest.main(verbosity=2)
