# SPDX-License-Identifier: GPL-2.0-or-later
"""RFC 4475 and RFC 5118 torture messages against a deskphone line.

deskphoned runs with line 1 enabled on a free port (SIP_Port_1_ = 0, read
back from `deskphonectl status --json` ports.sip."1"), lines 2-6 disabled
and no registration. Every message of ../shared/corpora/rfc4475 and
rfc5118/wire is sent as it is stored; after each one the response (or its
absence) is judged against the handling its index.tsv row asks of a UA, the
daemon must still run, and a normal OPTIONS must still get 200.

Decisions (the index text is prose; this is how it is read for a UA that is
not a registrar or proxy):
- Transport: a message whose top Via says TCP or TLS is sent over TCP (its
  response can only come back on that connection); the others as one UDP
  datagram (if the line does not accept TCP, over UDP too, and then silence
  is acceptable for them). clerr, ncl and mcl01 are also sent over TCP, where the RFC asks
  to wait and/or close: a 400, a close or silence are all fine there, any
  other response is not.
- Where to listen over UDP: RFC 3261 18.2.2 sends a response to the source
  address but the Via's sent-by port (5060 when absent) unless the Via has
  rport. The test listens on its sending socket and on 127.0.0.1 at each
  Via port (5060, 5050, 6050, 19823 ...), and matches responses by Call-ID.
  If such a port cannot be bound, the affected messages fail naming it.
- "Accept as well-formed" (valid requests) = a response is required and it
  is neither 400 nor a 5xx other than 501. An INVITE that is only ringing
  counts as accepted; the test then CANCELs it (and ACKs final responses)
  so calls do not pile up.
- OPTIONS whose Request-URI names another user may get 200 or 404.
- REGISTER at a UA that is not a registrar: 405 or 501 (never 400 when the
  message is valid).
- Invalid messages: the listed code(s), or silent discard where the message
  cannot be answered (broken Via, wrong version) or the RFC allows it.
- Responses (unreason, noreason, scalarlg, bigcode, bcast) must be dropped.

The daemon runs with DESKPHONE_AUDIO_SOURCE/SINK set to silence and a
fakesink (no sound card here), as sippeers.start_sip_phone does. Responses
are matched by Call-ID and CSeq (several RFC 5118 messages share a Call-ID),
and the 487 of a CANCELled INVITE is ACKed so it is not retransmitted into
the next message's check. A missing sip plugin fails the suite.
"""

import fcntl
import glob
import os
import re
import shutil
import sys
import tempfile
import time
import unittest

from dptest import BUILD_ROOT, SHARED_DIR, Bus, Phone, wait_for
from peers import LOOPBACK, SipMessage, TcpSipConnection, UdpSipSocket, sip_options

SIP_PLUGIN_FILES = glob.glob(os.path.join(BUILD_ROOT, "plugins", "sip", "*.plugin")) \
    if BUILD_ROOT else []

ACCEPTED = "accepted"      # any response but 400 and 5xx other than 501
OPTIONS_OK = {200, 404}
REGISTER_AT_UA = {405, 501}


class Expect:
    def __init__(self, codes, drop_ok=False, transport="udp", framing=False, check=None):
        self.codes = codes          # set of final codes, ACCEPTED, or () for "must drop"
        self.drop_ok = drop_ok
        self.transport = transport
        self.framing = framing      # also sent over TCP as a stream-framing case
        self.check = check          # extra check(test, request bytes, responses)


def _allow_listed(test, data, responses):
    final = [r for r in responses if r.status == 501]
    if final:
        test.assertTrue(final[0].header("allow"), "501 without an Allow header")


def _unsupported_listed(test, data, responses):
    final = [r for r in responses if r.status == 420]
    if final:
        test.assertIn("nothingSupportsThis", final[0].header("unsupported") or "",
                      "420 must list the unsupported option-tags")


def _register_only(test, data, responses):
    methods = {r.cseq[1] for r in responses if r.cseq}
    test.assertNotIn("INVITE", methods,
                     "the octets after the REGISTER's body were taken as an INVITE")


def _liberal(codes):
    """400, or (a liberal parser) normal handling."""
    return ("liberal", frozenset(codes))


