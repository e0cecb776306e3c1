# SPDX-License-Identifier: GPL-2.0-or-later
"""The screen plugin under Xvfb: a deskphoned with the sip and screen plugins,
baresip as the far phone, the UI driven by DESKPHONE_SCREEN_SCRIPT (press
named widgets, wait for call states, take screenshots). Each screenshot has
a NAME.json describing what the screen showed; the PNGs are kept in
$DP_BUILD_ROOT/screen-screenshots/ for review. The directory and history
must survive a restart."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.environ.get("DP_SOURCE_ROOT", ""), "tests", "integration"))

from dptest import wait_for                      # noqa: E402
from peers import Baresip                        # noqa: E402
from sippeers import SipPhoneTestCase            # noqa: E402

BUILD_ROOT = os.environ.get("DP_BUILD_ROOT", "")
SHOTS = os.path.join(BUILD_ROOT or "/tmp", "screen-screenshots")


def free_display():
    for number in range(90, 140):
        if not os.path.exists(f"/tmp/.X{number}-lock") and \
                not os.path.exists(f"/tmp/.X11-unix/X{number}"):
            return number
    raise unittest.SkipTest("no free X display number")


class ScreenTest(SipPhoneTestCase):

    @classmethod
    def setUpClass(cls):
        if not BUILD_ROOT or not os.path.exists(
                os.path.join(BUILD_ROOT, "plugins", "screen", "screen.plugin")):
            raise unittest.SkipTest("the screen plugin is not built (no gtk4)")
        if shutil.which("Xvfb") is None:
            raise unittest.SkipTest("Xvfb is not installed")
        cls.display = free_display()
        cls.xvfb = subprocess.Popen(
            ["Xvfb", f":{cls.display}", "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(f"/tmp/.X11-unix/X{cls.display}"), timeout=10,
                 what="Xvfb socket")
        shutil.rmtree(SHOTS, ignore_errors=True)
        os.makedirs(SHOTS)

    @classmethod
    def tearDownClass(cls):
        cls.xvfb.terminate()
        cls.xvfb.wait(timeout=10)

    def screen_env(self, script):
        path = self.write(f"script-{time.monotonic_ns()}", script)
        os.environ.update({
            "DISPLAY": f":{self.display}", "GDK_BACKEND": "x11", "GSK_RENDERER": "cairo",
            "GTK_A11Y": "none", "DESKPHONE_SCREEN_SCRIPT": path,
            "DESKPHONE_SCREEN_SCREENSHOT_DIR": SHOTS,
        })
        self.addCleanup(lambda: [os.environ.pop(k, None) for k in (
            "DISPLAY", "GDK_BACKEND", "GSK_RENDERER", "GTK_A11Y",
            "DESKPHONE_SCREEN_SCRIPT", "DESKPHONE_SCREEN_SCREENSHOT_DIR")])

    def wait_log(self, phone, pattern, timeout=30):
        def check():
            log = phone.read_log()
            failed = re.search(r"screen script: line \d+ failed: .*", log)
            if failed:
                raise AssertionError(failed.group(0) + "\n" + log[-4000:])
            return re.search(pattern, log)
        return wait_for(check, timeout=timeout, what=f"{pattern!r} in the log")

    def shot(self, name, timeout=30):
        path = os.path.join(SHOTS, name + ".json")
        wait_for(lambda: os.path.exists(path), timeout=timeout, what=f"screenshot {name}")
        time.sleep(0.2)   # written by the daemon just now
        with open(path) as f:
            return json.load(f)

    def test_calls_sidecar_directory_history_and_restart(self):
        bob = self.peer(Baresip(self.folder, "2000")).start()
        script = f"""
