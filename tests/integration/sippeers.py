# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for the sip plugin's integration tests (test_sip_*.py): a phone
test case that starts deskphoned with the sip plugin from the build tree and
configures its line 1, and small waits on `deskphonectl lines/calls`. The
peers themselves (kamailio, baresip, sipp) come from peers.py."""

import json
import os
import re
import time

from dptest import Phone, PhoneTestCase, wait_for
from peers import LOOPBACK, free_port


def flat_profile(values):
    """A flat-profile XML setting the given parameters."""
    def escape(text):
        return (str(text).replace("&", "&amp;").replace("<", "&lt;")
                .replace(">", "&gt;"))
    body = "".join(f"  <{name}>{escape(value)}</{name}>\n" for name, value in values.items())
    return f"<flat-profile>\n{body}</flat-profile>\n"


class SipPhoneTestCase(PhoneTestCase):
    """A deskphoned whose line 1 is set up by the test; peers on 127.0.0.1."""

    BASE = {
        "SIP_Bind_Address": LOOPBACK,
        "SIP_Port_1_": "0",
        "Reg_Retry_Intvl": "2",
    }
    # Each phone gets its own RTP range (RTP_Port_Min..Max, a free span
    # outside the ephemeral ports, see peers.free_port): a fixed range shared
    # by test processes running in parallel would have their calls clash.
    RTP_SPAN = 100

    def setUp(self):
        super().setUp()
        self.peers = []

    def tearDown(self):
        for peer in reversed(self.peers):
            try:
                peer.stop()
            except Exception:   # a failed peer must not hide the test's own error
                pass
        super().tearDown()

    def peer(self, peer):
        """Registers a peer for stopping in tearDown and starts it."""
        self.peers.append(peer)
        return peer

    # The media plugin is loaded with the sip plugin: calls carry real RTP.
    # The machine has no sound card, so the phone sends silence and drops
    # what it receives unless a test asks for a tone or a recording.
    SILENT_SOURCE = "audiotestsrc is-live=true wave=silence"
    NULL_SINK = "fakesink sync=false"

    def start_sip_phone(self, audio_source=None, audio_sink=None, bus=None, env=None, **values):
        """Starts a phone on the test's bus, or on `bus` (a second phone needs a
        bus of its own: both claim the same well-known name; it then keeps its
        state and log in the bus's folder, not beside the first phone's);
        `env` adds to the daemon's environment."""
        config = dict(self.BASE)
        rtp_min = free_port("udp", span=self.RTP_SPAN) + 1 & ~1
        config["RTP_Port_Min"] = str(rtp_min)
        config["RTP_Port_Max"] = str(rtp_min + self.RTP_SPAN - 2)
        config.update({k: str(v) for k, v in values.items()})
        profile = self.write(f"line-{time.monotonic_ns()}.xml", flat_profile(config))
        folder = os.path.dirname(bus.socket) if bus is not None else self.folder
        phone = Phone(folder, bus or self.bus, ("--profile", profile))
        phone.sip_config = config      # what the profile set, for assertions
        phone.env["DESKPHONE_AUDIO_SOURCE"] = audio_source or self.SILENT_SOURCE
        phone.env["DESKPHONE_AUDIO_SINK"] = audio_sink or self.NULL_SINK
        phone.env.update(env or {})
        self.phones.append(phone)
        phone.start()
        self.addCleanup(self._dump_log_on_failure, phone)
        return phone

    def _dump_log_on_failure(self, phone):
        outcome = getattr(self, "_outcome", None)
        errors = getattr(getattr(outcome, "result", None), "errors", [])
        failures = getattr(getattr(outcome, "result", None), "failures", [])
        if any(test is self for test, _ in errors + failures) and os.environ.get("DP_TEST_LOG"):
            print(phone.read_log()[-6000:])

    # --- phone state -------------------------------------------------------

    def line(self, phone, index=1):
        for line in phone.ctl_json("lines"):
            if line["index"] == index:
                return line
        raise AssertionError(f"no line {index}")

    def wait_line(self, phone, state, index=1, timeout=15.0):
        return wait_for(lambda: (lambda l: l if l["registration"] == state else None)(
            self.line(phone, index)), timeout=timeout,
            what=f"line {index} {state}; log:\n{phone.read_log()[-3000:]}")

    def sip_port(self, phone, index=1):
        def port():
            status = phone.ctl_json("status")
            sip = status.get("ports", {}).get("sip")
            if isinstance(sip, dict):
                return sip.get(str(index)) or 0
            if isinstance(sip, list) and len(sip) >= index:
                entry = sip[index - 1]
                return entry.get("port") if isinstance(entry, dict) else entry
            return 0
        return wait_for(port, what="the SIP port in status")

    def calls(self, phone):
        return phone.ctl_json("calls")

    def call(self, phone, call_id=None):
        calls = self.calls(phone)
        for call in calls:
            if call_id is None or str(call["id"]) == str(call_id):
                return call
        return None

    def wait_call(self, phone, state, call_id=None, timeout=10.0):
        def check():
            call = self.call(phone, call_id)
            return call if call is not None and call["state"] == state else None
        return wait_for(check, timeout=timeout,
                        what=f"a call {state}; calls {self.calls(phone)}; log:\n"
                             f"{phone.read_log()[-3000:]}")

    def wait_no_calls(self, phone, timeout=10.0):
        return wait_for(lambda: self.calls(phone) == [], timeout=timeout,
                        what=f"no calls left; calls {self.calls(phone)}")

    # --- helpers for tests that keep their phone in self.phone ----------------

    def ctl_ok(self, *args):
        result = self.phone.ctl(*args)
        self.assertEqual(result.returncode, 0, f"{args}: {result.stderr}")
        return result

    def ended(self, call_id):
        """The end reason the plugin logged for a call."""
        match = re.search(rf"call {call_id} ended: (.*)", self.phone.read_log())
        return match.group(1).strip() if match else None

    def wait_ended(self, call_id, timeout=10):
        return wait_for(lambda: self.ended(call_id), timeout=timeout,
                        what=f"call {call_id} to end; log:\n{self.phone.read_log()[-3000:]}")

    def wait_log(self, pattern, timeout=10):
        """The first match of `pattern` in self.phone's log, once there."""
        return wait_for(lambda: re.search(pattern, self.phone.read_log()), timeout=timeout,
                        what=f"/{pattern}/ in the log:\n{self.phone.read_log()[-3000:]}")

    def call_events(self, phone):
        """The call states the daemon logged, for tests that check a state
        that only lasts a moment (ended)."""
        return phone.read_log()