RFC4475 = {
    "wsinv.dat": Expect(ACCEPTED),
    "intmeth.dat": Expect({501}, transport="tcp", check=_allow_listed),
    "esc01.dat": Expect(ACCEPTED),
    "escnull.dat": Expect(REGISTER_AT_UA),
    "esc02.dat": Expect({501}, transport="tcp", check=_allow_listed),
    "lwsdisp.dat": Expect(OPTIONS_OK),
    "longreq.dat": Expect(ACCEPTED, transport="tcp"),
    "dblreq.dat": Expect(REGISTER_AT_UA, check=_register_only),
    "semiuri.dat": Expect(OPTIONS_OK),
    "transports.dat": Expect(OPTIONS_OK),
    "mpart01.dat": Expect(ACCEPTED),
    "unreason.dat": Expect(()),
    "noreason.dat": Expect(()),
    "badinv01.dat": Expect({400}, drop_ok=True),
    "clerr.dat": Expect({400}, drop_ok=True, framing=True),
    "ncl.dat": Expect({400}, drop_ok=True, framing=True),
    "scalar02.dat": Expect({400}, drop_ok=True, transport="tcp"),
    "scalarlg.dat": Expect((), transport="tcp"),
    "quotbal.dat": Expect(_liberal({400}), drop_ok=True),
    "ltgtruri.dat": Expect(_liberal({400}), drop_ok=True),
    "lwsruri.dat": Expect(_liberal({400}), drop_ok=True),
    "lwsstart.dat": Expect(_liberal({400}), drop_ok=True),
    "trws.dat": Expect({400} | OPTIONS_OK, drop_ok=True, transport="tcp"),
    "escruri.dat": Expect(_liberal({400}), drop_ok=True),
    "baddate.dat": Expect(_liberal({400})),
    "regbadct.dat": Expect({400} | REGISTER_AT_UA, drop_ok=True),
    "badaspec.dat": Expect({400} | OPTIONS_OK, drop_ok=True),
    "baddn.dat": Expect({400} | OPTIONS_OK, drop_ok=True),
    "badvers.dat": Expect({505, 400}, drop_ok=True),
    "mismatch01.dat": Expect({400}, drop_ok=True),
    "mismatch02.dat": Expect({501, 400}, drop_ok=True),
    "bigcode.dat": Expect(()),
    "badbranch.dat": Expect({400} | OPTIONS_OK),
    "insuf.dat": Expect({400}, drop_ok=True),
    "unkscm.dat": Expect({416}, transport="tcp"),
    "novelsc.dat": Expect({416, 404}, transport="tcp"),
    "unksm2.dat": Expect({400, 416} | REGISTER_AT_UA),
    "bext01.dat": Expect({420}, transport="tcp", check=_unsupported_listed),
    "invut.dat": Expect({415}),
    "regaut01.dat": Expect({401} | REGISTER_AT_UA, transport="tcp"),
    "multi01.dat": Expect({400}, drop_ok=True),
    "mcl01.dat": Expect({400}, drop_ok=True, framing=True),
    "bcast.dat": Expect(()),
    "zeromf.dat": Expect(OPTIONS_OK),
    "cparam01.dat": Expect(REGISTER_AT_UA),
    "cparam02.dat": Expect(REGISTER_AT_UA),
    "regescrt.dat": Expect(REGISTER_AT_UA),
    "sdp01.dat": Expect({406}),
    "inv2543.dat": Expect(ACCEPTED),
    "test.dat": Expect({400}, drop_ok=True),
}

RFC5118 = {
    "ipv6-good": Expect(REGISTER_AT_UA),
    "ipv6-bad": Expect({400}, drop_ok=True),
    "port-ambiguous": Expect(REGISTER_AT_UA),
    "port-unambiguous": Expect(REGISTER_AT_UA),
    "via-received-param-with-delim": Expect({481}),
    "via-received-param-no-delim": Expect(OPTIONS_OK),
    "ipv6-in-sdp": Expect(ACCEPTED),
    "mult-ip-in-header": Expect({481}),
    "mult-ip-in-sdp": Expect(ACCEPTED),
    "ipv4-mapped-ipv6": Expect(ACCEPTED),
    "ipv6-bug-abnf-3-colons": Expect(OPTIONS_OK),
    "ipv6-correct-abnf-2-colons": Expect(OPTIONS_OK),
}


def read_index(corpus):
    path = os.path.join(SHARED_DIR, "corpora", corpus, "index.tsv")
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    header = rows[0]
    return [dict(zip(header, row)) for row in rows[1:]]


def first_header(data, *names):
    """Value of the first header with one of `names` (raw, before any fold)."""
    pattern = r"(?im)^(?:%s)[ \t]*:[ \t]*([^\r\n]*)" % "|".join(map(re.escape, names))
    match = re.search(pattern, data.decode("utf-8", errors="replace"))
    return match.group(1).strip() if match else None


