#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""RFC 4475 / RFC 5118 torture messages and PROTOS c07-sip cases against a
registered phone in a call, with the call's audio measured (issue 10).

deskphoned registers line 1 (user 1001, 30 s expiry, so it refreshes during
the test) at kamailio and calls baresip (1002, auto answer) through it. The
phone sends a 1000 Hz tone and writes what it receives to a file; baresip
sends 700 Hz and records what it decodes. With the call up, the test marks
how far both recordings have got, then:
- before: 4 s of call;
- during: every message of ../shared/corpora/rfc4475 and rfc5118/wire (as
  stored, over UDP; an INVITE that rings is CANCELled) and the first case
  of each PROTOS group and its last one that fits in a datagram (protos.py:
  substituted, each followed by its CANCEL) are sent to the phone's SIP port;
- after: 4 s of call.
Then: deskphoned runs and answers OPTIONS with 200; line 1 is registered
(status and kamailio's location table); the call has the same id, state,
peer and codec as before and baresip still has it ESTABLISHED; no other
call is left; and in each of the three spans (the one during the messages
in 3 s windows) both recordings grew by at least half of real time and hold
the other end's tone (within 5 %, RMS above 0.02). Answers to the messages
are judged by test_sip_torture.py and test_sip_protos.py; here only their
effect on the call counts."""

import os
import struct
import sys
import time
import unittest
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.environ.get("DP_SOURCE_ROOT", os.path.join(HERE, "..", "..")),
                                "tests", "integration"))

from dptest import SHARED_DIR, wait_for  # noqa: E402
from peers import LOOPBACK, Kamailio, measure_tone, sip_options  # noqa: E402
from protos import UDP_MAX, ProtosDriver, cancel_for, extract_cases, read_groups  # noqa: E402
from sippeers import SipPhoneTestCase  # noqa: E402
from test_sip_flood import LongToneBaresip  # noqa: E402

PHONE_HZ = 1000.0
BOB_HZ = 700.0
RATE = 8000
SPAN_SECONDS = 4.0
WINDOW_SECONDS = 3.0
TORTURE_BASE = 100000      # case numbers of the torture messages in the driver


def torture_messages():
    """Every message of the RFC 4475 and RFC 5118 corpora, by index.tsv."""
    messages = []
    for corpus, column, path in (("rfc4475", "file", "{}"),
                                 ("rfc5118", "name", os.path.join("wire", "{}.sip"))):
        folder = os.path.join(SHARED_DIR, "corpora", corpus)
        with open(os.path.join(folder, "index.tsv"), encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        names = [dict(zip(rows[0], row))[column] for row in rows[1:]]
        for name in names:
            with open(os.path.join(folder, path.format(name)), "rb") as f:
                messages.append(f.read())
    return messages


def wav_data(path):
    """(sample rate, PCM bytes so far) of a 16-bit mono WAV still being
    written (its header's sizes are not final yet)."""
    with open(path, "rb") as f:
        data = f.read()
    rate = struct.unpack("<I", data[24:28])[0]
    start = data.find(b"data", 12)
    return rate, data[start + 8:] if start >= 0 else b""


def tone_of(pcm, rate, folder, name):
    """measure_tone() of raw 16-bit mono PCM."""
    path = os.path.join(folder, name + ".wav")
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm[:len(pcm) // 2 * 2])
    return measure_tone(path, skip_seconds=0)


class TortureDuringCallTest(SipPhoneTestCase):

    def mark(self, bob):
        """(time, bytes the phone has written, bytes baresip has written)."""
        recordings = bob.recordings()
        bob_bytes = len(wav_data(recordings[-1])[1]) if recordings else 0
        return time.monotonic(), os.path.getsize(self.received), bob_bytes

    def assert_span(self, bob, start, end, what):
        """Both recordings grew by half of real time at least between two
        marks and hold the far end's tone."""
        seconds = end[0] - start[0]
        rate, bob_pcm = wav_data(bob.recordings()[-1])
        with open(self.received, "rb") as f:
            phone_pcm = f.read()
        for where, pcm, first, last, rate_, hz in (
                ("the phone", phone_pcm, start[1], end[1], RATE, BOB_HZ),
                ("baresip", bob_pcm, start[2], end[2], rate, PHONE_HZ)):
            got = (last - first) / 2 / rate_
            self.assertGreater(got, seconds / 2, f"{what}: {where} received {got:.1f} s of "
                               f"audio in {seconds:.1f} s")
            freq, rms = tone_of(pcm[first:last], rate_, self.folder,
                                f"{where}-{what}-{start[0]:.0f}".replace(" ", "-"))
            self.assertGreater(rms, 0.02, f"{what}: no audio at {where} (rms {rms:.4f})")
            self.assertAlmostEqual(freq, hz, delta=hz * 0.05,
                                   msg=f"{what}: {freq:.0f} Hz at {where}, expected {hz:.0f}")

    def test_torture_and_protos_during_a_call(self):
        if not SHARED_DIR:
            raise AssertionError("DP_SHARED_DIR is not set")
        kamailio = self.peer(Kamailio(self.folder, users={"1001": "secret1",
                                                          "1002": "secret2"}))
        kamailio.start()
        bob = self.peer(LongToneBaresip(self.folder, "1002", password="secret2",
                                        registrar=kamailio, auto_answer=True,
                                        tone_hz=BOB_HZ, sip_trace=False))
        bob.start()
        self.received = os.path.join(self.folder, "phone-received.raw")
        phone = self.start_sip_phone(
            # Each call's session opens the sink, ringing ones too (inactive):
            # appending keeps the messages' calls from truncating the file.
            audio_source=f"audiotestsrc is-live=true wave=sine freq={PHONE_HZ:.0f} volume=0.3",
            audio_sink=("audioconvert ! audioresample ! "
                        f"audio/x-raw,format=S16LE,channels=1,rate={RATE} ! "
                        f"filesink location={self.received} buffer-mode=unbuffered "
                        "append=true"),
            Proxy_1_=kamailio.address, User_ID_1_="1001", Password_1_="secret1",
            Register_1_="Yes", Register_Expires_1_="30",
            # With call waiting on, a message that is a valid INVITE rings as
            # a waiting call and plays Call_Waiting_Tone into the earpiece,
            # i.e. into the recording measured here: the phone is busy
            # (486) instead, and the call's own audio is what is measured.
            CW_Setting="No")
        self.wait_line(phone, "registered", timeout=30)
        kamailio.wait_registered("1001")
        port = self.sip_port(phone)

        result = phone.ctl("dial", "1002")
        self.assertEqual(result.returncode, 0, result.stderr)
        bob.wait_for_event("CALL_ESTABLISHED", timeout=20)
        call = self.wait_call(phone, "active", timeout=20)
        wait_for(lambda: bob.recordings() and os.path.exists(self.received), timeout=10,
                 what="both ends recording")
        time.sleep(1)
        before = [self.mark(bob)]
        time.sleep(SPAN_SECONDS)
        before.append(self.mark(bob))

        # During: torture corpus, then PROTOS (first and last case of each group).
        cases = {TORTURE_BASE + i: (data, cancel_for(data))
                 for i, data in enumerate(torture_messages())}
        cases.update(extract_cases(SHARED_DIR, self.folder))
        driver = ProtosDriver(cases, port, "1001", parallel=8)
        # The line is UDP only: the last case of a group that fits in a datagram.
        fits = [n for n in cases if n < TORTURE_BASE and
                len(driver.render(n, 65535, port)[0]) <= UDP_MAX]
        picked = sorted({n for g in read_groups(SHARED_DIR)
                         for n in (g.first, max(n for n in fits if n in g.cases))})
        self.addCleanup(driver.close)
        during = [before[-1]]
        started = time.monotonic()
        order = sorted(n for n in cases if n >= TORTURE_BASE) + picked
        for i in range(0, len(order), 8):
            driver.run(order[i:i + 8])
            if time.monotonic() - during[-1][0] >= WINDOW_SECONDS:
                during.append(self.mark(bob))
        if during[-1][0] - during[-2][0] < WINDOW_SECONDS:
            time.sleep(WINDOW_SECONDS - (during[-1][0] - during[-2][0]))
            during[-1] = self.mark(bob)
        print(f"{len(driver.outcomes)} messages in {time.monotonic() - started:.1f} s during "
              "the call", file=sys.stderr)
        time.sleep(SPAN_SECONDS)
        after = [during[-1], self.mark(bob)]

        self.assertEqual(driver.unsent, [])
        self.assertIsNone(phone.process.poll(), "deskphoned died:\n" + phone.read_log()[-4000:])
        options = sip_options(LOOPBACK, port, timeout=5)
        self.assertEqual(options and options.status, 200, "no 200 to OPTIONS after the messages")
        self.assertEqual(self.line(phone)["registration"], "registered")
        self.assertTrue(kamailio.registered("1001"), "line 1 gone from kamailio's location")
        now = self.call(phone, call["id"])
        keys = ("id", "state", "peer", "codec", "direction", "line")
        self.assertEqual({k: (now or {}).get(k) for k in keys}, {k: call.get(k) for k in keys},
                         "the call changed")
        self.assertEqual(bob.call_state(), "ESTABLISHED")
        wait_for(lambda: [c["id"] for c in self.calls(phone)] == [call["id"]], timeout=40,
                 interval=0.5, what=f"the messages' calls to end: {self.calls(phone)}")

        self.assert_span(bob, *before, "before the messages")
        for start, end in zip(during, during[1:]):
            self.assert_span(bob, start, end, f"during the messages ({start[0] - started:+.0f} s)")
        self.assert_span(bob, *after, "after the messages")

        self.assertEqual(phone.ctl("hangup").returncode, 0)
        bob.wait_for_event("CALL_CLOSED", timeout=10)
        self.wait_no_calls(phone)


if __name__ == "__main__":
    unittest.main(verbosity=2)