def dumps(value):
    return json.dumps(value, indent=1)


def _notify(event, state, content_type, body, cseq):
    """An in-dialog NOTIFY from the notifier side of a scenario_notifier()."""
    lines = [f"NOTIFY [$contact] SIP/2.0",
             "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]",
             "From: [$to];tag=[pid]SIPpTag01[call_number]",
             "To: [$from]",
             "Call-ID: [call_id]",
             f"CSeq: {cseq} NOTIFY",
             "Contact: <sip:[local_ip]:[local_port];transport=[transport]>",
             "Max-Forwards: 70",
             f"Event: {event}",
             f"Subscription-State: {state}"]
    if body:
        lines.append(f"Content-Type: {content_type}")
    lines.append("Content-Length: [len]")
    return ("  <send><![CDATA[\n\n      " + "\n      ".join(lines) + "\n\n" + (body or "")
            + "    ]]></send>\n  <recv response=\"200\"/>\n")


def scenario_notifier(event="dialog", content_type="application/dialog-info+xml",
                      bodies=("",), expires=3600, unsubscribe=True):
    """A notifier (RFC 6665) for one subscription: answers the SUBSCRIBE 200
    with `expires` (3600 for the last body), sends a NOTIFY (active) with bodies[0]; for every further
    body takes a refresh SUBSCRIBE, answers 200 and NOTIFYs that body; then,
    if `unsubscribe`, takes the SUBSCRIBE with Expires: 0, answers 200 and
    sends the terminating NOTIFY. One Call-ID: a fresh SUBSCRIBE (a retry)
    is a new sipp call."""
    xml = '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="notifier">\n'
    capture = ('    <action>\n'
               '      <ereg regexp="[^ ].*" search_in="hdr" header="From:" assign_to="from"/>\n'
               '      <ereg regexp="[^ ].*" search_in="hdr" header="To:" assign_to="to"/>\n'
               '      <ereg regexp="sip:[^>]*" search_in="hdr" header="Contact:"'
               ' assign_to="contact"/>\n'
               '    </action>\n')

    def reply(code, reason, extra):
        head = [f"SIP/2.0 {code} {reason}", "[last_Via:]", "[last_From:]",
                "[last_To:]" + ("" if code >= 300 else ";tag=[pid]SIPpTag01[call_number]"),
                "[last_Call-ID:]", "[last_CSeq:]",
                "Contact: <sip:[local_ip]:[local_port];transport=[transport]>"]
        head += [h for h in extra]
        head.append("Content-Length: 0")
        return "  <send><![CDATA[\n\n      " + "\n      ".join(head) + "\n\n    ]]></send>\n"

    cseq = 1
    for i, body in enumerate(bodies):
        # The last body's grant is long, so that no further refresh comes
        # before the test ends the subscription.
        granted = expires if i < len(bodies) - 1 else 3600
        xml += '  <recv request="SUBSCRIBE" crlf="true">\n' + capture + '  </recv>\n'
        xml += reply(200, "OK", [f"Expires: {granted}"])
        xml += _notify(event, f"active;expires={granted}", content_type, body, cseq)
        cseq += 1
    if unsubscribe:
        xml += '  <recv request="SUBSCRIBE" crlf="true"/>\n'
        xml += reply(200, "OK", ["Expires: 0"])
        xml += _notify(event, "terminated;reason=timeout", content_type, "", cseq)
    return xml + "</scenario>\n"


