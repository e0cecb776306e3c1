# SPDX-License-Identifier: GPL-2.0-or-later
"""Calls whose audio goes through the core's media provider (the media
plugin): the sip plugin puts the DpMediaSession's SDP in its INVITEs and
answers, and a tone sent by one end is measured at the other.

The phone sends a 1000 Hz tone (DESKPHONE_AUDIO_SOURCE) and writes what it
receives as raw 8 kHz S16LE (DESKPHONE_AUDIO_SINK); baresip sends a 700 Hz
tone from a WAV and records what it decodes (sndfile). Different
frequencies prove which way each tone went."""

import math
import os
import re
import struct
import sys
import time
import unittest
import wave

from dptest import wait_for
from peers import Baresip, measure_tone
from sippeers import SipPhoneTestCase

PHONE_HZ = 1000.0
BOB_HZ = 700.0
RATE = 8000
# Against baresip, a G.726 tone decoded in the packing it was sent in
# measured a purity of 0.98-1.00 (0.91 for G726-40 at the phone); in the
# other packing 0.00-0.85 (swapped neighbouring codes keep a low tone
# recognisable, never clean).
CLEAN_G726_PURITY = 0.95


def goertzel(samples, rate, hz):
    """Amplitude (of 32767) of `hz` in `samples`."""
    k = 2 * math.cos(2 * math.pi * hz / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return 2 * math.sqrt(max(s1 * s1 + s2 * s2 - k * s1 * s2, 0.0)) / len(samples)


def tone_purity(wav_path, hz, tail_seconds):
    """The share of the last `tail_seconds`' energy that is the `hz` tone
    (1.0 for a clean sine; noise and distortion lower it)."""
    with wave.open(wav_path, "rb") as f:
        rate = f.getframerate()
        channels = f.getnchannels()
        data = f.readframes(f.getnframes())
    samples = struct.unpack(f"<{len(data) // 2}h", data[:len(data) // 2 * 2])[::channels]
    samples = samples[-int(rate * tail_seconds):]
    if not samples:
        return 0.0
    rms = math.sqrt(sum(x * x for x in samples) / len(samples))
    # A sine of amplitude A has an RMS of A / sqrt(2).
    return (goertzel(samples, rate, hz) / math.sqrt(2)) ** 2 / max(rms * rms, 1e-9)


def raw_to_wav(raw_path, wav_path, rate=RATE):
    with open(raw_path, "rb") as f:
        data = f.read()
    with wave.open(wav_path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(data[:len(data) // 2 * 2])
    return wav_path


def skip(wav_path, tail_seconds):
    """Seconds to skip so that only the last `tail_seconds` remain (0.5 s,
    the start of the call, when None)."""
    if tail_seconds is None:
        return 0.5
    with wave.open(wav_path, "rb") as f:
        return max(f.getnframes() / f.getframerate() - tail_seconds, 0.0)


class MediaTestBase(SipPhoneTestCase):
    """Bob (baresip) and a phone whose line 1 calls him directly."""

    def start(self, codecs=("pcmu",), bob_rate=RATE, bob_srtp=None, sdes_over_udp=False,
              bob_rtcp_mux=False, phone_env=None, bob_user="bob", **values):
        extra = {}
        if bob_srtp:
            extra = dict(extra_config="module srtp.so", extra_account=f"mediaenc={bob_srtp}")
        self.bob = self.peer(Baresip(self.folder, bob_user, codecs=codecs, tone_hz=BOB_HZ,
                                     rate=bob_rate, rtcp_mux=bob_rtcp_mux, **extra)).start()
        self.received = os.path.join(self.folder, f"phone-{time.monotonic_ns()}.raw")
        config = dict(Proxy_1_=f"127.0.0.1:{self.bob.port}", User_ID_1_="phone",
                      Register_1_="No")
        config.update(values)
        self.phone = self.start_sip_phone(
            audio_source=f"audiotestsrc is-live=true wave=sine freq={PHONE_HZ:.0f} volume=0.3",
            audio_sink=("audioconvert ! audioresample ! "
                        f"audio/x-raw,format=S16LE,channels=1,rate={RATE} ! "
                        f"filesink append=true location={self.received}"),
            env=phone_env, **config)
        self.sip_port(self.phone)
        if sdes_over_udp:
            self.allow_sdes_over_udp()

    def allow_sdes_over_udp(self):
        # Registered by the media plugin, so set once it runs.
        self.ctl_ok("config", "set", "SDES_Over_Insecure_Transport", "Yes")
        # The secure-call indication plays on the same local sink as the
        # call; here that sink is the file the test measures, so the
        # indication would be measured as the far end's audio.
        self.ctl_ok("config", "set", "Secure_Call_Indication_Tone", "")

    def ctl_ok(self, *args):
        result = self.phone.ctl(*args)
        self.assertEqual(result.returncode, 0, f"{args}: {result.stderr}")
        return result

    def outgoing_active_call(self):
        self.ctl_ok("dial", "bob")
        self.bob.wait_for_event("CALL_INCOMING")
        self.bob.answer()
        self.bob.wait_for_event("CALL_ESTABLISHED")
        return self.wait_call(self.phone, "active")

    def incoming_active_call(self):
        port = self.sip_port(self.phone)
        self.bob.dial(f"sip:phone@127.0.0.1:{port}")
        call = self.wait_call(self.phone, "ringing")
        self.ctl_ok("answer")
        self.bob.wait_for_event("CALL_ESTABLISHED")
        return self.wait_call(self.phone, "active", call["id"])

    def hang_up_and_measure(self, seconds=3.0, tail_seconds=None):
        """Lets audio flow, hangs up, returns ((hz, rms) at bob, (hz, rms) at
        the phone), of the whole call or of its last `tail_seconds`."""
        time.sleep(seconds)
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)
        recordings = wait_for(lambda: self.bob.recordings(), what="baresip's recording")
        # sndfile finalises the WAV when the call closes.
        time.sleep(0.5)
        phone_wav = raw_to_wav(self.received, self.received + ".wav")
        return (measure_tone(recordings[-1], skip_seconds=skip(recordings[-1], tail_seconds)),
                measure_tone(phone_wav, skip_seconds=skip(phone_wav, tail_seconds)))

    def assert_tone(self, measured, hz, where):
        freq, rms = measured
        self.assertGreater(rms, 0.02, f"no audio at {where} (rms {rms:.4f}, {freq:.0f} Hz)")
        self.assertAlmostEqual(freq, hz, delta=hz * 0.03,
                               msg=f"wrong tone at {where}: {freq:.1f} Hz, rms {rms:.3f}")

    def check_codec_call(self, codecs, expected, incoming=False, bob_rate=RATE):
        self.start(codecs=codecs, bob_rate=bob_rate)
        call = self.incoming_active_call() if incoming else self.outgoing_active_call()
        self.assertEqual(call["codec"], expected)
        self.assertFalse(call.get("secure"))
        at_bob, at_phone = self.hang_up_and_measure()
        self.assert_tone(at_bob, PHONE_HZ, f"baresip ({expected})")
        self.assert_tone(at_phone, BOB_HZ, f"the phone ({expected})")

class MediaCallTest(MediaTestBase):

    def test_g711u_tone_both_ways(self):
        self.check_codec_call(("pcmu",), "G711u")

    def test_g711a_tone_both_ways(self):
        self.check_codec_call(("pcma",), "G711a")

    def test_g711u_incoming_call_tone_both_ways(self):
        self.check_codec_call(("pcmu",), "G711u", incoming=True)

    def test_g722_tone_both_ways(self):
        self.check_codec_call(("g722",), "G722", bob_rate=16000)

    def check_g726_call(self, codec, incoming=False, aal2=False):
        """G.726 against baresip 1.0's g726 module, the tone measured both
        ways on the last 2.5 s. baresip (spandsp, G726_PACKING_LEFT) packs
        the codes in AAL2 order under the RFC 3551 name. With our default
        RFC 3551 order each end decodes the other's tone as noise: this pins
        that measured fact (if either side changes, the tones come through
        clean and the test says so). With `G726_Packing` AAL2 the phone
        speaks baresip's order and both tones must arrive clean."""
        values = {"Preferred_Codec_1_": codec}
        if aal2:
            values["G726_Packing"] = "AAL2"
        self.start(codecs=(codec,), **values)
        call = self.incoming_active_call() if incoming else self.outgoing_active_call()
        self.assertEqual(call["codec"], codec)
        at_bob, at_phone = self.hang_up_and_measure(seconds=4.0, tail_seconds=2.5)
        ends = [(at_bob, tone_purity(self.bob.recordings()[-1], PHONE_HZ, tail_seconds=2.5),
                 PHONE_HZ, "baresip"),
                (at_phone, tone_purity(self.received + ".wav", BOB_HZ, tail_seconds=2.5),
                 BOB_HZ, "the phone")]
        for (freq, rms), purity, hz, where in ends:
            print(f"{codec} ({'AAL2' if aal2 else 'RFC 3551'}) at {where}: {freq:.0f} Hz by zero "
                  f"crossings, rms {rms:.3f}, purity of {hz:.0f} Hz {purity:.2f}", file=sys.stderr)
        for (freq, rms), purity, hz, where in ends:
            self.assertGreater(rms, 0.01, f"{codec}: no audio at {where}")
            if aal2:
                self.assertGreaterEqual(purity, CLEAN_G726_PURITY,
                                        f"{codec} with G726_Packing AAL2 at {where}: the {hz:.0f} Hz "
                                        f"tone is not clean (purity {purity:.2f})")
            else:
                self.assertLess(purity, CLEAN_G726_PURITY,
                                f"{codec} at {where}: the {hz:.0f} Hz tone came through clean "
                                f"(purity {purity:.2f}): the bit orders now agree; make this "
                                "test demand a clean tone")

    def test_g726_32_bit_order_against_baresip(self):
        self.check_g726_call("G726-32")

    def test_g726_32_aal2_packing_interoperates_with_baresip_incoming(self):
        self.check_g726_call("G726-32", incoming=True, aal2=True)

    def test_g726_40_aal2_packing_interoperates_with_baresip(self):
        # 5-bit codes: every byte boundary splits a code.
        self.check_g726_call("G726-40", aal2=True)

    def test_call_volume_follows_the_audio_path_and_its_volume(self):
        # dp-media-volume.h: 15 is unity, 2 dB a step; 15 -> 5 is -20 dB.
        # Handset at 15, then Handset_Volume 5, then Audio_Path Speaker
        # (Speaker_Volume 15): loud, 20 dB down, loud again, live.
        self.start(Handset_Volume="15", Speaker_Volume="15")
        self.outgoing_active_call()
        time.sleep(2.5)
        self.ctl_ok("config", "set", "Handset_Volume", "5")
        time.sleep(2.5)
        self.ctl_ok("config", "set", "Audio_Path", "Speaker")
        time.sleep(2.5)
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)
        with open(self.received, "rb") as f:
            data = f.read()
        samples = struct.unpack(f"<{len(data) // 2}h", data[:len(data) // 2 * 2])
        window = RATE // 4
        levels = [math.sqrt(sum(x * x for x in samples[i:i + window]) / window) / 32768
                  for i in range(0, len(samples) - window + 1, window)]
        loud = max(levels[:10])
        # Each phase lasts 10 windows; its middle is clear of the switches.
        quiet = sorted(levels[-16:-13])[1]
        speaker = sorted(levels[-5:-1])[1]   # the very last window may be cut
        self.assertGreater(loud, 0.05, levels)
        for level, expected, what in ((quiet, -20.0, "Handset_Volume 15 -> 5"),
                                      (speaker, 0.0, "Audio_Path Speaker at Speaker_Volume 15")):
            ratio_db = 20 * math.log10(max(level, 1e-9) / loud)
            self.assertAlmostEqual(ratio_db, expected, delta=3.0,
                                   msg=f"{what}: the level moved {ratio_db:.1f} dB: {levels}")

    def test_offer_and_stats_in_status(self):
        self.start()
        self.outgoing_active_call()
        invite = self.bob.received_requests("INVITE")[0]
        self.assertEqual(invite.header("Content-Type"), "application/sdp")
        port = int(re.search(r"^m=audio (\d+) RTP/AVP", invite.body, re.M).group(1))
        rtp_min = int(self.phone.sip_config["RTP_Port_Min"])
        rtp_max = int(self.phone.sip_config["RTP_Port_Max"])
        self.assertTrue(rtp_min <= port <= rtp_max, (rtp_min, rtp_max, invite.body))
        self.assertIn("c=IN IP4 127.0.0.1", invite.body)

        def sending():
            call = self.call(self.phone)
            stats = call.get("rtp") or {}
            return call if stats.get("packets_sent", 0) > 20 else None
        call = wait_for(sending, timeout=8, what=f"RTP stats in status: {self.calls(self.phone)}")
        self.assertGreater(call["rtp"].get("packets_received", 0), 0, call)
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")

    def rtp(self, wait=2.2):
        """The call's RTP statistics after `wait` s (status refreshes them
        every 2 s)."""
        time.sleep(wait)
        return self.call(self.phone)["rtp"]

    def test_hold_and_resume_by_reinvite(self):
        # baresip stops recording when held, so the flow is checked with the
        # phone's RTP counters and the phone's own recording.
        self.start()
        call = self.outgoing_active_call()
        self.ctl_ok("hold")
        self.wait_call(self.phone, "held", call["id"])
        reinvite = self.bob.received_requests("INVITE")[-1]
        self.assertEqual(reinvite.sdp_direction(), "sendonly")
        held_1 = self.rtp(2.5)
        held_2 = self.rtp()
        self.assertLess(held_2["packets_received"] - held_1["packets_received"], 5,
                        "baresip (recvonly) kept sending while held")
        self.assertGreater(held_2["packets_sent"] - held_1["packets_sent"], 30,
                           "the phone (sendonly) stopped sending while holding")
        self.ctl_ok("resume")
        self.wait_call(self.phone, "active", call["id"])
        self.assertEqual(self.bob.received_requests("INVITE")[-1].sdp_direction(), "sendrecv")
        active_1 = self.rtp(2.5)
        active_2 = self.rtp()
        self.assertGreater(active_2["packets_received"] - active_1["packets_received"], 30)
        self.assertGreater(active_2["packets_sent"] - active_1["packets_sent"], 30)
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)
        self.assert_tone(measure_tone(raw_to_wav(self.received, self.received + ".wav"),
                                      skip_seconds=0.5), BOB_HZ, "the phone")

    def test_remote_hold_answered(self):
        self.start()
        call = self.outgoing_active_call()
        self.bob.hold()
        self.wait_call(self.phone, "remote-held", call["id"])
        self.bob.resume()
        self.wait_call(self.phone, "active", call["id"])
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")

    def test_dtmf_rfc4733_to_baresip(self):
        self.start()
        self.outgoing_active_call()
        self.ctl_ok("dtmf", "7")
        event = self.bob.wait_for_event("CALL_DTMF_START", timeout=5)
        self.assertEqual(event.get("param"), "7", event)
        self.assertEqual(self.bob.received_requests("INFO"), [])
        self.ctl_ok("hangup")

    def test_dtmf_rfc4733_from_baresip(self):
        self.start()
        call = self.outgoing_active_call()
        time.sleep(0.5)
        self.bob.send_dtmf("4")
        wait_for(lambda: re.search(rf"call {call['id']}: DTMF 4 received \(rfc4733\)",
                                   self.phone.read_log()),
                 timeout=5, what="the phone to report DTMF 4")
        self.ctl_ok("hangup")

    def test_dtmf_inband_to_baresip(self):
        # DTMF_Tx_Method InBand: Q.23 tones in the audio, although baresip
        # takes telephone-event: no RFC 4733 event, no INFO, and baresip's
        # recording holds 697 + 1209 Hz (digit 1) strongly in some 40 ms.
        self.start(DTMF_Tx_Method_1_="InBand")
        self.outgoing_active_call()
        time.sleep(0.5)
        self.ctl_ok("dtmf", "1")
        time.sleep(0.5)
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")
        self.assertFalse([e for e in self.bob.events if e.get("type") == "CALL_DTMF_START"])
        self.assertEqual(self.bob.received_requests("INFO"), [])
        recordings = wait_for(lambda: self.bob.recordings(), what="baresip's recording")
        time.sleep(0.5)
        with wave.open(recordings[-1], "rb") as f:
            rate = f.getframerate()
            data = f.readframes(f.getnframes())
        samples = [x / 32768 for x in struct.unpack(f"<{len(data) // 2}h", data)]
        window = rate // 25
        best = max(min(goertzel(samples[i:i + window], rate, 697),
                       goertzel(samples[i:i + window], rate, 1209))
                   for i in range(0, len(samples) - window, window // 2))
        self.assertGreater(best, 0.1, f"no digit 1 in baresip's audio (best pair {best:.3f})")

    def test_no_common_codec_is_refused_with_488(self):
        self.start(codecs=("pcma",), Preferred_Codec_1_="G711u", Use_Pref_Codec_Only_1_="Yes")
        port = self.sip_port(self.phone)
        self.bob.dial(f"sip:phone@127.0.0.1:{port}")
        self.bob.wait_for_event("CALL_CLOSED")
        responses = [m for d, _, m in self.bob.sip_trace()
                     if d == "in" and m.start_line.startswith("SIP/2.0 488")]
        self.assertTrue(responses, "no 488 from the phone")
        self.assertEqual(self.calls(self.phone), [])


class SecureCallTest(MediaTestBase):
    """SDES-SRTP (RFC 4568) with baresip's srtp module. The lines are UDP:
    SDES_Over_Insecure_Transport lets the keys travel (TLS is not done)."""

    def secure_call(self, call, at_bob, at_phone):
        self.assertTrue(call["secure"], call)
        self.assertIn(call["srtp_suite"], ("AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32",
                                           "AES_256_CM_HMAC_SHA1_80", "AES_256_CM_HMAC_SHA1_32"))
        self.assert_tone(at_bob, PHONE_HZ, "baresip (SRTP)")
        self.assert_tone(at_phone, BOB_HZ, "the phone (SRTP)")

    def test_required_srtp_outgoing_to_srtp_mand(self):
        self.start(bob_srtp="srtp-mand", sdes_over_udp=True, Secure_Call_Setting="Yes")
        call = self.outgoing_active_call()
        invite = self.bob.received_requests("INVITE")[0]
        self.assertIn("RTP/SAVP", invite.body)
        self.assertIn("a=crypto:", invite.body)
        self.secure_call(call, *self.hang_up_and_measure())

    def check_rtcp_mux(self, incoming):
        """RFC 5761 with SRTP: RTCP shares the RTP port both ways; baresip's
        reports reach the phone and the tones cross."""
        # Outgoing, RTP/SAVP (baresip's srtp-mand takes nothing else).
        secure = {} if incoming else dict(Secure_Call_Setting="Yes")
        self.start(bob_srtp="srtp-mand", sdes_over_udp=True, bob_rtcp_mux=True, **secure)
        call = self.incoming_active_call() if incoming else self.outgoing_active_call()
        offer_from_bob = [m for d, _, m in self.bob.sip_trace()
                          if d == "out" and m.start_line.startswith("INVITE")]
        answer = ([m for d, _, m in self.bob.sip_trace()
                   if d == "in" and m.start_line.startswith("SIP/2.0 200")][0] if incoming
                  else self.bob.received_requests("INVITE")[0])
        if incoming:
            self.assertIn("a=rtcp-mux", offer_from_bob[0].body)
        self.assertIn("a=rtcp-mux", answer.body)

        def reports():
            stats = self.call(self.phone).get("rtp") or {}
            return stats if stats.get("rtcp_received") else None
        stats = wait_for(reports, timeout=20, what=f"baresip's RTCP at the phone: "
                         f"{self.calls(self.phone)}")
        self.assertTrue(stats["rtcp_mux"], stats)
        self.secure_call(call, *self.hang_up_and_measure(seconds=1.0))

    def test_rtcp_mux_outgoing_srtp(self):
        self.check_rtcp_mux(incoming=False)

    def test_rtcp_mux_incoming_srtp(self):
        self.check_rtcp_mux(incoming=True)

    def test_srtp_rekey_by_reinvite(self):
        """The phone's SRTP key reaches its soft limit (injected after 100
        packets: libsrtp's own is 2^48): the phone re-INVITEs with a new key,
        baresip answers, and the tones still cross afterwards."""
        self.start(bob_srtp="srtp-mand", sdes_over_udp=True, Secure_Call_Setting="Yes",
                   phone_env={"DESKPHONE_TEST_SRTP_SOFT_LIMIT": "100"})
        call = self.outgoing_active_call()
        invites = wait_for(lambda: (lambda r: r if len(r) >= 2 else None)(
            self.bob.received_requests("INVITE")), timeout=30, what="the re-keying re-INVITE")
        keys = [re.findall(r"^a=crypto:\d+ (\S+) inline:(\S+)", i.body, re.M) for i in invites[:2]]
        self.assertTrue(keys[0] and keys[1], keys)
        self.assertFalse(set(keys[0]) & set(keys[1]), f"the re-INVITE offers an old key: {keys}")
        self.assertIn("a=sendrecv", invites[1].body)
        self.wait_call(self.phone, "active", call["id"])
        at_bob, at_phone = self.hang_up_and_measure(seconds=2.0, tail_seconds=1.2)
        self.secure_call(call, at_bob, at_phone)

    def test_optional_srtp_incoming_from_srtp_mand(self):
        self.start(bob_srtp="srtp-mand", sdes_over_udp=True)
        call = self.incoming_active_call()
        answer = [m for d, _, m in self.bob.sip_trace()
                  if d == "in" and m.start_line.startswith("SIP/2.0 200")][0]
        self.assertIn("a=crypto:", answer.body)
        self.secure_call(call, *self.hang_up_and_measure())

    def test_required_srtp_call_to_plain_peer_ends_without_rtp(self):
        self.start(sdes_over_udp=True, Secure_Call_Setting="Yes")
        self.ctl_ok("dial", "bob")
        incoming = self.bob.wait_for_event("CALL_INCOMING|CALL_CLOSED")
        if incoming["type"] == "CALL_INCOMING":
            self.bob.answer()
            self.bob.wait_for_event("CALL_CLOSED", timeout=10)
        self.wait_no_calls(self.phone)
        self.assertTrue(re.search(r"call \d+ ended: (488|.*Not Acceptable)",
                                  self.phone.read_log()), self.phone.read_log()[-2000:])
        # Nothing was ever decoded at baresip: no plain RTP was sent.
        for recording in self.bob.recordings():
            self.assertLess(measure_tone(recording)[1], 0.01, recording)

    def test_required_srtp_incoming_plain_offer_refused_with_488(self):
        self.start(sdes_over_udp=True, Secure_Call_Setting="Yes")
        port = self.sip_port(self.phone)
        self.bob.dial(f"sip:phone@127.0.0.1:{port}")
        self.bob.wait_for_event("CALL_CLOSED")
        self.assertTrue([m for d, _, m in self.bob.sip_trace()
                         if d == "in" and m.start_line.startswith("SIP/2.0 488")])
        self.assertEqual(self.calls(self.phone), [])
        self.assertEqual(self.bob.recordings(), [])

    def test_required_srtp_without_sdes_transport_cannot_dial(self):
        self.start(Secure_Call_Setting="Yes")
        result = self.phone.ctl("dial", "bob")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SRTP", result.stderr)
        self.assertEqual(self.bob.received_requests("INVITE"), [])

    def test_secure_call_serv_off_offers_plain(self):
        self.start(sdes_over_udp=True, Secure_Call_Serv="No", Secure_Call_Setting="Yes")
        call = self.outgoing_active_call()
        self.assertNotIn("a=crypto:", self.bob.received_requests("INVITE")[0].body)
        self.assertFalse(call["secure"])
        self.ctl_ok("hangup")


class EchoCancellerTest(MediaTestBase):
    """Acoustic_Echo_Canceller_Enable with a real acoustic loop: the phone's
    speaker (Audio_Sink, an interaudiosink) is heard by its microphone
    (Audio_Source: an interaudiosrc of that channel mixed with the user's
    own voice, a 1000 Hz tone). Without the canceller baresip hears its own
    700 Hz back; with it that echo is gone, and the user's voice stays."""

    def echo_call(self, canceller):
        self.bob = self.peer(Baresip(self.folder, "bob", codecs=("pcmu",), tone_hz=BOB_HZ)).start()
        room = f"room{time.monotonic_ns()}"
        self.phone = self.start_sip_phone(
            audio_source=(f"interaudiosrc channel={room} ! audio/x-raw,rate={RATE},channels=1 ! m. "
                          f"audiotestsrc is-live=true wave=sine freq={PHONE_HZ:.0f} volume=0.1 ! "
                          f"audio/x-raw,rate={RATE},channels=1 ! m. audiomixer name=m"),
            audio_sink=f"interaudiosink channel={room}",
            Proxy_1_=f"127.0.0.1:{self.bob.port}", User_ID_1_="phone", Register_1_="No",
            Handset_Volume="15", Acoustic_Echo_Canceller_Enable="Yes" if canceller else "No")
        self.sip_port(self.phone)
        self.outgoing_active_call()
        time.sleep(6)
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)
        recordings = wait_for(lambda: self.bob.recordings(), what="baresip's recording")
        time.sleep(0.5)
        with wave.open(recordings[-1], "rb") as src:
            data = src.readframes(src.getnframes())
            rate = src.getframerate()
        samples = struct.unpack(f"<{len(data) // 2}h", data[:len(data) // 2 * 2])
        # The last 2 s (the canceller has had 4 s to converge).
        tail = samples[-2 * rate:]
        self.assertGreater(len(tail), rate, "baresip's recording is too short")
        return goertzel(tail, rate, BOB_HZ), goertzel(tail, rate, PHONE_HZ)

    def test_echo_of_the_far_end_is_cancelled(self):
        echo_off, voice_off = self.echo_call(canceller=False)
        for peer in self.peers:
            peer.stop()
        for phone in self.phones:
            phone.terminate()
        self.phones.clear()
        self.peers.clear()
        echo_on, voice_on = self.echo_call(canceller=True)
        levels = f"echo {echo_off:.0f} -> {echo_on:.0f}, voice {voice_off:.0f} -> {voice_on:.0f}"
        self.assertGreater(echo_off, 300, f"no echo without the canceller: {levels}")
        self.assertGreater(voice_off, 100, levels)
        self.assertGreater(voice_on, 100, f"the canceller took the user's voice: {levels}")
        self.assertLess(echo_on, echo_off / 10, f"echo not cancelled by 20 dB: {levels}")
        print(f"echo canceller: {levels}", file=sys.stderr)


class FeatureCodeTest(MediaTestBase):
    """Star codes in the dialled number (spa9x2-reference section 5.1) and the
    incoming-call features they switch."""

    def test_secure_one_call_code_applies_to_the_next_call(self):
        self.start(bob_srtp="srtp-mand", sdes_over_udp=True)
        # Star codes are keys (digits); "*18" alone applies to the next call.
        self.assertNotEqual(self.phone.ctl("dial", "*18").returncode, 0)
        self.ctl_ok("dial", "bob")
        self.bob.wait_for_event("CALL_INCOMING")
        invite = self.bob.received_requests("INVITE")[0]
        self.assertIn("RTP/SAVP", invite.body)
        self.assertTrue(invite.start_line.startswith("INVITE sip:bob@"), invite.start_line)
        self.bob.answer()
        self.bob.wait_for_event("CALL_ESTABLISHED")
        self.assertTrue(self.wait_call(self.phone, "active")["secure"])
        self.ctl_ok("hangup")
        # Only that call: the next one offers plain RTP/AVP again.
        self.bob.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)
        self.assertEqual(self.phone.get("Secure_Call_Setting"), "No")

    def codec_code_call(self, code):
        """Dials bob (user 2000: star codes are keys, so is what follows
        them) after the codec selection `code`; returns (the offer's audio
        payload types, the active call)."""
        self.ctl_ok("dial", code + "2000")
        self.bob.wait_for_event("CALL_INCOMING")
        invite = self.bob.received_requests("INVITE")[-1]
        self.assertTrue(invite.start_line.startswith("INVITE sip:2000@"), invite.start_line)
        pts = re.search(r"^m=audio \d+ RTP/AVP ([\d ]+)", invite.body, re.M).group(1).split()
        self.bob.answer()
        self.bob.wait_for_event("CALL_ESTABLISHED")
        call = self.wait_call(self.phone, "active")
        return pts, call

    def test_codec_selection_codes(self):
        # Section 5.4: *027111 = only G.711a for this call, *017111 = G.711a
        # first; the line's own preference (G711u first) otherwise.
        self.start(codecs=("pcmu", "pcma"), bob_user="2000")
        pts, call = self.codec_code_call("*027111")
        self.assertEqual([pt for pt in pts if int(pt) < 96], ["8"], pts)
        self.assertEqual(call["codec"], "G711a")
        at_bob, at_phone = self.hang_up_and_measure(seconds=1.5)
        self.assert_tone(at_bob, PHONE_HZ, "baresip (forced G.711a)")
        self.assert_tone(at_phone, BOB_HZ, "the phone (forced G.711a)")

        pts, call = self.codec_code_call("*017111")
        self.assertEqual(pts[:2], ["8", "0"], pts)
        self.assertEqual(call["codec"], "G711a")
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)

        pts, call = self.codec_code_call("")
        self.assertEqual(pts[0], "0", pts)
        self.assertEqual(call["codec"], "G711u")
        self.ctl_ok("hangup")
        self.bob.wait_for_event("CALL_CLOSED")
        self.wait_no_calls(self.phone)

        # No G.729 in GStreamer here: forcing it places no call and says why;
        # preferring it falls back to the line's list.
        result = self.phone.ctl("dial", "*027292000")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("G729a", result.stderr)
        pts, call = self.codec_code_call("*01729")
        self.assertEqual(call["codec"], "G711u")
        self.ctl_ok("hangup")

    def test_secure_all_calls_codes_set_the_parameter(self):
        self.start()
        self.assertNotEqual(self.phone.ctl("dial", "*16").returncode, 0)   # no call placed
        self.assertEqual(self.phone.get("Secure_Call_Setting"), "Yes")
        self.phone.ctl("dial", "*17")
        self.assertEqual(self.phone.get("Secure_Call_Setting"), "No")
        self.assertEqual(self.bob.received_requests("INVITE"), [])

    def test_dnd_code_refuses_incoming_calls_with_486(self):
        self.start()
        self.phone.ctl("dial", "*78")
        self.assertEqual(self.phone.get("DND_Setting"), "Yes")
        port = self.sip_port(self.phone)
        self.bob.dial(f"sip:phone@127.0.0.1:{port}")
        self.bob.wait_for_event("CALL_CLOSED")
        self.assertTrue([m for d, _, m in self.bob.sip_trace()
                         if d == "in" and m.start_line.startswith("SIP/2.0 486")])
        self.assertEqual(self.calls(self.phone), [])
        self.phone.ctl("dial", "*79")
        self.assertEqual(self.phone.get("DND_Setting"), "No")

    def test_cfwd_all_code_redirects_with_302(self):
        self.start()
        self.phone.ctl("dial", "*725551234")
        self.assertEqual(self.phone.get("Cfwd_All_Dest"), "5551234")
        port = self.sip_port(self.phone)
        self.bob.dial(f"sip:phone@127.0.0.1:{port}")
        found = wait_for(lambda: [m for d, _, m in self.bob.sip_trace()
                                  if d == "in" and m.start_line.startswith("SIP/2.0 302")],
                         what="a 302 from the phone")
        self.assertIn(f"sip:5551234@127.0.0.1:{self.bob.port}", found[0].header("Contact"))
        self.phone.ctl("dial", "*73")
        self.assertEqual(self.phone.get("Cfwd_All_Dest"), "")


class AttendedTransferTest(MediaTestBase):
    """transfer_to_call: REFER with Replaces to the first peer (bob), who
    calls the second (carol) replacing the phone's call with her."""

    def test_attended_transfer_with_replaces(self):
        self.start()
        carol = self.peer(Baresip(self.folder, "carol", auto_answer=True)).start()
        first = self.outgoing_active_call()
        self.ctl_ok("hold")
        self.wait_call(self.phone, "held", first["id"])
        self.ctl_ok("dial", f"sip:carol@127.0.0.1:{carol.port}")
        carol.wait_for_event("CALL_ESTABLISHED")
        second = wait_for(lambda: next((c for c in self.calls(self.phone)
                                        if c["id"] != first["id"] and c["state"] == "active"),
                                       None), what="the second call active")
        self.ctl_ok("transfer", "--call", first["id"], f"call:{second['id']}")
        refer = wait_for(lambda: self.bob.received_requests("REFER"), what="a REFER at bob")[0]
        self.assertRegex(refer.header("Refer-To"),
                         rf"^<sip:carol@127\.0\.0\.1:{carol.port}\?Replaces=[^>]*to-tag%3D")
        # The Replaces names the phone's dialog with carol (its Call-ID).
        dialog = [m for d, _, m in carol.sip_trace() if d == "in" and m.method == "INVITE"][0]
        self.assertIn(dialog.call_id.replace("@", "%40"), refer.header("Refer-To"))
        accepted = wait_for(lambda: [m for d, _, m in self.bob.sip_trace() if d == "out"
                                     and m.cseq and m.cseq[1] == "REFER"],
                            what="bob's answer to the REFER")
        self.assertTrue(accepted[0].start_line.startswith("SIP/2.0 202"), accepted[0].start_line)
        # baresip 1.0 does not act on Replaces (it calls carol without it), so
        # the end of the transfer is not checked with it.

    def wait_ended(self, call_id, timeout=15):
        return wait_for(lambda: (lambda m: m.group(1).strip() if m else None)(
            re.search(rf"call {call_id} ended: (.*)", self.phone.read_log())),
            timeout=timeout, what=f"call {call_id} to end")


if __name__ == "__main__":
    unittest.main(verbosity=2)
