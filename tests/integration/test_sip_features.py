# SPDX-License-Identifier: GPL-2.0-or-later
"""Supplementary services of the sip plugin with real peers on 127.0.0.1
(spa9x2-reference §5, §8.1): call waiting, call forward busy / no answer,
block anonymous callers, block caller ID, call return, call back on busy,
auto-answer of pages. baresip plays the far phones; requests with headers
baresip cannot send (Privacy, Call-Info) come from a raw UDP socket. The
phone is driven with deskphonectl only; outcomes are checked at the far
end (what baresip or the socket received) and in the phone's call list."""

import re
import time
import unittest

from dptest import wait_for
from peers import LOOPBACK, Baresip, Sipp, UdpSipSocket
from sippeers import SipPhoneTestCase, scenario_notifier


class FeatureTestCase(SipPhoneTestCase):
    """A phone whose line 1 talks straight to baresip "bob" (no registrar)."""

    PHONE = {}

    def setUp(self):
        super().setUp()
        # A numeric user: dialled keys after a star code are digits.
        self.bob = self.peer(Baresip(self.folder, "2000")).start()
        values = {"Proxy_1_": f"127.0.0.1:{self.bob.port}", "User_ID_1_": "phone",
                  "Display_Name_1_": "Desk Phone", "Register_1_": "No"}
        values.update(self.PHONE)
        self.phone = self.start_sip_phone(**values)
        self.port = self.sip_port(self.phone)
        self.phone_uri = f"sip:phone@127.0.0.1:{self.port}"

    def code(self, keys):
        """Dials feature codes alone: applied, no call placed (exit 1)."""
        result = self.phone.ctl("dial", keys)
        self.assertIn("feature code(s) applied", result.stderr)

    def config(self, name):
        return self.phone.ctl_json("config", "get", name)["value"]

    def bob_calls_phone_answered(self):
        """bob calls the phone and the phone answers: the call in progress."""
        self.bob.dial(self.phone_uri)
        call = self.wait_call(self.phone, "ringing")
        self.ctl_ok("answer", str(call["id"]))
        self.bob.wait_for_event("CALL_ESTABLISHED")
        return self.wait_call(self.phone, "active", call["id"])

    def responses(self, peer, code):
        """Responses with status `code` a baresip received to its INVITEs."""
        return [m for d, _, m in peer.sip_trace()
                if d == "in" and m.start_line.startswith(f"SIP/2.0 {code} ")
                and m.cseq and m.cseq[1] == "INVITE"]

    # -- raw requests -------------------------------------------------------

    def probe(self):
        probe = UdpSipSocket()
        self.addCleanup(probe.close)
        return probe

    def invite(self, probe, tag, from_uri="sip:dave@127.0.0.1", extra=""):
        sdp = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
               f"m=audio {probe.port + 2} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
        return (f"INVITE {self.phone_uri} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP 127.0.0.1:{probe.port};branch=z9hG4bKf{tag};rport\r\n"
                f"Max-Forwards: 70\r\nFrom: <{from_uri}>;tag=f{tag}\r\n"
                f"To: <{self.phone_uri}>\r\nCall-ID: feature-{tag}@127.0.0.1\r\n"
                f"CSeq: 1 INVITE\r\nContact: <sip:dave@127.0.0.1:{probe.port}>\r\n{extra}"
                f"Content-Type: application/sdp\r\n"
                f"Content-Length: {len(sdp)}\r\n\r\n{sdp}").encode()

    def send_invite(self, probe, tag, final=True, **kwargs):
        """Sends an INVITE; returns the first final response (or, with
        final=False, the first response above 100)."""
        since = probe.send(self.invite(probe, tag, **kwargs), LOOPBACK, self.port)
        floor = 200 if final else 101
        reply = probe.wait_for(lambda m: m.is_response and (m.status or 0) >= floor
                               and m.call_id == f"feature-{tag}@127.0.0.1", since, 10)
        self.assertIsNotNone(reply, f"no answer to INVITE {tag}; log:\n"
                             f"{self.phone.read_log()[-3000:]}")
        return reply

    def answer_invite(self, probe, since, code, reason):
        """Waits for an INVITE from the phone at the probe (after `since`) and
        answers it `code`; returns the INVITE."""
        seen = self.__dict__.setdefault("answered_calls", set())
        invite = probe.wait_for(lambda m: not m.is_response and m.method == "INVITE"
                                and m.call_id not in seen, since, 15)
        self.assertIsNotNone(invite, f"no INVITE at the probe; log:\n"
                             f"{self.phone.read_log()[-3000:]}")
        seen.add(invite.call_id)    # its retransmissions are not new calls
        self.reply(probe, invite, code, reason)
        return invite

    def reply(self, probe, request, code, reason):
        head = [f"SIP/2.0 {code} {reason}"] + [f"Via: {v}" for v in request.all("Via")]
        to = request.header("To") + ("" if code == 100 or "tag=" in request.header("To")
                                     else ";tag=probe1")
        head += [f"From: {request.header('From')}", f"To: {to}",
                 f"Call-ID: {request.call_id}", f"CSeq: {request.header('CSeq')}",
                 f"Contact: <sip:dave@127.0.0.1:{probe.port}>", "Content-Length: 0"]
        probe.send(("\r\n".join(head) + "\r\n\r\n").encode(), LOOPBACK, self.port)

    def rings_then_reject(self, probe, tag, **kwargs):
        """The probe's INVITE rings (180); the phone rejects it."""
        self.assertEqual(self.send_invite(probe, tag, final=False, **kwargs).status, 180)
        call = self.wait_call(self.phone, "ringing")
        self.ctl_ok("hangup", str(call["id"]))
        self.end_probe_call(probe, tag, self.final(probe, tag))
        self.wait_no_calls(self.phone)
        return call

    def final(self, probe, tag):
        """The final response the phone sent to the probe's INVITE `tag`."""
        reply = probe.wait_for(lambda m: m.is_response and (m.status or 0) >= 200
                               and m.call_id == f"feature-{tag}@127.0.0.1", 0.0, 10)
        self.assertIsNotNone(reply, f"no final answer to INVITE {tag}")
        return reply

    def end_probe_call(self, probe, tag, reply):
        """ACKs a final response to the probe's INVITE (and BYEs a 200)."""
        if reply.status >= 300:
            probe.send((f"ACK {self.phone_uri} SIP/2.0\r\n"
                        f"Via: SIP/2.0/UDP 127.0.0.1:{probe.port};branch=z9hG4bKf{tag};rport\r\n"
                        f"Max-Forwards: 70\r\nFrom: <sip:dave@127.0.0.1>;tag=f{tag}\r\n"
                        f"To: {reply.header('to')}\r\nCall-ID: feature-{tag}@127.0.0.1\r\n"
                        f"CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n").encode(),
                       LOOPBACK, self.port)
            return
        self.ack_and_bye(probe, tag, reply)

    def ack_and_bye(self, probe, tag, reply, methods=(("ACK", 1), ("BYE", 2))):
        contact = re.search(r"<([^>]+)>", reply.header("contact")).group(1)
        for method, cseq in methods:
            probe.send((f"{method} {contact} SIP/2.0\r\n"
                        f"Via: SIP/2.0/UDP 127.0.0.1:{probe.port};branch=z9hG4bK{method}{tag};"
                        f"rport\r\nMax-Forwards: 70\r\nFrom: <sip:dave@127.0.0.1>;tag=f{tag}\r\n"
                        f"To: {reply.header('to')}\r\nCall-ID: feature-{tag}@127.0.0.1\r\n"
                        f"CSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n").encode(),
                       LOOPBACK, self.port)