def scenario_refuse(method, code, reason, extra=""):
    """Answers one `method` request with a final `code` (one per sipp call)."""
    xml = '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="refuse">\n'
    head = [f"SIP/2.0 {code} {reason}", "[last_Via:]", "[last_From:]",
            "[last_To:];tag=[pid]SIPpTag01[call_number]", "[last_Call-ID:]", "[last_CSeq:]"]
    head += [h for h in extra.splitlines() if h.strip()]
    head.append("Content-Length: 0")
    xml += f'  <recv request="{method}" crlf="true"/>\n'
    xml += "  <send><![CDATA[\n\n      " + "\n      ".join(head) + "\n\n    ]]></send>\n"
    return xml + "</scenario>\n"


def scenario_notify_control(event, port, user="phone", auth=None, expect=200,
                            body="", content_type=None):
    """UAC: sends one out-of-dialog NOTIFY with `Event: event` to the phone's
    line on `port`. With auth=(user, password) it expects a 401 challenge
    first and answers it (sipp computes the digest); the final answer must
    be `expect`."""
    def notify(cseq, extra=""):
        lines = [f"NOTIFY sip:{user}@[remote_ip]:{port} SIP/2.0",
                 "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]",
                 "From: <sip:provisioning@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]",
                 f"To: <sip:{user}@[remote_ip]:{port}>",
                 "Call-ID: [call_id]",
                 f"CSeq: {cseq} NOTIFY",
                 "Max-Forwards: 70",
                 f"Event: {event}",
                 "Subscription-State: terminated"]
        if extra:
            lines.append(extra)
        if body:
            lines.append(f"Content-Type: {content_type}")
        lines.append("Content-Length: [len]")
        return ('  <send retrans="500"><![CDATA[\n\n      ' + "\n      ".join(lines) + "\n\n"
                + body + "    ]]></send>\n")

    xml = '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="notify">\n'
    xml += notify(1)
    if auth is not None:
        xml += '  <recv response="401" auth="true"/>\n'
        xml += notify(2, f"[authentication username={auth[0]} password={auth[1]}]")
    xml += f'  <recv response="{expect}"/>\n'
    return xml + "</scenario>\n"