screenshot idle
press key-2
screenshot dialing
press key-0
press key-0
press key-0
wait-call ringback 15
screenshot ringback
wait-call active 15
screenshot connected
press softkey-hold
wait-call held 15
screenshot held
press softkey-resume
wait-call active 15
press softkey-endcall
wait-idle 15
log ready for incoming
wait-call ringing 30
screenshot ringing
press softkey-answer
wait-call active 15
screenshot answered
press softkey-endcall
wait-idle 15
press view-sidecar
screenshot sidecar
press sidecar-1-1
wait-call ringback 15
press view-phone
press softkey-endcall
wait-idle 15
press view-directory
type dir-name Alice Example
type dir-number 2000
press dir-add
screenshot directory
press view-history
screenshot history
"""
        self.screen_env(script)
        phone = self.start_sip_phone(
            Proxy_1_=f"127.0.0.1:{bob.port}", User_ID_1_="phone", Display_Name_1_="Desk Phone",
            Register_1_="No", Dial_Plan_1_="(2xxx)", Station_Name="Reception",
            Unit_1_Key_1="fnc=sd;ext=2000;nme=Bob")
        port = self.sip_port(phone)

        # Outgoing from the keypad: 2000 completes the plan and is sent.
        incoming = bob.wait_for_event("CALL_INCOMING", timeout=30)
        self.assertIn("phone", incoming.get("peeruri", ""))
        idle, dialing, ringback = self.shot("idle"), self.shot("dialing"), self.shot("ringback")
        self.assertEqual(idle["softkeys"], ["redial", "dir", "cfwd", "dnd"])
        self.assertEqual(idle["lines"][0]["led"], "green")
        self.assertEqual(dialing["dial"], "2")
        self.assertEqual(dialing["softkeys"], ["dial", "delchar", "cancel", "dir"])
        self.assertEqual(ringback["softkeys"], ["endcall"])
        self.assertEqual(ringback["number"] or ringback["peer"], "2000")
        bob.answer()
        self.wait_log(phone, r"screen script: ready for incoming")
        connected, held = self.shot("connected"), self.shot("held")
        self.assertEqual(connected["softkeys"], ["hold", "xfer", "endcall"])
        self.assertEqual(connected["lines"][0]["led"], "red")
        self.assertIn(connected["codec"], ("PCMU", "G711u"))   # as DpCall:codec names it
        self.assertEqual(held["softkeys"], ["resume", "endcall", "newcall"])
        self.assertEqual(len([r for r in bob.received_requests("INVITE")]), 3)

        # Incoming: answered from the screen.
        bob.dial(f"sip:phone@127.0.0.1:{port}")
        bob.wait_for_event("CALL_ESTABLISHED", timeout=30)
        self.wait_log(phone, r"screen script: finished", timeout=60)
        ringing, sidecar = self.shot("ringing"), self.shot("sidecar")
        self.assertEqual(ringing["softkeys"], ["answer", "ignore"])
        self.assertEqual(ringing["lines"][0]["led"], "red")
        self.assertEqual(sidecar["view"], "sidecar")
        self.assertEqual(sidecar["sidecar"][0]["label"], "Bob")
        directory, history = self.shot("directory"), self.shot("history")
        self.assertEqual(directory["directory"], 1)
        self.assertEqual(history["history"], 3)

        # Files in the state folder, then a restart that reads them back.
        phone_entries = phone.ctl_json("directory")["entries"]
        self.assertEqual(phone.terminate(), 0)
        with open(os.path.join(phone.state_dir, "history.json")) as f:
            kinds = [e["kind"] for e in json.load(f)["entries"]]
        self.assertEqual(kinds, ["placed", "received", "placed"])
        with open(os.path.join(phone.state_dir, "directory.json")) as f:
            self.assertEqual(json.load(f)["entries"],
                             [{"id": "1", "name": "Alice Example", "number": "2000"}])
        # The core owns the directory: D-Bus sees what the screen entered.
        self.assertEqual(phone_entries, [{"id": "1", "name": "Alice Example", "number": "2000"}])
        self.screen_env("press view-history\nscreenshot history-restart\n"
                        "press view-directory\nscreenshot directory-restart\n")
        restarted = self.start_phone()   # same state folder, no profile
        self.wait_log(restarted, r"screen script: finished", timeout=30)
        self.assertIn("screen: 3 history entries, 1 directory entries", restarted.read_log())
        self.assertEqual(self.shot("history-restart")["history"], 3)
        self.assertEqual(self.shot("directory-restart")["directory"], 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
