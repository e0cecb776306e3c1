# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for the robustness suite: process memory, a scripted faulty HTTP
server, and a loopback SIP flooder. Everything binds 127.0.0.1 only, is
bounded in time and is stopped by the test that started it.

Durations scale with DP_ROBUSTNESS_SECONDS (the length of each flood, default 10 s;
the issue asks for a minute, CI keeps the whole suite under 3 minutes)."""

import os
import random
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOOPBACK = "127.0.0.1"
FLOOD_SECONDS = float(os.environ.get("DP_ROBUSTNESS_SECONDS", "10"))


def pss_kib(pid, field="Pss"):
    """Proportional set size of a process (KiB), from smaps_rollup; with
    field="Pss_Anon" only its anonymous memory (heap, stacks: where a leak
    grows), without the shared library pages whose share moves with every
    other process on the machine that maps the same libraries."""
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/smaps_rollup")


class FaultServer:
    """HTTP on 127.0.0.1 whose paths misbehave on purpose:

    /ok/NAME          200 with the body registered in `files`
    /slow/NAME        the body of NAME, after `slow_seconds`, in small pieces
    /stall            accepts, reads the request, says nothing for
                      `stall_seconds`, then closes the connection
    /truncated/NAME   Content-Length of NAME's body, half of it sent, closed
    /status/CODE      that status with a short body
    /redirect         302 to another host (127.0.0.2)
    /huge-length      announces 17 MiB (above the 16 MiB profile limit)
    /huge-stream      no length, streams 17 MiB of profile-like text
    /trickle/NAME     the body of NAME at `trickle_bytes_per_s` (firmware)
    Every request path is recorded in `hits` with the time it arrived; the
    bytes of /trickle sent so far are in `trickled`.
    """

    def __init__(self):
        self.files = {}
        self.hits = []
        self.slow_seconds = 2.0
        self.stall_seconds = 3.0
        self.trickle_bytes_per_s = 64 * 1024
        self.trickled = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def reply(self, code, body, headers=()):
                self.send_response(code)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            def do_GET(self):
                path = self.path
                server.hits.append((path, time.monotonic()))
                try:
                    self.route(path)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            def route(self, path):
                kind, _, name = path.lstrip("/").partition("/")
                body = server.files.get(name, b"")
                if kind == "ok":
                    self.reply(200, body)
                elif kind == "slow":
                    time.sleep(server.slow_seconds)
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for i in range(0, len(body), 512):
                        self.wfile.write(body[i:i + 512])
                        self.wfile.flush()
                        time.sleep(0.01)
                elif kind == "stall":
                    time.sleep(server.stall_seconds)
                elif kind == "truncated":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[:len(body) // 2])
                elif kind == "status":
                    self.reply(int(name), b"scripted failure")
                elif kind == "redirect":
                    self.reply(302, b"", [("Location", "http://127.0.0.2:9/elsewhere.xml")])
                elif kind == "huge-length":
                    self.send_response(200)
                    self.send_header("Content-Length", str(17 * 1024 * 1024))
                    self.end_headers()
                    self.wfile.write(b"<flat-profile>" + b" " * 65536)
                elif kind == "huge-stream":
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"<flat-profile>")
                    chunk = b"<GPP_A>x</GPP_A>" * 4096
                    for _ in range(17 * 1024 * 1024 // len(chunk) + 1):
                        self.wfile.write(chunk)
                elif kind == "trickle":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    step = max(1, server.trickle_bytes_per_s // 20)
                    for i in range(0, len(body), step):
                        self.wfile.write(body[i:i + step])
                        self.wfile.flush()
                        server.trickled = i + step
                        time.sleep(0.05)
                else:
                    self.reply(404, b"not here")

        self.httpd = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://{LOOPBACK}:{self.port}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


GARBAGE = [
    b"\x00" * 64,
    b"INVITE\r\n\r\n",
    b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:1\r\n\r\n",
    b"OPTIONS sip:x SIP/2.0\r\nContent-Length: 99999999\r\n\r\nabc",
    b"REGISTER sip:\xff\xfe SIP/7.0\r\nVia: \r\nCall-ID: \r\nCSeq: x y\r\n\r\n",
    bytes(range(256)) * 4,
]


class Flooder:
    """Sends a mix of OPTIONS, INVITE + CANCEL pairs and garbage to a SIP
    UDP port at `rate` datagrams per second for `seconds`, from one socket;
    a reader ACKs every final non-2xx answer to its INVITEs (so the phone's
    transactions end instead of retransmitting for 32 s) and counts the
    responses by code.

    Each INVITE is CANCELled as RFC 3261 §9.1 requires of a client: once a
    provisional response to it has arrived, never before (a CANCEL sent
    blind can overtake an INVITE the loaded phone has not read yet; it then
    rightly gets 481 and leaves the INVITE ringing). Datagrams get lost
    both ways under the flood, so, like a client's Timer A, close()
    retransmits every INVITE whose provisional response has not been seen:
    the phone answers a retransmission with its last response again; and,
    like Timer E, it retransmits every CANCEL not answered yet."""

    def __init__(self, port, rate=300, seconds=FLOOD_SECONDS, seed=4475, mix=(0.5, 0.2, 0.3)):
        self.port = port
        self.rate = rate
        self.seconds = seconds
        self.random = random.Random(seed)
        # Shares of OPTIONS, INVITE (+ CANCEL) and garbage.
        self.options_share = mix[0] / sum(mix)
        self.invite_share = (mix[0] + mix[1]) / sum(mix)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # Room for the phone's answers while the sender hogs the GIL.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind((LOOPBACK, 0))
        self.local = self.sock.getsockname()[1]
        self.sent = {"OPTIONS": 0, "INVITE": 0, "CANCEL": 0, "garbage": 0}
        self._invites = {}   # call id -> the INVITE as sent
        self._cancels = {}   # call id -> a CANCEL not answered yet
        self.responses = {}
        self._cancelled = set()
        self._stop = False
        self._reader = threading.Thread(target=self._read, daemon=True)

    def _head(self, method, call_id, branch, cseq, to_tag=""):
        uri = f"sip:flood@{LOOPBACK}:{self.port}"
        return (f"{method} {uri} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP {LOOPBACK}:{self.local};branch={branch};rport\r\n"
                f"From: <sip:flooder@{LOOPBACK}:{self.local}>;tag=fl{call_id}\r\n"
                f"To: <{uri}>{to_tag}\r\nCall-ID: {call_id}@flood\r\n"
                f"CSeq: {cseq} {method}\r\nMax-Forwards: 70\r\n"
                f"Contact: <sip:flooder@{LOOPBACK}:{self.local}>\r\n")

    def _read(self):
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                data, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                break
            text = data.decode("utf-8", "replace")
            first, _, rest = text.partition("\r\n")
            parts = first.split(" ")
            if len(parts) < 2 or parts[0] != "SIP/2.0":
                continue
            code = parts[1]
            self.responses[code] = self.responses.get(code, 0) + 1
            if "INVITE" in _header(rest, "CSeq") and code.startswith("1"):
                call_id = _header(rest, "Call-ID").split("@")[0]
                branch = _header(rest, "Via").split("branch=")[-1].split(";")[0]
                if call_id not in self._cancelled:
                    self._cancelled.add(call_id)
                    cancel = (self._head("CANCEL", call_id, branch, 1) +
                              "Content-Length: 0\r\n\r\n").encode()
                    self._cancels[call_id] = cancel
                    self._send(cancel)
                    self.sent["CANCEL"] += 1
            if "CANCEL" in _header(rest, "CSeq") and not code.startswith("1"):
                self._cancels.pop(_header(rest, "Call-ID").split("@")[0], None)
            if "INVITE" in _header(rest, "CSeq") and code.isdigit() and int(code) >= 300:
                call_id = _header(rest, "Call-ID").split("@")[0]
                branch = _header(rest, "Via").split("branch=")[-1].split(";")[0]
                to = _header(rest, "To")
                tag = to[to.find(";tag="):] if ";tag=" in to else ""
                ack = self._head("ACK", call_id, branch, 1, tag) + "Content-Length: 0\r\n\r\n"
                self._send(ack.encode())

    def _send(self, data):
        try:
            self.sock.sendto(data, (LOOPBACK, self.port))
        except OSError:
            pass

    def run(self):
        """Floods for self.seconds (blocking); returns the counts sent."""
        self._reader.start()
        start = time.monotonic()
        n = 0
        while True:
            now = time.monotonic()
            if now - start >= self.seconds:
                break
            due = int((now - start) * self.rate)
            while n < due:
                n += 1
                kind = self.random.random()
                call_id = f"{n}x{self.random.randrange(1 << 30)}"
                branch = f"z9hG4bKfl{call_id}"
                if kind < self.options_share:
                    msg = self._head("OPTIONS", call_id, branch, 1) + "Content-Length: 0\r\n\r\n"
                    self.sent["OPTIONS"] += 1
                elif kind < self.invite_share:
                    sdp = (f"v=0\r\no=f 1 1 IN IP4 {LOOPBACK}\r\ns=-\r\nc=IN IP4 {LOOPBACK}\r\n"
                           f"t=0 0\r\nm=audio 9 RTP/AVP 0\r\n")
                    msg = (self._head("INVITE", call_id, branch, 1) +
                           f"Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}")
                    self.sent["INVITE"] += 1
                    self._invites[call_id] = msg.encode()
                else:
                    msg = self.random.choice(GARBAGE)
                    self.sent["garbage"] += 1
                self._send(msg if isinstance(msg, bytes) else msg.encode())
            time.sleep(0.002)
        return self.sent

    def close(self, linger=3.0):
        """Retransmits the INVITEs not answered provisionally yet and the
        CANCELs not answered at all (at 0.5, 1, 2 and 4 s, the steps of
        Timers A and E), keeps ACKing late final responses for `linger`
        seconds, then stops."""
        for delay in (0.5, 1.0, 2.0, 4.0):
            time.sleep(delay)
            for call_id, invite in list(self._invites.items()):
                if call_id not in self._cancelled:
                    self._send(invite)
            for cancel in list(self._cancels.values()):
                self._send(cancel)
        time.sleep(linger)
        self._stop = True
        if self._reader.is_alive():
            self._reader.join(2)
        self.sock.close()


def _header(text, name):
    for line in text.split("\r\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return ""
