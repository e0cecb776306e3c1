# SPDX-License-Identifier: GPL-2.0-or-later
"""A call between two deskphone instances (issue 6: "between two deskphone
instances, where a 1 kHz tone sent by one end is measured at the other for
every codec that is available").

Alice and Bob are two deskphoneds, each on a D-Bus (and with a state folder)
of its own, fresh for every call, Alice's line
1 calling Bob's SIP port directly. Alice sends 1000 Hz, Bob 700 Hz; each
writes what it receives as raw 8 kHz S16LE, measured after the call.
For every codec of the media plugin that this machine's GStreamer has, the
call is made with that codec alone on both sides, and with G.711 µ-law also
over SDES-SRTP."""

import os
import subprocess
import time
import unittest

import dptest
from dptest import wait_for
from peers import measure_tone
from sippeers import SipPhoneTestCase
from test_sip_media import raw_to_wav

ALICE_HZ = 1000.0
BOB_HZ = 700.0
RATE = 8000
# Codec (Preferred_Codec_n_ value) -> the GStreamer elements it needs.
CODECS = {
    "G711u": ("mulawenc", "mulawdec"),
    "G711a": ("alawenc", "alawdec"),
    "G722": ("avenc_g722", "avdec_g722"),
    "Opus": ("opusenc", "opusdec"),
    # Our spandsp encoder and decoder are built in; GStreamer carries the RTP.
    "G726-32": ("rtpg726pay", "rtpg726depay"),
}


def gstreamer_has(*elements):
    for element in elements:
        result = subprocess.run(["gst-inspect-1.0", "--exists", element],
                                capture_output=True, timeout=30)
        if result.returncode != 0:
            return False
    return True


class TwoPhonesTest(SipPhoneTestCase):

    def start_phones(self, codec, secure):
        common = dict(Preferred_Codec_1_=codec, Use_Pref_Codec_Only_1_="Yes",
                      Secure_Call_Setting="Yes" if secure else "No", Register_1_="No")
        bob_bus, alice_bus = self.fresh_bus("bob"), self.fresh_bus("alice")
        self.bob_received = os.path.join(self.folder, f"bob-{time.monotonic_ns()}.raw")
        self.bob = self.start_sip_phone(
            bus=bob_bus, audio_source=self.tone(BOB_HZ), audio_sink=self.recorder(self.bob_received),
            Proxy_1_="127.0.0.1:9", User_ID_1_="bob", **common)
        bob_port = self.sip_port(self.bob)
        self.alice_received = os.path.join(self.folder, f"alice-{time.monotonic_ns()}.raw")
        # Secure, Alice's key reaches its soft limit after 100 packets (the
        # injection of dp-gst-media-session.c; libsrtp's is 2^48): she
        # re-keys by re-INVITE while the tones are measured.
        self.alice = self.start_sip_phone(
            bus=alice_bus, audio_source=self.tone(ALICE_HZ), audio_sink=self.recorder(self.alice_received),
            env={"DESKPHONE_TEST_SRTP_SOFT_LIMIT": "100"} if secure else None,
            Proxy_1_=f"127.0.0.1:{bob_port}", User_ID_1_="alice", **common)
        self.sip_port(self.alice)
        if secure:
            # Registered by the media plugin, so set once it runs. The keys
            # cross UDP here (no TLS between two test phones); the secure
            # indication would be recorded as the far end's audio.
            for phone in (self.alice, self.bob):
                for name, value in (("SDES_Over_Insecure_Transport", "Yes"),
                                    ("Secure_Call_Indication_Tone", "")):
                    result = phone.ctl("config", "set", name, value)
                    self.assertEqual(result.returncode, 0, result.stderr)

    def fresh_bus(self, name):
        """A bus (and so a state folder) of its own for each phone of each
        call: nothing one call sets carries over to the next."""
        folder = os.path.join(self.folder, f"{name}-{time.monotonic_ns()}")
        os.makedirs(folder)
        bus = dptest.Bus(folder)
        self.addCleanup(bus.stop)
        return bus

    @staticmethod
    def tone(hz):
        return f"audiotestsrc is-live=true wave=sine freq={hz:.0f} volume=0.3"

    @staticmethod
    def recorder(path):
        """Raw audio into @path, appended: a call whose pipeline is rebuilt
        (re-keying) keeps what it recorded before."""
        return ("audioconvert ! audioresample ! "
                f"audio/x-raw,format=S16LE,channels=1,rate={RATE} ! filesink append=true location={path}")

    def call_and_measure(self, codec, secure):
        self.start_phones(codec, secure)
        result = self.alice.ctl("dial", "bob")
        self.assertEqual(result.returncode, 0, result.stderr)
        ringing = self.wait_call(self.bob, "ringing", timeout=15)
        result = self.bob.ctl("answer", ringing["id"])
        self.assertEqual(result.returncode, 0, result.stderr)
        at_alice = self.wait_call(self.alice, "active", timeout=15)
        at_bob = self.wait_call(self.bob, "active", ringing["id"], timeout=15)
        for call in (at_alice, at_bob):
            self.assertEqual(call["codec"], codec, call)
            self.assertEqual(bool(call.get("secure")), secure, call)
        # Two of our phones multiplex RTCP (RFC 5761), and the reports arrive.
        for phone in (self.alice, self.bob):
            wait_for(lambda: (self.call(phone).get("rtp") or {}).get("rtcp_received"),
                     timeout=20, what=f"RTCP reports: {self.calls(phone)}")
            self.assertTrue(self.call(phone)["rtp"]["rtcp_mux"], self.calls(phone))
        if secure:
            wait_for(lambda: "SRTP re-keyed" in self.alice.read_log(), timeout=20,
                     what="Alice's re-keying")
        time.sleep(1.5)
        result = self.alice.ctl("hangup")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.wait_no_calls(self.alice)
        self.wait_no_calls(self.bob)
        heard_by_bob = measure_tone(raw_to_wav(self.bob_received, self.bob_received + ".wav"),
                                    skip_seconds=0.5)
        heard_by_alice = measure_tone(raw_to_wav(self.alice_received, self.alice_received + ".wav"),
                                      skip_seconds=0.5)
        self.assert_tone(heard_by_bob, ALICE_HZ, f"Bob ({codec}, secure={secure})")
        self.assert_tone(heard_by_alice, BOB_HZ, f"Alice ({codec}, secure={secure})")

    def assert_tone(self, measured, hz, where):
        freq, rms = measured
        self.assertGreater(rms, 0.02, f"no audio at {where} (rms {rms:.4f}, {freq:.0f} Hz)")
        self.assertAlmostEqual(freq, hz, delta=hz * 0.03,
                               msg=f"wrong tone at {where}: {freq:.1f} Hz, rms {rms:.3f}")

    def test_every_available_codec_and_srtp(self):
        tried = []
        for codec, elements in CODECS.items():
            if not gstreamer_has(*elements):
                continue
            # SRTP is codec-independent: once, with G.711 µ-law, is enough
            # (the suite's time is bounded).
            for secure in ((False, True) if codec == "G711u" else (False,)):
                with self.subTest(codec=codec, secure=secure):
                    self.call_and_measure(codec, secure)
                    tried.append((codec, secure))
                # The next pair of phones starts from scratch.
                for phone in (self.alice, self.bob):
                    phone.terminate()
        # G.711 is in every GStreamer install the phone supports.
        self.assertIn(("G711u", True), tried)


if __name__ == "__main__":
    unittest.main(verbosity=2)
