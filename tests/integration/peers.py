# SPDX-License-Identifier: GPL-2.0-or-later
"""Real SIP peers for the integration tests: a kamailio registrar/proxy, baresip
user agents driven over ctrl_tcp, and sipp scenarios, plus raw SIP helpers
(a small message parser and UDP/TCP senders) for torture-style tests.

Everything binds 127.0.0.1 only, on free ports found by binding port 0 first.
Every process is started with Popen in its own session and stopped by its
pid (the session leader's process group for kamailio's forked workers) in
stop(); every wait is bounded; every log stays in the test's temp folder so
failure messages can quote it.

Quirks found while writing these (Debian 12: kamailio 5.6.3, baresip 1.0.0,
sipp 3.6.1):
- baresip 1.0 sends RTP from the address of `net_interface`; it must name the
  address (127.0.0.1): the name `lo` fails ("could not get IPv4 address").
- baresip's `ausine` source only runs at 48 kHz, so a G.711 call fails to
  start its source and the call is closed. We generate a WAV at the codec's
  rate and play it with `aufile` (which reads the whole file up front: make
  it longer than the call).
- ctrl_tcp accepts one connection; messages are netstrings `LEN:JSON,` in both
  directions; responses are {"response":true,"ok":..,"data":..,"token":..}
  and events {"event":true,"class":..,"type":..,"param":..,"id":..,
  "direction":..,"peeruri":..}. In-call commands (hold, resume, transfer,
  sndcode, ...) only exist while a call exists; `accept` answers.
- baresip 1.0 reports no event when the far end puts it on hold; the SIP
  trace (`-s`, parsed by Baresip.sip_trace()) shows the re-INVITE and its SDP
  direction instead.
- Events are not queued for a ctrl_tcp client that is not connected yet, so
  the account is created with `uanew` after connecting (else the first
  REGISTER_OK/REGISTER_FAIL is lost).
- kamcmd sends an argument that looks like a number as an integer: user
  names must be passed as `s:1001`. It exits 0 even on RPC errors, printing
  "error: ..." instead.
- kamailio without a database: passwords live in an htable filled in
  `event_route[htable:mod-init]` and checked with pv_www_authenticate();
  `htable.sets` over RPC changes one at run time.
"""

import json
import math
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
import wave

LOOPBACK = "127.0.0.1"
KAMAILIO_MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules"
BARESIP_MODULES = "/usr/lib/baresip/modules"


class PeerError(AssertionError):
    """A peer failed to start, answer or stop in time; the message quotes its log."""


