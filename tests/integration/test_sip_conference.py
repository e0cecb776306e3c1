# SPDX-License-Identifier: GPL-2.0-or-later
"""Local three-way conference (issue 6): the phone calls alice and bob
(two baresips), holds alice while calling bob, then joins both calls with
`deskphonectl conference A B`; the media plugin mixes them.

Three tones prove who hears whom: alice sends 1000 Hz, bob 1500 Hz and the
phone's own source 600 Hz. During the conference each baresip must measure
the two other tones and not its own, and the phone's sink both far ends and
not its own tone. Then bob hangs up: alice stays connected and hears the
phone alone; `hangup` without an id ends the remaining call.

The recordings are cut into short windows analysed with Goertzel: windows
holding the other far end's tone can only come from the mix, so they find
the conference part of each recording without relying on timing."""

import os
import struct
import time
import unittest
import wave

from dptest import wait_for
from peers import Baresip
from test_media_tones import goertzel
from test_sip_media import MediaTestBase

RATE = 8000
PHONE_HZ = 600.0
ALICE_HZ = 1000.0
BOB_HZ = 1500.0
WINDOW = RATE // 4           # 250 ms
PRESENT = 300.0              # Goertzel amplitude (of 32767) a tone must exceed
ABSENT_DB = 20.0             # own tone at least this far below the others


