# SPDX-License-Identifier: GPL-2.0-or-later
"""PROTOS c07-sip (4527 INVITE test cases) against a registered phone.

deskphoned registers line 1 (UDP, user 1001) and line 2 (TCP, user 1002) at
kamailio with a 30 s expiry, so both refresh their registration while the
cases arrive. Every case (../shared/corpora/protos-c07-sip, unpacked into
the test's temp folder) is sent to line 1 over UDP, or to line 2 over TCP
when it does not fit in one datagram (the overflow cases, up to 144 KB),
followed by its CANCEL (protos.py). After each group of groups.tsv:
deskphoned still runs, answers `deskphonectl status`, answers an OPTIONS
with 200 on both lines, and both lines are still registered. At the end
kamailio's location table still holds both contacts and no call is left.
If the daemon dies, each half of the last group is replayed against a
fresh daemon until one case is named.

What each case may get (groups.tsv's parse/reject column is one parser's
opinion, PROTOS itself only asks that the target survives; judge()):
- never a 2xx (nobody answers these calls), a 3xx (no forwarding is set),
  a 5xx (but 501/505 for a broken method/version) or a 6xx;
- an INVITE that rang (18x) must end with 487 once CANCELled: a call left
  ringing would be a leak; a 487 without ringing (CANCELled before the
  phone decided, under load) is fine;
- "reject" groups: dropped or refused; ringing only where the mangled
  value is still valid SIP or one a user agent does not use (MAY_RING);
- "parse" groups: ringing or a 4xx (488 for SDP it cannot use); silence
  only where responses cannot reach the test (MAY_DROP) or for a datagram
  near the UDP size limit;
- the valid reference case 0 rings.
"""

import os
import re
import sys
import time
import unittest

from dptest import SHARED_DIR, wait_for
from peers import LOOPBACK, Kamailio, sip_options
from protos import ProtosDriver, extract_cases, read_groups
from sippeers import SipPhoneTestCase

REPORT = bool(os.environ.get("DP_PROTOS_REPORT"))


class ProtosTest(SipPhoneTestCase):

    def setUp(self):
        super().setUp()
        if not SHARED_DIR:
            raise AssertionError("DP_SHARED_DIR is not set")
        self.cases = extract_cases(SHARED_DIR, self.folder)
        self.groups = read_groups(SHARED_DIR)

    def start_registered_phone(self, kamailio):
        phone = self.start_sip_phone(
            Proxy_1_=kamailio.address, User_ID_1_="1001", Password_1_="secret1",
            Register_1_="Yes", Register_Expires_1_="30",
            Line_Enable_2_="Yes", Proxy_2_=kamailio.address, User_ID_2_="1002",
            Password_2_="secret2", Register_2_="Yes", Register_Expires_2_="30",
            SIP_Transport_2_="TCP", SIP_Port_2_="0")
        self.wait_line(phone, "registered", 1, timeout=30)
        self.wait_line(phone, "registered", 2, timeout=30)
        return phone

    def alive(self, phone, ports):
        """None when the phone is well, else what is wrong."""
        if phone.process.poll() is not None:
            return f"deskphoned exited with {phone.process.returncode}"
        if phone.ctl("status", "--json").returncode != 0:
            return "deskphonectl status failed"
        for port, transport in ports:
            reply = sip_options(LOOPBACK, port, transport=transport, timeout=5)
            if reply is None or reply.status != 200:
                return f"OPTIONS over {transport} to {port}: {reply and reply.start_line}"
        return None

    def test_protos_c07_sip_against_registered_lines(self):
        kamailio = self.peer(Kamailio(self.folder, users={"1001": "secret1",
                                                          "1002": "secret2"}))
        kamailio.start()
        phone = self.start_registered_phone(kamailio)
        ports = [(self.sip_port(phone, 1), "udp"), (self.sip_port(phone, 2), "tcp")]
        driver = ProtosDriver(self.cases, ports[0][0], "1001", tcp_port=ports[1][0])
        self.addCleanup(driver.close)
        wrong = []
        started = time.monotonic()
        for group in self.groups:
            t0 = time.monotonic()
            outcomes = driver.run(group.cases)
            problem = self.alive(phone, ports)
            if problem is not None:
                self.fail(f"after group {group}: {problem}\n"
                          f"{self.name_killer(group.cases)}\n{phone.read_log()[-4000:]}")
            lines = {n: self.line(phone, n)["registration"] for n in (1, 2)}
            self.assertEqual(lines, {1: "registered", 2: "registered"},
                             f"after group {group}")
            for outcome in outcomes:
                why = judge(group, outcome, driver.render(outcome.case, 1, 1)[0])
                if why == NO_RESPONSE:
                    # The phone may just have been slow with 32 cases at once.
                    outcome = driver.run_again(outcome.case)
                    why = judge(group, outcome, driver.render(outcome.case, 1, 1)[0])
                if why:
                    wrong.append(f"{group.name}: {outcome.summary()}: {why}")
            if REPORT:
                print(f"{group.name:32s} {time.monotonic() - t0:6.1f} s "
                      f"{tally(outcomes)}", file=sys.stderr)
        print(f"PROTOS c07-sip: {len(driver.outcomes)} cases in "
              f"{time.monotonic() - started:.0f} s; {len(driver.unsent)} not sent; "
              f"{len(wrong)} answered wrongly", file=sys.stderr)
        self.assertEqual(driver.unsent, [])
        self.assertTrue(kamailio.registered("1001"), "line 1 gone from kamailio's location")
        self.assertTrue(kamailio.registered("1002"), "line 2 gone from kamailio's location")
        self.assertEqual(wrong, [], "\n".join(wrong[:40]))
        # Every call the cases made was CANCELled.
        wait_for(lambda: self.calls(phone) == [], timeout=40, interval=0.5,
                 what=f"the PROTOS calls to end: {self.calls(phone)[:5]}")

    def name_killer(self, cases):
        """Replays halves of `cases` against fresh, unregistered phones until
        one case kills the daemon by itself; says what it found."""
        candidates = list(cases)
        while len(candidates) > 1:
            half = len(candidates) // 2
            for part in (candidates[:half], candidates[half:]):
                if self.kills(part):
                    candidates = part
                    break
            else:
                return (f"no single half of {len(candidates)} cases "
                        f"({candidates[0]}-{candidates[-1]}) kills a fresh daemon by itself")
        if len(candidates) == 1 and self.kills(candidates):
            return f"case {candidates[0]:07d} alone kills a fresh daemon"
        return "the crash did not reproduce against a fresh daemon"

    def kills(self, cases):
        phone = self.start_sip_phone(Proxy_1_="", User_ID_1_="1001", Register_1_="No",
                                     Line_Enable_2_="Yes", User_ID_2_="1002",
                                     Register_2_="No", SIP_Transport_2_="TCP",
                                     SIP_Port_2_="0")
        ports = [(self.sip_port(phone, 1), "udp"), (self.sip_port(phone, 2), "tcp")]
        driver = ProtosDriver(self.cases, ports[0][0], "1001", tcp_port=ports[1][0])
        try:
            driver.run(cases)
            return self.alive(phone, ports) is not None
        finally:
            driver.close()
            phone.kill()