def via_port(data):
    """The UDP port a response to this request goes to without rport: the
    top Via's sent-by port, 5060 when it has none."""
    via = first_header(data, "Via", "v") or ""
    match = re.search(r"SIP\s*/\s*[\d.]+\s*/\s*\w+\s+(\[[^\]]*\]|[^\s;:,]+)(?:\s*:\s*(\d+))?",
                      via)
    return int(match.group(2)) if match and match.group(2) else 5060


def judge(codes, response):
    """Whether one response code fits an expectation."""
    if codes == ACCEPTED:
        return response != 400 and not (500 <= response < 600 and response != 501)
    if isinstance(codes, tuple) and len(codes) == 2 and codes[0] == "liberal":
        return response in codes[1] or judge(ACCEPTED, response)
    return response in codes


def describe(codes):
    if codes == ACCEPTED:
        return "accepted (not 400, no 5xx but 501)"
    if isinstance(codes, tuple) and len(codes) == 2 and codes[0] == "liberal":
        return f"{sorted(codes[1])} or accepted"
    return str(sorted(codes)) if codes else "no response (drop)"


def _invite_with_accept(accept, port, local_port):
    """A valid INVITE with an SDP offer and the given Accept header."""
    tag = time.monotonic_ns()
    sdp = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
    return (f"INVITE sip:1001@{LOOPBACK}:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {LOOPBACK}:{local_port};branch=z9hG4bKacc{tag};rport\r\n"
            f"Max-Forwards: 70\r\nFrom: <sip:acc@{LOOPBACK}>;tag=a{tag}\r\n"
            f"To: <sip:1001@{LOOPBACK}:{port}>\r\nCall-ID: accept-{tag}@{LOOPBACK}\r\n"
            f"CSeq: 1 INVITE\r\nContact: <sip:acc@{LOOPBACK}:{local_port}>\r\n"
            f"Accept: {accept}\r\nContent-Type: application/sdp\r\n"
            f"Content-Length: {len(sdp)}\r\n\r\n{sdp}").encode()


# The Via ports above are fixed numbers: two runs of this test on one machine
# (two build trees, two engineers) would each find them taken by the other.
# Every run holds this lock while it listens, so a second one waits its turn.
PORTS_LOCK = os.path.join(tempfile.gettempdir(), "deskphone-sip-torture-ports.lock")


def lock_via_ports(timeout=300.0):
    """An open file holding PORTS_LOCK (closing it releases the lock)."""
    handle = open(PORTS_LOCK, "a")

    def acquired():
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    try:
        wait_for(acquired, timeout=timeout, interval=0.5,
                 what=f"another sip_torture run to release {PORTS_LOCK}")
    except BaseException:
        handle.close()
        raise
    return handle


