#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Test HTTP server for test-prov-transport (stdlib only, 127.0.0.1 only).

Started by the test as a child; prints "PORT <n>" once listening and serves
until SIGTERM. Paths:
  /echo            any method: 200, body = method, User-Agent, Content-Type,
                   then the request body, each on its own line
  /digest/<x>      HTTP Digest (MD5, qop=auth), realm "prov", user "duser",
                   password "dpass"; 200 "digest ok <x>" when authorised
  /slow            answers after 30 s (for timeouts)
  /nolength/<n>    200 with n bytes and no Content-Length (connection close)
  /redirect        302 to http://127.0.0.1:1/elsewhere
  /status/<code>   that status
"""
import hashlib
import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REALM = "prov"
USER = "duser"
PASSWORD = "dpass"
NONCE = os.urandom(16).hex()


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def parse_digest(header):
    fields = {}
    rest = header[len("Digest "):]
    for part in rest.split(","):
        if "=" not in part:
            continue
        key, value = part.strip().split("=", 1)
        fields[key.strip()] = value.strip().strip('"')
    return fields


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("servers.py: " + (fmt % args) + "\n")

    def reply(self, code, body, headers=()):
        self.send_response(code)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def digest_ok(self):
        header = self.headers.get("Authorization") or ""
        if not header.startswith("Digest "):
            return False
        f = parse_digest(header)
        if f.get("username") != USER or f.get("nonce") != NONCE:
            return False
        ha1 = md5(f"{USER}:{REALM}:{PASSWORD}")
        ha2 = md5(f"{self.command}:{f.get('uri', '')}")
        if f.get("qop") == "auth":
            expected = md5(f"{ha1}:{NONCE}:{f.get('nc')}:{f.get('cnonce')}:auth:{ha2}")
        else:
            expected = md5(f"{ha1}:{NONCE}:{ha2}")
        return f.get("response") == expected and f.get("uri") == self.path

    def handle_any(self):
        data = self.body()
        path = self.path
        if path == "/echo":
            text = "\n".join([self.command, self.headers.get("User-Agent") or "",
                              self.headers.get("Content-Type") or ""]).encode() + b"\n" + data
            self.reply(200, text)
        elif path.startswith("/digest/"):
            if self.digest_ok():
                self.reply(200, b"digest ok " + path[8:].encode())
            else:
                challenge = f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth", algorithm=MD5'
                self.reply(401, b"unauthorised", [("WWW-Authenticate", challenge)])
        elif path == "/slow":
            time.sleep(30)
            self.reply(200, b"late")
        elif path.startswith("/nolength/"):
            count = int(path[10:])
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"x" * 65536
            while count > 0:
                piece = chunk[:count]
                try:
                    self.wfile.write(piece)
                except OSError:
                    break
                count -= len(piece)
            self.close_connection = True
        elif path == "/redirect":
            self.reply(302, b"", [("Location", "http://127.0.0.1:1/elsewhere")])
        elif path.startswith("/status/"):
            self.reply(int(path[8:]), b"scripted status")
        else:
            self.reply(404, b"not here")

    do_GET = handle_any
    do_POST = handle_any


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
