#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""deskphonectl dst: the contract of architecture.md §4.2 and the DST vectors
of conformance-vectors.md §5 through the command-line tool."""

import json
import os
import subprocess
import unittest

CTL = os.environ.get("DESKPHONECTL", "deskphonectl")

US = "start=3/8/7/02:0:0;end=11/1/7/02:0:0;save=1"
DEFAULT = "start=4/1/7;end=10/-1/7;save=1"
EXACT_SOUTH = "start=10/4/0/2:0:0;end=4/4/0/3:0:0;save=1"


def run(*args):
    return subprocess.run([CTL, "dst", *args], capture_output=True, text=True, timeout=30)


class CtlDstTest(unittest.TestCase):
    def dst_json(self, rule, year, *extra):
        proc = run(rule, "--year", str(year), "--json", *extra)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def assert_bad(self, args, *fragments):
        proc = run(*args)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        for fragment in fragments:
            self.assertIn(fragment, proc.stderr)
        return proc

    def test_contract_example(self):
        out = self.dst_json(US, 2025)
        self.assertEqual(out["start"], "2025-03-09T02:00:00")
        self.assertEqual(out["end"], "2025-11-02T02:00:00")
        self.assertEqual(out["save"], "+01:00")
        # default zone GMT-08:00: 02:00 PST = 10:00Z, 02:00 PDT = 09:00Z
        self.assertEqual(out["zone"], "GMT-08:00")
        self.assertEqual(out["start_utc"], "2025-03-09T10:00:00Z")
        self.assertEqual(out["end_utc"], "2025-11-02T09:00:00Z")
        self.assertFalse(out["southern"])

    def test_dst1_default_rule(self):
        expected = {
            2008: ("2008-04-06", "2008-10-26"),
            2009: ("2009-04-05", "2009-10-25"),
            2010: ("2010-04-04", "2010-10-31"),
            2024: ("2024-04-07", "2024-10-27"),
            2025: ("2025-04-06", "2025-10-26"),
        }
        for year, (start, end) in expected.items():
            out = self.dst_json(DEFAULT, year)
            self.assertEqual(out["start"], start + "T00:00:00")
            self.assertEqual(out["end"], end + "T00:00:00")

    def test_dst2_equivalent_end(self):
        # CONFLICT decision: end=10/31/7 = last Sunday of October (2008: Oct 26)
        for rule in ("start=4/1/7/0:0:0;end=10/31/7/0:0:0;save=1",
                     "start=4/1/7/0;end=10/-1/7/0;save=1"):
            out = self.dst_json(rule, 2008)
            self.assertEqual(out["end"], "2008-10-26T00:00:00")

    def test_dst3_us_years(self):
        expected = {
            2008: ("2008-03-09", "2008-11-02"),
            2009: ("2009-03-08", "2009-11-01"),
            2010: ("2010-03-14", "2010-11-07"),
            2024: ("2024-03-10", "2024-11-03"),
        }
        for year, (start, end) in expected.items():
            out = self.dst_json(US, year)
            self.assertEqual(out["start"], start + "T02:00:00")
            self.assertEqual(out["end"], end + "T02:00:00")

    def test_egypt(self):
        out = self.dst_json("start=4/-1/5;end=9/-1/4;save=1", 2025)
        self.assertEqual(out["start"], "2025-04-25T00:00:00")
        self.assertEqual(out["end"], "2025-09-25T00:00:00")

    def test_dst7_southern_prints_both_changes_of_the_year(self):
        out = self.dst_json(EXACT_SOUTH, 2025, "--zone", "GMT+12:00")
        self.assertEqual(out["start"], "2025-10-04T02:00:00")
        self.assertEqual(out["end"], "2025-04-04T03:00:00")
        self.assertTrue(out["southern"])
        self.assertEqual(out["zone"], "GMT+12:00")
        self.assertEqual(out["start_utc"], "2025-10-03T14:00:00Z")
        self.assertEqual(out["end_utc"], "2025-04-03T14:00:00Z")

    def test_dst9_negative_and_fractional_save(self):
        self.assertEqual(self.dst_json(DEFAULT.replace("save=1", "save=-1"), 2025)["save"], "-01:00")
        self.assertEqual(self.dst_json(DEFAULT.replace("save=1", "save=0:30"), 2025)["save"], "+00:30")

    def test_zone_and_offset(self):
        out = self.dst_json(US, 2025, "--zone", "GMT+05:30")
        self.assertEqual(out["start"], "2025-03-09T02:00:00")
        self.assertEqual(out["start_utc"], "2025-03-08T20:30:00Z")
        out = self.dst_json(US, 2025, "--zone", "GMT", "--offset", "01/00")
        self.assertEqual(out["zone"], "GMT")
        self.assertEqual(out["start_utc"], "2025-03-09T01:00:00Z")

    def test_text_output(self):
        proc = run(US, "--year", "2025")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("2025-03-09T02:00:00", proc.stdout)
        self.assertIn("2025-11-02T02:00:00", proc.stdout)

    def test_bad_input(self):
        # NZ example as printed: missing end=, position of the bare field
        self.assert_bad(["start=10/1/7;3/22/7;save=1", "--year", "2025"], "position 14")
        # DST8: weekday 0 needs a positive day
        self.assert_bad(["start=4/-1/0;end=10/-1/7;save=1", "--year", "2025"], "position 12", "weekday 0")
        self.assert_bad(["start=4/1/7;end=10/-1/7", "--year", "2025"], "save=")
        self.assert_bad(["", "--year", "2025"], "empty rule")
        self.assert_bad([US], "--year")
        self.assert_bad([US, "--year", "0"], "--year")
        self.assert_bad([US, "--year", "2025", "--zone", "PST"], "Time zone: position 1")
        self.assert_bad([US, "--year", "2025", "--offset", "1/75"], "Time offset: position 3")
        self.assert_bad(["--year", "2025"], "RULE")


if __name__ == "__main__":
    unittest.main(verbosity=2)