class SipTortureTest(unittest.TestCase):
    """One deskphoned for the class; restarted if a message killed it."""

    @classmethod
    def setUpClass(cls):
        cls.ports_lock = lock_via_ports()
        try:
            cls.set_up_phone()
        except BaseException:
            cls.ports_lock.close()
            raise

    @classmethod
    def set_up_phone(cls):
        if not SHARED_DIR:
            raise AssertionError("DP_SHARED_DIR is not set")
        if not SIP_PLUGIN_FILES:
            # The sip plugin is part of every build: its absence is a failure,
            # never a silent skip of the torture suite.
            raise AssertionError("sip plugin not built (no "
                                 f"{os.path.join(BUILD_ROOT or '$DP_BUILD_ROOT', 'plugins', 'sip', '*.plugin')})")
        cls.folder = tempfile.mkdtemp(prefix="dp-torture-")
        cls.bus = Bus(cls.folder)
        profile = os.path.join(cls.folder, "line1.xml")
        lines = "".join(f"<Line_Enable_{n}_>No</Line_Enable_{n}_>" for n in range(2, 7))
        with open(profile, "w") as f:
            f.write("<flat-profile><Line_Enable_1_>Yes</Line_Enable_1_>"
                    "<SIP_Port_1_>0</SIP_Port_1_><User_ID_1_>1001</User_ID_1_>"
                    "<Register_1_>No</Register_1_><Proxy_1_></Proxy_1_>"
                    f"{lines}</flat-profile>")
        cls.profile = profile
        cls.phone = None
        cls.listeners = {}
        cls.unbindable = {}
        cls.probe = UdpSipSocket()
        cls.start_phone()

    @classmethod
    def start_phone(cls):
        if cls.phone is not None:
            cls.phone.kill()
        cls.phone = Phone(cls.folder, cls.bus, ("--profile", cls.profile))
        # No sound card here: an INVITE that rings or is answered must not
        # wait for a real audio device (as sippeers.start_sip_phone does).
        cls.phone.env["DESKPHONE_AUDIO_SOURCE"] = "audiotestsrc is-live=true wave=silence"
        cls.phone.env["DESKPHONE_AUDIO_SINK"] = "fakesink sync=false"
        cls.phone.start()
        status = cls.phone.ctl_json("status")
        plugins = {p["name"]: p for p in status["plugins"]}
        if not plugins.get("sip", {}).get("loaded"):
            raise AssertionError(f"sip plugin is built ({SIP_PLUGIN_FILES}) but did not load: "
                                 f"{plugins.get('sip')}\n{cls.phone.read_log()[-3000:]}")
        cls.port = int(status["ports"]["sip"]["1"])

    @classmethod
    def tearDownClass(cls):
        cls.probe.close()
        for listener in cls.listeners.values():
            listener.close()
        if cls.phone is not None:
            cls.phone.kill()
        cls.bus.stop()
        shutil.rmtree(cls.folder, ignore_errors=True)
        cls.ports_lock.close()

    def listener(self, port):
        if port not in self.listeners and port not in self.unbindable:
            try:
                self.listeners[port] = UdpSipSocket(port)
            except OSError as error:
                self.unbindable[port] = str(error)
        return self.listeners.get(port)

    def setUp(self):
        if self.phone.process.poll() is not None:
            # An earlier message killed the daemon (that test failed): start a
            # fresh one so one crash does not hide the other results.
            type(self).start_phone()

    # -- the phone's own 406 rule (dp-sip-line.c), beyond sdp01 ------------
    def check_accept(self, accept, refused):
        data = _invite_with_accept(accept, self.port, self.probe.port)
        responses, _ = self.send_udp(data)
        codes = [r.status for r in responses]
        if refused:
            self.assertIn(406, codes, f"Accept: {accept}")
        else:
            self.assertNotIn(406, codes, f"Accept: {accept}")
            self.assertTrue(codes, f"Accept: {accept}: no response")
        self.end_invite(data, responses, lambda m: self.probe.send(m, LOOPBACK, self.port),
                        lambda: self.wait_invite_final(data, self.probe.port))
        self.still_serving(f"Accept: {accept}")

    def test_accept_variants(self):
        """application/sdp, application/* or */* with q > 0 is needed."""
        self.check_accept("application/*;q=0.5", refused=False)
        self.check_accept("text/plain, */*", refused=False)
        self.check_accept("text/html, application/SDP", refused=False)
        self.check_accept("application/sdp;q=0", refused=True)
        self.check_accept("text/plain", refused=True)

    # -- sending ---------------------------------------------------------
    def send_udp(self, data, wait_final=2.0, wait_invite=4.0):
        call_id = first_header(data, "Call-ID", "i")
        # Several RFC 5118 messages share one Call-ID (and branch): a
        # response belongs to this request only if its CSeq matches too
        # (RFC 3261 17.1.3), else e.g. the 487 of an earlier INVITE still
        # being retransmitted to the same Via port would count here.
        cseq = SipMessage.parse(data).cseq
        port = via_port(data)
        listeners = [self.probe] + ([self.listener(port)] if self.listener(port) else [])
        is_invite = data.startswith(b"INVITE")
        since = self.probe.send(data, LOOPBACK, self.port)
        deadline = time.monotonic() + (wait_invite if is_invite else wait_final)

        def responses():
            found = []
            for listener in listeners:
                found += [m for m in listener.messages_since(since) if m.is_response
                          and (call_id is None or m.call_id == call_id)
                          and (cseq is None or m.cseq == cseq)]
            return found
        while time.monotonic() < deadline:
            found = responses()
            if any((r.status or 0) >= 200 for r in found):
                break
            if is_invite and any((r.status or 0) >= 180 for r in found):
                # Ringing: the INVITE was accepted. A refusal would have come
                # instead of the 18x, so waiting the full time only slows the
                # suite; a final that follows at once is still taken.
                deadline = min(deadline, time.monotonic() + 0.3)
            time.sleep(0.05)
        return responses(), port

    def send_tcp(self, data, timeout=3.0):
        connection = TcpSipConnection(LOOPBACK, self.port)
        try:
            connection.send(data)
            messages = connection.read(timeout, until=lambda ms: any(
                m.is_response and (m.status or 0) >= 200 for m in ms))
            return [m for m in messages if m.is_response], connection
        except OSError:
            connection.close()
            raise

    # -- clean-up of INVITEs ---------------------------------------------
    def end_invite(self, data, responses, send, wait_final=None):
        """ACKs a final response, or CANCELs a ringing INVITE (best effort:
        built from the response's echoed headers)."""
        if not data.startswith(b"INVITE") or not responses:
            return
        last = responses[-1]
        if not (last.header("via") and last.cseq and last.header("from")):
            return
        parts = data.split(b"\r\n", 1)[0].split()
        uri = parts[1].decode(errors="replace") if len(parts) > 2 else f"sip:{LOOPBACK}"

        def request(method, to):
            return (f"{method} {uri} SIP/2.0\r\nVia: {last.all('via')[0]}\r\n"
                    f"Max-Forwards: 70\r\nFrom: {last.header('from')}\r\nTo: {to}\r\n"
                    f"Call-ID: {last.call_id}\r\nCSeq: {last.cseq[0]} {method}\r\n"
                    f"Content-Length: 0\r\n\r\n").encode()
        if (last.status or 0) >= 200:
            send(request("ACK", last.header("to")))
            if 200 <= last.status < 300:
                bye = request("BYE", last.header("to")).replace(
                    f"CSeq: {last.cseq[0]} BYE".encode(), f"CSeq: {last.cseq[0] + 1} BYE".encode())
                send(bye)
        else:
            to = re.sub(r";\s*tag=[^;>\s]*", "", last.header("to") or "")
            send(request("CANCEL", to))
            if wait_final is not None:
                # The INVITE then ends with 487, retransmitted until ACKed.
                final = wait_final()
                if final is not None:
                    send(request("ACK", final.header("to")))

    def wait_invite_final(self, data, port, timeout=2.0):
        """The final response to a CANCELled INVITE (on the probe or at its
        Via port), or None."""
        call_id = first_header(data, "Call-ID", "i")
        cseq = SipMessage.parse(data).cseq
        listeners = [self.probe] + ([self.listener(port)] if self.listener(port) else [])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for listener in listeners:
                for m in listener.messages_since(0):
                    if (m.is_response and m.call_id == call_id and m.cseq == cseq
                            and (m.status or 0) >= 200):
                        return m
            time.sleep(0.05)
        return None

    # -- the check -------------------------------------------------------
    def exercise(self, name, data, expect):
        transport = expect.transport
        if transport == "tcp" and not self.tcp_available():
            # A UDP-only line: the response to a Via-TCP request would need a
            # TCP connection to the Via host, so silence is acceptable here.
            transport = "udp"
            expect = Expect(expect.codes, drop_ok=True, check=expect.check,
                            framing=expect.framing)
        if transport == "udp":
            responses, port = self.send_udp(data)
            where = f"UDP (listening on the source port and {port})"
            if port in self.unbindable and not responses and not expect.drop_ok:
                self.fail(f"{name}: could not listen on UDP {port} where its responses go: "
                          f"{self.unbindable[port]}")
            self.judge(name, data, expect, responses, where)
            self.end_invite(data, responses,
                            lambda m: self.probe.send(m, LOOPBACK, self.port),
                            lambda: self.wait_invite_final(data, port))
        else:
            responses, connection = self.send_tcp(data)
            try:
                self.judge(name, data, expect, responses, "TCP")
                self.end_invite(data, responses, connection.send)
            finally:
                connection.close()
        if expect.framing:
            self.framing_over_tcp(name, data)
        self.still_serving(name)

    def tcp_available(self):
        try:
            TcpSipConnection(LOOPBACK, self.port, timeout=1).close()
            return True
        except OSError:
            print(f"\nnote: line 1 does not accept TCP on {self.port}; Via-TCP messages go "
                  "over UDP", file=sys.stderr)
            return False

    def judge(self, name, data, expect, responses, where):
        finals = [r for r in responses if (r.status or 0) >= 200]
        seen = [r.start_line for r in responses]
        if expect.codes == ():
            self.assertEqual(responses, [], f"{name}: must be dropped, got {seen} over {where}")
            return
        if not responses:
            self.assertTrue(expect.drop_ok, f"{name}: no response over {where}; expected "
                            f"{describe(expect.codes)}")
            return
        if finals:
            codes = {r.status for r in finals}
            self.assertEqual(len(codes), 1, f"{name}: different final responses {seen}")
            self.assertTrue(judge(expect.codes, finals[0].status),
                            f"{name}: got {finals[0].start_line!r} over {where}, expected "
                            f"{describe(expect.codes)}")
        else:
            # Only provisional: fine for an INVITE being handled normally.
            self.assertTrue(expect.codes == ACCEPTED or isinstance(expect.codes, tuple),
                            f"{name}: only {seen} over {where}, expected "
                            f"{describe(expect.codes)}")
        if expect.check:
            expect.check(self, data, responses)

    def framing_over_tcp(self, name, data):
        """clerr/ncl/mcl01 on a stream: 400, a close or silence; nothing else."""
        if not self.tcp_available():
            return
        connection = TcpSipConnection(LOOPBACK, self.port)
        try:
            connection.send(data)
            messages = connection.read(3.0)
            other = [m.start_line for m in messages if m.is_response and m.status != 400]
            self.assertEqual(other, [], f"{name} over TCP: framing error answered with {other}")
        finally:
            connection.close()

    def still_serving(self, name):
        self.assertIsNone(self.phone.process.poll(),
                          f"deskphoned died after {name}:\n{self.phone.read_log()[-4000:]}")
        reply = sip_options(LOOPBACK, self.port, user="1001", timeout=5)
        self.assertIsNotNone(reply, f"no answer within 5 s to a plain OPTIONS after {name}; "
                             f"daemon log:\n{self.phone.read_log()[-3000:]}")
        self.assertEqual(reply.status, 200, f"OPTIONS after {name}: {reply.start_line}")


