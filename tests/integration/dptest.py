# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared fixtures for the integration tests: a private dbus-daemon, a
deskphoned on it with its own state folder, and deskphonectl runs against it.
Everything runs on this machine, is started with its own pid and stopped by
that pid."""

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

DESKPHONED = os.environ.get("DESKPHONED", "deskphoned")
DESKPHONECTL = os.environ.get("DESKPHONECTL", "deskphonectl")
BUILD_ROOT = os.environ.get("DP_BUILD_ROOT", "")
SOURCE_ROOT = os.environ.get("DP_SOURCE_ROOT", "")
SHARED_DIR = os.path.realpath(os.environ.get("DP_SHARED_DIR", "")) if os.environ.get("DP_SHARED_DIR") else ""
# DP_DAEMON_WRAPPER: a command line put before deskphoned in every Phone,
# e.g. valgrind (meson test --setup valgrind); "{log}" in it becomes a file
# beside the daemon's log. When the wrapper is valgrind, the Phone reads that
# log once the daemon has ended; errors in project code (valgrind.py) fail
# a PhoneTestCase test (other users get them printed and in .findings).
# DP_TIMEOUT_SCALE stretches every wait_for() for slow wrappers.
WRAPPER = shlex.split(os.environ.get("DP_DAEMON_WRAPPER", ""))
TIMEOUT_SCALE = float(os.environ.get("DP_TIMEOUT_SCALE", "1"))
VALGRIND_ERROR_STATUS = 97     # --error-exitcode in the valgrind test setup


def wait_for(condition, timeout=10.0, interval=0.02, what="condition"):
    """Polls condition() until it returns a true value (bounded)."""
    timeout *= TIMEOUT_SCALE
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Bus:
    """A private session-type dbus-daemon on a unix socket in a temp folder."""

    def __init__(self, folder):
        self.socket = os.path.join(folder, "bus")
        self.address = f"unix:path={self.socket}"
        self.process = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile",
             f"--address={self.address}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(self.socket), what="dbus-daemon socket")

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class Phone:
    """A deskphoned on a private bus."""

    def __init__(self, folder, bus, args=(), plugin_path=None):
        self.folder = folder
        self.bus = bus
        self.state_dir = os.path.join(folder, "state")
        self.log_path = os.path.join(folder, f"deskphoned-{time.monotonic_ns()}.log")
        self.env = dict(os.environ)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
        self.env["DESKPHONE_BUS"] = "session"
        self.env.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        if plugin_path is None and BUILD_ROOT:
            plugin_path = os.path.join(BUILD_ROOT, "plugins")
        if plugin_path:
            self.env["DESKPHONE_PLUGIN_PATH"] = plugin_path
        self.args = list(args)
        self.process = None
        self.tool_log = self.log_path[:-len(".log")] + ".tool.log"
        self.tool_checked = False
        self.findings = []

    def start(self, wait=True):
        self.log = open(self.log_path, "w")
        self.tool_checked = False
        wrapper = [word.replace("{log}", self.tool_log) for word in WRAPPER]
        self.process = subprocess.Popen(
            [*wrapper, DESKPHONED, "--bus", "session", "--state-dir", self.state_dir,
             "--verbose", *self.args],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        if wait:
            wait_for(self.is_ready, what="deskphoned on D-Bus")
        return self

    def is_ready(self):
        if self.process.poll() is not None:
            raise AssertionError(f"deskphoned exited with {self.process.returncode}:\n"
                                 + self.read_log())
        return self.ctl("status", "--json").returncode == 0

    def ctl(self, *args, input=None):
        return subprocess.run([DESKPHONECTL, *args], env=self.env, capture_output=True,
                              text=True, input=input, timeout=30)

    def run_action(self, name, argument=""):
        """Runs a core action over D-Bus (RunAction), as a GUI would."""
        return subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.deskphone.Phone1",
             "--object-path", "/org/deskphone/Phone1",
             "--method", "org.deskphone.Phone1.RunAction", name, argument],
            env=self.env, capture_output=True, text=True, timeout=30)

    def ctl_json(self, *args):
        result = self.ctl(*args, "--json")
        if result.returncode != 0:
            raise AssertionError(f"deskphonectl {' '.join(args)} failed "
                                 f"({result.returncode}): {result.stderr}")
        return json.loads(result.stdout)

    def get(self, name):
        return self.ctl_json("config", "get", name)["value"]

    def terminate(self):
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=15 * TIMEOUT_SCALE)
        if not self.check_tool_log() and status == VALGRIND_ERROR_STATUS:
            return 0    # memcheck errors only in third-party code (printed)
        return status

    def kill(self):
        if self.process and self.process.poll() is None:
            if WRAPPER:
                # A clean exit lets valgrind run its leak check.
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    pass
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.check_tool_log()

    def check_tool_log(self):
        """Under valgrind, once the daemon has ended: reads its memcheck log
        (once), prints every error block and keeps those in project code in
        self.findings (PhoneTestCase fails the test on them). Returns the
        findings."""
        if (self.tool_checked or not WRAPPER or os.path.basename(WRAPPER[0]) != "valgrind"
                or not os.path.exists(self.tool_log)):
            return self.findings
        self.tool_checked = True
        import valgrind
        with open(self.tool_log, errors="replace") as f:
            text = f.read()
        errors = valgrind.memcheck_errors(text)
        ours = valgrind.project_errors(errors)
        if errors:
            print(f"memcheck ({self.tool_log}): {len(errors)} error blocks, {len(ours)} in "
                  f"project code\n{valgrind.describe(errors, ours)}", file=sys.stderr)
        if ours:
            self.findings.append(f"memcheck errors in project code ({self.tool_log}):\n"
                                 + valgrind.describe(ours, ours))
        return self.findings

    def read_log(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()


class PhoneTestCase(unittest.TestCase):
    """Gives each test a temp folder, a private bus and helpers to start phones."""

    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="dp-test-")
        self.bus = Bus(self.folder)
        self.phones = []

    def tearDown(self):
        # Under valgrind, memcheck findings fail the test once every daemon
        # and the bus are gone.
        for phone in self.phones:
            phone.kill()
        self.bus.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
        findings = [f for phone in self.phones for f in phone.findings]
        if findings:
            raise AssertionError("\n".join(findings))

    def start_phone(self, *args, plugin_path=None, wait=True):
        phone = Phone(self.folder, self.bus, args, plugin_path=plugin_path)
        self.phones.append(phone)
        return phone.start(wait=wait)

    def write(self, name, contents, mode="w"):
        path = os.path.join(self.folder, name)
        with open(path, mode) as f:
            f.write(contents)
        return path
