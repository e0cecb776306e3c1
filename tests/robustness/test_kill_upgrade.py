#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SIGKILL during a firmware download, then a restart on the same state
folder. The image (2 MiB, ed25519-signed with openssl) trickles from
robustlib.FaultServer at 256 KiB/s; deskphoned is killed once a third of
it has been sent. Then:
- nothing was installed (the recording installer never ran) and no image
  file was left in the state folder (downloads are held in memory and
  written only once verified);
- deskphoned starts again on the same folder; a value set over D-Bus
  before the download (saved atomically) is still there;
- the upgrade state is idle, not stuck in "downloading";
- the same upgrade URL, now served at full speed, installs exactly once
  (the killed attempt was not recorded as done for the URL)."""

import hashlib
import os
import stat
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.environ.get("DP_SOURCE_ROOT", os.path.join(HERE, "..", "..")),
                                "tests", "provisioning"))

import dptest  # noqa: E402
import provtest  # noqa: E402
import robustlib  # noqa: E402

INSTALLER = """#!/bin/sh
printf '%s\\n' "$1" "$2" >> "{record}"
sha256sum "$1" | cut -d' ' -f1 >> "{record}"
"""
IMAGE_NAME = "deskphone-9.1.0.img"


class KillDuringDownloadTest(provtest.ProvPhoneTestCase):

    def setUp(self):
        super().setUp()
        self.server = robustlib.FaultServer()
        self.addCleanup(self.server.stop)
        openssl = provtest.tool("openssl")
        key = os.path.join(self.folder, "sign.key")
        provtest.run(openssl, "genpkey", "-algorithm", "ed25519", "-out", key)
        with open(os.path.join(self.state_dir, "upgrade-key.pem"), "wb") as f:
            f.write(provtest.run(openssl, "pkey", "-in", key, "-pubout"))
        self.image = os.urandom(2 * 1024 * 1024)
        image_path = os.path.join(self.folder, "fw.img")
        with open(image_path, "wb") as f:
            f.write(self.image)
        self.server.files[IMAGE_NAME] = self.image
        self.server.files[IMAGE_NAME + ".sig"] = provtest.run(
            openssl, "pkeyutl", "-sign", "-rawin", "-inkey", key, "-in", image_path)
        self.server.trickle_bytes_per_s = 256 * 1024
        self.record = os.path.join(self.folder, "installer.log")
        self.installer = self.write("install.sh", INSTALLER.format(record=self.record))
        os.chmod(self.installer, stat.S_IRWXU)

    def boot_upgrader(self):
        return self.boot(Resync_On_Reset="No", Upgrade_Install_Command=f"{self.installer} %f %v",
                         Upgrade_Signing_Key="upgrade-key.pem", Upgrade_Error_Retry_Delay="3600")

    def image_files(self):
        found = []
        for root, _, files in os.walk(self.state_dir):
            found += [os.path.join(root, f) for f in files if IMAGE_NAME in f]
        return found

    def test_sigkill_during_download(self):
        phone = self.boot_upgrader()
        self.assertEqual(phone.ctl("config", "set", "GPP_C", "kept").returncode, 0)
        result = phone.ctl("upgrade", self.server.url(f"/trickle/{IMAGE_NAME}"))
        self.assertEqual(result.returncode, 0, result.stderr)
        dptest.wait_for(lambda: self.server.trickled > len(self.image) // 3, timeout=20,
                        what="a third of the image sent")
        self.assertEqual(self.prov(phone)["upgrade"]["state"], "downloading")
        phone.process.kill()
        phone.process.wait(10)
        time.sleep(0.5)

        self.assertFalse(os.path.exists(self.record), "the installer ran")
        self.assertEqual(self.image_files(), [])

        phone = self.boot_upgrader()
        self.assertEqual(phone.get("GPP_C"), "kept")
        upgrade = self.prov(phone)["upgrade"]
        self.assertIn(upgrade["state"], ("idle", "scheduled"), upgrade)

        result = phone.ctl("upgrade", self.server.url(f"/ok/{IMAGE_NAME}"))
        self.assertEqual(result.returncode, 0, result.stderr)
        u = dptest.wait_for(
            lambda: (lambda u: u if u["state"] in ("idle", "scheduled") and u["last_result"]
                     else None)(self.prov(phone)["upgrade"]), timeout=30, what="upgrade result")
        self.assertEqual(u["last_result"], "success", u)
        with open(self.record) as f:
            lines = f.read().split()
        self.assertEqual(len(lines), 3, lines)
        self.assertEqual(lines[1], "9.1.0")
        self.assertEqual(lines[2], hashlib.sha256(self.image).hexdigest())


if __name__ == "__main__":
    unittest.main(verbosity=2)
