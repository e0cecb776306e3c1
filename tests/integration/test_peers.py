# SPDX-License-Identifier: GPL-2.0-or-later
"""Self-tests of the real-peer fixtures in peers.py, without deskphone: they
prove kamailio, baresip and sipp are set up and driven the way the sip
plugin's tests rely on (digest registration, calls through the proxy, hold,
audio, failure responses)."""

import os
import shutil
import socket
import tempfile
import time
import unittest

from peers import (Baresip, Kamailio, LOOPBACK, PeerError, Sipp, SipMessage, UdpSipSocket,
                   free_port, measure_tone, options_request, port_is_free,
                   scenario_invite_reply, scenario_register_401, scenario_register_423,
                   scenario_register_503, sip_options, split_stream, wait_until)


class PeerTestCase(unittest.TestCase):
    """A temp folder per test; every peer started through it is stopped by
    pid in cleanup, and its log is printed when the test failed."""

    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="dp-peers-")
        self.peers = []

    def tearDown(self):
        for peer in reversed(self.peers):
            peer.stop()
        if self._failed():
            for peer in self.peers:
                print(f"\n==== {peer.name} log ({peer.log_path}) ====\n{peer.log()[-4000:]}")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _failed(self):
        # Python 3.11 reports a test's failure to the result before tearDown.
        result = getattr(self._outcome, "result", None)
        return result is not None and any(test is self for test, _ in
                                          result.errors + result.failures)

    def peer(self, peer, **start_args):
        self.peers.append(peer)
        return peer.start(**start_args)


class HelperTest(unittest.TestCase):

    def test_free_port_is_bindable_for_both(self):
        port = free_port("both")
        self.assertTrue(port_is_free(port, "udp"))
        self.assertTrue(port_is_free(port, "tcp"))
        with self.assertRaises(ValueError):
            free_port("sctp")

    def test_free_port_is_outside_the_ephemeral_range(self):
        # Port-0 binds (deskphoned's SIP_Port 0, probes) take ephemeral ports:
        # free_port() must not hand out one they could take before the child
        # binds it.
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(x) for x in f.read().split())
        ports = [free_port("udp") for _ in range(50)] + [free_port("udp", span=42)]
        for port in ports:
            self.assertFalse(low <= port <= high, f"{port} is in {low}-{high}")
        self.assertEqual(len(set(ports)), len(ports))

    def test_udp_send_time_precedes_the_reply(self):
        # messages_since(send(...)) must see a reply however fast it comes.
        a, b = UdpSipSocket(), UdpSipSocket()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        for n in range(100):
            since = a.send(b"OPTIONS sip:x SIP/2.0\r\nCall-ID: %d\r\n\r\n" % n,
                           LOOPBACK, b.port)
            got = b.wait_for(lambda m, n=n: m.call_id == str(n), since, timeout=2)
            self.assertIsNotNone(got, f"datagram {n} not seen after its send time")

    def test_port_is_free_sees_a_bound_port(self):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind((LOOPBACK, 0))
            self.assertFalse(port_is_free(sock.getsockname()[1], "udp"))

    def test_wait_until_returns_value_and_times_out_naming_what(self):
        start = time.monotonic()
        self.assertEqual(wait_until(lambda: time.monotonic() - start > 0.1 and "yes",
                                    timeout=2), "yes")
        with self.assertRaisesRegex(PeerError, "the moon"):
            wait_until(lambda: False, timeout=0.2, what=lambda: "the moon")

    def test_sip_message_parser(self):
        message = SipMessage.parse(
            b"SIP/2.0 486 Busy Here\r\nv: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\n"
            b"i: abc@host\r\nCSeq: 7 INVITE\r\nX-Long: one\r\n two\r\nl: 0\r\n\r\n")
        self.assertTrue(message.is_response)
        self.assertEqual((message.status, message.reason), (486, "Busy Here"))
        self.assertEqual(message.call_id, "abc@host")
        self.assertEqual(message.cseq, (7, "INVITE"))
        self.assertEqual(message.header("Via"), "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1")
        self.assertEqual(message.header("x-long"), "one two")
        request = SipMessage.parse("INVITE sip:a@b SIP/2.0\r\nContent-Length: 3\r\n\r\n"
                                   "v=0\r\na=sendonly\r\n")
        self.assertEqual((request.method, request.uri), ("INVITE", "sip:a@b"))
        self.assertEqual(request.sdp_direction(), "sendonly")

    def test_split_stream_frames_by_content_length(self):
        one = b"OPTIONS sip:x SIP/2.0\r\nContent-Length: 4\r\n\r\nabcd"
        two = b"SIP/2.0 200 OK\r\nl: 0\r\n\r\n"
        messages, rest = split_stream(one + b"\r\n" + two + b"SIP/2.0 1")
        self.assertEqual(messages, [one, two])
        self.assertEqual(rest, b"SIP/2.0 1")
        messages, rest = split_stream(one[:-1])
        self.assertEqual((messages, rest), ([], one[:-1]))


