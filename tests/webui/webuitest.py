# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared helpers for the web UI tests: a deskphoned with the webui plugin on
127.0.0.1 (Web_Server_Port 0, the chosen port read from `deskphonectl status
--json`), and a small cookie-keeping HTTP client that never follows
redirects, so every answer can be checked."""

import http.client
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.environ.get("DP_INTEGRATION_DIR")
                or os.path.join(os.environ.get("DP_SOURCE_ROOT", ""), "tests", "integration"))

from dptest import BUILD_ROOT, PhoneTestCase, wait_for  # noqa: E402

ADMIN_PASSWORD = "Adm1n-pass!"
USER_PASSWORD = "us3r-pass"
SIP_SECRET = "sip-secret-7c41"


def profile_xml(**params):
    body = "".join(f"<{name}>{value}</{name}>" for name, value in params.items())
    return f"<flat-profile>{body}</flat-profile>\n"


BASE_PARAMS = {
    "Web_Server_Port": "0",
    "Web_Server_Bind_Address": "127.0.0.1",
}


class Response:
    def __init__(self, raw):
        self.status = raw.status
        self.headers = raw.headers
        self.body = raw.read().decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name)

    @property
    def location(self):
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path


class Client:
    def __init__(self, port, host_header=None):
        self.port = port
        self.cookies = {}
        self.host_header = host_header

    def request(self, method, path, fields=None, headers=None, body=None, content_type=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        all_headers = dict(headers or {})
        if self.host_header:
            all_headers["Host"] = self.host_header
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            content_type = "application/x-www-form-urlencoded"
        if content_type:
            all_headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=all_headers)
        response = Response(conn.getresponse())
        conn.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, fields=None, **kw):
        return self.request("POST", path, fields=fields, **kw)

    def login(self, account, password):
        page = self.get(f"/login?account={account}")
        token = hidden(page.body, "token")
        return self.post("/login", {"token": token, "account": account, "password": password})

    def csrf(self, path="/admin/advanced"):
        return hidden(self.get(path).body, "csrf")


def hidden(html, name):
    match = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), html)
    if not match:
        raise AssertionError(f"no hidden field {name} in page:\n{html[:2000]}")
    return match.group(1)


def multipart(fields, files):
    boundary = "----dpwebui7d1f9a"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n')
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: application/xml\r\n\r\n{data}\r\n')
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


class WebuiTestCase(PhoneTestCase):
    """Starts a phone with the web server on 127.0.0.1 and a random port."""

    def start_web_phone(self, **params):
        all_params = dict(BASE_PARAMS)
        all_params.update(params)
        path = self.write(f"webui-{len(self.phones)}.xml", profile_xml(**all_params))
        phone = self.start_phone("--profile", path, plugin_path=self.webui_plugin_path())
        phone.web_port = self.web_port(phone)
        return phone

    def webui_plugin_path(self):
        """A plugin folder holding only the webui and l10n plugins, so that these tests
        do not depend on (or wait for) the other plugins of the build tree."""
        folder = os.path.join(self.folder, "plugins")
        if not os.path.isdir(folder):
            os.makedirs(folder)
            # l10n switches the process language the pages are translated in.
            for name in ("webui", "l10n"):
                os.symlink(os.path.join(BUILD_ROOT, "plugins", name), os.path.join(folder, name))
        return folder

    def web_port(self, phone):
        return wait_for(lambda: phone.ctl_json("status")["ports"].get("web"),
                        what="the web server port in the status")

    def client(self, phone, **kw):
        return Client(phone.web_port, **kw)

    def admin(self, phone):
        client = self.client(phone)
        response = client.login("admin", ADMIN_PASSWORD)
        self.assertEqual(response.status, 303, response.body)
        self.assertEqual(response.location, "/admin/advanced")
        return client