def wait_until(condition, timeout=10.0, interval=0.05, what="condition"):
    """Polls condition() until it returns a true value, which is returned;
    raises PeerError naming `what` (a text, or a callable giving one, e.g. to
    quote a log as it is at that moment) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            if callable(what):
                what = what()
            raise PeerError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


# Ports (and RTP ranges) already handed out by this process.
_handed_out = set()
_handed_lock = threading.Lock()
_random = random.SystemRandom()


def _ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(x) for x in f.read().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999


def _candidate_range(span):
    """Where free_port() draws from: below the kernel's ephemeral range (or
    above it when there is no room below). Port-0 binds (deskphoned's
    SIP_Port 0, every probe socket, outgoing TCP connections) only ever get
    ephemeral ports, so a port from here cannot be taken by one of those
    between the check and the child's bind; and a random draw from some ten
    thousand ports makes two test processes running in parallel picking the
    same one in that window unlikely (the peers' start() retries on
    EADDRINUSE for the rest). 16384-16482 (the SPA's default RTP range) and
    the privileged ports are left alone."""
    low, high = _ephemeral_range()
    if low - 20000 >= 2000:
        return 20000, low - span
    return high + 1, 65535 - span


def _bindable(port, kind):
    with socket.socket(socket.AF_INET,
                       socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM) as probe:
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def free_port(kind="udp", span=1):
    """A port free on 127.0.0.1 for kind "udp", "tcp" or "both" (the same
    number free for UDP and TCP, as SIP listeners need), drawn at random
    outside the ephemeral range (see _candidate_range()). With span > 1 the
    `span` ports from the returned one on are reserved too (an RTP range,
    checked for UDP). A port is never handed out twice by one process."""
    if kind not in ("udp", "tcp", "both"):
        raise ValueError(f"free_port: kind must be udp, tcp or both, not {kind!r}")
    first, last = _candidate_range(span)
    kinds = ("udp", "tcp") if kind == "both" else (kind,)
    for _ in range(200):
        port = _random.randrange(first, last + 1)
        wanted = set(range(port, port + span))
        with _handed_lock:
            if wanted & _handed_out:
                continue
        if not all(_bindable(port, k) for k in kinds):
            continue
        if span > 1 and not all(_bindable(p, "udp") for p in range(port + 1, port + span)):
            continue
        with _handed_lock:
            if wanted & _handed_out:
                continue
            _handed_out.update(wanted)
        return port
    raise PeerError(f"no free {kind} port (span {span}) in {first}-{last} after 200 tries")


def address_in_use(log_text):
    """Whether a peer's log says it could not bind its address."""
    return re.search(r"(?i)address already in use|EADDRINUSE|bind\(\).*failed|"
                     r"cannot bind|could not bind|unable to bind", log_text) is not None


def port_is_free(port, kind="udp"):
    family = socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM
    with socket.socket(socket.AF_INET, family) as probe:
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def tail(path, lines=60):
    """The last lines of a log file, for failure messages."""
    try:
        with open(path, errors="replace") as f:
            text = f.read()
    except OSError as error:
        return f"(no log at {path}: {error})"
    return "\n".join(text.splitlines()[-lines:])


class _Process:
    """A child process with its log file, stopped by pid."""

    def __init__(self, name, folder):
        self.name = name
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self.log_path = os.path.join(folder, f"{name}.log")
        self.process = None
        self._log = None

    def _spawn(self, argv, cwd=None, env=None):
        if self.running():
            raise PeerError(f"{self.name} is already running (pid {self.process.pid})")
        self._log = open(self.log_path, "a")
        self._log.write(f"==== {time.strftime('%H:%M:%S')} {' '.join(argv)}\n")
        self._log.flush()
        # Own session: kamailio's workers share the leader's process group, so
        # a SIGKILL fallback can reach them through the leader's pid.
        self.process = subprocess.Popen(argv, cwd=cwd or self.folder, env=env,
                                        stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def running(self):
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def stop(self, timeout=5.0):
        """SIGTERM, then SIGKILL to the process group after `timeout`.
        Returns the exit status (None if never started)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._kill_group()
        else:
            # The leader is gone; workers of a forking server may remain.
            self._kill_group()
        if self._log:
            self._log.close()
            self._log = None
        return self.process.returncode

    def _kill_group(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def log(self):
        if self._log:
            self._log.flush()
        return tail(self.log_path, 10**6)

    def _spawn_log(self):
        """The log written since the last _spawn()."""
        text = self.log()
        marker = text.rfind("\n==== ")
        return text[marker:] if marker >= 0 else text

    def _port_clash(self):
        """Whether the child exited because its address was taken (errno 98,
        EADDRINUSE, as baresip's exit status, or a bind error in its log)."""
        if self.process is None or self.process.poll() is None:
            return False
        return self.process.returncode == 98 or address_in_use(self._spawn_log())

    def _start_retrying(self, start_once, repick, attempts=3):
        """Runs start_once(); when the child died of a port clash (another
        test process took the port between free_port() and the child's bind)
        and repick() can choose new ports (it returns False when the port was
        given by the caller), stops it and tries again."""
        for attempt in range(attempts):
            try:
                return start_once()
            except PeerError:
                if attempt == attempts - 1 or not self._port_clash():
                    raise
                self.stop()
                if not repick():
                    raise
                with open(self.log_path, "a") as f:
                    f.write(f"==== port clash: retrying on new ports (attempt {attempt + 2})\n")

    def _check_alive(self, what):
        if not self.running():
            code = self.process.returncode if self.process else None
            raise PeerError(f"{self.name} exited ({code}) while {what}; log:\n"
                            + tail(self.log_path))


# ---------------------------------------------------------------------------
# SIP messages: just enough parsing to judge responses in tests.

_COMPACT = {"i": "call-id", "m": "contact", "e": "content-encoding", "l": "content-length",
            "c": "content-type", "f": "from", "s": "subject", "k": "supported", "t": "to",
            "v": "via", "o": "event", "r": "refer-to", "u": "allow-events"}


class SipMessage:
    """A parsed SIP message (tolerant: meant for test assertions, not for
    validating). Header names are lower-case long forms; values keep order."""

    def __init__(self, start_line, headers, body):
        self.start_line = start_line
        self.headers = headers
        self.body = body
        parts = start_line.split(" ", 2)
        self.is_response = start_line.startswith("SIP/")
        self.status = None
        self.reason = None
        self.method = None
        self.uri = None
        if self.is_response:
            try:
                self.status = int(parts[1])
            except (IndexError, ValueError):
                self.status = None
            self.reason = parts[2] if len(parts) > 2 else ""
        else:
            self.method = parts[0]
            self.uri = parts[1] if len(parts) > 1 else None

    @classmethod
    def parse(cls, data):
        """Parses one message from bytes or str (header section up to the
        first empty line, unfolded; body is the rest)."""
        if isinstance(data, bytes):
            data = data.decode("utf-8", errors="replace")
        head, _, body = data.replace("\r\n", "\n").partition("\n\n")
        lines = head.split("\n")
        headers = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and headers:
                name, value = headers[-1]
                headers[-1] = (name, value + " " + line.strip())
                continue
            name, sep, value = line.partition(":")
            if not sep:
                continue
            name = name.strip().lower()
            headers.append((_COMPACT.get(name, name), value.strip()))
        return cls(lines[0].strip(), headers, body)

    def header(self, name, default=None):
        """First value of a header (compact forms accepted)."""
        name = _COMPACT.get(name.lower(), name.lower())
        for key, value in self.headers:
            if key == name:
                return value
        return default

    def all(self, name):
        name = _COMPACT.get(name.lower(), name.lower())
        return [value for key, value in self.headers if key == name]

    @property
    def call_id(self):
        return self.header("call-id")

    @property
    def cseq(self):
        """(number, METHOD) or None."""
        value = self.header("cseq")
        match = re.match(r"\s*(\d+)\s+(\S+)", value or "")
        return (int(match.group(1)), match.group(2)) if match else None

    def sdp_direction(self):
        """sendrecv/sendonly/recvonly/inactive of the first audio stream, or None
        without SDP; a c= 0.0.0.0 (RFC 2543 hold) reads as "inactive"."""
        if "v=0" not in self.body:
            return None
        direction = "sendrecv"
        for line in self.body.split("\n"):
            line = line.strip()
            if line in ("a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive"):
                direction = line[2:]
            if line.startswith("c=IN IP4 0.0.0.0"):
                return "inactive"
        return direction

    def __repr__(self):
        return f"<SipMessage {self.start_line!r}>"


def split_stream(buffer):
    """Splits complete messages off a stream buffer by Content-Length.
    Returns (messages as bytes, rest)."""
    messages = []
    while True:
        buffer = buffer.lstrip(b"\r\n")
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            return messages, buffer
        head = buffer[:end].decode("utf-8", errors="replace")
        match = re.search(r"(?im)^(?:content-length|l)\s*:\s*(\d+)", head)
        length = int(match.group(1)) if match else 0
        total = end + 4 + length
        if len(buffer) < total:
            return messages, buffer
        messages.append(buffer[:total])
        buffer = buffer[total:]


def options_request(target_host, target_port, local_port, transport="UDP", call_id=None,
                    cseq=1, user=None):
    """A plain, valid OPTIONS to target from 127.0.0.1:local_port (with rport,
    so replies come back to the sending socket)."""
    call_id = call_id or f"probe-{time.monotonic_ns()}@{LOOPBACK}"
    branch = f"z9hG4bK{time.monotonic_ns():x}{os.getpid():x}"
    ruri = f"sip:{user + '@' if user else ''}{target_host}:{target_port}"
    return (f"OPTIONS {ruri} SIP/2.0\r\n"
            f"Via: SIP/2.0/{transport} {LOOPBACK}:{local_port};branch={branch};rport\r\n"
            f"Max-Forwards: 70\r\n"
            f"From: <sip:probe@{LOOPBACK}:{local_port}>;tag=p{time.monotonic_ns():x}\r\n"
            f"To: <{ruri}>\r\n"
            f"Call-ID: {call_id}\r\n"
            f"CSeq: {cseq} OPTIONS\r\n"
            f"Accept: application/sdp\r\n"
            f"Content-Length: 0\r\n\r\n").encode()


class UdpSipSocket:
    """A UDP socket on 127.0.0.1 that sends raw datagrams and collects every
    SIP message that arrives (in a reader thread), with its arrival time."""

    def __init__(self, port=0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((LOOPBACK, port))
        self.port = self.sock.getsockname()[1]
        self.received = []          # (monotonic time, SipMessage, raw bytes, source)
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        self.sock.settimeout(0.2)
        while not self._closed:
            try:
                data, source = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            with self._cond:
                self.received.append((time.monotonic(), SipMessage.parse(data), data, source))
                self._cond.notify_all()

    def send(self, data, host, port):
        """Sends one datagram; returns the time taken just before sending (a
        reply may be recorded by the reader thread before sendto() returns
        here, so a time taken afterwards could make messages_since() miss it)."""
        sent_at = time.monotonic()
        self.sock.sendto(data, (host, port))
        return sent_at

    def wait_for(self, predicate, since=0.0, timeout=2.0):
        """First message received after `since` for which predicate(msg) holds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for arrived, message, _, _ in self.received:
                    if arrived >= since and predicate(message):
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)

    def messages_since(self, since):
        with self._cond:
            return [m for t, m, _, _ in self.received if t >= since]

    def close(self):
        self._closed = True
        self.sock.close()
        self._thread.join(timeout=2)


class RawRegistrar:
    """A scripted UDP registrar/peer on 127.0.0.1 for edge cases a real
    registrar will not produce: it answers every request with `status`
    (REGISTER 2xx echo the Contact with an expires), with Retry-After when
    given, and can report a made-up NAT mapping by adding received=/rport=
    to the top Via. Datagrams that are not SIP requests (keep-alive
    strings) are only recorded. status_for(n) may choose the status of the
    n-th REGISTER (from 1) instead."""

    def __init__(self, status=200, reason="OK", received=None, rport=None, retry_after=None,
                 expires=3600, status_for=None):
        self.socket = UdpSipSocket()
        self.port = self.socket.port
        self.status, self.reason = status, reason
        self.received, self.rport = received, rport
        self.retry_after = retry_after
        self.expires = expires
        self.status_for = status_for
        self.registers = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def address(self):
        return f"{LOOPBACK}:{self.port}"

    def _serve(self):
        seen = 0
        sock = self.socket
        while not self._stop:
            with sock._cond:
                if len(sock.received) == seen:
                    sock._cond.wait(0.2)
                new = sock.received[seen:]
                seen += len(new)
            for _, message, _, source in new:
                if message.method and message.method != "ACK" and message.header("via"):
                    try:
                        sock.sock.sendto(self._answer(message), source)
                    except OSError:
                        return

    def _answer(self, request):
        status, reason = self.status, self.reason
        if request.method == "REGISTER":
            self.registers += 1
            if self.status_for:
                status, reason = self.status_for(self.registers)
        vias = request.all("via")
        top = vias[0]
        if self.received:
            top = re.sub(r";rport(?==|;|$)(=\d*)?", "", top) + \
                f";received={self.received};rport={self.rport}"
        lines = [f"SIP/2.0 {status} {reason}", f"Via: {top}"]
        lines += [f"Via: {via}" for via in vias[1:]]
        to = request.header("to")
        if ";tag=" not in to:
            to += f";tag=raw{self.port}"
        lines += [f"From: {request.header('from')}", f"To: {to}",
                  f"Call-ID: {request.call_id}", f"CSeq: {request.header('cseq')}"]
        if request.method == "REGISTER" and 200 <= status < 300 and request.header("contact"):
            lines.append(f"Contact: {request.header('contact')};expires={self.expires}")
        if self.retry_after is not None:
            lines.append(f"Retry-After: {self.retry_after}")
        lines.append("Content-Length: 0")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def requests(self, method=None):
        """(arrival time, SipMessage, source) of every request received."""
        with self.socket._cond:
            found = [(t, m, src) for t, m, _, src in self.socket.received if m.method]
        return [r for r in found if method is None or r[1].method == method]

    def datagrams(self):
        """(arrival time, raw bytes, source) of everything received."""
        with self.socket._cond:
            return [(t, raw, src) for t, _, raw, src in self.socket.received]

    def stop(self):
        self._stop = True
        self._thread.join(timeout=2)
        self.socket.close()


class TcpSipConnection:
    """A TCP connection to a SIP port: send raw bytes, read framed messages,
    and tell whether the far end closed the connection."""

    def __init__(self, host, port, timeout=3.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.local_port = self.sock.getsockname()[1]
        self.buffer = b""
        self.messages = []
        self.closed_by_peer = False

    def send(self, data):
        self.sock.sendall(data)

    def read(self, timeout=2.0, until=None):
        """Reads for up to `timeout` seconds, or until until(messages) holds
        or the peer closes. Returns the messages read so far."""
        deadline = time.monotonic() + timeout
        while not self.closed_by_peer:
            if until and until(self.messages):
                break
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                self.closed_by_peer = True
                break
            if not chunk:
                self.closed_by_peer = True
                break
            self.buffer += chunk
            done, self.buffer = split_stream(self.buffer)
            self.messages.extend(SipMessage.parse(m) for m in done)
        return self.messages

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def sip_options(host, port, transport="udp", timeout=2.0, user=None):
    """Sends one OPTIONS and returns the final response (SipMessage) or None."""
    if transport == "udp":
        probe = UdpSipSocket()
        try:
            call_id = f"options-{time.monotonic_ns()}@{LOOPBACK}"
            since = probe.send(options_request(host, port, probe.port, "UDP", call_id,
                                               user=user), host, port)
            return probe.wait_for(lambda m: m.is_response and m.call_id == call_id
                                  and (m.status or 0) >= 200, since, timeout)
        finally:
            probe.close()
    connection = TcpSipConnection(host, port, timeout)
    try:
        call_id = f"options-{time.monotonic_ns()}@{LOOPBACK}"
        connection.send(options_request(host, port, connection.local_port, "TCP", call_id,
                                        user=user))
        final = [m for m in connection.read(timeout, until=lambda ms: any(
            m.is_response and (m.status or 0) >= 200 for m in ms))
            if m.is_response and (m.status or 0) >= 200]
        return final[0] if final else None
    finally:
        connection.close()


# ---------------------------------------------------------------------------
# kamailio


class Kamailio(_Process):
    """A kamailio registrar/proxy on 127.0.0.1 with digest authentication
    against a plain-text password table (htable, no database).

    REGISTER is challenged (401, realm = domain) and saved in memory
    (usrloc db_mode 0: a restart forgets every binding). INVITE, MESSAGE,
    SUBSCRIBE and REFER from a known user are challenged with 407 when
    auth_calls is true. Initial requests to a user are relayed to its
    registered contacts (404 when it has none); INVITEs are record-routed;
    in-dialog requests follow Route; CANCEL and ACK are matched by tm.
    OPTIONS to the server itself (no user part) get 200.
    """

    def __init__(self, folder, users=None, domain=LOOPBACK, port=None, auth_calls=True,
                 min_expires=10, max_expires=3600, name="kamailio", tls=None):
        """tls: (certificate file, key file) adds a TLS listener on tls_port
        (kamailio's tls module; it asks nothing of clients' certificates)."""
        super().__init__(name, os.path.join(folder, name))
        self.tls = tls
        self.tls_port = free_port("tcp") if tls else None
        self.users = dict(users or {})
        self.domain = domain
        self._auto_port = port is None
        self.port = port or free_port("both")
        self.auth_calls = auth_calls
        self.min_expires = min_expires
        self.max_expires = max_expires
        self.config_path = os.path.join(self.folder, "kamailio.cfg")
        self.ctl_socket = os.path.join(self.folder, "ctl.sock")
        self.runtime_dir = os.path.join(self.folder, "run")
        if not shutil.which("kamailio"):
            raise PeerError("kamailio is not installed (apt-get install kamailio)")

    @property
    def uri(self):
        """The registrar/proxy URI, e.g. sip:127.0.0.1:5070."""
        return f"sip:{LOOPBACK}:{self.port}"

    @property
    def address(self):
        return f"{LOOPBACK}:{self.port}"

    @property
    def tls_address(self):
        return f"{LOOPBACK}:{self.tls_port}"

    def _tls_config(self):
        """(cfg lines, module lines) of the TLS listener; writes tls.cfg."""
        if not self.tls:
            return "", ""
        certificate, key = self.tls
        tls_cfg = os.path.join(self.folder, "tls.cfg")
        with open(tls_cfg, "w") as f:
            f.write(f"""[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = {key}
certificate = {certificate}

[client:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
""")
        return (f"enable_tls=yes\nlisten=tls:{LOOPBACK}:{self.tls_port}\n",
                f'loadmodule "tls.so"\nmodparam("tls", "config", "{tls_cfg}")\n')

    def _config(self):
        def quote(text):
            if '"' in text or "\\" in text or "\n" in text:
                raise ValueError(f"kamailio fixture: unsupported character in {text!r}")
            return text
        passwords = "\n".join(f'    $sht(users=>{quote(user)}) = "{quote(password)}";'
                              for user, password in self.users.items())
        realm = quote(self.domain)
        call_auth = "1" if self.auth_calls else "0"
        # An alias without a port matches every port of that host: for
        # 127.0.0.1 it would make the agents' own contacts "myself" and
        # loose_route() would loop in-dialog requests back to kamailio.
        alias = "" if realm == LOOPBACK else f'alias="{realm}"'
        tls_listen, tls_modules = self._tls_config()
        return f"""#!KAMAILIO
# Written by tests/integration/peers.py for one test; loopback only.
debug=2
log_stderror=yes
children=2
tcp_children=2
listen=udp:{LOOPBACK}:{self.port}
listen=tcp:{LOOPBACK}:{self.port}
{tls_listen}dns=no
rev_dns=no
use_dns_cache=off
auto_aliases=no
{alias}server_header="Server: deskphone-test-kamailio"
user_agent_header="User-Agent: deskphone-test-kamailio"

loadpath "{KAMAILIO_MODULES}/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "ctl.so"
loadmodule "htable.so"
loadmodule "auth.so"
{tls_modules}
modparam("ctl", "binrpc", "unix:{self.ctl_socket}")
modparam("usrloc", "db_mode", 0)
modparam("usrloc", "use_domain", 0)
modparam("registrar", "min_expires", {self.min_expires})
modparam("registrar", "max_expires", {self.max_expires})
modparam("rr", "enable_full_lr", 1)
modparam("rr", "append_fromtag", 1)
modparam("auth", "secret", "{os.urandom(8).hex()}")
modparam("htable", "htable", "users=>size=6;")

event_route[htable:mod-init] {{
{passwords}
}}

request_route {{
    xlog("L_INFO", "REQ $rm $ru from $si:$sp call-id=$ci\\n");
    if (!mf_process_maxfwd_header("10")) {{
        sl_send_reply("483", "Too Many Hops");
        exit;
    }}
    if (!sanity_check("17895", "7")) {{
        xlog("L_INFO", "DROP malformed $rm from $si:$sp\\n");
        exit;
    }}
    if (has_totag()) {{
        route(WITHINDLG);
        exit;
    }}
    if (is_method("CANCEL")) {{
        if (t_check_trans()) {{
            route(RELAY);
        }}
        exit;
    }}
    if (!is_method("ACK")) {{
        t_check_trans();
    }}
    remove_hf("Route");
    if (is_method("INVITE|SUBSCRIBE|REFER")) {{
        record_route();
    }}
    route(AUTH);
    if (is_method("REGISTER")) {{
        if (!save("location")) {{
            sl_reply_error();
        }}
        xlog("L_INFO", "REGISTERED $tU contact=$ct expires=$hdr(Expires)\\n");
        exit;
    }}
    if ($rU == $null) {{
        if (is_method("OPTIONS")) {{
            sl_send_reply("200", "OK");
            exit;
        }}
        sl_send_reply("484", "Address Incomplete");
        exit;
    }}
    route(LOCATION);
}}

route[RELAY] {{
    if (!t_relay()) {{
        sl_reply_error();
    }}
    exit;
}}

route[WITHINDLG] {{
    if (loose_route()) {{
        route(RELAY);
    }}
    if (is_method("ACK")) {{
        if (t_check_trans()) {{
            route(RELAY);
        }}
        exit;
    }}
    sl_send_reply("404", "Not here");
    exit;
}}

route[AUTH] {{
    if (is_method("REGISTER")) {{
        $var(pw) = $sht(users=>$au);
        if ($au == $null || $var(pw) == $null
                || !pv_www_authenticate("{realm}", "$var(pw)", "0")) {{
            xlog("L_INFO", "CHALLENGE REGISTER to=$tU auth=$au\\n");
            www_challenge("{realm}", "0");
            exit;
        }}
        if ($au != $tU) {{
            sl_send_reply("403", "Forbidden: auth ID is not the AOR user");
            exit;
        }}
        consume_credentials();
        return;
    }}
    if ({call_auth} == 1 && is_method("INVITE|MESSAGE|SUBSCRIBE|REFER")
            && $sht(users=>$fU) != $null) {{
        $var(pw) = $sht(users=>$au);
        if ($au == $null || $var(pw) == $null
                || !pv_proxy_authenticate("{realm}", "$var(pw)", "0")) {{
            xlog("L_INFO", "CHALLENGE $rm from=$fU auth=$au\\n");
            proxy_challenge("{realm}", "0");
            exit;
        }}
        consume_credentials();
    }}
}}

route[LOCATION] {{
    if (!lookup("location")) {{
        $var(rc) = $rc;
        t_newtran();
        switch ($var(rc)) {{
            case -2:
                send_reply("405", "Method Not Allowed");
                exit;
            default:
                send_reply("404", "Not Found");
                exit;
        }}
    }}
    route(RELAY);
}}
"""

    def start(self, timeout=15.0):
        def repick():
            if not self._auto_port:
                return False
            self.port = free_port("both")
            if self.tls:
                self.tls_port = free_port("tcp")
            return True
        return self._start_retrying(lambda: self._start_once(timeout), repick)

    def _start_once(self, timeout):
        os.makedirs(self.runtime_dir, exist_ok=True)
        with open(self.config_path, "w") as f:
            f.write(self._config())
        if os.path.exists(self.ctl_socket):
            os.unlink(self.ctl_socket)
        self._spawn(["kamailio", "-f", self.config_path, "-DD", "-E", "-Y", self.runtime_dir,
                     "-w", self.folder])
        # Ready when both the SIP layer and the RPC socket answer (and the
        # TLS port accepts connections).
        wait_until(lambda: self._check_alive("starting") or
                   (os.path.exists(self.ctl_socket)
                    and sip_options(LOOPBACK, self.port, timeout=0.5) is not None
                    and (not self.tls or not port_is_free(self.tls_port, "tcp"))),
                   timeout=timeout, what=f"kamailio on {self.address}")
        return self

    def stop(self, timeout=5.0):
        status = super().stop(timeout)
        # The workers hold the port until they are gone: restart() needs it.
        if self.process is not None:
            # (Not the TLS port: a connection kamailio closed leaves it in
            # TIME_WAIT, which kamailio's own SO_REUSEADDR bind ignores.)
            wait_until(lambda: port_is_free(self.port, "udp") and port_is_free(self.port, "tcp"),
                       timeout=10, what=f"kamailio to release port {self.port}")
        return status

    def restart(self, timeout=15.0):
        """Stops and starts again on the same port: every registration is lost."""
        self.stop()
        return self.start(timeout)

    def rpc(self, *args, timeout=10.0):
        """Runs kamcmd against this instance; returns its output. Arguments
        are passed verbatim (prefix strings that look like numbers with s:)."""
        result = subprocess.run(["kamcmd", "-s", f"unix:{self.ctl_socket}", *args],
                                capture_output=True, text=True, timeout=timeout)
        return result.stdout + result.stderr

    @staticmethod
    def _user(aor):
        match = re.match(r"(?:sips?:)?([^@;>]+)@", aor)
        return match.group(1) if match else aor

    def contacts(self, aor):
        """Contact URIs registered for a user ("1001" or "sip:1001@host")."""
        output = self.rpc("ul.lookup", "location", "s:" + self._user(aor))
        if "error:" in output:
            if "not found" in output.lower():
                return []
            raise PeerError(f"kamcmd ul.lookup failed: {output}")
        return re.findall(r"Address:\s*(\S+)", output)

    def registered(self, aor):
        return bool(self.contacts(aor))

    def wait_registered(self, aor, timeout=10.0, registered=True):
        return wait_until(lambda: self.registered(aor) == registered, timeout=timeout,
                          what=f"{aor} {'' if registered else 'un'}registered at kamailio")

    def set_password(self, user, password):
        """Changes (or adds) a user's password at run time."""
        output = self.rpc("htable.sets", "users", "s:" + user, "s:" + password)
        if "error" in output.lower():
            raise PeerError(f"kamcmd htable.sets failed: {output}")
        self.users[user] = password

    def requests(self, method=None):
        """(method, request-URI, source) of every request kamailio logged."""
        found = re.findall(r"REQ (\S+) (\S+) from (\S+) call-id=", self.log())
        return [f for f in found if method is None or f[0] == method]


# ---------------------------------------------------------------------------
# DNS


class Dnsmasq(_Process):
    """dnsmasq as an authoritative-only DNS server on 127.0.0.1:port (no
    upstream, no /etc/hosts): `hosts` are (name, address) pairs, `srv` are
    (service name, target, port, priority, weight). Answers carry a TTL of
    an hour so that resolvers cache them. resolv_conf() writes a resolv.conf
    for sofia-sip's resolver, which reads its own `port N` directive."""

    def __init__(self, folder, hosts=(), srv=(), name="dnsmasq"):
        super().__init__(name, os.path.join(folder, name))
        self.hosts = list(hosts)
        self.srv = list(srv)
        self.port = free_port("udp")
        if not shutil.which("dnsmasq"):
            raise PeerError("dnsmasq is not installed (apt-get install dnsmasq-base)")

    def start(self, timeout=10.0):
        def start_once():
            argv = ["dnsmasq", "--keep-in-foreground", "--log-facility=-", "--log-queries",
                    "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll",
                    "--pid-file=", f"--port={self.port}", f"--listen-address={LOOPBACK}",
                    "--bind-interfaces", "--local-ttl=3600", "--user=root"]
            argv += [f"--host-record={name},{address}" for name, address in self.hosts]
            argv += [f"--srv-host={service},{target},{port},{priority},{weight}"
                     for service, target, port, priority, weight in self.srv]
            self._spawn(argv)
            wait_until(lambda: self._check_alive("starting") or
                       not port_is_free(self.port, "udp"),
                       timeout=timeout, what=f"dnsmasq on port {self.port}")
            return self

        def repick():
            self.port = free_port("udp")
            return True
        return self._start_retrying(start_once, repick)

    def resolv_conf(self, path):
        with open(path, "w") as f:
            f.write(f"nameserver {LOOPBACK}\nport {self.port}\n")
        return path

    def queries(self):
        """Names queried, as dnsmasq logged them ("query[SRV] _sip._udp.x")."""
        return re.findall(r"query\[(\S+)\] (\S+) from", self.log())


# ---------------------------------------------------------------------------
# certificates


class CertificateAuthority:
    """A test CA made with certtool (gnutls-bin) in `folder`: issue() signs
    server certificates for the given IP addresses / DNS names. ECDSA keys
    (fast to generate); everything expires in a few days."""

    def __init__(self, folder, name="Test CA"):
        if not shutil.which("certtool"):
            raise PeerError("certtool is not installed (apt-get install gnutls-bin)")
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self.slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()
        self.key = self._key(self.slug)
        self.certificate = os.path.join(folder, f"{self.slug}.pem")
        template = self._template(self.slug, f'cn = "{name}"\nca\ncert_signing_key\n')
        self._certtool("--generate-self-signed", "--load-privkey", self.key,
                       "--template", template, "--outfile", self.certificate)

    def _certtool(self, *args):
        result = subprocess.run(["certtool", *args], capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise PeerError(f"certtool {' '.join(args)} failed: {result.stderr}")

    def _key(self, stem):
        path = os.path.join(self.folder, f"{stem}.key")
        self._certtool("--generate-privkey", "--key-type=ecdsa", "--outfile", path)
        return path

    def _template(self, stem, body):
        path = os.path.join(self.folder, f"{stem}.tmpl")
        with open(path, "w") as f:
            f.write(body + "expiration_days = 5\n")
        return path

    def issue(self, stem, ips=(LOOPBACK,), names=()):
        """(certificate file, key file, combined cert+key file) for a server
        named by `ips` and `names` (the first one is also the CN)."""
        stem = f"{self.slug}-{stem}"
        key = self._key(stem)
        subjects = [*ips, *names]
        body = (f'cn = "{subjects[0]}"\n' +
                "".join(f'ip_address = "{ip}"\n' for ip in ips) +
                "".join(f'dns_name = "{name}"\n' for name in names) +
                "tls_www_server\ntls_www_client\nsigning_key\nencryption_key\n")
        certificate = os.path.join(self.folder, f"{stem}.pem")
        self._certtool("--generate-certificate", "--load-privkey", key,
                       "--load-ca-certificate", self.certificate,
                       "--load-ca-privkey", self.key,
                       "--template", self._template(stem, body), "--outfile", certificate)
        combined = os.path.join(self.folder, f"{stem}-combined.pem")
        with open(combined, "w") as out:
            for part in (certificate, key):
                with open(part) as f:
                    out.write(f.read())
        return certificate, key, combined


# ---------------------------------------------------------------------------
# baresip


def write_tone_wav(path, frequency=1000.0, rate=8000, seconds=60.0, amplitude=0.25):
    """A mono 16-bit sine WAV (baresip's aufile source plays it)."""
    frames = int(rate * seconds)
    scale = amplitude * 32767
    period = [int(scale * math.sin(2 * math.pi * frequency * i / rate))
              for i in range(rate)]
    one_second = struct.pack(f"<{rate}h", *period)
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        whole, rest = divmod(frames, rate)
        out.writeframes(one_second * whole + one_second[:rest * 2])
    return path


def measure_tone(path, skip_seconds=0.2):
    """(dominant frequency in Hz by zero crossings, RMS level 0..1) of a mono
    16-bit WAV, or (0.0, 0.0) when it holds no audio."""
    with wave.open(path, "rb") as src:
        rate = src.getframerate()
        channels = src.getnchannels()
        data = src.readframes(src.getnframes())
    samples = struct.unpack(f"<{len(data) // 2}h", data[:len(data) // 2 * 2])[::channels]
    samples = samples[int(rate * skip_seconds):]
    if len(samples) < rate // 10:
        return 0.0, 0.0
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
    crossings = sum(1 for a, b in zip(samples, samples[1:]) if (a < 0) != (b < 0))
    return crossings / 2 / (len(samples) / rate), rms


def baresip_codec_module(codec):
    """The baresip module that provides `codec` (an audio_codecs name):
    PCMU and PCMA are "g711", the four rates "G726-16".."G726-40" are
    "g726", the others are named like their module ("g722", "opus")."""
    name = codec.lower()
    if name in ("pcmu", "pcma"):
        return "g711"
    if name.startswith("g726-"):
        return "g726"
    return name


class Baresip(_Process):
    """A baresip 1.0 user agent on 127.0.0.1 controlled through ctrl_tcp.

    Without `registrar` (a Kamailio, or "host:port") it does not register
    (regint=0) and is reached directly at `contact_uri`. It sends a generated
    tone WAV (aufile) and records what it receives (sndfile, `*-dec.wav` in
    its folder). Events from ctrl_tcp are collected by a reader thread;
    wait_for_event() consumes them in order.
    """

    def __init__(self, folder, user, password=None, registrar=None, port=None,
                 auto_answer=False, transport="udp", regint=600, tone_hz=1000.0,
                 rate=8000, codecs=("pcmu", "pcma"), domain=None, sip_trace=True,
                 extra_account="", extra_config="", name=None, tls=None, rtcp_mux=False):
        """tls: (certificate+key PEM file, CA file) adds baresip's TLS
        listener, on port + 1 (baresip's rule)."""
        name = name or f"baresip-{user}"
        super().__init__(name, os.path.join(folder, name))
        self.tls = tls
        self.user = user
        self.password = password
        if isinstance(registrar, Kamailio):
            self.registrar = registrar.address
            domain = domain or registrar.domain
        else:
            self.registrar = registrar
        self.domain = domain or LOOPBACK
        self._auto_port = port is None
        self.port = port or free_port("both", span=2 if tls else 1)
        self.ctrl_port = free_port("tcp")
        self.auto_answer = auto_answer
        self.transport = transport
        self.regint = regint if self.registrar else 0
        self.tone_hz = tone_hz
        self.rate = rate
        self.codecs = codecs
        self.trace_sip = sip_trace
        self.extra_account = extra_account
        self.extra_config = extra_config
        self.rtcp_mux = rtcp_mux
        self.events = []
        self._consumed = set()
        self._responses = {}
        self._cond = threading.Condition()
        self._sock = None
        self._reader = None
        self._token = 0
        if not shutil.which("baresip"):
            raise PeerError("baresip is not installed (apt-get install baresip)")

    @property
    def aor(self):
        return f"sip:{self.user}@{self.domain}"

    @property
    def tls_port(self):
        return self.port + 1 if self.tls else None

    @property
    def contact_uri(self):
        """Where to send requests to reach this agent directly."""
        suffix = "" if self.transport == "udp" else f";transport={self.transport}"
        return f"sip:{self.user}@{LOOPBACK}:{self.port}{suffix}"

    def _write_config(self):
        tone = write_tone_wav(os.path.join(self.folder, "tone.wav"), self.tone_hz, self.rate)
        rtp_base = free_port("udp", span=42) + 1 & ~1
        modules = "\n".join(f"module {module}.so" for module in
                            sorted({baresip_codec_module(c) for c in self.codecs}))
        config = f"""# Written by tests/integration/peers.py; loopback only.
poll_method epoll
sip_listen {LOOPBACK}:{self.port}
net_interface {LOOPBACK}
call_local_timeout 120
call_max_calls 4
audio_player aubridge,{self.name}
audio_alert aubridge,{self.name}
audio_source aufile,{tone}
rtp_ports {rtp_base}-{rtp_base + 40}
rtcp_mux {'yes' if self.rtcp_mux else 'no'}
jitter_buffer_delay 1-10
module_path {BARESIP_MODULES}
{modules}
module aufile.so
module aubridge.so
module sndfile.so
module_tmp uuid.so
module_tmp account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen {LOOPBACK}:{self.ctrl_port}
snd_path {self.folder}
statmode_default off
{self.extra_config}
"""
        if self.tls:
            config += f"sip_certificate {self.tls[0]}\nsip_cafile {self.tls[1]}\n"
        params = [f"regint={self.regint}",
                  f"answermode={'auto' if self.auto_answer else 'manual'}",
                  "audio_codecs=" + ",".join(self.codecs)]
        if self.password is not None:
            params.append(f"auth_pass={self.password}")
        if self.registrar:
            params.append(f'outbound="sip:{self.registrar};transport={self.transport}"')
        if self.extra_account:
            params.append(self.extra_account)
        uri = f"sip:{self.user}@{self.domain}"
        if self.transport != "udp":
            uri += f";transport={self.transport}"
        with open(os.path.join(self.folder, "config"), "w") as f:
            f.write(config)
        # The account is created over ctrl_tcp once connected (uanew): had it
        # been in `accounts`, its first REGISTER_OK/FAIL would be emitted
        # before any ctrl_tcp client exists, and baresip does not queue events.
        self.account_line = f"<{uri}>;" + ";".join(params)
        with open(os.path.join(self.folder, "accounts"), "w") as f:
            f.write("# created with uanew over ctrl_tcp:\n# " + self.account_line + "\n")

    def start(self, timeout=10.0, wait_registered=True):
        """Starts baresip and connects to ctrl_tcp; with a registrar, waits for
        REGISTER_OK unless wait_registered is false."""
        def start_once():
            self._write_config()
            argv = ["baresip", "-f", self.folder]
            if self.trace_sip:
                argv.insert(1, "-s")
            self._spawn(argv)
            return wait_until(self._connect, timeout=timeout,
                              what=f"{self.name} ctrl_tcp on port {self.ctrl_port}")

        def repick():
            # The control port (and the RTP range, in _write_config) are
            # always ours to choose; the SIP port only when not given.
            if self._auto_port:
                self.port = free_port("both", span=2 if self.tls else 1)
            self.ctrl_port = free_port("tcp")
            return True
        self._sock = self._start_retrying(start_once, repick)
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()
        self.command("uanew", self.account_line)
        if self.registrar and self.regint and wait_registered:
            self.wait_registered(timeout)
        return self

    def _connect(self):
        self._check_alive("starting")
        try:
            return socket.create_connection((LOOPBACK, self.ctrl_port), timeout=1)
        except OSError:
            return None

    def _read_loop(self):
        buffer = b""
        self._sock.settimeout(0.2)
        while True:
            try:
                chunk = self._sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                break
            if not chunk:
                break
            buffer += chunk
            while True:
                colon = buffer.find(b":")
                if colon < 0:
                    break
                try:
                    length = int(buffer[:colon])
                except ValueError:
                    # Not a netstring: resynchronise on the next digit.
                    buffer = buffer[1:]
                    continue
                if len(buffer) < colon + 1 + length + 1:
                    break
                payload = buffer[colon + 1:colon + 1 + length]
                buffer = buffer[colon + 2 + length:]
                try:
                    message = json.loads(payload)
                except ValueError:
                    continue
                with self._cond:
                    if message.get("response"):
                        self._responses[message.get("token")] = message
                    elif message.get("event"):
                        message["received_at"] = time.monotonic()
                        self.events.append(message)
                    self._cond.notify_all()

    def command(self, command, params=None, timeout=5.0, check=True):
        """Runs a baresip command over ctrl_tcp; returns the response's data
        text. Raises PeerError on timeout, or when check and ok is false."""
        if self._sock is None:
            raise PeerError(f"{self.name} is not started")
        with self._cond:
            self._token += 1
            token = f"t{self._token}"
        request = {"command": command, "token": token}
        if params is not None:
            request["params"] = str(params)
        payload = json.dumps(request).encode()
        self._sock.sendall(str(len(payload)).encode() + b":" + payload + b",")
        deadline = time.monotonic() + timeout
        with self._cond:
            while token not in self._responses:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PeerError(f"{self.name}: no response to {command} in {timeout} s; "
                                    "log:\n" + tail(self.log_path))
                self._cond.wait(left)
            response = self._responses.pop(token)
        if check and not response.get("ok"):
            raise PeerError(f"{self.name}: {command} {params or ''} failed: "
                            f"{response.get('data')}")
        return response.get("data", "")

    def wait_for_event(self, kind, timeout=10.0, match=None):
        """The oldest not yet consumed event of type `kind` (e.g. CALL_INCOMING,
        CALL_ESTABLISHED, CALL_CLOSED, REGISTER_OK, REGISTER_FAIL) for which
        match(event) holds; it is then consumed. `kind` may list
        alternatives: "REGISTER_OK|REGISTER_FAIL"."""
        kinds = kind.split("|")
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for index, event in enumerate(self.events):
                    if (index not in self._consumed and event.get("type") in kinds
                            and (match is None or match(event))):
                        self._consumed.add(index)
                        return event
                left = deadline - time.monotonic()
                if left <= 0 or not self.running():
                    seen = [e.get("type") + (f"({e.get('param')})" if e.get("param") else "")
                            for e in self.events if e.get("class") != "other"
                            and e.get("type") != "CALL_RTCP"]
                    raise PeerError(f"{self.name}: no {kind} event within {timeout} s; "
                                    f"events so far: {seen}; log:\n{tail(self.log_path, 40)}")
                self._cond.wait(min(left, 0.2))

    def has_event(self, kind, match=None):
        """Whether an event of that type arrived (consumed or not)."""
        with self._cond:
            return any(e.get("type") == kind and (match is None or match(e))
                       for e in self.events)

    def event_types(self):
        with self._cond:
            return [e.get("type") for e in self.events]

    # Call control (baresip 1.0 menu commands).
    def dial(self, uri):
        return self.command("dial", uri)

    def answer(self):
        return self.command("accept")

    def hangup(self):
        return self.command("hangup")

    def hold(self):
        return self.command("hold")

    def resume(self):
        return self.command("resume")

    def transfer(self, uri):
        """Blind transfer of the current call (REFER)."""
        return self.command("transfer", uri)

    def send_dtmf(self, digit):
        return self.command("sndcode", digit)

    def calls(self):
        """Active calls from `listcalls`: dicts with line, state, on_hold, peer."""
        data = self.command("listcalls")
        calls = []
        for line in data.splitlines():
            match = re.match(r"[> ]*\[line (\d+)\]\s+\S+\s+(\S+)\s+(\(on hold\))?\s*(\S+)",
                             line)
            if match:
                calls.append({"line": int(match.group(1)), "state": match.group(2),
                              "on_hold": bool(match.group(3)), "peer": match.group(4)})
        return calls

    def call_state(self):
        """State of the first active call (e.g. RINGING, ESTABLISHED) or None."""
        calls = self.calls()
        return calls[0]["state"] if calls else None

    def wait_registered(self, timeout=10.0):
        """Waits for REGISTER_OK; a REGISTER_FAIL first raises PeerError with its reason."""
        event = self.wait_for_event("REGISTER_OK|REGISTER_FAIL", timeout)
        if event["type"] != "REGISTER_OK":
            raise PeerError(f"{self.name}: registration failed: {event.get('param')}")
        return event

    def registered(self):
        """Whether `reginfo` shows the account registered (OK)."""
        data = re.sub(r"\x1b\[[0-9;]*m", "", self.command("reginfo"))
        return any(self.aor in line and re.search(r"\bOK\b", line)
                   for line in data.splitlines())

    def sip_trace(self):
        """Every SIP message baresip sent or received (needs sip_trace=True), as
        (direction "in"/"out", transport, SipMessage)."""
        text = tail(self.log_path, 10**6)
        own = {f"{LOOPBACK}:{self.port}", f"{LOOPBACK}:{self.tls_port}"}
        entries = []
        for block in text.split("\x1b[36;1m#\n")[1:]:
            block = block.split("\x1b[;m", 1)[0]
            route, _, message = block.partition("\n")
            match = re.match(r"(\S+) (\S+) -> (\S+)", route)
            if not match:
                continue
            direction = "out" if match.group(2) in own else "in"
            entries.append((direction, match.group(1), SipMessage.parse(message)))
        return entries

    def received_requests(self, method):
        return [m for d, _, m in self.sip_trace() if d == "in" and m.method == method]

    def recordings(self):
        """Paths of the WAVs of received (decoded) audio, oldest first."""
        return sorted(os.path.join(self.folder, f) for f in os.listdir(self.folder)
                      if f.startswith("dump-") and f.endswith("-dec.wav"))

    def stop(self, timeout=5.0):
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None
        status = super().stop(timeout)
        if self._reader is not None:
            self._reader.join(timeout=2)
            self._reader = None
        return status


# ---------------------------------------------------------------------------
# sipp

_SCENARIO_HEAD = '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="{name}">\n'


def _reply(code, reason, extra="", to_tag=True, contact=True, body=""):
    lines = [f"SIP/2.0 {code} {reason}", "[last_Via:]", "[last_From:]",
             "[last_To:]" + (";tag=[pid]SIPpTag01[call_number]" if to_tag else ""),
             "[last_Call-ID:]", "[last_CSeq:]"]
    if contact:
        lines.append("Contact: <sip:[local_ip]:[local_port];transport=[transport]>")
    lines.extend(h for h in extra.strip().splitlines() if h.strip())
    lines.append("Content-Length: [len]")
    return ("  <send><![CDATA[\n\n      " + "\n      ".join(lines) + "\n\n" + body
            + "    ]]></send>\n")


def scenario_invite_reply(code, reason, extra_headers="", ringing=True):
    """UAS: answers one INVITE with 100, (180,) then `code` and takes the ACK."""
    xml = _SCENARIO_HEAD.format(name=f"uas {code}")
    xml += '  <recv request="INVITE" crlf="true"/>\n'
    xml += _reply(100, "Trying", to_tag=False, contact=False)
    if ringing:
        xml += _reply(180, "Ringing")
    xml += _reply(code, reason, extra_headers)
    xml += '  <recv request="ACK" optional="false"/>\n</scenario>\n'
    return xml


def scenario_register_replies(replies):
    """Registrar: for each (code, reason, extra headers) takes one REGISTER and
    answers it. A 2xx echoes the Contact with the Expires it was asked for."""
    xml = _SCENARIO_HEAD.format(name="registrar")
    for code, reason, extra in replies:
        xml += '  <recv request="REGISTER"/>\n'
        if 200 <= code < 300:
            # [last_X:] expands to the whole header line, or to nothing (the
            # line is then dropped) when the request had none.
            extra = "[last_Contact:]\n[last_Expires:]\n" + extra
            xml += _reply(code, reason, extra, contact=False)
        else:
            xml += _reply(code, reason, extra)
    return xml + "</scenario>\n"


def scenario_register_503(retry_after=30):
    return scenario_register_replies(
        [(503, "Service Unavailable", f"Retry-After: {retry_after}")])


def scenario_register_423(min_expires=3600):
    """423 Interval Too Brief with Min-Expires, then 200 to the retry."""
    return scenario_register_replies(
        [(423, "Interval Too Brief", f"Min-Expires: {min_expires}"), (200, "OK", "")])


def scenario_register_401(times=1, realm="sipp.test", then_ok=True, nonce=None):
    """`times` digest challenges (401), then 200 if then_ok. Each challenge has a
    fresh nonce unless `nonce` is given: the same nonce again tells a client
    its credentials were wrong (a 401 loop)."""
    replies = [(401, "Unauthorized",
                f'WWW-Authenticate: Digest realm="{realm}", '
                f'nonce="{nonce or f"n{i}[call_number][pid]"}", algorithm=MD5, qop="auth"')
               for i in range(times)]
    if then_ok:
        replies.append((200, "OK", ""))
    return scenario_register_replies(replies)


class Sipp(_Process):
    """One sipp run on 127.0.0.1 with a scenario given as XML text (or a
    built-in name such as "uas"/"uac"). As UAS it listens on `port`; as UAC
    pass remote="host:port" and service (the Request-URI user).

    run() waits for the exit status; trace() is the -trace_msg message log.
    Exit status (sipp): 0 every call succeeded, 1 some failed, 97 internal
    exit, 99 ended without a call, 255 fatal error.
    """

    def __init__(self, folder, scenario=None, builtin=None, port=None, remote=None,
                 service=None, calls=1, timeout=30, transport="u1", extra_args=(),
                 name="sipp"):
        if (scenario is None) == (builtin is None):
            raise ValueError("Sipp: give exactly one of scenario (XML text) or builtin")
        super().__init__(name, os.path.join(folder, name))
        self.scenario = scenario
        self.builtin = builtin
        self._auto_port = port is None
        self.port = port or free_port("both")
        self.media_port = free_port("udp")
        self.remote = remote
        self.service = service
        self.calls = calls
        self.timeout = timeout
        self.transport = transport
        self.extra_args = list(extra_args)
        self.message_file = os.path.join(self.folder, "messages.log")
        self.error_file = os.path.join(self.folder, "errors.log")
        if not shutil.which("sipp"):
            raise PeerError("sipp is not installed (apt-get install sip-tester)")

    @property
    def uri(self):
        return f"sip:{LOOPBACK}:{self.port}"

    def start(self):
        def repick():
            if self._auto_port:
                self.port = free_port("both")
            self.media_port = free_port("udp")
            return True
        return self._start_retrying(self._start_once, repick)

    def _start_once(self):
        argv = ["sipp"]
        if self.scenario is not None:
            path = os.path.join(self.folder, "scenario.xml")
            with open(path, "w") as f:
                f.write(self.scenario)
            argv += ["-sf", path]
        else:
            argv += ["-sn", self.builtin]
        argv += ["-i", LOOPBACK, "-bind_local", "-p", str(self.port),
                 "-mi", LOOPBACK, "-mp", str(self.media_port),
                 "-t", self.transport, "-m", str(self.calls),
                 "-timeout", f"{self.timeout}s", "-timeout_error", "-nostdin",
                 "-trace_msg", "-message_file", self.message_file,
                 "-trace_err", "-error_file", self.error_file]
        if self.service:
            argv += ["-s", self.service]
        argv += self.extra_args
        if self.remote:
            argv.append(self.remote)
        self._spawn(argv)
        # A UAS is ready once its port is taken.
        if not self.remote:
            wait_until(lambda: self._check_alive("starting") or not port_is_free(self.port),
                       timeout=10, what=f"sipp listening on {self.port}")
            # A port taken by someone else also looks "not free": sipp then
            # dies of the clash a moment later, which start() retries.
            time.sleep(0.1)
            self._check_alive("starting")
        return self

    def wait(self, timeout=None):
        """Waits for sipp to end (bounded by its own -timeout plus slack)."""
        try:
            return self.process.wait(timeout=timeout or self.timeout + 10)
        except subprocess.TimeoutExpired:
            self.stop()
            raise PeerError(f"sipp did not end; log:\n{tail(self.log_path)}")

    def run(self, timeout=None):
        self.start()
        return self.wait(timeout)

    def trace(self):
        try:
            with open(self.message_file, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def messages(self):
        """SipMessages from the message log, in order, as (direction, message)
        with direction "in" (received by sipp) or "out" (sent by sipp)."""
        found = []
        for block in re.split(r"(?m)^-{10,} [^\n]*\n", self.trace())[1:]:
            banner, _, text = block.partition("\n")
            text = text.strip("\r\n")
            if not text:
                continue
            direction = "in" if "received" in banner else "out"
            found.append((direction, SipMessage.parse(text + "\r\n")))
        return found

    def errors(self):
        return tail(self.error_file, 10**6)
