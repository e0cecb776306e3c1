# SPDX-License-Identifier: GPL-2.0-or-later
"""deskphonectl dialplan: the offline dial plan contract (architecture §4.2)."""

import json
import os
import subprocess
import time
import unittest

CTL = os.environ.get("DESKPHONECTL", "deskphonectl")
PLAN_A = "(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0|xxxxxxxxxxxx.)"


def ctl(*args):
    return subprocess.run([CTL, "dialplan", *args], capture_output=True, text=True, timeout=60)


def events(*args):
    result = ctl(*args, "--json")
    if result.returncode != 0:
        raise AssertionError("exit %d: %s" % (result.returncode, result.stderr))
    return json.loads(result.stdout)


def tone(name="outside"):
    return {"event": "tone", "tone": name}


def send(number, **extra):
    return dict({"event": "send", "number": number}, **extra)


def timer(kind, seconds):
    return {"event": "timer", "kind": kind, "seconds": seconds}


def reject(reason):
    return {"event": "reject", "reason": reason}


class DialPlanCtlTest(unittest.TestCase):
    def test_outside_tone_and_send_in_virtual_time(self):
        started = time.monotonic()
        got = events("(<9,:>1xxxxxxxxxx|[2-9]xxxxxx)", "914085551212")
        self.assertLess(time.monotonic() - started, 5)
        # Timers cancelled by a later key are not part of the transcript.
        self.assertEqual(got, [tone(), send("14085551212")])

    def test_pending_timer_then_expiry(self):
        self.assertEqual(events(PLAN_A, "911"), [timer("short", 3)])
        self.assertEqual(events(PLAN_A, "911", "T"), [timer("short", 3), send("911")])
        self.assertEqual(events(PLAN_A, "911#"), [send("911")])
        self.assertEqual(events(PLAN_A, "14085551212"), [send("14085551212")])  # S0
        self.assertEqual(events(PLAN_A, "*7T"), [timer("long", 10), send("*7")])

    def test_reject_reasons(self):
        self.assertEqual(events("(1900xxxxxxx!)", "19005551234"), [reject("barred")])
        self.assertEqual(events("(01.)", "02"), [reject("no-match")])
        self.assertEqual(events("(<8:1650>xxxxxxx)", "85551212"), [send("16505551212")])

    def test_waits_read_to_the_end_of_their_argument(self):
        # 9, 8, wait 14 s (the 10 s long timer runs out), then 5551234.
        self.assertEqual(events("(9, 8 xxxxxxx)", "98", "W14", "5551234"),
                         [tone(), timer("long", 10), send("98")])
        # A shorter wait fires nothing and the digits go on.
        self.assertEqual(events("(9, 8 xxxxxxx)", "98", "W5", "5551234"),
                         [tone(), send("985551234")])
        # Several timers can fire within one wait, in order.
        self.assertEqual(events("( 9 P2 xx | 9xxx )", "9", "W20"),
                         [timer("pause", 2), timer("long", 8), send("9")])
        # Waits add up: 4 s then 1 s reach the 5 s warm-line pause.
        self.assertEqual(events("( P5 <:1000> | xxxx )", "W4"), [timer("pause", 5)])
        self.assertEqual(events("( P5 <:1000> | xxxx )", "W4", "W1"), [timer("pause", 5), send("1000")])
        self.assertEqual(events("( P5 <:1000> | xxxx )", "W4 12", "W3", "34"), [send("1234")])

    def test_hot_line(self):
        self.assertEqual(events("( S0 <:12125551234> )"), [send("12125551234")])

    def test_timer_options(self):
        self.assertEqual(events("(0|00)", "0", "--short", "5"), [timer("short", 5)])
        self.assertEqual(events("(xx)", "1", "--long", "7"), [timer("long", 7)])
        self.assertEqual(events("L:8,S:4,(0|00)", "0", "--short", "5"), [timer("short", 4)])

    def test_star_codes(self):
        self.assertEqual(events(PLAN_A, "*69"), [send("*69", code="Call_Return_Code")])
        # The factory codes *16..*19 keep `*1` open; without them it is rejected.
        self.assertEqual(events("(xx)", "*1"), [timer("long", 10)])
        self.assertEqual(events("(xx)", "*1", "--no-star-codes"), [reject("no-match")])
        self.assertEqual(events(PLAN_A, "*017295551212", "T"),
                         [timer("short", 3), send("5551212", code="Prefer_G729a_Code")])

    def test_feature_codes(self):
        got = events("([2-9]xxxxxx)", "*72", "5551212", "--feature-codes", "*72|*67`c`")
        self.assertEqual(got, [tone("prompt"), send("*725551212", code="Feature_Dial_Services_Codes")])

    def test_ip_dialing(self):
        self.assertEqual(events(PLAN_A, "1000*192*168*1*10T", "--ip-dialing"),
                         [timer("short", 3), send("1000", uri="sip:1000@192.168.1.10:5060")])
        self.assertEqual(events(PLAN_A, "192*168*1*10*5062", "T", "--ip-dialing")[-1],
                         send("", uri="sip:192.168.1.10:5062"))
        self.assertEqual(events(PLAN_A, "192*168*1*10"), [reject("no-match")])

    def test_incomplete_policy(self):
        self.assertEqual(events("(1xxxxxxxxxx)", "1408T"), [timer("long", 10), send("1408")])
        self.assertEqual(events("(1xxxxxxxxxx)", "1408T", "--reject-incomplete"),
                         [timer("long", 10), reject("no-match")])

    def test_text_output(self):
        result = ctl(PLAN_A, "911", "T")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines(), ["timer short 3", "send 911"])

    def test_malformed_plan(self):
        for plan, position in (("(xx", 4), ("([9-2]x)", 4), ("(x..)", 4), ("(<9:1650xxx)", 9), ("(x!x)", 4)):
            result = ctl(plan, "1", "--json")
            self.assertEqual(result.returncode, 2, plan)
            self.assertIn("position %d " % position, result.stderr, plan)
            self.assertEqual(result.stdout, "", plan)

    def test_bad_keys(self):
        for keys, word in (("12a", "'a'"), ("W", "wait"), ("W5x", "wait"), ("1+", "'+'")):
            result = ctl("(xx)", keys, "--json")
            self.assertEqual(result.returncode, 2, keys)
            self.assertIn(word, result.stderr, keys)
            self.assertEqual(result.stdout, "", keys)

    def test_bad_options(self):
        self.assertEqual(ctl("(xx)", "1", "--long", "65").returncode, 2)
        self.assertEqual(ctl().returncode, 2)


if __name__ == "__main__":
    unittest.main()