class KamailioTest(PeerTestCase):

    def test_digest_registration_and_wrong_password(self):
        kamailio = self.peer(Kamailio(self.folder, users={"1001": "secret1", "1002": "secret2"}))
        self.assertEqual(sip_options(LOOPBACK, kamailio.port, "tcp").status, 200)
        alice = self.peer(Baresip(self.folder, "1001", "secret1", registrar=kamailio))
        self.assertTrue(alice.registered())
        contacts = kamailio.contacts("sip:1001@127.0.0.1")
        self.assertEqual(len(contacts), 1, contacts)
        self.assertIn(f":{alice.port}", contacts[0])
        # The first REGISTER was challenged, the second carried credentials.
        registers = [m for d, _, m in alice.sip_trace() if d == "out" and m.method == "REGISTER"]
        self.assertIsNone(registers[0].header("authorization"))
        self.assertIn('username="1001"', registers[1].header("authorization"))
        # A wrong password is refused and nothing is bound.
        bob = self.peer(Baresip(self.folder, "1002", "not-it", registrar=kamailio),
                        wait_registered=False)
        event = bob.wait_for_event("REGISTER_FAIL")
        self.assertIn("401", event["param"])
        self.assertFalse(kamailio.registered("1002"))
        # An unknown user is refused too.
        eve = self.peer(Baresip(self.folder, "1666", "x", registrar=kamailio),
                        wait_registered=False)
        self.assertIn("401", eve.wait_for_event("REGISTER_FAIL")["param"])
        # A password changed at run time applies to the next attempt.
        kamailio.set_password("1002", "not-it")
        carol = self.peer(Baresip(self.folder, "1002", "not-it", registrar=kamailio,
                                  name="baresip-1002-again"))
        self.assertTrue(carol.registered())
        self.assertTrue(kamailio.registered("1002"))

    def test_restart_forgets_registrations(self):
        kamailio = self.peer(Kamailio(self.folder, users={"1001": "pw"}))
        alice = self.peer(Baresip(self.folder, "1001", "pw", registrar=kamailio))
        kamailio.wait_registered("1001")
        port = kamailio.port
        kamailio.restart()
        self.assertEqual(kamailio.port, port)
        self.assertFalse(kamailio.registered("1001"))
        self.assertEqual(sip_options(LOOPBACK, port).status, 200)
        # The same agent registers again once asked to (baresip re-registers
        # on its own only at regint; uanew of a second account proves the
        # restarted server accepts it).
        again = self.peer(Baresip(self.folder, "1001", "pw", registrar=kamailio,
                                  name="baresip-1001-again"))
        self.assertTrue(again.registered())
        kamailio.wait_registered("1001")
        self.assertTrue(alice.running())

    def test_call_through_kamailio_with_hold_audio_and_bye(self):
        kamailio = self.peer(Kamailio(self.folder, users={"1001": "pw1", "1002": "pw2"}))
        alice = self.peer(Baresip(self.folder, "1001", "pw1", registrar=kamailio))
        bob = self.peer(Baresip(self.folder, "1002", "pw2", registrar=kamailio, tone_hz=700))
        alice.dial("sip:1002@127.0.0.1")
        incoming = bob.wait_for_event("CALL_INCOMING")
        self.assertEqual(incoming["peeruri"], "sip:1001@127.0.0.1")
        self.assertEqual(bob.call_state(), "INCOMING")
        bob.answer()
        alice.wait_for_event("CALL_ESTABLISHED")
        bob.wait_for_event("CALL_ESTABLISHED")
        # The INVITE was challenged with 407 and relayed record-routed.
        invites = [m for d, _, m in alice.sip_trace() if d == "out" and m.method == "INVITE"]
        self.assertIn('username="1001"', invites[1].header("proxy-authorization"))
        received = bob.received_requests("INVITE")[0]
        self.assertIn(f"127.0.0.1:{kamailio.port}", received.header("record-route"))
        time.sleep(1.5)
        alice.hold()
        wait_until(lambda: [m.sdp_direction() for m in bob.received_requests("INVITE")]
                   == ["sendrecv", "sendonly"], timeout=5, what="hold re-INVITE at bob")
        self.assertTrue(alice.calls()[0]["on_hold"])
        alice.resume()
        wait_until(lambda: len(bob.received_requests("INVITE")) == 3, timeout=5,
                   what="resume re-INVITE at bob")
        self.assertEqual(bob.received_requests("INVITE")[2].sdp_direction(), "sendrecv")
        alice.send_dtmf("5")
        self.assertEqual(bob.wait_for_event("CALL_DTMF_START")["param"], "5")
        bob.hangup()
        self.assertIn("reset by peer", alice.wait_for_event("CALL_CLOSED")["param"])
        bob.wait_for_event("CALL_CLOSED")
        # Each side recorded the other's tone.
        at_bob = measure_tone(bob.recordings()[-1])
        at_alice = measure_tone(alice.recordings()[-1])
        self.assertAlmostEqual(at_bob[0], 1000, delta=30, msg=at_bob)
        self.assertAlmostEqual(at_alice[0], 700, delta=30, msg=at_alice)
        self.assertGreater(at_bob[1], 0.05)
        methods = [m for m, _, _ in kamailio.requests()]
        for method in ("REGISTER", "INVITE", "ACK", "BYE"):
            self.assertIn(method, methods)

    def test_cancel_and_unknown_user(self):
        kamailio = self.peer(Kamailio(self.folder, users={"1001": "pw1", "1002": "pw2"}))
        alice = self.peer(Baresip(self.folder, "1001", "pw1", registrar=kamailio))
        bob = self.peer(Baresip(self.folder, "1002", "pw2", registrar=kamailio))
        alice.dial("sip:1002@127.0.0.1")
        bob.wait_for_event("CALL_INCOMING")
        alice.hangup()
        alice.wait_for_event("CALL_CLOSED")
        bob.wait_for_event("CALL_CLOSED")
        self.assertTrue(bob.received_requests("CANCEL"))
        self.assertEqual(bob.calls(), [])
        alice.dial("sip:1999@127.0.0.1")
        self.assertIn("404", alice.wait_for_event("CALL_CLOSED")["param"])

    def test_blind_transfer_between_three_agents(self):
        kamailio = self.peer(Kamailio(self.folder, users={"1001": "a", "1002": "b",
                                                          "1003": "c"}))
        alice = self.peer(Baresip(self.folder, "1001", "a", registrar=kamailio))
        bob = self.peer(Baresip(self.folder, "1002", "b", registrar=kamailio,
                                auto_answer=True))
        carol = self.peer(Baresip(self.folder, "1003", "c", registrar=kamailio,
                                  auto_answer=True))
        alice.dial("sip:1002@127.0.0.1")
        alice.wait_for_event("CALL_ESTABLISHED")
        bob.wait_for_event("CALL_ESTABLISHED")
        # Bob refers alice to carol; alice (transferee) calls carol.
        bob.transfer("sip:1003@127.0.0.1")
        carol.wait_for_event("CALL_ESTABLISHED", timeout=15)
        self.assertEqual(carol.calls()[0]["peer"], "sip:1001@127.0.0.1")
        self.assertTrue(alice.received_requests("REFER"))


