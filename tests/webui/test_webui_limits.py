# SPDX-License-Identifier: GPL-2.0-or-later
"""HTTP tests of the web UI's request limits (dp-webui-server.h, "Request
limits"): bodies over 64 KiB (16 MiB for the profile import) are refused
with 413 before the body is read, oversized header blocks with 431, the
number of sessions is bounded, form values that are not UTF-8 are refused
with 400 naming the field, idle connections are closed and the connections
of one client are capped (dp-webui-conn.h) — and the phone keeps serving
after each."""

import os
import socket
import time
import unittest
import urllib.parse

from webuitest import (ADMIN_PASSWORD, USER_PASSWORD, WebuiTestCase, hidden, multipart,
                       profile_xml)

FORM_LIMIT = 64 * 1024
IMPORT_LIMIT = 16 * 1024 * 1024
IDLE_TIMEOUT_S = 15           # DP_WEBUI_IDLE_TIMEOUT_S
MAX_PER_CLIENT = 16           # DP_WEBUI_MAX_CONNECTIONS_PER_CLIENT


def closed_by_server(sock, timeout):
    """True when the server ends the connection (EOF or reset) within
    `timeout` seconds without answering anything."""
    sock.settimeout(timeout)
    try:
        return sock.recv(4096) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def raw_request(port, head, body=b"", timeout=10):
    """Sends @head (and @body), returns (status, text of the answer). The
    connection may be reset by the server once it has answered."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        try:
            if body:
                sock.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except ConnectionResetError:
            pass
    text = data.decode("utf-8", "replace")
    status = int(text.split(" ", 2)[1]) if text.startswith("HTTP/1.") else None
    return status, text


class WebuiLimitsTest(WebuiTestCase):

    def setUp(self):
        super().setUp()
        self.phone = self.start_web_phone(Admin_Passwd=ADMIN_PASSWORD,
                                          User_Password=USER_PASSWORD)
        self.port = self.phone.web_port

    def head(self, method, path, headers=(), cookies=None):
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Connection: close"]
        lines += list(headers)
        if cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def assert_still_serving(self):
        self.assertEqual(self.client(self.phone).get("/login").status, 200)

    def test_idle_connections_are_closed(self):
        silent = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        slow = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        self.addCleanup(silent.close)
        self.addCleanup(slow.close)
        # A request line and half a header block, then nothing: slow-loris.
        slow.sendall(f"GET /login HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nX-Slow: ".encode())
        # Well before the timeout both are still open ...
        time.sleep(2)
        self.assertFalse(closed_by_server(silent, 0.1))
        self.assertFalse(closed_by_server(slow, 0.1))
        # ... and the phone serves others meanwhile; then both are closed.
        self.assert_still_serving()
        self.assertTrue(closed_by_server(silent, IDLE_TIMEOUT_S + 15))
        self.assertTrue(closed_by_server(slow, 5))
        self.assert_still_serving()

    def test_finished_connections_are_closed(self):
        # Every response closes its connection, so many requests in a row
        # neither leave sockets behind nor run into the per-client cap.
        def sockets():
            fd_dir = f"/proc/{self.phone.process.pid}/fd"
            return sum(1 for fd in os.listdir(fd_dir)
                       if os.readlink(os.path.join(fd_dir, fd)).startswith("socket:"))
        client = self.client(self.phone)
        self.assertEqual(client.get("/login").status, 200)
        before = sockets()
        for _ in range(3 * MAX_PER_CLIENT):
            response = client.get("/login")
            self.assertEqual(response.status, 200)
            self.assertEqual(response.headers.get("Connection"), "close")
        self.assertLessEqual(sockets(), before + 1)
        self.assertNotIn("refused", self.phone.read_log())

    def test_connections_of_one_client_are_capped(self):
        held = []
        for _ in range(MAX_PER_CLIENT):
            held.append(socket.create_connection(("127.0.0.1", self.port), timeout=5))
            self.addCleanup(held[-1].close)
        extra = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        self.addCleanup(extra.close)
        self.assertTrue(closed_by_server(extra, 10))
        self.assertRegex(self.phone.read_log(),
                         rf"web connection from 127\.0\.0\.1 refused: {MAX_PER_CLIENT} open from it")
        # The held ones were not harmed: one of them still gets its page.
        held[0].sendall(self.head("GET", "/login"))
        held[0].settimeout(10)
        self.assertTrue(held[0].recv(4096).startswith(b"HTTP/1.1 200"))
        for sock in held:
            sock.close()
        # Once the phone has seen them go, the client may connect again.
        deadline = time.monotonic() + 10
        while True:
            try:
                status, _ = raw_request(self.port, self.head("GET", "/login"), timeout=5)
            except OSError:
                status = None
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(status, 200)

    def test_content_length_over_the_limit_is_refused_before_the_body(self):
        admin = self.admin(self.phone)
        # Only the headers are sent: an answer proves the body was not awaited.
        for path, limit in (("/admin/import", IMPORT_LIMIT), ("/admin/submit", FORM_LIMIT),
                            ("/login", FORM_LIMIT), ("/submit", FORM_LIMIT)):
            head = self.head("POST", path, ["Content-Type: application/x-www-form-urlencoded",
                                            f"Content-Length: {limit + 1}"], admin.cookies)
            status, text = raw_request(self.port, head)
            self.assertEqual(status, 413, (path, text))
            self.assertIn(f"larger than the limit of {limit} bytes", text)
            self.assertIn("Connection: close", text)
        # A huge body actually being sent is cut off as well.
        head = self.head("POST", "/login", ["Content-Type: application/x-www-form-urlencoded",
                                            "Content-Length: 100000000"])
        status, _ = raw_request(self.port, head, b"a" * (4 * 1024 * 1024))
        self.assertEqual(status, 413)
        self.assert_still_serving()

    def test_chunked_body_over_the_limit_is_cut_off(self):
        chunk = b"%x\r\n%s\r\n" % (16384, b"x" * 16384)
        head = self.head("POST", "/login", ["Content-Type: application/x-www-form-urlencoded",
                                            "Transfer-Encoding: chunked"])
        status, text = raw_request(self.port, head, chunk * 8 + b"0\r\n\r\n")
        self.assertEqual(status, 413, text)
        self.assertIn(f"larger than {FORM_LIMIT} bytes", text)
        # Under the limit a chunked form is read as usual (and refused for
        # its missing login token, not for its size).
        status, text = raw_request(self.port, head, chunk + b"0\r\n\r\n")
        self.assertEqual(status, 403, text)
        self.assert_still_serving()

    def test_bodies_under_the_limits_work(self):
        admin = self.admin(self.phone)
        csrf = admin.csrf()
        # A form just under 64 KiB, padded with a field that is no parameter.
        padding = "x" * (FORM_LIMIT - 200)
        response = admin.post("/admin/submit", {"csrf": csrf, "view": "advanced",
                                                "Max_Forward": "41", "csrf_pad": padding})
        # The padding field is not a parameter: refused as a forged field, by
        # the form logic (400), not by the size limit (413).
        self.assertEqual(response.status, 400)
        self.assertIn("csrf_pad", response.body)
        response = admin.post("/admin/submit", {"csrf": csrf, "view": "advanced", "Max_Forward": "41"})
        self.assertEqual(response.status, 303)
        self.assertEqual(self.phone.get("Max_Forward"), "41")
        # A profile import of 1 MiB is above the form limit and accepted.
        profile = profile_xml(Max_Forward="37").replace("<flat-profile>",
                                                        "<flat-profile>" + " " * (1024 * 1024))
        body, ctype = multipart({"csrf": csrf}, {"profile": ("big.xml", profile)})
        self.assertGreater(len(body), FORM_LIMIT)
        response = admin.request("POST", "/admin/import", body=body, content_type=ctype)
        self.assertEqual(response.status, 200, response.body[:500])
        self.assertEqual(self.phone.get("Max_Forward"), "37")

    def test_header_limits(self):
        many = [f"X-Filler-{i}: {i}" for i in range(100)]
        status, text = raw_request(self.port, self.head("GET", "/login", many))
        self.assertEqual(status, 431, text)
        self.assertIn("limit is 64 fields", text)
        status, text = raw_request(self.port, self.head("GET", "/login", ["X-Big: " + "b" * 20000]))
        self.assertEqual(status, 431, text)
        # Beyond libsoup's own 64 KiB header buffer the connection is dropped.
        status, _ = raw_request(self.port, self.head("GET", "/login", ["X-Huge: " + "h" * 200000]))
        self.assertIn(status, (None, 400, 431))
        status, _ = raw_request(self.port, self.head("GET", "/login", many[:40]))
        self.assertEqual(status, 200)
        self.assert_still_serving()

    def test_sessions_are_bounded(self):
        first = self.client(self.phone)
        self.assertEqual(first.login("user", USER_PASSWORD).status, 303)
        self.assertEqual(first.get("/").status, 200)
        clients = [first]
        for _ in range(32):
            client = self.client(self.phone)
            self.assertEqual(client.login("user", USER_PASSWORD).status, 303)
            clients.append(client)
        # 33 logins, 32 sessions: the one idle longest (the first) is gone.
        response = first.get("/")
        self.assertEqual(response.status, 303)
        self.assertEqual(response.location, "/login")
        for client in clients[1:]:
            self.assertEqual(client.get("/").status, 200)

    def test_non_utf8_form_values_are_refused(self):
        user = self.client(self.phone)
        self.assertEqual(user.login("user", USER_PASSWORD).status, 303)
        csrf = user.csrf("/")
        body = urllib.parse.urlencode({"csrf": csrf}) + "&Speed_Dial_2=555%FF%FE1"
        response = user.request("POST", "/submit", body=body,
                                content_type="application/x-www-form-urlencoded")
        self.assertEqual(response.status, 400)
        self.assertIn("Speed_Dial_2: the value is not valid UTF-8 (byte 3)", response.body)
        self.assertEqual(self.phone.get("Speed_Dial_2"), "")
        # A bad field name is named (escaped) as well.
        body = urllib.parse.urlencode({"csrf": csrf, "Speed_Dial_2": "5"}) + "&na%E9me=1"
        response = user.request("POST", "/submit", body=body,
                                content_type="application/x-www-form-urlencoded")
        self.assertEqual(response.status, 400)
        self.assertIn("is not valid UTF-8", response.body)
        self.assertEqual(self.phone.get("Speed_Dial_2"), "")
        # The same form with a valid value goes through.
        response = user.post("/submit", {"csrf": csrf, "Speed_Dial_2": "5551234"})
        self.assertEqual(response.status, 303, response.body)
        self.assertEqual(self.phone.get("Speed_Dial_2"), "5551234")
        # The login form too: a Latin-1 password is refused before any check.
        page = self.client(self.phone)
        token = hidden(page.get("/login?account=admin").body, "token")
        body = urllib.parse.urlencode({"token": token, "account": "admin"}) + "&password=p%E4ss"
        response = page.request("POST", "/login", body=body,
                                content_type="application/x-www-form-urlencoded")
        self.assertEqual(response.status, 400)
        self.assertIn("password: the value is not valid UTF-8", response.body)
        self.assertNotIn("dp_session", page.cookies)


if __name__ == "__main__":
    unittest.main(verbosity=2)