class CallWaitingTest(FeatureTestCase):

    def setUp(self):
        super().setUp()
        self.carol = self.peer(Baresip(self.folder, "carol")).start()

    def test_second_call_waits_and_answering_it_holds_the_first(self):
        first = self.bob_calls_phone_answered()
        self.carol.dial(self.phone_uri)
        self.carol.wait_for_event("CALL_RINGING")
        waiting = wait_for(lambda: [c for c in self.calls(self.phone)
                                    if c["state"] == "ringing"], what="the waiting call")[0]
        self.assertIn("carol@", waiting["peer"])
        # Both calls are listed: the first still active.
        self.assertEqual(self.call(self.phone, first["id"])["state"], "active")
        self.wait_log(r"\(call waiting\)")
        self.wait_log(r"line 1: playing Call_Waiting_Tone")
        self.ctl_ok("answer", str(waiting["id"]))
        self.carol.wait_for_event("CALL_ESTABLISHED")
        self.wait_call(self.phone, "active", waiting["id"])
        self.wait_log(rf"call {waiting['id']} no longer waiting: Call_Waiting_Tone stopped")
        self.wait_call(self.phone, "held", first["id"])
        # bob called: the first INVITE bob receives is the phone's hold.
        reinvite = wait_for(lambda: self.bob.received_requests("INVITE"),
                            what="the hold re-INVITE at bob")[-1]
        self.assertEqual(reinvite.sdp_direction(), "sendonly")
        self.assertEqual(self.bob.call_state(), "ESTABLISHED")
        # The first call resumes after the second ends.
        self.carol.hangup()
        self.assertEqual(self.wait_ended(waiting["id"]), "remote-hangup")
        self.ctl_ok("resume", str(first["id"]))
        self.wait_call(self.phone, "active", first["id"])

    def test_call_waiting_off_refuses_busy(self):
        self.code("*57")          # CW_Deact_Code
        self.assertEqual(self.config("CW_Setting"), "No")
        self.bob_calls_phone_answered()
        self.carol.dial(self.phone_uri)
        closed = self.carol.wait_for_event("CALL_CLOSED")
        self.assertIn("486", closed.get("param", ""))
        self.assertEqual(len(self.calls(self.phone)), 1)
        self.code("*56")          # CW_Act_Code
        self.assertEqual(self.config("CW_Setting"), "Yes")

    def test_per_call_code_disables_call_waiting_for_that_call(self):
        # *70 (CW_Per_Call_Deact_Code) prefixes the call to bob: while it lasts
        # the phone is busy for others although CW_Setting stays Yes.
        self.ctl_ok("dial", "*702000")
        self.bob.wait_for_event("CALL_INCOMING")
        self.bob.answer()
        self.bob.wait_for_event("CALL_ESTABLISHED")
        self.wait_call(self.phone, "active")
        self.assertEqual(self.config("CW_Setting"), "Yes")
        self.carol.dial(self.phone_uri)
        closed = self.carol.wait_for_event("CALL_CLOSED")
        self.assertIn("486", closed.get("param", ""))

    def test_busy_forwards_to_cfwd_busy_dest(self):
        self.ctl_ok("config", "set", "CW_Setting", "No")
        self.code("*905000")                # Cfwd_Busy_Act_Code + number
        self.assertEqual(self.config("Cfwd_Busy_Dest"), "5000")
        dest = f"sip:5000@127.0.0.1:{self.bob.port}"
        self.bob_calls_phone_answered()
        self.carol.dial(self.phone_uri)
        moved = wait_for(lambda: self.responses(self.carol, 302), timeout=10,
                         what="a 302 at carol")[0]
        self.assertIn(dest, moved.header("Contact"))
        self.wait_log(rf"forwarded to {re.escape(dest)} \(302, busy\)")
        # Cfwd_Busy_Serv No: the service is off, plain busy.
        self.ctl_ok("config", "set", "Cfwd_Busy_Serv", "No")
        self.carol.hangup()
        self.carol.dial(self.phone_uri)
        wait_for(lambda: self.responses(self.carol, 486), timeout=10, what="a 486 at carol")