class SippTest(PeerTestCase):

    def test_uas_answers_invite_with_486(self):
        sipp = self.peer(Sipp(self.folder, scenario=scenario_invite_reply(486, "Busy Here"),
                              timeout=20))
        alice = self.peer(Baresip(self.folder, "1001"))
        alice.dial(f"sip:bob@127.0.0.1:{sipp.port}")
        self.assertEqual(alice.wait_for_event("CALL_CLOSED")["param"], "486 Busy Here")
        self.assertEqual(sipp.wait(), 0, sipp.log())
        flow = [(d, m.method or m.status) for d, m in sipp.messages()]
        self.assertEqual(flow, [("in", "INVITE"), ("out", 100), ("out", 180), ("out", 486),
                                ("in", "ACK")])

    def test_registrar_503_with_retry_after(self):
        sipp = self.peer(Sipp(self.folder, scenario=scenario_register_503(45), timeout=20))
        alice = self.peer(Baresip(self.folder, "1001", "pw", registrar=f"{LOOPBACK}:{sipp.port}"),
                          wait_registered=False)
        self.assertEqual(alice.wait_for_event("REGISTER_FAIL")["param"],
                         "503 Service Unavailable")
        self.assertEqual(sipp.wait(), 0, sipp.log())
        sent = [m for d, m in sipp.messages() if d == "out"]
        self.assertEqual(sent[0].header("retry-after"), "45")

    def test_registrar_423_then_200(self):
        sipp = self.peer(Sipp(self.folder, scenario=scenario_register_423(120), timeout=20))
        alice = self.peer(Baresip(self.folder, "1001", "pw", regint=60,
                                  registrar=f"{LOOPBACK}:{sipp.port}"))
        self.assertEqual(sipp.wait(), 0, sipp.log())
        registers = [m for d, m in sipp.messages() if d == "in"]
        self.assertIn("expires=60", registers[0].header("contact"))
        self.assertIn("expires=120", registers[1].header("contact"))
        ok = [m for d, m in sipp.messages() if d == "out"][-1]
        self.assertEqual(ok.status, 200)
        self.assertEqual(ok.header("contact"), registers[1].header("contact"))
        self.assertTrue(alice.registered())

    def test_registrar_401_challenge_then_200_and_endless_401(self):
        sipp = self.peer(Sipp(self.folder, scenario=scenario_register_401(1), timeout=20))
        alice = self.peer(Baresip(self.folder, "1001", "pw",
                                  registrar=f"{LOOPBACK}:{sipp.port}"))
        self.assertEqual(sipp.wait(), 0, sipp.log())
        second = [m for d, m in sipp.messages() if d == "in"][1]
        self.assertIn('realm="sipp.test"', second.header("authorization"))
        self.assertTrue(alice.registered())
        # A 401 loop (same nonce every time) for testing a client's give-up
        # logic. baresip 1.0 itself never gives up (it answers every
        # challenge), so here only the scenario's side is checked.
        loop = self.peer(Sipp(self.folder, scenario=scenario_register_401(
            3, then_ok=False, nonce="fixed-nonce"), timeout=20, name="sipp-loop"))
        bob = self.peer(Baresip(self.folder, "1002", "pw",
                                registrar=f"{LOOPBACK}:{loop.port}"), wait_registered=False)
        self.assertEqual(loop.wait(), 0, loop.log())
        flow = loop.messages()
        self.assertEqual([(d, m.method or m.status) for d, m in flow][:6],
                         [("in", "REGISTER"), ("out", 401)] * 3)
        self.assertEqual({m.header("www-authenticate") for d, m in flow if d == "out"},
                         {'Digest realm="sipp.test", nonce="fixed-nonce", algorithm=MD5, '
                          'qop="auth"'})
        self.assertFalse(bob.registered())

    def test_start_retries_on_new_ports_after_a_port_clash(self):
        # Another process takes the chosen ports before the child binds them
        # (parallel test runs): start() picks new ones and tries again.
        sipp = Sipp(self.folder, builtin="uas", calls=1, timeout=5)
        bob = Baresip(self.folder, "1009")
        holders = []
        for port in (sipp.port, bob.port):
            holder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            holder.bind((LOOPBACK, port))
            holders.append(holder)
            self.addCleanup(holder.close)
        taken = (sipp.port, bob.port)
        self.peer(sipp)
        self.peer(bob)
        self.assertNotEqual(sipp.port, taken[0])
        self.assertNotEqual(bob.port, taken[1])
        self.assertIn("port clash", sipp.log())
        self.assertEqual(sip_options(LOOPBACK, bob.port, user="1009", timeout=5).status, 200)
        # A port the caller chose is not changed behind its back.
        fixed = Sipp(self.folder, builtin="uas", port=taken[0], name="sipp-fixed")
        self.peers.append(fixed)
        with self.assertRaises(PeerError):
            fixed.start()

    def test_builtin_uac_calls_an_auto_answering_baresip(self):
        bob = self.peer(Baresip(self.folder, "1002", auto_answer=True))
        sipp = self.peer(Sipp(self.folder, builtin="uac", remote=f"{LOOPBACK}:{bob.port}",
                              service="1002", timeout=20))
        self.assertEqual(sipp.wait(), 0, sipp.errors())
        bob.wait_for_event("CALL_ESTABLISHED")
        bob.wait_for_event("CALL_CLOSED")

    def test_raw_options_probe_gets_200_from_baresip(self):
        bob = self.peer(Baresip(self.folder, "1002"))
        # baresip answers OPTIONS for its own user only (404 otherwise).
        self.assertEqual(sip_options(LOOPBACK, bob.port, user="1002", timeout=5).status, 200)
        self.assertEqual(sip_options(LOOPBACK, bob.port, user="1003", timeout=5).status, 404)
        probe = UdpSipSocket()
        self.addCleanup(probe.close)
        since = probe.send(options_request(LOOPBACK, bob.port, probe.port, call_id="x1@t",
                                           user="1002"), LOOPBACK, bob.port)
        reply = probe.wait_for(lambda m: m.call_id == "x1@t", since, timeout=3)
        self.assertEqual(reply.status, 200)
        self.assertIn("INVITE", reply.header("allow"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
