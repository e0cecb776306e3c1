# SPDX-License-Identifier: GPL-2.0-or-later
"""Crash safety of the state file: the daemon is killed with SIGKILL at random
moments while it saves, at least 50 times; every time, the state loads as
either the old or the new configuration, never a mix and never damaged."""

import os
import random
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET

from dptest import DESKPHONECTL, PhoneTestCase

ROUNDS = 60


def profile_for(generation):
    """A profile changing several hundred parameters, all tagged with the
    generation so a mix of two generations is detectable."""
    values = {}
    for letter in "ABCDEFGHIJKLMNOP":
        values[f"GPP_{letter}"] = f"gen{generation}-{letter}-" + "x" * 200
    for line in range(1, 7):
        values[f"Proxy_{line}_"] = f"gen{generation}.proxy{line}.example.net"
        values[f"Display_Name_{line}_"] = f"gen{generation} line {line}"
        values[f"Register_Expires_{line}_"] = str(1000 + generation % 5000 + line)
    for unit in (1, 2):
        for key in range(1, 33):
            values[f"Unit_{unit}_Key_{key}"] = \
                f"fnc=blf+sd;sub=gen{generation}-{unit}-{key}@192.0.2.1"
    return values


def to_xml(values):
    body = "".join(f"<{k}>{v}</{k}>" for k, v in values.items())
    return f"<flat-profile>{body}</flat-profile>"


def read_state(path):
    if not os.path.exists(path):
        return {}
    root = ET.parse(path).getroot()   # raises on a damaged file
    return {e.tag: (e.text or "") for e in root}


class CrashSafetyTest(PhoneTestCase):

    def matches(self, state, values):
        return all(state.get(k) == v for k, v in values.items())

    def test_sigkill_during_saves(self):
        rng = random.Random(20261127)
        state_path = None
        generations = {0: {}}
        current = 0
        killed_mid_apply = 0
        for round_ in range(1, ROUNDS + 1):
            phone = self.start_phone()
            state_path = os.path.join(phone.state_dir, "config.xml")
            state = read_state(state_path)
            if current:
                self.assertTrue(self.matches(state, generations[current]),
                                f"round {round_}: state is not generation {current}")
            new = profile_for(round_)
            generations[round_] = new
            path = self.write(f"gen{round_}.xml", to_xml(new))
            apply = subprocess.Popen([DESKPHONECTL, "config", "apply", path], env=phone.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.0, 0.04))
            phone.process.kill()
            phone.process.wait()
            apply.wait(timeout=30)
            state = read_state(state_path)
            if self.matches(state, new):
                current = round_
            else:
                killed_mid_apply += 1
                if current:
                    self.assertTrue(self.matches(state, generations[current]),
                                    f"round {round_}: state is neither old nor new")
                else:
                    self.assertFalse(any(k in state for k in new))
            self.phones.remove(phone)
        # The random delays must have hit both sides of the save sometimes.
        self.assertGreater(killed_mid_apply, 0)
        self.assertGreater(current, 0)
        # And the last state loads in a daemon.
        phone = self.start_phone()
        if current:
            self.assertEqual(phone.get("Proxy_1_"), generations[current]["Proxy_1_"])
        # Temporary files of interrupted saves are cleaned up at start-up.
        leftovers = [f for f in os.listdir(os.path.dirname(state_path))
                     if f.startswith(".config.xml.")]
        self.assertEqual(leftovers, [])


if __name__ == "__main__":
    unittest.main()