# Where responses go is the mangled field (the Via groups), or the request
# line cannot be parsed at all (sip-request-uri: "INVITE %s%s:noone@..."):
# silence is all the agent can do or all the test can see.
MAY_DROP = {"sip-via-host", "sip-via-hostcolon", "sip-via-hostport", "sip-request-uri"}
NO_RESPONSE = "no response to a well-formed INVITE"
# A datagram this large may exceed what the agent reads from UDP.
HUGE_DATAGRAM = 60000


def _header_value(invite, name):
    match = re.search(rb"(?im)^" + name.encode() + rb"[ \t]*:[ \t]*([^\r\n]*)", invite)
    return match.group(1).decode("latin-1").strip() if match else ""


def _digits_below(value, limit=None):
    return value.isdigit() and (limit is None or int(value) < limit)


# "reject" groups (per groups.tsv) whose cases may still ring: the mangled
# value is valid SIP, or one a user agent has no use for.
MAY_RING = {
    # delta-seconds is 1*DIGIT; larger than 2^32-1 means 2^32-1 (RFC 3261 20.19)
    "sip-expires": lambda invite: _digits_below(_header_value(invite, "Expires")),
    # only proxies act on Max-Forwards
    "sip-max-forwards": lambda invite: True,
    # CSeq numbers are below 2^31 (RFC 3261 8.1.1.5)
    "sip-cseq-integer": lambda invite: _digits_below(
        _header_value(invite, "CSeq").split(" ")[0], 2 ** 31),
    # a From without tag is RFC 2543's; other From parameters are generic
    "sip-from-tag": lambda invite: True,
    # leading CRLFs are ignored (RFC 3261 7.5); bare CR or LF line ends
    # are read leniently
    "crlf-request": lambda invite: True,
    "sip-request-crlf": lambda invite: True,
    # a Content-Length below the body's size truncates it (RFC 3261 18.3)
    "sip-content-length": lambda invite: True,
}
# Final statuses a refusal may have, beyond 4xx: 501 for an unknown method,
# 505 for an unsupported version.
REFUSALS = {"sip-method": {501}, "sip-version": {505}}


def tally(outcomes):
    counts = {}
    for outcome in outcomes:
        key = ",".join(map(str, outcome.invite)) or "drop"
        counts[key] = counts.get(key, 0) + 1
    return " ".join(f"{k}:{v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


def judge(group, outcome, invite):
    """Why the agent's answer to one case makes no sense, or None. `invite`
    is the case's INVITE as sent."""
    final = outcome.final
    if final is not None:
        if 200 <= final < 300:
            return "a PROTOS INVITE was answered (2xx)"
        refusal = 400 <= final < 500 or final in REFUSALS.get(group.name, ())
        if not refusal:
            return f"final response {final}"
    if outcome.rang:
        if final != 487:
            return "rang, but the CANCEL did not end it with 487"
        if group.expectation == "reject" and not MAY_RING.get(group.name, lambda i: False)(invite):
            return "a malformed INVITE rang instead of being refused"
    elif group.name == "valid":
        return "the valid reference INVITE did not ring"
    if not outcome.invite:
        droppable = (group.expectation == "reject" or group.name in MAY_DROP or
                     (outcome.transport == "udp" and outcome.size > HUGE_DATAGRAM))
        if not droppable:
            return NO_RESPONSE
    return None


if __name__ == "__main__":
    unittest.main(verbosity=2)