class NoAnswerForwardTest(FeatureTestCase):
    PHONE = {"Cfwd_No_Ans_Dest": "sip:voicemail@127.0.0.1:9", "Cfwd_No_Ans_Delay": "1"}

    def test_unanswered_call_is_forwarded_after_the_delay(self):
        self.bob.dial(self.phone_uri)
        call = self.wait_call(self.phone, "ringing")
        self.assertEqual(self.wait_ended(call["id"], timeout=15), "forwarded")
        moved = wait_for(lambda: self.responses(self.bob, 302), timeout=10,
                         what="a 302 at bob")[0]
        self.assertIn("sip:voicemail@127.0.0.1:9", moved.header("Contact"))
        # It rang first: the 180 came before the 302 (no CANCEL involved).
        self.assertTrue(self.responses(self.bob, 180))
        self.assertFalse(self.bob.received_requests("CANCEL"))
        self.wait_no_calls(self.phone)

    def test_answered_in_time_is_not_forwarded(self):
        self.ctl_ok("config", "set", "Cfwd_No_Ans_Delay", "30")
        call = self.bob_calls_phone_answered()
        self.ctl_ok("hangup", str(call["id"]))
        self.assertEqual(self.wait_ended(call["id"]), "hangup")
        self.assertFalse(self.responses(self.bob, 302))


