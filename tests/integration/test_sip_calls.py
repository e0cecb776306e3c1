# SPDX-License-Identifier: GPL-2.0-or-later
"""Calls through the sip plugin with real peers on 127.0.0.1: baresip as the
far phone (driven over ctrl_tcp, states checked on both sides) and sipp for
a busy UAS. The phone is driven with deskphonectl only."""

import re
import time
import unittest

from dptest import wait_for
from peers import LOOPBACK, Baresip, Sipp, UdpSipSocket, scenario_invite_reply
from sippeers import SipPhoneTestCase


class BaresipCallTest(SipPhoneTestCase):

    def setUp(self):
        super().setUp()
        self.bob = self.peer(Baresip(self.folder, "bob")).start()
        # No registrar: the line sends straight to baresip and accepts calls
        # without registration (Register_1_ No).
        self.phone = self.start_sip_phone(Proxy_1_=f"127.0.0.1:{self.bob.port}",
                                          User_ID_1_="phone", Display_Name_1_="Desk Phone",
                                          Register_1_="No")
        self.port = self.sip_port(self.phone)
        self.phone_uri = f"sip:phone@127.0.0.1:{self.port}"

    def outgoing_call(self):
        self.ctl_ok("dial", "bob")
        incoming = self.bob.wait_for_event("CALL_INCOMING")
        self.assertIn("phone", incoming.get("peeruri", ""))
        call = self.wait_call(self.phone, "ringback")
        self.assertEqual(call["direction"], "outgoing")
        self.assertEqual(call["peer"], f"sip:bob@127.0.0.1:{self.bob.port}")
        return call

    def established_call(self):
        call = self.outgoing_call()
        self.bob.answer()
        self.bob.wait_for_event("CALL_ESTABLISHED")
        return self.wait_call(self.phone, "active", call["id"])

    def last_invite_answer(self):
        answers = [m for d, _, m in self.bob.sip_trace()
                   if d == "out" and m.start_line.startswith("SIP/2.0 200")
                   and m.cseq and m.cseq[1] == "INVITE"]
        self.assertTrue(answers, "baresip sent no 200 to an INVITE")
        return answers[-1]

    def test_outgoing_call_answered_then_hung_up(self):
        call = self.established_call()
        # The media plugin names codecs as the SPA does (Preferred_Codec_n_).
        self.assertEqual(call["codec"], "G711u")
        self.assertEqual(self.bob.call_state(), "ESTABLISHED")
        # The INVITE baresip got carries our identity and a real SDP offer.
        invite = self.bob.received_requests("INVITE")[0]
        self.assertIn("Desk Phone", invite.header("From"))
        self.assertRegex(invite.header("User-Agent"), r"^deskphone/\d")
        port = int(re.search(r"^m=audio (\d+) ", invite.body, re.M).group(1))
        rtp_min = int(self.phone.sip_config["RTP_Port_Min"])
        self.assertTrue(rtp_min <= port <= int(self.phone.sip_config["RTP_Port_Max"]),
                        (rtp_min, invite.body))
        self.assertIn("telephone-event/8000", invite.body)
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")
        self.assertEqual(self.wait_ended(call["id"]), "hangup")
        self.wait_no_calls(self.phone)

    def test_remote_hangup(self):
        call = self.established_call()
        self.bob.hangup()
        self.assertEqual(self.wait_ended(call["id"]), "remote-hangup")
        self.wait_no_calls(self.phone)

    def test_incoming_call_answered(self):
        self.bob.dial(self.phone_uri)
        call = self.wait_call(self.phone, "ringing")
        self.assertEqual(call["direction"], "incoming")
        self.assertIn("bob@", call["peer"])
        self.bob.wait_for_event("CALL_RINGING")
        self.ctl_ok("answer")
        self.bob.wait_for_event("CALL_ESTABLISHED")
        call = self.wait_call(self.phone, "active", call["id"])
        self.assertIn(call["codec"], ("G711u", "G711a"))
        self.bob.hangup()
        self.assertEqual(self.wait_ended(call["id"]), "remote-hangup")
        self.wait_no_calls(self.phone)

    def test_incoming_call_rejected(self):
        self.bob.dial(self.phone_uri)
        call = self.wait_call(self.phone, "ringing")
        self.ctl_ok("hangup")
        closed = self.bob.wait_for_event("CALL_CLOSED")
        self.assertIn("603", closed.get("param", ""))
        self.assertEqual(self.wait_ended(call["id"]), "rejected")

    def test_incoming_call_cancelled_by_caller(self):
        self.bob.dial(self.phone_uri)
        call = self.wait_call(self.phone, "ringing")
        self.bob.hangup()
        self.assertEqual(self.wait_ended(call["id"]), "cancelled")
        self.wait_no_calls(self.phone)

    def test_outgoing_call_cancelled(self):
        call = self.outgoing_call()
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")
        self.assertEqual(self.wait_ended(call["id"]), "cancelled")
        self.wait_no_calls(self.phone)
        self.assertTrue(self.bob.received_requests("CANCEL"))

    def test_hold_and_resume(self):
        call = self.established_call()
        self.ctl_ok("hold")
        self.wait_call(self.phone, "held", call["id"])
        reinvites = self.bob.received_requests("INVITE")
        self.assertEqual(len(reinvites), 2)
        self.assertEqual(reinvites[1].sdp_direction(), "sendonly")
        # baresip 1.0 shows no hold state for the far end's hold; its answer
        # to the re-INVITE shows it took it: it now only receives.
        self.assertEqual(self.last_invite_answer().sdp_direction(), "recvonly")
        self.ctl_ok("resume")
        self.wait_call(self.phone, "active", call["id"])
        reinvites = self.bob.received_requests("INVITE")
        self.assertEqual(len(reinvites), 3)
        self.assertEqual(reinvites[2].sdp_direction(), "sendrecv")
        self.assertEqual(self.last_invite_answer().sdp_direction(), "sendrecv")
        # Resuming a call that is not held is refused with exit 1.
        self.assertEqual(self.phone.ctl("resume").returncode, 1)

    def test_remote_hold(self):
        call = self.established_call()
        self.bob.hold()
        self.wait_call(self.phone, "remote-held", call["id"])
        self.bob.resume()
        self.wait_call(self.phone, "active", call["id"])

    def test_dtmf_by_sip_info(self):
        # Auto/AVT would use RFC 4733 (baresip offers telephone-event).
        self.ctl_ok("config", "set", "DTMF_Tx_Method_1_", "INFO")
        self.established_call()
        self.ctl_ok("dtmf", "5#")
        infos = wait_for(lambda: (lambda r: r if len(r) >= 2 else None)(
            self.bob.received_requests("INFO")), timeout=5, what="two INFO requests")
        self.assertEqual(infos[0].header("Content-Type"), "application/dtmf-relay")
        self.assertRegex(infos[0].body, r"^Signal=5\r?\nDuration=160\r?\n")
        self.assertRegex(infos[1].body, r"^Signal=#\r?\n")
        self.assertNotEqual(self.phone.ctl("dtmf", "x").returncode, 0)

    def test_blind_transfer(self):
        carol = self.peer(Baresip(self.folder, "carol", auto_answer=True)).start()
        call = self.established_call()
        self.ctl_ok("transfer", f"sip:carol@127.0.0.1:{carol.port}")
        carol.wait_for_event("CALL_ESTABLISHED", timeout=15)
        self.assertTrue(self.bob.received_requests("REFER"))
        # Referor_Bye_Delay_1_ (4 s) after the NOTIFY 200, the phone leaves.
        self.assertEqual(self.wait_ended(call["id"], timeout=15), "transferred")
        self.wait_no_calls(self.phone)

    # -- the phone as transferee (incoming REFER) and replaced party ------

    def test_incoming_blind_transfer(self):
        carol = self.peer(Baresip(self.folder, "carol", auto_answer=True)).start()
        call = self.established_call()
        self.bob.transfer(f"sip:carol@127.0.0.1:{carol.port}")
        # REFER -> the phone INVITEs carol on the same line.
        carol.wait_for_event("CALL_ESTABLISHED", timeout=15)
        invite = carol.received_requests("INVITE")[0]
        self.assertIn("phone", invite.header("From"))
        new = wait_for(lambda: [c for c in self.calls(self.phone)
                                if str(c["id"]) != str(call["id"]) and c["state"] == "active"],
                       timeout=10, what=f"the new call; log:\n{self.phone.read_log()[-3000:]}")
        self.assertEqual(new[0]["peer"], f"sip:carol@127.0.0.1:{carol.port}")
        # bob learnt the outcome (sipfrag NOTIFY 200) and the old call ended,
        # by our BYE ("transferred") or by bob's on that NOTIFY.
        wait_for(lambda: any("SIP/2.0 200" in m.body for m in self.bob.received_requests("NOTIFY")),
                 timeout=10, what="a NOTIFY with SIP/2.0 200 at bob")
        self.assertIn(self.wait_ended(call["id"], timeout=10), ("transferred", "remote-hangup"))
        self.ctl_ok("hangup")
        carol.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)

    def test_incoming_transfer_to_a_bad_target_is_reported(self):
        call = self.established_call()
        # A REFER whose target cannot be reached (nothing listens there): the
        # new call fails, bob hears the failure as a sipfrag NOTIFY, and the
        # phone does not leave the old call itself (baresip 1.0 hangs up on
        # any final NOTIFY, so the old call's end reason is bob's BYE).
        self.bob.transfer("sip:nobody@127.0.0.1:9")
        wait_for(lambda: any(re.match(r"SIP/2\.0 [3-6]\d\d", m.body.strip())
                             for m in self.bob.received_requests("NOTIFY")),
                 timeout=40, what="a failure NOTIFY at bob")
        # nua sends the sipfrag NOTIFY itself, before the phone hears of the
        # failed INVITE: the log line may follow the NOTIFY.
        wait_for(lambda: re.search(r"call \d+ ended: 503 ", self.phone.read_log()),
                 timeout=20, what="the failed transfer call in the log")
        self.assertEqual(self.wait_ended(call["id"]), "remote-hangup")
        self.assertNotIn("transferred to call", self.phone.read_log())

    def replaces_invite(self, probe, replaces, tag):
        sdp = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
               f"m=audio {probe.port + 2} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
        return (f"INVITE {self.phone_uri} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP 127.0.0.1:{probe.port};branch=z9hG4bKrep{tag};rport\r\n"
                f"Max-Forwards: 70\r\nFrom: <sip:dave@127.0.0.1>;tag=d{tag}\r\n"
                f"To: <{self.phone_uri}>\r\nCall-ID: replaces-{tag}@127.0.0.1\r\n"
                f"CSeq: 1 INVITE\r\nContact: <sip:dave@127.0.0.1:{probe.port}>\r\n"
                f"Replaces: {replaces}\r\nContent-Type: application/sdp\r\n"
                f"Content-Length: {len(sdp)}\r\n\r\n{sdp}").encode()

    def test_incoming_invite_with_replaces(self):
        call = self.established_call()
        invite = self.bob.received_requests("INVITE")[0]
        answer = self.last_invite_answer()
        phone_tag = re.search(r";\s*tag=([^;>\s]+)", invite.header("From")).group(1)
        bob_tag = re.search(r";\s*tag=([^;>\s]+)", answer.header("To")).group(1)
        probe = UdpSipSocket()
        self.addCleanup(probe.close)
        # Matching nothing: 481.
        since = probe.send(self.replaces_invite(probe, "nope@x;to-tag=a;from-tag=b", 1),
                           LOOPBACK, self.port)
        reply = probe.wait_for(lambda m: m.is_response and (m.status or 0) >= 200, since, 5)
        self.assertIsNotNone(reply, "no answer to an INVITE replacing nothing")
        self.assertEqual(reply.status, 481)
        # Replacing the call with bob (to-tag: the phone's own tag, RFC 3891 3):
        # answered at once, bob gets a BYE.
        replaces = f"{invite.call_id};to-tag={phone_tag};from-tag={bob_tag}"
        since = probe.send(self.replaces_invite(probe, replaces, 2), LOOPBACK, self.port)
        ok = probe.wait_for(lambda m: m.is_response and (m.status or 0) >= 200
                            and m.call_id == "replaces-2@127.0.0.1", since, 10)
        self.assertIsNotNone(ok, f"no answer; log:\n{self.phone.read_log()[-3000:]}")
        self.assertEqual(ok.status, 200, ok.start_line)
        self.assertEqual(self.wait_ended(call["id"]), "replaced")
        self.bob.wait_for_event("CALL_CLOSED")
        contact = re.search(r"<([^>]+)>", ok.header("contact")).group(1)
        to = ok.header("to")
        for method, cseq in (("ACK", 1), ("BYE", 2)):
            probe.send((f"{method} {contact} SIP/2.0\r\n"
                        f"Via: SIP/2.0/UDP 127.0.0.1:{probe.port};branch=z9hG4bKr{method}{cseq};rport\r\n"
                        f"Max-Forwards: 70\r\nFrom: <sip:dave@127.0.0.1>;tag=d2\r\nTo: {to}\r\n"
                        f"Call-ID: replaces-2@127.0.0.1\r\nCSeq: {cseq} {method}\r\n"
                        f"Content-Length: 0\r\n\r\n").encode(), LOOPBACK, self.port)
            time.sleep(0.2)
        self.wait_no_calls(self.phone)

    def test_sigterm_ends_the_call_with_bye(self):
        self.established_call()
        self.assertEqual(self.phone.terminate(), 0)
        self.bob.wait_for_event("CALL_CLOSED")
        self.assertTrue(self.bob.received_requests("BYE"))

    def test_dial_refused_with_bad_target(self):
        result = self.phone.ctl("dial", "bo b<")
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(self.calls(self.phone), [])


