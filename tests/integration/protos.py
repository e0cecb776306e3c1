# SPDX-License-Identifier: GPL-2.0-or-later
"""The PROTOS c07-sip test cases (../shared/corpora/protos-c07-sip) and a
driver that sends them to a SIP user agent on 127.0.0.1.

Case files (SOURCES.md there): `<len> SP <INVITE template>` then
`<len> SP <teardown template>`, with placeholders (<To>, <From>,
<From-Address>, <From-IP>, <Local-Port>, <Branch-ID>, <Call-ID>, <CSeq>,
<Teardown-Method>, <Content-Length>) substituted here before sending. As
PROTOS does, every INVITE is followed by its own teardown template
(CANCEL, mangled like the INVITE), sent once the INVITE was answered or a
short quiet time passed; a final response to the INVITE is ACKed so the
agent stops retransmitting it.

Speed: a case the agent drops costs a quiet time, so several cases are in
flight at once, each on its own UDP socket (its <Local-Port>, where the
agent's responses go); a response is attributed to a case by Call-ID and
CSeq number (unique per case), else to the case in flight on that socket.
INVITEs larger than one UDP datagram go over TCP (TCP_PARALLEL at a time,
each on its own connection, their Via changed to TCP).
"""

import os
import re
import select
import socket
import tarfile
import time

from peers import LOOPBACK, SipMessage, split_stream

CORPUS = "protos-c07-sip"
UDP_MAX = 65507
TCP_PARALLEL = 8
FINAL_WAIT = 10.0    # seconds an answered INVITE gets to end after its teardown
T1, T2 = 0.5, 4.0    # RFC 3261 timers: a UDP teardown is sent again until answered
PLACEHOLDERS = ("<To>", "<From>", "<From-Address>", "<From-IP>", "<Local-Port>",
                "<Branch-ID>", "<Call-ID>", "<CSeq>", "<Teardown-Method>")


class Group:
    def __init__(self, name, first, last, expectation):
        self.name = name
        self.first = first
        self.last = last
        self.expectation = expectation     # rtckit/php-sip's "parse" / "reject"

    @property
    def cases(self):
        return range(self.first, self.last + 1)

    def __repr__(self):
        return f"{self.name} ({self.first}-{self.last})"


def corpus_dir(shared_dir):
    return os.path.join(shared_dir, "corpora", CORPUS)