class CorpusCoverageTest(unittest.TestCase):
    """The expectation tables cover exactly the corpora's index.tsv rows."""

    @unittest.skipUnless(SHARED_DIR, "DP_SHARED_DIR is not set")
    def test_every_indexed_message_has_an_expectation(self):
        self.assertEqual({r["file"] for r in read_index("rfc4475")}, set(RFC4475))
        self.assertEqual({r["name"] for r in read_index("rfc5118")}, set(RFC5118))
        for name in RFC4475:
            self.assertTrue(os.path.exists(os.path.join(SHARED_DIR, "corpora", "rfc4475", name)))
        for name in RFC5118:
            self.assertTrue(os.path.exists(os.path.join(SHARED_DIR, "corpora", "rfc5118", "wire",
                                                        name + ".sip")))

    def test_via_port_and_judge(self):
        self.assertEqual(via_port(b"OPTIONS x SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com\r\n"), 5060)
        self.assertEqual(via_port(b"X\r\nv: SIP/2.0/UDP 192.0.2.59:5050;branch=z\r\n"), 5050)
        self.assertEqual(via_port(b"X\r\nVia: SIP/2.0/UDP [::ffff:192.0.2.10]:19823;b\r\n"), 19823)
        self.assertEqual(via_port(b"X\r\nVia: SIP/2.0/UDP [2001:db8::9:1];branch=z\r\n"), 5060)
        self.assertTrue(judge(ACCEPTED, 180))
        self.assertTrue(judge(ACCEPTED, 501))
        self.assertFalse(judge(ACCEPTED, 400))
        self.assertFalse(judge(ACCEPTED, 500))
        self.assertTrue(judge(_liberal({400}), 400))
        self.assertTrue(judge(_liberal({400}), 486))
        self.assertFalse(judge({416}, 400))


def _add_tests():
    """One test method per message, named after it."""
    def make(path, expect, label):
        def test(self):
            with open(path, "rb") as f:
                data = f.read()
            self.exercise(label, data, expect)
        return test
    for name, expect in RFC4475.items():
        path = os.path.join(SHARED_DIR, "corpora", "rfc4475", name)
        method = "test_rfc4475_" + re.sub(r"\W", "_", name[:-4])
        setattr(SipTortureTest, method, make(path, expect, "rfc4475/" + name))
    for name, expect in RFC5118.items():
        path = os.path.join(SHARED_DIR, "corpora", "rfc5118", "wire", name + ".sip")
        method = "test_rfc5118_" + re.sub(r"\W", "_", name)
        setattr(SipTortureTest, method, make(path, expect, "rfc5118/" + name))


_add_tests()

if __name__ == "__main__":
    unittest.main(verbosity=2)
