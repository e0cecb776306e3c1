# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared by the localisation tests: a deskphoned with only the plugins a
test names (symlinked from the build tree), and deskphonectl runs in a
given language with the catalogues compiled into the build tree."""

import http.server
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.environ.get("DP_INTEGRATION_DIR")
                or os.path.join(os.environ.get("DP_SOURCE_ROOT", ""), "tests", "integration"))

from dptest import BUILD_ROOT, DESKPHONECTL, PhoneTestCase, wait_for  # noqa: E402


def profile_xml(params):
    items = "".join(f"<{name}>{value}</{name}>" for name, value in params.items())
    return f"<flat-profile>{items}</flat-profile>"


def serve_http(testcase, handler):
    """Serves @handler on 127.0.0.1 (a free port, returned) until @testcase ends."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    testcase.addCleanup(server.server_close)
    testcase.addCleanup(server.shutdown)
    return server.server_address[1]


class L10nPhoneTestCase(PhoneTestCase):
    PLUGINS = ("l10n",)
    PARAMS = {}
    STATE_FILES = {}  # name in the state folder: contents, written before the start

    def setUp(self):
        super().setUp()
        folder = os.path.join(self.folder, "plugins")
        os.makedirs(folder)
        for name in self.PLUGINS:
            os.symlink(os.path.join(BUILD_ROOT, "plugins", name), os.path.join(folder, name))
        state_dir = os.path.join(self.folder, "state")
        os.makedirs(state_dir, exist_ok=True)
        for name, contents in self.STATE_FILES.items():
            with open(os.path.join(state_dir, name), "w") as f:
                f.write(contents)
        args = []
        if self.PARAMS:
            args = ["--profile", self.write("boot.xml", profile_xml(self.PARAMS))]
        self.phone = self.start_phone(*args, plugin_path=folder)

    def ctl(self, language, *args):
        """deskphonectl in @language (None: no LANGUAGE) under the plain C
        locale, as on a phone's shell."""
        env = dict(self.phone.env)
        for name in ("LC_ALL", "LC_MESSAGES", "LC_CTYPE", "LANGUAGE"):
            env.pop(name, None)
        env["LANG"] = "C"
        env["DESKPHONE_LOCALEDIR"] = os.path.join(BUILD_ROOT, "po")
        if language is not None:
            env["LANGUAGE"] = language
        return subprocess.run([DESKPHONECTL, *args], env=env, capture_output=True, text=True,
                              timeout=30)

    def select(self, language, name):
        """Sets Language_Selection and waits until the daemon speaks @name."""
        self.assertEqual(self.phone.ctl("config", "set", "Language_Selection", language).returncode, 0)
        wait_for(lambda: self.phone.ctl_json("status")["language"] == name, what=f"language {name}")
