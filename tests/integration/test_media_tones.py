# SPDX-License-Identifier: GPL-2.0-or-later
"""The media plugin's "play-tone" / "stop-tone" core actions over D-Bus
(RunAction): the phone's audio sink writes raw 8 kHz S16LE to a file and the
test measures the tone against its ToneScript (Goertzel, Hann window)."""

import math
import os
import struct
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dptest  # noqa: E402

RATE = 8000


def goertzel(samples, freq):
    n = len(samples)
    coeff = 2 * math.cos(2 * math.pi * freq / RATE)
    s1 = s2 = wsum = 0.0
    for i, x in enumerate(samples):
        w = 0.5 - 0.5 * math.cos(2 * math.pi * i / (n - 1))
        s1, s2 = x * w + coeff * s1 - s2, s1
        wsum += w
    return 2 * math.sqrt(max(0.0, s1 * s1 + s2 * s2 - coeff * s1 * s2)) / wsum


def rms(samples):
    return math.sqrt(sum(x * x for x in samples) / len(samples)) if samples else 0.0


def amplitude(dbm):
    return 32767 * 10 ** ((dbm - 3.14) / 20)


class MediaTonesTest(dptest.PhoneTestCase):
    def start_with_sink(self):
        self.out = os.path.join(self.folder, "tone.raw")
        phone = dptest.Phone(self.folder, self.bus)
        phone.env["DESKPHONE_AUDIO_SINK"] = (
            "audioconvert ! audioresample ! "
            f"audio/x-raw,format=S16LE,channels=1,rate={RATE} ! filesink location={self.out}")
        self.phones.append(phone)
        return phone.start()

    def samples(self):
        if not os.path.exists(self.out):
            return []
        with open(self.out, "rb") as f:
            data = f.read()
        return list(struct.unpack(f"<{len(data) // 2}h", data[:len(data) // 2 * 2]))

    def test_play_confirm_tone_and_errors(self):
        phone = self.start_with_sink()
        # A custom Confirm_Tone so the measurement cannot match a default by luck.
        result = phone.ctl("config", "set", "Confirm_Tone", "700@-10;1(.2/.3/1)")
        self.assertEqual(result.returncode, 0, result.stderr)
        result = phone.run_action("play-tone", "Confirm_Tone")
        self.assertEqual(result.returncode, 0, result.stderr)
        # 1 s of sound; the file sink does not sync, so it is written at once.
        dptest.wait_for(lambda: len(self.samples()) >= RATE, what="1 s of tone", timeout=10)
        s = self.samples()
        self.assertLessEqual(abs(len(s) - RATE), RATE // 100)
        a = amplitude(-10)
        ms = RATE // 1000
        for start, end, on in ((0, 200, True), (200, 500, False), (500, 700, True),
                               (700, 1000, False)):
            part = s[(start + 6) * ms:(end - 6) * ms]
            if on:
                self.assertLess(abs(20 * math.log10(goertzel(part, 700) / a)), 1.0,
                                f"{start}-{end} ms")
            else:
                self.assertLess(rms(part), 30, f"{start}-{end} ms")

        bad = phone.run_action("play-tone", "No_Such_Tone")
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("No_Such_Tone", bad.stderr)
        self.assertEqual(phone.run_action("stop-tone", "").returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