class BlockAnonymousTest(FeatureTestCase):

    def test_anonymous_callers_get_433_when_blocked(self):
        probe = self.probe()
        # Off (factory): an anonymous caller rings.
        self.rings_then_reject(probe, 1, from_uri="sip:anonymous@anonymous.invalid")

        self.code("*77")          # Block_ANC_Act_Code
        self.assertEqual(self.config("Block_ANC_Setting"), "Yes")
        for tag, kwargs in ((2, {"from_uri": "sip:anonymous@anonymous.invalid"}),
                            (3, {"extra": "Privacy: id\r\n"}),
                            (4, {"from_uri": "sip:Anonymous@127.0.0.1"})):
            reply = self.send_invite(probe, tag, **kwargs)
            self.assertEqual(reply.status, 433, (tag, reply.start_line))
            self.assertIn("Anonymity Disallowed", reply.start_line)
            self.end_probe_call(probe, tag, reply)
        self.assertEqual(self.calls(self.phone), [])
        # A caller who shows who they are still rings.
        self.rings_then_reject(probe, 5)
        self.code("*87")          # Block_ANC_Deact_Code
        self.assertEqual(self.config("Block_ANC_Setting"), "No")


class BlockCallerIdTest(FeatureTestCase):

    def call_bob(self, number):
        count = len(self.bob.received_requests("INVITE"))
        self.ctl_ok("dial", number)
        self.bob.wait_for_event("CALL_INCOMING")
        invite = wait_for(lambda: (lambda r: r[count] if len(r) > count else None)(
            self.bob.received_requests("INVITE")), what="the INVITE at bob")
        call = self.wait_call(self.phone, "ringback")
        self.ctl_ok("hangup", str(call["id"]))
        self.bob.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)
        return invite

    def assert_anonymous(self, invite):
        self.assertRegex(invite.header("From"),
                         r'^"Anonymous" <sip:anonymous@anonymous\.invalid>;tag=')
        self.assertEqual(invite.header("Privacy"), "id")
        self.assertNotIn("Desk Phone", invite.header("From"))

    def assert_identified(self, invite):
        self.assertIn("Desk Phone", invite.header("From"))
        self.assertIn("sip:phone@", invite.header("From"))
        self.assertIsNone(invite.header("Privacy"))

    def test_per_call_and_permanent_blocking(self):
        self.assert_identified(self.call_bob("2000"))
        self.assert_anonymous(self.call_bob("*812000"))       # this call only
        self.assert_identified(self.call_bob("2000"))
        self.code("*67")                          # all calls
        self.assertEqual(self.config("Block_CID_Setting"), "Yes")
        self.assert_anonymous(self.call_bob("2000"))
        self.assert_identified(self.call_bob("*822000"))      # this call shows it
        self.code("*68")
        self.assertEqual(self.config("Block_CID_Setting"), "No")
        self.assert_identified(self.call_bob("2000"))


class CallReturnTest(FeatureTestCase):

    def test_call_return_calls_the_last_caller(self):
        result = self.phone.ctl("dial", "*69")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("no received or missed call", result.stderr)
        # dave (the probe, reachable at its From URI) calls; the phone rejects.
        probe = self.probe()
        dave = f"sip:dave@127.0.0.1:{probe.port}"
        self.rings_then_reject(probe, 1, from_uri=dave)
        since = time.monotonic()
        self.ctl_ok("dial", "*69")
        invite = self.answer_invite(probe, since, 486, "Busy Here")
        self.assertTrue(invite.start_line.startswith(f"INVITE {dave} "), invite.start_line)
        self.wait_log(r"call \d+ ended: busy")
        self.wait_no_calls(self.phone)

    def test_anonymous_last_caller_cannot_be_returned(self):
        probe = self.probe()
        self.rings_then_reject(probe, 1, from_uri="sip:anonymous@anonymous.invalid")
        result = self.phone.ctl("dial", "*69")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("withheld", result.stderr)


