#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""`deskphonectl tone SCRIPT [--kind K] [--json]` (architecture §4.2).

Decodes the tone, ring and LED rows of conformance-vectors.md §2 through the
real tool and checks the JSON, and that malformed scripts exit 2 with a
message naming the offending position."""

import json
import os
import subprocess
import unittest

CTL = os.environ.get("DESKPHONECTL")


def run(*args):
    if not CTL:
        raise RuntimeError("DESKPHONECTL is not set (run through meson test)")
    return subprocess.run([CTL, "tone", *args], capture_output=True, text=True, timeout=30)


def decode(script, kind=None):
    args = [script, "--json"]
    if kind:
        args += ["--kind", kind]
    proc = run(*args)
    if proc.returncode != 0:
        raise AssertionError(f"{script!r}: exit {proc.returncode}: {proc.stderr}")
    return json.loads(proc.stdout)


def segments(section):
    out = []
    for seg in section["segments"]:
        row = (seg["on_ms"], seg["off_ms"])
        if "components" in seg:
            row += (tuple(seg["components"]),)
        out.append(row)
    return out


class ToneScripts(unittest.TestCase):
    def test_t1_dial_tone(self):
        d = decode("350@-19,440@-19;10(*/0/1+2)")
        self.assertEqual(d["kind"], "tone")
        self.assertEqual([(f["frequency"], f["level"]) for f in d["frequencies"]],
                         [(350, -19), (440, -19)])
        self.assertEqual(len(d["sections"]), 1)
        self.assertEqual(d["sections"][0]["duration_ms"], 10000)
        self.assertEqual(segments(d["sections"][0]), [(None, 0, (1, 2))])
        self.assertEqual(d["total_ms"], 10000)

    def test_t2_stutter(self):
        d = decode("350@-19,440@-19;2(.1/.1/1+2);10(*/0/1+2)")
        self.assertEqual([s["duration_ms"] for s in d["sections"]], [2000, 10000])
        self.assertEqual(segments(d["sections"][0]), [(100, 100, (1, 2))])
        self.assertEqual(segments(d["sections"][1]), [(None, 0, (1, 2))])
        self.assertEqual(d["total_ms"], 12000)

    def test_t3_sit(self):
        d = decode("985@-16,1428@-16,1777@-16;20(.380/0/1,.380/0/2,.380/0/3,0/4/0)")
        self.assertEqual([f["frequency"] for f in d["frequencies"]], [985, 1428, 1777])
        self.assertTrue(all(f["level"] == -16 for f in d["frequencies"]))
        self.assertEqual(segments(d["sections"][0]),
                         [(380, 0, (1,)), (380, 0, (2,)), (380, 0, (3,)), (0, 4000, ())])

    def test_t4_t5_cadences(self):
        d = decode("60(2/4)")
        self.assertEqual(d["kind"], "cad")
        self.assertEqual(segments(d["sections"][0]), [(2000, 4000)])
        self.assertEqual(d["total_ms"], 60000)
        d = decode("60(.2/.2,.2/.2,.2/.2,1/4)")
        self.assertEqual(segments(d["sections"][0]),
                         [(200, 200), (200, 200), (200, 200), (1000, 4000)])

    def test_t6_t7_freq(self):
        d = decode("440@-10")
        self.assertEqual(d["kind"], "freq")
        self.assertEqual([(f["frequency"], f["level"]) for f in d["frequencies"]], [(440, -10)])
        self.assertEqual(len(decode("350@-19,440@-19")["frequencies"]), 2)

    def test_spa962_defaults(self):
        rows = {
            "420@-16;10(*/0/1)": [(None, 0, (1,))],
            "480@-19,620@-19;10(.5/.5/1+2)": [(500, 500, (1, 2))],
            "480@-19,620@-19;10(.25/.25/1+2)": [(250, 250, (1, 2))],
            "480@-10,620@0;10(.125/.125/1+2)": [(125, 125, (1, 2))],
            "440@-10;30(.3/9.7/1)": [(300, 9700, (1,))],
            "600@-16;1(.25/.25/1)": [(250, 250, (1,))],
            "600@-19;25(.1/.1/1,.1/.1/1,.1/9.5/1)": [(100, 100, (1,)), (100, 100, (1,)), (100, 9500, (1,))],
            "350@-19;20(.1/.1/1,.1/9.7/1)": [(100, 100, (1,)), (100, 9700, (1,))],
            "397@-19,507@-19;15(0/2/0,.2/.1/1,.1/2.1/2)": [(0, 2000, ()), (200, 100, (1,)), (100, 2100, (2,))],
            "600@-16;.3(.05/0.05/1)": [(50, 50, (1,))],
            "914@-16,1371@-16,1777@-16;20(.274/0/1,.274/0/2,.380/0/3,0/4/0)":
                [(274, 0, (1,)), (274, 0, (2,)), (380, 0, (3,)), (0, 4000, ())],
        }
        for script, segs in rows.items():
            with self.subTest(script=script):
                self.assertEqual(segments(decode(script)["sections"][0]), segs)

    def test_t13_infinite(self):
        d = decode("440@-19,480@-19;*(2/4/1+2)")
        self.assertIsNone(d["sections"][0]["duration_ms"])
        self.assertIsNone(d["total_ms"])

    def test_t25_space_after_comma(self):
        d = decode("350@-19, 440@-19;10(*/0/1+2)")
        self.assertEqual(len(d["frequencies"]), 2)
        # Unquoted, the shell splits it in two arguments; the tool rejoins them.
        proc = run("350@-19,", "440@-19;10(*/0/1+2)", "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(json.loads(proc.stdout)["total_ms"], 10000)

    def test_text_output(self):
        proc = run("350@-19,440@-19;2(.1/.1/1+2);10(*/0/1+2)")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("350 Hz", proc.stdout)
        self.assertIn("total: 12 s", proc.stdout)


class Rejects(unittest.TestCase):
    ROWS = [
        # (script, kind, position)
        ("300@-19,400@-19,500@-19,600@-19,700@-19,800@-19,900@-19;10(*/0/1)", None, 49),  # T26
        ("440@-19;10(.1/.1/1,.1/.1/1,.1/.1/1,.1/.1/1,.1/.1/1,.1/.1/1,.1/.1/1)", None, 60),  # T27
        ("350@-19,440@-19;10(*/0/3)", None, 24),  # T28
        ("440@-19;10(.1234/.1/1)", None, 16),  # T29
        ("600@-19*(.1/.1/1,.1/.1/1,.1/9.5/1)", None, 8),  # T31
        ("440@-19;1(1/1/1);1(1/1/1);1(1/1/1)", None, 27),  # 3 sections
        ("60(2/4/1)", None, 7),
        ("60(2/4)", "tone", 3),
        ("n=a;w=5;c=1", None, 7),
        ("n=a;w=2;c=0", None, 11),
        ("c=r;p=xb", None, 7),
        ("c=a;p=ud;u=.125/.1", None, 15),
        ("c=a;p=ud;u=1/1/1/1/1/1/1/1/1/1", None, 28),
        ("hello", None, 1),
    ]

    def test_malformed_exit_2_with_position(self):
        for script, kind, pos in self.ROWS:
            with self.subTest(script=script):
                args = [script, "--json"] + (["--kind", kind] if kind else [])
                proc = run(*args)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn(f"position {pos}:", proc.stderr)
                self.assertEqual(proc.stdout, "")

    def test_t30_length(self):
        ok = "350@-19," + " " * 100 + "440@-19;10(*/0/1+2)"
        self.assertEqual(len(ok), 127)
        self.assertEqual(decode(ok)["total_ms"], 10000)
        proc = run(" " + ok, "--json")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("position 128:", proc.stderr)

    def test_usage_errors(self):
        self.assertEqual(run().returncode, 2)
        proc = run("60(2/4)", "--kind", "dialplan")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("dialplan", proc.stderr)


class RingAndLed(unittest.TestCase):
    def test_r1_r2_r3(self):
        for script, name, waveform in [("n=Classic-1;w=3;c=1", "Classic-1", 3),
                                       ("n=Simple-1;w=2;c=1", "Simple-1", 2),
                                       ("n=Office;w=4;c=1", "Office", 4)]:
            with self.subTest(script=script):
                d = decode(script)
                self.assertEqual(d["kind"], "ring")
                self.assertEqual(d["name"], name)
                self.assertEqual(d["waveform"], waveform)
                self.assertEqual(d["cadence"], 1)
                self.assertEqual(d["cadence_default"], "60(2/4)")
                self.assertIsNone(d["url"])

    def test_r4_url(self):
        d = decode("n=Mine;w=tftp://10.0.0.5/ring.raw;c=0;b=2.5;t=30")
        self.assertIsNone(d["waveform"])
        self.assertEqual(d["url"]["host"], "10.0.0.5")
        self.assertEqual(d["url"]["path"], "/ring.raw")
        self.assertEqual(d["url"]["port"], 69)
        self.assertTrue(d["natural_length"])
        self.assertEqual(d["break_ms"], 2500)
        self.assertEqual(d["total_ms"], 30000)

    def test_led_rows(self):
        rows = [
            ("c=r;p=sb", "red", "slow-blink", [500, 500]),           # L1, L8
            ("c=o", "off", "steady", []),                          # L2
            ("c=g", "green", "steady", []),                        # L3
            ("c=a;p=ud;u=.1/.1/.1/.1/.1/.9", "amber", "user-defined",
             [100, 100, 100, 100, 100, 900]),                      # L4
            ("c=r;p=f", "red", "fast-blink", [100, 100]),          # L5
            ("c=r;p=d", "red", "double-blink", [100, 100, 100, 700]),  # L6
            (" c = g ; p = nb ", "green", "steady", []),           # L7
            ("p=sb", "off", "slow-blink", [500, 500]),             # L8
        ]
        for script, color, pattern, timing in rows:
            with self.subTest(script=script):
                d = decode(script)
                self.assertEqual(d["kind"], "led")
                self.assertEqual(d["color"], color)
                self.assertEqual(d["pattern"], pattern)
                self.assertEqual(d["timing_ms"], timing)
                self.assertEqual(d["steady"], timing == [])

    def test_forced_kind(self):
        self.assertEqual(decode("c=1;n=x;w=3", "ring")["cadence"], 1)
        self.assertEqual(decode("c=g", "led")["color"], "green")


if __name__ == "__main__":
    unittest.main(verbosity=2)
