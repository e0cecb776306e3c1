# SPDX-License-Identifier: GPL-2.0-or-later
"""Fixtures for the provisioning integration tests and the bench: a test PKI
made with certtool, nginx with mutual TLS (several server certificates),
tftpd-hpa, and an in-process recording HTTP server. Everything listens on
127.0.0.1 only, on free ports, and is stopped by its own pid."""

import base64
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.environ.get("DP_SOURCE_ROOT", ""), "tests", "integration"))
import dptest  # noqa: E402
import peers  # noqa: E402


def tool(name):
    for folder in os.environ.get("PATH", "").split(":") + ["/usr/sbin", "/sbin"]:
        path = os.path.join(folder, name)
        if os.access(path, os.X_OK):
            return path
    raise unittest_skip(f"{name} is not installed")


def unittest_skip(message):
    import unittest
    return unittest.SkipTest(message)


def free_port(kind=socket.SOCK_STREAM):
    """A port for a server this test starts: outside the ephemeral range
    (peers.free_port), so that a daemon binding port 0 or an outgoing
    connection of a test running in parallel cannot take it before the
    server binds it."""
    return peers.free_port("udp" if kind == socket.SOCK_DGRAM else "tcp")


def run(*argv, cwd=None, input=None):
    result = subprocess.run(list(argv), cwd=cwd, capture_output=True, input=input)
    if result.returncode != 0:
        raise AssertionError(f"{argv[0]} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout


class Pki:
    """CA, another CA, server certificates (good, other CA, expired, wrong
    host), a client certificate from the CA, and SPKI pins."""

    CA = 'cn = "Deskphone Test CA"\nca\ncert_signing_key\nexpiration_days = 30\n'
    OTHER_CA = 'cn = "Some Other CA"\nca\ncert_signing_key\nexpiration_days = 30\n'
    SERVER = ('cn = "localhost"\ndns_name = "localhost"\nip_address = "127.0.0.1"\n'
              'tls_www_server\nsigning_key\nencryption_key\nexpiration_days = 30\n')
    EXPIRED = ('cn = "localhost"\ndns_name = "localhost"\nip_address = "127.0.0.1"\n'
               'tls_www_server\nsigning_key\nencryption_key\n'
               'activation_date = "2019-01-01 00:00:00"\nexpiration_date = "2020-01-01 00:00:00"\n')
    WRONG_HOST = ('cn = "prov.example.net"\ndns_name = "prov.example.net"\n'
                  'tls_www_server\nsigning_key\nencryption_key\nexpiration_days = 30\n')
    CLIENT = ('cn = "SPA-962"\nunit = "SPA-962"\nlocality = "88012BA01234"\n'
              'state = "000e08aabbcc"\ntls_www_client\nsigning_key\nexpiration_days = 30\n')

    def __init__(self, folder):
        self.folder = folder
        self.certtool = tool("certtool")
        os.makedirs(folder, exist_ok=True)
        self.make("ca", self.CA)
        self.make("other-ca", self.OTHER_CA)
        self.make("server", self.SERVER, "ca")
        self.make("other-server", self.SERVER, "other-ca")
        self.make("expired", self.EXPIRED, "ca")
        self.make("wrong-host", self.WRONG_HOST, "ca")
        self.make("client", self.CLIENT, "ca")

    def path(self, name):
        return os.path.join(self.folder, name)

    def make(self, name, template, ca=None):
        run(self.certtool, "--generate-privkey", "--key-type=ecdsa",
            "--outfile", self.path(name + ".key"))
        with open(self.path(name + ".tmpl"), "w") as f:
            f.write(template)
        if ca is None:
            run(self.certtool, "--generate-self-signed", "--load-privkey", self.path(name + ".key"),
                "--template", self.path(name + ".tmpl"), "--outfile", self.path(name + ".pem"))
        else:
            run(self.certtool, "--generate-certificate", "--load-privkey", self.path(name + ".key"),
                "--load-ca-certificate", self.path(ca + ".pem"),
                "--load-ca-privkey", self.path(ca + ".key"),
                "--template", self.path(name + ".tmpl"), "--outfile", self.path(name + ".pem"))

    def pin(self, name):
        """SHA-256 of the SubjectPublicKeyInfo, base64 (HPKP form)."""
        der = run(tool("openssl"), "pkey", "-in", self.path(name + ".key"), "-pubout",
                  "-outform", "DER")
        return base64.b64encode(hashlib.sha256(der).digest()).decode()

    def install(self, state_dir, client=True):
        """The phone side: the CA as prov-ca.pem, the device certificate."""
        os.makedirs(state_dir, exist_ok=True)
        shutil.copy(self.path("ca.pem"), os.path.join(state_dir, "prov-ca.pem"))
        if client:
            shutil.copy(self.path("client.pem"), os.path.join(state_dir, "client.pem"))
            shutil.copy(self.path("client.key"), os.path.join(state_dir, "client.key"))


def wait_tcp(port, process, what, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise AssertionError(f"{what} did not listen on {port}")


class Nginx:
    """nginx serving `www` over mutual TLS with each server certificate and
    over plain HTTP. ports: name → port."""

    def __init__(self, folder, pki, names=("server", "other-server", "expired", "wrong-host")):
        self.folder = folder
        self.www = os.path.join(folder, "www")
        os.makedirs(self.www, exist_ok=True)
        tmp = os.path.join(folder, "nginx-tmp")
        os.makedirs(tmp, exist_ok=True)
        self.ports = {name: free_port() for name in names}
        self.ports["http"] = free_port()
        self.access_log = os.path.join(folder, "nginx-access.log")
        blocks = []
        for name in names:
            blocks.append(f"""  server {{
    listen 127.0.0.1:{self.ports[name]} ssl;
    ssl_certificate {pki.path(name + '.pem')};
    ssl_certificate_key {pki.path(name + '.key')};
    ssl_client_certificate {pki.path('ca.pem')};
    ssl_verify_client on;
    root {self.www};
  }}
""")
        conf = f"""daemon off;
master_process off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log info;
events {{ worker_connections 64; }}
http {{
  access_log {self.access_log};
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  default_type application/octet-stream;
  ssl_session_tickets off;
  ssl_session_cache off;
{''.join(blocks)}  server {{
    listen 127.0.0.1:{self.ports['http']};
    root {self.www};
  }}
}}
"""
        conf_path = os.path.join(folder, "nginx.conf")
        with open(conf_path, "w") as f:
            f.write(conf)
        self.process = subprocess.Popen(
            [tool("nginx"), "-p", folder, "-c", conf_path, "-e", os.path.join(folder, "nginx-error.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for port in self.ports.values():
            wait_tcp(port, self.process, "nginx")

    def put(self, name, data):
        path = os.path.join(self.www, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        return path

    def url(self, name, path):
        scheme = "http" if name == "http" else "https"
        host = "127.0.0.1" if name == "http" else "localhost"
        return f"{scheme}://{host}:{self.ports[name]}/{path.lstrip('/')}"

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class Tftpd:
    def __init__(self, folder):
        self.root = os.path.join(folder, "tftp")
        os.makedirs(self.root, exist_ok=True)
        self.port = free_port(socket.SOCK_DGRAM)
        self.process = subprocess.Popen(
            [tool("in.tftpd"), "-L", "-a", f"127.0.0.1:{self.port}", "-s", self.root],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.2)
        if self.process.poll() is not None:
            raise AssertionError("in.tftpd did not start")

    def put(self, name, data):
        with open(os.path.join(self.root, name), "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class Recorder:
    """An HTTP server in this process: serves `files` (path → bytes or a
    function of the request body), answers 404 otherwise, and records every
    request as (monotonic time, method, path, headers, body). Paths under
    /auth/ need HTTP Basic prov:s3cret."""

    def __init__(self):
        self.files = {}
        self.requests = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def handle(self):
                try:
                    super().handle()
                except ConnectionError:
                    pass  # a client that gave up (refused credentials, timeout)

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorder.requests.append((time.monotonic(), self.command, self.path,
                                          dict(self.headers), body))
                if self.path.startswith("/auth/") and \
                        self.headers.get("Authorization") != "Basic " + base64.b64encode(
                            b"prov:s3cret").decode():
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="prov"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                content = recorder.files.get(self.path)
                if callable(content):
                    content = content(body)
                if content is None:
                    code, content = 404, b"not found"
                else:
                    code = 200
                if isinstance(content, str):
                    content = content.encode()
                self.send_response(code)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = handle_any
            do_POST = handle_any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def hits(self, path):
        return [r for r in self.requests if r[2] == path]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def flat(**values):
    """A flat-profile XML document."""
    body = "".join(f"<{k}>{v}</{k}>" for k, v in values.items())
    return f"<flat-profile>{body}</flat-profile>\n"


class ProvPhoneTestCase(dptest.PhoneTestCase):
    """A phone with a known identity (device.ini) in accelerated time."""

    TIME_SCALE = "0.01"

    def setUp(self):
        super().setUp()
        os.environ["DESKPHONE_TIME_SCALE"] = self.TIME_SCALE
        self.state_dir = os.path.join(self.folder, "state")
        os.makedirs(self.state_dir, exist_ok=True)
        with open(os.path.join(self.state_dir, "device.ini"), "w") as f:
            f.write("[Device]\nMac=00:0e:08:aa:bb:cc\nSerial=88012BA01234\n")

    def boot(self, **params):
        """Starts the phone with a start-up profile of params."""
        path = self.write("boot.xml", flat(**params))
        return self.start_phone("--profile", path)

    def prov(self, phone):
        return phone.ctl_json("status")["provisioning"]

    def wait_result(self, phone, after=None, timeout=20):
        """Waits until a resync ended after `after` (a last_time value) and
        no resync runs; returns the provisioning status."""
        def done():
            p = self.prov(phone)
            if p["state"] == "resyncing" or p["last_time"] is None or p["last_time"] == after:
                return None
            return p
        return dptest.wait_for(done, timeout=timeout, what="resync result")

    def resync(self, phone, url=""):
        before = self.prov(phone)["last_time"]
        result = phone.ctl("resync", *([url] if url else []))
        self.assertEqual(result.returncode, 0, result.stderr)
        return self.wait_result(phone, after=before)