class CallBackTest(FeatureTestCase):
    PHONE = {"Call_Back_Retry_Intvl": "1", "Call_Back_Delay": "0.5"}

    def busy_call(self, probe):
        """A call to dave (the probe) that ends busy; returns dave's URI."""
        since = time.monotonic()
        self.ctl_ok("dial", f"dave@127.0.0.1:{probe.port}")
        self.answer_invite(probe, since, 486, "Busy Here")
        self.wait_log(r"call \d+ ended: busy")
        self.wait_no_calls(self.phone)
        return f"sip:dave@127.0.0.1:{probe.port}"

    def test_call_back_redials_until_the_party_is_free(self):
        result = self.phone.ctl("dial", "*66")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("did not end busy", result.stderr)
        probe = self.probe()
        dave = self.busy_call(probe)
        self.code("*66")
        self.wait_log(rf"call back to {re.escape(dave)} ordered")
        # First attempt: still busy; second: it rings, so dave is free.
        self.answer_invite(probe, 0.0, 486, "Busy Here")
        invite = self.answer_invite(probe, 0.0, 180, "Ringing")
        self.assertTrue(invite.start_line.startswith(f"INVITE {dave} "), invite.start_line)
        self.wait_log(r"the party is free")
        self.assertEqual(len(re.findall(r"call back to \S+: attempt", self.phone.read_log())), 2)
        call = self.wait_call(self.phone, "ringback")
        since = time.monotonic()
        self.ctl_ok("hangup", str(call["id"]))
        cancel = probe.wait_for(lambda m: m.method == "CANCEL", since, 10)
        self.assertIsNotNone(cancel, "no CANCEL at dave")
        self.reply(probe, cancel, 200, "OK")
        self.reply(probe, invite, 487, "Request Terminated")
        self.assertEqual(self.wait_ended(call["id"]), "cancelled")
        # The order is over: nothing is redialled any more.
        self.assertNotIn("next attempt in", self.phone.read_log().split("the party is free")[1])

    def test_call_back_gives_up_at_call_back_expires(self):
        self.ctl_ok("config", "set", "Call_Back_Expires", "3")
        probe = self.probe()
        dave = self.busy_call(probe)
        self.code("*66")

        def busy_until_given_up():
            if "Call_Back_Expires reached, given up" in self.phone.read_log():
                return True
            invite = probe.wait_for(lambda m: m.method == "INVITE" and
                                    m.call_id not in self.answered_calls, 0.0, 0.5)
            if invite is not None:
                self.answered_calls.add(invite.call_id)
                self.reply(probe, invite, 486, "Busy Here")
            return False
        wait_for(busy_until_given_up, timeout=30, what="the call back to give up")
        attempts = len(re.findall(r"call back to \S+: attempt", self.phone.read_log()))
        self.assertGreaterEqual(attempts, 1)
        self.assertLessEqual(attempts, 3)
        self.assertIn(dave, self.phone.read_log())

    def test_call_back_cancelled_with_86(self):
        probe = self.probe()
        self.busy_call(probe)
        self.code("*66")
        self.code("*86")
        self.wait_log(r"call back to \S+ ordered")
        time.sleep(2)   # longer than Call_Back_Retry_Intvl: no attempt may come
        self.assertNotIn(": attempt (call", self.phone.read_log())