def wav_samples(path):
    with wave.open(path, "rb") as src:
        data = src.readframes(src.getnframes())
    return struct.unpack(f"<{len(data) // 2}h", data[:len(data) // 2 * 2])


def raw_samples(path):
    with open(path, "rb") as f:
        data = f.read()
    return struct.unpack(f"<{len(data) // 2}h", data[:len(data) // 2 * 2])


def window_levels(samples, freqs):
    """[{freq: amplitude}] for each full window."""
    levels = []
    for start in range(0, len(samples) - WINDOW + 1, WINDOW):
        part = samples[start:start + WINDOW]
        levels.append({f: goertzel(part, f) for f in freqs})
    return levels


class ConferenceTest(MediaTestBase):

    def start(self, srtp=False):
        extra = {}
        if srtp:
            extra = dict(extra_config="module srtp.so", extra_account="mediaenc=srtp-mand")
        self.alice = self.peer(Baresip(self.folder, "alice", codecs=("pcmu",),
                                       tone_hz=ALICE_HZ, rate=RATE, **extra)).start()
        self.bob = self.peer(Baresip(self.folder, "bob", codecs=("pcmu",),
                                     tone_hz=BOB_HZ, rate=RATE, **extra)).start()
        # Every pipeline of the phone appends to one file (O_APPEND): the
        # calls' own sinks before and after the conference, the mix during.
        self.received = os.path.join(self.folder, "phone.raw")
        values = dict(Secure_Call_Setting="Yes") if srtp else {}   # RTP/SAVP offers
        self.phone = self.start_sip_phone(
            audio_source=f"audiotestsrc is-live=true wave=sine freq={PHONE_HZ:.0f} volume=0.3",
            audio_sink=("audioconvert ! audioresample ! "
                        f"audio/x-raw,format=S16LE,channels=1,rate={RATE} ! "
                        f"filesink location={self.received} append=true"),
            Proxy_1_=f"127.0.0.1:{self.alice.port}", User_ID_1_="phone", Register_1_="No",
            **values)
        self.sip_port(self.phone)
        if srtp:
            self.allow_sdes_over_udp()

    def call_peer(self, peer):
        call_id = self.ctl_ok("dial", f"sip:{peer.user}@127.0.0.1:{peer.port}").stdout.strip()
        peer.wait_for_event("CALL_INCOMING")
        peer.answer()
        peer.wait_for_event("CALL_ESTABLISHED")
        return self.wait_call(self.phone, "active", call_id)["id"]

    def wait_conference(self, call_id, conference=True):
        return wait_for(lambda: (lambda c: c if c and c.get("conference") is conference
                                 and c["state"] == "active" else None)(
                                     self.call(self.phone, call_id)),
                        timeout=15, what=f"call {call_id} conference={conference}: "
                                         f"{self.calls(self.phone)}")

    def assert_mix(self, where, samples, others, own):
        """At least 2 s in a row hold both `others` tones (so it is a mix, not
        two calls' chunks interleaved in one file); in every window holding
        both, `own` is at least ABSENT_DB below the weaker of the two."""
        levels = window_levels(samples, list(others) + [own])
        both = [all(w[f] > PRESENT for f in others) for w in levels]
        longest = run = 0
        for flag in both:
            run = run + 1 if flag else 0
            longest = max(longest, run)
        self.assertGreaterEqual(
            longest, 8, f"{where}: no 2 s in a row with both {others} Hz "
                        f"({sum(both)} of {len(levels)} windows, longest run {longest})")
        # Own-tone check in the windows where both others are clearly there:
        # a window where one of them fades in or out (just above PRESENT)
        # says nothing about leakage of the own tone, only about the edge.
        for w in levels:
            if all(w[f] > 3 * PRESENT for f in others):
                self.assertLess(w[own], min(w[f] for f in others) / 10 ** (ABSENT_DB / 20),
                                f"{where} hears its own {own} Hz: {w}")

    def recording(self, peer):
        recordings = wait_for(lambda: peer.recordings(), what=f"{peer.user}'s recording")
        return recordings[-1]

    def check_three_way_conference(self, srtp=False):
        self.start(srtp)
        alice_call = self.call_peer(self.alice)
        bob_call = self.call_peer(self.bob)
        if srtp:
            for call in self.calls(self.phone):
                self.assertTrue(call["secure"], call)

        self.ctl_ok("conference", alice_call, bob_call)
        self.wait_conference(alice_call)
        self.wait_conference(bob_call)
        text = self.ctl_ok("calls").stdout
        self.assertEqual(text.count("(conference)"), 2, text)
        # 2 s of mix are asserted below; a loaded machine may take a while
        # to bring the mix up, so it gets three times that.
        time.sleep(6)

        # Bob leaves: alice stays connected to the phone alone.
        self.bob.hangup()
        self.bob.wait_for_event("CALL_CLOSED")
        self.wait_conference(alice_call, conference=False)
        left = self.call(self.phone, bob_call)
        self.assertTrue(left is None or left["state"] == "ended", left)
        time.sleep(3)
        self.ctl_ok("hangup")
        self.alice.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)
        time.sleep(0.5)   # sndfile finalises its WAV when the call closes

        at_alice = wav_samples(self.recording(self.alice))
        at_bob = wav_samples(self.recording(self.bob))
        at_phone = raw_samples(self.received)
        self.assert_mix("alice", at_alice, (PHONE_HZ, BOB_HZ), ALICE_HZ)
        self.assert_mix("bob", at_bob, (PHONE_HZ, ALICE_HZ), BOB_HZ)
        self.assert_mix("the phone", at_phone, (ALICE_HZ, BOB_HZ), PHONE_HZ)

        # After bob left, alice's last second is the phone's tone without bob.
        tail = window_levels(at_alice[-5 * WINDOW:-WINDOW], (PHONE_HZ, BOB_HZ))
        self.assertTrue(tail, "alice's recording is too short")
        for w in tail:
            self.assertGreater(w[PHONE_HZ], PRESENT, f"alice lost the phone after bob left: {w}")
            self.assertLess(w[BOB_HZ], PRESENT / 3, f"bob still heard at alice: {w}")

    def test_three_way_conference(self):
        self.check_three_way_conference()

    def test_three_way_conference_srtp(self):
        self.check_three_way_conference(srtp=True)

    def test_held_call_is_resumed_when_it_joins(self):
        # As on the SPA: hold the first party, call the second, conference.
        # (baresip stops recording while held, so the flow is checked with
        # the phone's RTP counters.)
        self.start()
        alice_call = self.call_peer(self.alice)
        self.ctl_ok("hold", alice_call)
        self.wait_call(self.phone, "held", alice_call)
        bob_call = self.call_peer(self.bob)
        self.ctl_ok("conference", alice_call, bob_call)
        self.wait_conference(alice_call)
        self.assertEqual(self.alice.received_requests("INVITE")[-1].sdp_direction(), "sendrecv")

        def received():
            time.sleep(2.2)   # status refreshes the RTP counters every 2 s
            return self.call(self.phone, alice_call)["rtp"]["packets_received"]
        first = received()
        self.assertGreater(received() - first, 30, "alice's audio does not reach the phone")
        self.ctl_ok("hangup")
        self.wait_no_calls(self.phone)

    def test_hangup_without_id_ends_both_legs(self):
        self.start()
        alice_call = self.call_peer(self.alice)
        bob_call = self.call_peer(self.bob)
        self.ctl_ok("conference", alice_call, bob_call)
        self.wait_conference(bob_call)
        self.ctl_ok("hangup")
        self.alice.wait_for_event("CALL_CLOSED")
        self.bob.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)

    def test_bad_requests_change_nothing(self):
        self.start()
        alice_call = self.call_peer(self.alice)
        for args, message in ((("conference", alice_call, alice_call), "two different calls"),
                              (("conference", alice_call, "99"), "no call with id 99"),
                              (("conference", alice_call), "usage")):
            result = self.phone.ctl(*args)
            self.assertNotEqual(result.returncode, 0, args)
            self.assertIn(message, result.stderr, args)
        bob_call = self.call_peer(self.bob)
        self.ctl_ok("config", "set", "Conference_Bridge_URL_1_", "sip:bridge@127.0.0.1:9")
        result = self.phone.ctl("conference", alice_call, bob_call)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Conference_Bridge_URL_1_", result.stderr)
        self.ctl_ok("config", "set", "Conference_Bridge_URL_1_", "")
        self.ctl_ok("config", "set", "Conference_Serv", "No")
        result = self.phone.ctl("conference", alice_call, bob_call)
        self.assertIn("Conference_Serv", result.stderr)
        for call in self.calls(self.phone):
            self.assertFalse(call.get("conference"), call)
            self.assertEqual(call["state"], "active", call)


if __name__ == "__main__":
    unittest.main(verbosity=2)