def read_groups(shared_dir):
    """groups.tsv as a list of Group, in case order."""
    with open(os.path.join(corpus_dir(shared_dir), "groups.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    header = rows[0]
    groups = []
    for row in rows[1:]:
        values = dict(zip(header, row))
        groups.append(Group(values["group"], int(values["first_case"]),
                            int(values["last_case"]),
                            values["rtckit_php_sip_parser_expectation"]))
    return groups


def parse_case(data):
    """(INVITE template, teardown template) of one case file."""
    templates = []
    rest = data
    for _ in range(2):
        space = rest.index(b" ")
        length = int(rest[:space])
        templates.append(rest[space + 1:space + 1 + length])
        rest = rest[space + 1 + length:]
    return templates[0], templates[1]


def extract_cases(shared_dir, folder):
    """Unpacks the tarball into folder/cases (regular files named by a
    number only, so a damaged archive cannot write elsewhere) and returns
    {case number: (INVITE template, teardown template)}."""
    cases = {}
    target = os.path.join(folder, "cases")
    os.makedirs(target, exist_ok=True)
    path = os.path.join(corpus_dir(shared_dir), "protos-c07-sip-cases.tar.xz")
    with tarfile.open(path, "r:xz") as archive:
        for member in archive:
            name = member.name.split("/")[-1]
            if not member.isfile() or not re.fullmatch(r"\d{7}", name):
                continue
            data = archive.extractfile(member).read()
            with open(os.path.join(target, name), "wb") as f:
                f.write(data)
            cases[int(name)] = parse_case(data)
    return cases


def substitute(template, values):
    """Fills the placeholders; <Content-Length> last, as the body's length."""
    data = template
    for name in PLACEHOLDERS:
        data = data.replace(name.encode(), str(values[name]).encode())
    head, sep, body = data.partition(b"\r\n\r\n")
    return data.replace(b"<Content-Length>", str(len(body) if sep else 0).encode())


class Outcome:
    """What the agent said to one case: the INVITE's responses (status
    codes in arrival order) and the teardown's, over which transport."""

    def __init__(self, case, transport):
        self.case = case
        self.transport = transport
        self.invite = []
        self.teardown = []
        self.other = []
        self.size = 0

    @property
    def final(self):
        finals = [s for s in self.invite if s >= 200]
        return finals[0] if finals else None

    @property
    def rang(self):
        return any(180 <= s < 200 for s in self.invite)

    def summary(self):
        return (f"case {self.case:07d} over {self.transport} ({self.size} bytes): INVITE -> "
                f"{self.invite or 'nothing'}, teardown -> {self.teardown or 'nothing'}"
                + (f", other {self.other}" if self.other else ""))


def _method_of(message):
    return message.cseq[1] if message.cseq else None


def ack_for(response, uri):
    """An ACK for a non-2xx final response to an INVITE (RFC 3261 17.1.1.3),
    built from the headers the response echoes."""
    via = response.all("via")
    if not via or not response.cseq or response.header("from") is None:
        return None
    return (f"ACK {uri} SIP/2.0\r\nVia: {via[0]}\r\nMax-Forwards: 70\r\n"
            f"From: {response.header('from')}\r\nTo: {response.header('to') or ''}\r\n"
            f"Call-ID: {response.call_id or ''}\r\nCSeq: {response.cseq[0]} ACK\r\n"
            f"Content-Length: 0\r\n\r\n").encode()


def bye_for(response, uri):
    """A BYE ending a dialog a 2xx created (only for an agent that answered
    a PROTOS INVITE, which the tests count as a failure anyway)."""
    ack = ack_for(response, uri)
    if ack is None:
        return None
    return (ack.replace(b"ACK " + uri.encode(), b"BYE " + uri.encode(), 1)
            .replace(f"CSeq: {response.cseq[0]} ACK".encode(),
                     f"CSeq: {response.cseq[0] + 1} BYE".encode()))


class _Flight:
    """One case on its way: over a UDP socket of its own (its <Local-Port>)
    or a TCP connection of its own."""

    def __init__(self, driver, case, conn=None):
        self.case = case
        self.conn = conn
        self.sock = driver.free_sockets.pop() if conn is None else driver.tcp_reply
        self.port = driver.port if conn is None else driver.tcp_port
        self.driver = driver
        self.buffer = b""
        self.closed = False
        self.torn_down = False
        self.torn_down_at = 0.0
        invite, self.teardown = driver.render(case, self.sock.getsockname()[1], self.port)
        if conn is not None:
            # The cases were written for UDP: over TCP their Via must say
            # so, or the agent rightly drops them (RFC 3261 18.2.1) and the
            # oversized headers are never parsed.
            invite, self.teardown = (_via_over_tcp(invite), _via_over_tcp(self.teardown))
        self.outcome = Outcome(case, "udp" if conn is None else "tcp")
        self.outcome.size = len(invite)
        self.deadline = time.monotonic() + driver.quiet
        self.send(invite, "INVITE")

    def send(self, data, what):
        try:
            if self.conn is not None:
                if not self.closed:
                    self.conn.sendall(data)
            else:
                self.sock.sendto(data, (LOOPBACK, self.port))
        except OSError as error:
            # e.g. an ACK echoing a 64 KB header is too long for a datagram.
            self.outcome.other.append(f"{what} not sent: {error}")

    def tear_down(self):
        self.torn_down = True
        self.torn_down_at = time.monotonic()
        self.deadline = time.monotonic() + self.driver.settle
        self.resend_interval = T1
        self.resend_at = self.torn_down_at + T1
        if self.teardown:
            self.send(self.teardown, "teardown")

    def resend_teardown(self, now):
        """Over UDP a client sends its CANCEL again until it is answered
        (RFC 3261 17.1.2.2, Timer E): datagrams this big are lost when the
        agent's receive buffer is full of other cases, as they are in any
        network, and one lost CANCEL is not the agent's fault."""
        if (self.conn is None and self.torn_down and self.teardown and not self.outcome.teardown
                and self.outcome.final is None and now >= self.resend_at):
            self.send(self.teardown, "teardown")
            self.resend_interval = min(self.resend_interval * 2, T2)
            self.resend_at = now + self.resend_interval

    def read_stream(self):
        try:
            chunk = self.conn.recv(65536)
        except OSError:
            chunk = b""
        if not chunk:
            self.closed = True
            self.outcome.other.append("connection closed by the agent")
            self.deadline = time.monotonic()
            return []
        self.buffer += chunk
        done, self.buffer = split_stream(self.buffer)
        return [SipMessage.parse(m) for m in done]

    def finish(self):
        if self.conn is not None:
            self.conn.close()
        else:
            self.driver.free_sockets.append(self.sock)


class ProtosDriver:
    """Sends cases to a user agent: UDP to `port`, those that do not fit in
    one datagram over TCP to `tcp_port` (None: they are listed in
    `unsent`), up to `parallel` cases at a time.

    quiet: seconds without an answer after which the INVITE counts as
    dropped and its teardown is sent; settle: seconds to wait after the
    teardown for the INVITE's final response."""

    def __init__(self, cases, port, user, tcp_port=None, parallel=32, quiet=0.5, settle=0.8,
                 nonce=None):
        self.cases = cases
        self.port = port
        self.user = user
        self.tcp_port = tcp_port
        self.quiet = quiet
        self.settle = settle
        self.nonce = nonce or f"{os.getpid():x}{time.monotonic_ns() & 0xffffff:x}"
        self.sockets = [self._udp_socket() for _ in range(parallel)]
        self.free_sockets = list(self.sockets)
        # Where a response to a TCP case goes if the agent follows its
        # Via (which says UDP) instead of the connection.
        self.tcp_reply = self._udp_socket()
        self.flights = []
        self.live = {}
        self.by_key = {}
        self.outcomes = {}
        self.unsent = []
        self.strays = []

    @staticmethod
    def _udp_socket():
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((LOOPBACK, 0))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        return sock

    def close(self):
        for flight in self.flights:
            flight.finish()
        for sock in self.sockets + [self.tcp_reply]:
            sock.close()

    def uri(self, port=None):
        return f"sip:{self.user}@{LOOPBACK}:{port or self.port}"

    def render(self, case, local_port, port):
        invite, teardown = self.cases[case]
        values = {"<To>": f"{self.user}@{LOOPBACK}:{port}",
                  "<From>": f"protos@{LOOPBACK}:{local_port}",
                  "<From-Address>": LOOPBACK, "<From-IP>": LOOPBACK,
                  "<Local-Port>": local_port,
                  "<Branch-ID>": f"{self.nonce}x{case}",
                  "<Call-ID>": f"protos{case:07d}.{self.nonce}",
                  "<CSeq>": case + 1, "<Teardown-Method>": "CANCEL"}
        return substitute(invite, values), substitute(teardown, values)

    def _record(self, outcome, message, reply):
        """Notes one response; ACKs a final one to the INVITE (and BYEs a 2xx)."""
        method = _method_of(message)
        status = message.status or 0
        if method == "INVITE" or method is None:
            if status not in outcome.invite or status < 200:
                outcome.invite.append(status)
            if status >= 200:
                ack = ack_for(message, self.uri())
                if ack is not None:
                    reply(ack, "ACK")
                if status < 300:
                    bye = bye_for(message, self.uri())
                    if bye is not None:
                        reply(bye, "BYE")
        elif method == "CANCEL":
            outcome.teardown.append(status)
        else:
            outcome.other.append(f"{status} {method}")

    def _take(self, message, flight, sock):
        """A message that arrived on `sock` (the socket or connection of
        `flight`, if any): recorded for the case with its Call-ID, else for
        `flight`'s case; a final response is ACKed where it came from."""
        if not message.is_response:
            self.strays.append(message.start_line)
            return
        outcome = self.by_key.get(_key(message)) or (flight and flight.outcome)
        if outcome is None:
            self.strays.append(message.start_line)
            return
        current = self.live.get(outcome)
        if current is not None and (current.conn is None or current.conn is sock):
            reply = current.send
        elif current is not None and current.conn is not None:
            reply = current.send       # a Via-UDP response to a TCP case
        else:
            def reply(data, what):
                _send_quietly(sock, data, self.tcp_port if outcome.transport == "tcp"
                              else self.port)
        self._record(outcome, message, reply)
        if current is None:
            return
        status = message.status or 0
        if not current.torn_down and status >= 180:
            current.tear_down()
        elif current.torn_down and outcome.final is not None:
            current.deadline = min(current.deadline, time.monotonic() + 0.05)

    def _launch(self, case, transport):
        conn = None
        if transport == "tcp":
            try:
                conn = socket.create_connection((LOOPBACK, self.tcp_port), timeout=5)
            except OSError as error:
                outcome = Outcome(case, "tcp")
                outcome.other.append(f"connect failed: {error}")
                self.outcomes[case] = outcome
                return
            conn.setblocking(False)
        flight = _Flight(self, case, conn)
        self.outcomes[case] = flight.outcome
        self.live[flight.outcome] = flight
        key = _key(SipMessage.parse(self.render(case, 1, 1)[0]))
        if key[0] and key[1] is not None:
            self.by_key.setdefault(key, flight.outcome)
        self.flights.append(flight)

    def _step(self):
        now = time.monotonic()
        for flight in list(self.flights):
            flight.resend_teardown(now)
            if now < flight.deadline:
                continue
            if not flight.torn_down and not flight.closed:
                flight.tear_down()
            elif (flight.outcome.invite and flight.outcome.final is None and not flight.closed
                  and now < flight.torn_down_at + FINAL_WAIT):
                # Answered but not ended yet: its 487 may be slow under load.
                flight.deadline = now + 0.1
            else:
                self.flights.remove(flight)
                self.live.pop(flight.outcome, None)
                flight.finish()
        wait = min([f.deadline for f in self.flights], default=now + 0.05) - now
        sockets = {sock: None for sock in self.sockets}
        sockets[self.tcp_reply] = None
        for flight in self.flights:
            sockets[flight.conn if flight.conn is not None else flight.sock] = flight
        readable, _, _ = select.select(list(sockets), [], [], max(0.0, min(wait, 0.05)))
        for sock in readable:
            flight = sockets[sock]
            if flight is not None and flight.conn is sock:
                for message in flight.read_stream():
                    self._take(message, flight, sock)
                continue
            try:
                data, _ = sock.recvfrom(65535)
            except OSError:
                continue
            self._take(SipMessage.parse(data), flight, sock)

    def run_again(self, case, quiet=3.0):
        """Sends one case again, alone, as a new request (new Call-ID and
        branch), waiting `quiet` seconds for an answer; its Outcome."""
        saved = self.nonce, self.quiet
        self.nonce, self.quiet = f"{self.nonce}r", quiet
        try:
            return self.run([case])[0]
        finally:
            self.nonce, self.quiet = saved

    def run(self, numbers):
        """Sends the given cases, `parallel` at a time (and TCP_PARALLEL
        TCP ones beside them); returns their Outcomes in order."""
        numbers = list(numbers)
        udp, tcp = [], []
        for case in numbers:
            size = len(self.render(case, 65535, self.port)[0])
            (udp if size <= UDP_MAX else tcp).append(case)
        if self.tcp_port is None:
            self.unsent += tcp
            tcp = []
        while udp or tcp or self.flights:
            while udp and self.free_sockets:
                self._launch(udp.pop(0), "udp")
            while tcp and sum(f.conn is not None for f in self.flights) < TCP_PARALLEL:
                self._launch(tcp.pop(0), "tcp")
            self._step()
        return [self.outcomes[case] for case in numbers if case in self.outcomes]


def cancel_for(request):
    """A CANCEL for a raw INVITE (RFC 3261 9.1), or b"" for other requests:
    the teardown that lets messages other than PROTOS cases go through
    ProtosDriver (as cases {number: (message, cancel_for(message))})."""
    message = SipMessage.parse(request)
    if message.method != "INVITE" or not message.cseq or not message.all("via"):
        return b""
    return (f"CANCEL {message.uri} SIP/2.0\r\nVia: {message.all('via')[0]}\r\n"
            f"Max-Forwards: 70\r\nFrom: {message.header('from') or ''}\r\n"
            f"To: {message.header('to') or ''}\r\nCall-ID: {message.call_id or ''}\r\n"
            f"CSeq: {message.cseq[0]} CANCEL\r\nContent-Length: 0\r\n\r\n").encode()


def _via_over_tcp(data):
    return re.sub(rb"(?im)^(Via:[ \t]*SIP/2\.0/)UDP", rb"\1TCP", data, count=1)


def _key(message):
    """(Call-ID, CSeq number): unique per case (some groups share a mangled
    Call-ID, the CSeq is the case number unless that is what is mangled)."""
    return message.call_id, message.cseq[0] if message.cseq else None


def _send_quietly(sock, data, port):
    try:
        sock.sendto(data, (LOOPBACK, port))
    except OSError:
        pass