class PageAutoAnswerTest(FeatureTestCase):

    def test_page_is_answered_with_the_page_tone(self):
        probe = self.probe()
        reply = self.send_invite(probe, 1,
                                 extra="Call-Info: <sip:127.0.0.1>;answer-after=0\r\n")
        self.assertEqual(reply.status, 200, reply.start_line)
        self.wait_log(r"page: call \d+ answered automatically")
        self.wait_log(r"line 1: playing Page_Tone")
        self.ack_and_bye(probe, 1, reply, (("ACK", 1),))
        call = self.wait_call(self.phone, "active")
        self.ack_and_bye(probe, 1, reply, (("BYE", 2),))
        self.assertEqual(self.wait_ended(call["id"]), "remote-hangup")

    def test_alert_info_intercom_is_a_page(self):
        probe = self.probe()
        reply = self.send_invite(probe, 2,
                                 extra="Alert-Info: <http://127.0.0.1>;info=alert-intercom\r\n")
        self.assertEqual(reply.status, 200, reply.start_line)
        self.end_probe_call(probe, 2, reply)
        self.wait_no_calls(self.phone)

    def test_no_auto_answer_when_off_or_not_a_page(self):
        self.ctl_ok("config", "set", "Auto_Answer_Page", "No")
        probe = self.probe()
        self.rings_then_reject(probe, 3, extra="Call-Info: <sip:127.0.0.1>;answer-after=0\r\n")
        self.ctl_ok("config", "set", "Auto_Answer_Page", "Yes")
        # answer-after=5 is not an immediate page: it rings.
        self.rings_then_reject(probe, 4, extra="Call-Info: <sip:127.0.0.1>;answer-after=5\r\n")
        # Auth_Page_1_ Yes: pages must authenticate, which the phone cannot
        # check: the page rings instead of opening the speaker.
        self.ctl_ok("config", "set", "Auth_Page_1_", "Yes")
        self.rings_then_reject(probe, 5, extra="Call-Info: <sip:127.0.0.1>;answer-after=0\r\n")
        self.wait_log(r"page not auto-answered: Auth_Page is Yes")
        self.assertNotIn("answered automatically", self.phone.read_log())


SHARED_DIALOG = ('<?xml version="1.0"?>\n<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" '
                 'version="{v}" state="full" entity="sip:2001@127.0.0.1">{d}</dialog-info>\n')
HELD_DIALOG = ('<dialog id="d1" direction="recipient"><state>confirmed</state>'
               '<local><identity>sip:2001@127.0.0.1</identity><target uri="sip:2001@127.0.0.1">'
               '<param pname="+sip.rendering" pvalue="no"/></target></local>'
               '<remote><identity>sip:carol@127.0.0.1</identity></remote></dialog>')


class SharedLineTest(SipPhoneTestCase):
    """Share_Ext_1_ shared: the line watches the shared AOR's dialogs (sipp
    as the notifier) and the status document shows them."""

    def shared(self):
        return self.phone.ctl_json("status").get("shared_lines")

    def test_shared_appearance_follows_the_notifier(self):
        bodies = [SHARED_DIALOG.format(v=0, d=HELD_DIALOG), SHARED_DIALOG.format(v=1, d="")]
        sipp = self.peer(Sipp(self.folder, scenario=scenario_notifier(bodies=bodies, expires=3),
                              timeout=40))
        sipp.start()
        self.phone = self.start_sip_phone(Proxy_1_=f"127.0.0.1:{sipp.port}", User_ID_1_="phone",
                                          Register_1_="No", Share_Ext_1_="shared",
                                          Shared_User_ID_1_="2001", Subscription_Expires_1_="120")
        held = wait_for(lambda: (lambda s: s if s and s[0]["state"] == "held" else None)(
            self.shared()), timeout=15, what=f"the shared line held; status "
                                             f"{self.shared()}\n{self.phone.read_log()[-2000:]}")
        self.assertEqual(held[0]["line"], 1)
        self.assertEqual(held[0]["subscription"], "active")
        self.assertEqual(held[0]["aor"], "2001")
        self.assertEqual(held[0]["dialogs"][0]["remote"], "sip:carol@127.0.0.1")
        self.assertTrue(held[0]["dialogs"][0]["held"])
        # sipp granted 3 s: the refresh brings the second document (no dialog).
        wait_for(lambda: self.shared()[0]["state"] == "idle", timeout=15,
                 what=f"the shared line idle; status {self.shared()}")
        # Back to private: the subscription ends and the member goes away.
        self.ctl_ok("config", "set", "Share_Ext_1_", "private")
        wait_for(lambda: self.shared() is None, what="no shared_lines in the status")
        self.assertEqual(sipp.wait(), 0, sipp.errors() + sipp.log())
        subscribes = [m for d, m in sipp.messages() if d == "in" and m.method == "SUBSCRIBE"]
        self.assertTrue(subscribes[0].start_line.startswith(f"SUBSCRIBE sip:2001@127.0.0.1:{sipp.port}"),
                        subscribes[0].start_line)
        self.assertEqual(subscribes[0].header("Event"), "dialog")
        self.assertEqual(subscribes[0].header("Expires"), "120")
        self.assertEqual(subscribes[-1].header("Expires"), "0")


if __name__ == "__main__":
    unittest.main()