class BusyPeerTest(SipPhoneTestCase):

    def test_busy(self):
        sipp = self.peer(Sipp(self.folder, scenario=scenario_invite_reply(486, "Busy Here")))
        sipp.start()
        phone = self.start_sip_phone(Proxy_1_=f"127.0.0.1:{sipp.port}", User_ID_1_="phone",
                                     Register_1_="No")
        result = phone.ctl("dial", "3000")
        self.assertEqual(result.returncode, 0, result.stderr)
        wait_for(lambda: re.search(r"call \d+ ended: busy", phone.read_log()), timeout=10,
                 what="the call ended busy")
        self.assertEqual(sipp.wait(), 0, sipp.log())

    def test_other_failure_gives_the_status_line(self):
        sipp = self.peer(Sipp(self.folder, scenario=scenario_invite_reply(404, "Not Found")))
        sipp.start()
        phone = self.start_sip_phone(Proxy_1_=f"127.0.0.1:{sipp.port}", User_ID_1_="phone",
                                     Register_1_="No")
        self.assertEqual(phone.ctl("dial", "3000").returncode, 0)
        wait_for(lambda: re.search(r"call \d+ ended: 404 Not Found", phone.read_log()),
                 timeout=10, what="the call ended 404 Not Found")

    def test_unregistered_line_refuses_to_dial(self):
        # Register_1_ Yes but nothing answers the REGISTER: dialling is refused
        # unless Make_Call_Without_Reg_1_.
        sipp = self.peer(Sipp(self.folder, scenario=scenario_invite_reply(486, "Busy Here")))
        sipp.start()
        phone = self.start_sip_phone(Proxy_1_="127.0.0.1:9", User_ID_1_="phone")
        result = phone.ctl("dial", "3000")
        self.assertEqual(result.returncode, 1)
        self.assertIn("not registered", result.stderr)
        self.assertEqual(phone.ctl("config", "set", "Make_Call_Without_Reg_1_", "Yes").returncode, 0)
        result = phone.ctl("dial", f"3000@127.0.0.1:{sipp.port}")
        self.assertEqual(result.returncode, 0, result.stderr)
        wait_for(lambda: re.search(r"call \d+ ended: busy", phone.read_log()), timeout=10,
                 what="the IP-dialled call ended busy")


if __name__ == "__main__":
    unittest.main()
