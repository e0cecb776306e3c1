# SPDX-License-Identifier: GPL-2.0-or-later
"""deskphoned's Syslog_Server / Debug_Server: RFC 5424 datagrams on 127.0.0.1,
the SPA rule that syslog also goes to the debug server, and secrets masked."""

import os
import re
import socket
import time
import unittest

from dptest import PhoneTestCase

SECRET = "Sup3rSecretPW"
LINE = re.compile(rb"^<(\d+)>1 (\S+) (\S+) deskphone (\d+) (\S+) - \xef\xbb\xbf(.*)$", re.S)


class Collector:
    """A UDP socket on 127.0.0.1 that keeps every datagram it receives."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.spec = f"127.0.0.1:{self.port}"
        self.datagrams = []

    def close(self):
        self.sock.close()

    def wait_for(self, text, timeout=10.0):
        """Returns the parsed line whose message contains text (bounded wait)."""
        deadline = time.monotonic() + timeout
        while True:
            for parsed in map(self.parse, self.datagrams):
                if text in parsed["msg"]:
                    return parsed
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no datagram containing {text!r} on {self.spec}; got "
                                     f"{[d[:120] for d in self.datagrams]}")
            self.sock.settimeout(remaining)
            try:
                self.datagrams.append(self.sock.recv(65536))
            except socket.timeout:
                pass

    def drain(self, quiet=0.3):
        """Collects whatever arrives until the socket has been quiet a while."""
        self.sock.settimeout(quiet)
        try:
            while True:
                self.datagrams.append(self.sock.recv(65536))
        except socket.timeout:
            pass

    def messages(self):
        return [self.parse(d)["msg"] for d in self.datagrams]

    @staticmethod
    def parse(datagram):
        match = LINE.match(datagram)
        if match is None:
            raise AssertionError(f"not an RFC 5424 deskphone line: {datagram[:200]!r}")
        return {"pri": int(match.group(1)), "timestamp": match.group(2).decode(),
                "hostname": match.group(3).decode(), "procid": int(match.group(4)),
                "msgid": match.group(5).decode(), "msg": match.group(6).decode("utf-8")}


class SyslogTest(PhoneTestCase):

    def setUp(self):
        super().setUp()
        self.syslog = Collector()
        self.debug = Collector()

    def tearDown(self):
        self.syslog.close()
        self.debug.close()
        super().tearDown()

    def test_startup_lines_reach_both_servers_with_secrets_masked(self):
        # The profile's own path holds the password, so the daemon's
        # "profile PATH: ..." line carries it and must be masked.
        profile = self.write(f"{SECRET}.xml",
                             "<flat-profile>"
                             f"<Syslog_Server>{self.syslog.spec}</Syslog_Server>"
                             f"<Debug_Server>{self.debug.spec}</Debug_Server>"
                             "<Debug_Level>0</Debug_Level>"
                             f"<Password_1_>{SECRET}</Password_1_>"
                             "</flat-profile>")
        phone = self.start_phone("--profile", profile)

        for collector in (self.syslog, self.debug):
            started = collector.wait_for("started, state in")
            self.assertEqual(started["pri"], 16 * 8 + 5)
            self.assertEqual(started["msgid"], "deskphoned")
            self.assertEqual(started["procid"], phone.process.pid)
            self.assertRegex(started["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
            applied = collector.wait_for("changed,")
            self.assertIn("****.xml", applied["msg"])

        # Syslog_Server off: later lines reach the debug server only.
        result = phone.ctl("config", "set", "Syslog_Server", "")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.syslog.drain()
        before = len(self.syslog.datagrams)
        self.assertEqual(phone.terminate(), 0)
        self.debug.wait_for("stopped")
        self.syslog.drain()
        self.assertEqual(self.syslog.datagrams[before:], [])

        everything = b"".join(self.syslog.datagrams + self.debug.datagrams)
        self.assertNotIn(SECRET.encode(), everything)
        self.assertNotIn(SECRET, phone.read_log())

    def test_unreachable_server_does_not_stall_the_daemon(self):
        dead = Collector()
        dead_spec = dead.spec
        dead.close()
        profile = self.write("dead.xml",
                             f"<flat-profile><Syslog_Server>{dead_spec}</Syslog_Server>"
                             f"<Debug_Server>{self.debug.spec}</Debug_Server>"
                             "<Debug_Level>3</Debug_Level></flat-profile>")
        phone = self.start_phone("--profile", profile)
        self.debug.wait_for("started, state in")
        start = time.monotonic()
        for _ in range(20):
            self.assertEqual(phone.ctl("status", "--json").returncode, 0)
        self.assertLess(time.monotonic() - start, 20)
        self.assertEqual(phone.terminate(), 0)
        self.debug.wait_for("stopped")


if __name__ == "__main__":
    unittest.main()
