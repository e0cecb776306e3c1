# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for the sip plugin's integration tests (test_sip_*.py): a phone
test case that starts deskphoned with the sip plugin from the build tree and
configures its line 1, and small waits on `deskphonectl lines/calls`. The
peers themselves (kamailio, baresip, sipp) come from peers.py."""

import json
import os
import time

from dptest import PhoneTestCase, wait_for
from peers import LOOPBACK


def flat_profile(values):
    """A flat-profile XML setting the given parameters."""
    def escape(text):
        return (str(text).replace("&", "&amp;").replace("<", "&lt;")
                .replace(">", "&gt;"))
    body = "".join(f"  <{name}>{escape(value)}</{name}>\n" for name, value in values.items())
    return f"<flat-profile>\n{body}</flat-profile>\n"


class SipPhoneTestCase(PhoneTestCase):
    """A deskphoned whose line 1 is set up by the test; peers on 127.0.0.1."""

    BASE = {
        "SIP_Bind_Address": LOOPBACK,
        "SIP_Port_1_": "0",
        "Reg_Retry_Intvl": "2",
        "RTP_Port_Min": "42000",
        "RTP_Port_Max": "42098",
    }

    def setUp(self):
        super().setUp()
        self.peers = []

    def tearDown(self):
        for peer in reversed(self.peers):
            try:
                peer.stop()
            except Exception:   # a failed peer must not hide the test's own error
                pass
        super().tearDown()

    def peer(self, peer):
        """Registers a peer for stopping in tearDown and starts it."""
        self.peers.append(peer)
        return peer

    def start_sip_phone(self, **values):
        config = dict(self.BASE)
        config.update({k: str(v) for k, v in values.items()})
        profile = self.write(f"line-{time.monotonic_ns()}.xml", flat_profile(config))
        phone = self.start_phone("--profile", profile)
        self.addCleanup(self._dump_log_on_failure, phone)
        return phone

    def _dump_log_on_failure(self, phone):
        outcome = getattr(self, "_outcome", None)
        errors = getattr(getattr(outcome, "result", None), "errors", [])
        failures = getattr(getattr(outcome, "result", None), "failures", [])
        if any(test is self for test, _ in errors + failures) and os.environ.get("DP_TEST_LOG"):
            print(phone.read_log()[-6000:])

    # --- phone state -------------------------------------------------------

    def line(self, phone, index=1):
        for line in phone.ctl_json("lines"):
            if line["index"] == index:
                return line
        raise AssertionError(f"no line {index}")

    def wait_line(self, phone, state, index=1, timeout=15.0):
        return wait_for(lambda: (lambda l: l if l["registration"] == state else None)(
            self.line(phone, index)), timeout=timeout,
            what=f"line {index} {state}; log:\n{phone.read_log()[-3000:]}")

    def sip_port(self, phone, index=1):
        def port():
            status = phone.ctl_json("status")
            sip = status.get("ports", {}).get("sip")
            if isinstance(sip, dict):
                return sip.get(str(index)) or 0
            if isinstance(sip, list) and len(sip) >= index:
                entry = sip[index - 1]
                return entry.get("port") if isinstance(entry, dict) else entry
            return 0
        return wait_for(port, what="the SIP port in status")

    def calls(self, phone):
        return phone.ctl_json("calls")

    def call(self, phone, call_id=None):
        calls = self.calls(phone)
        for call in calls:
            if call_id is None or str(call["id"]) == str(call_id):
                return call
        return None

    def wait_call(self, phone, state, call_id=None, timeout=10.0):
        def check():
            call = self.call(phone, call_id)
            return call if call is not None and call["state"] == state else None
        return wait_for(check, timeout=timeout,
                        what=f"a call {state}; calls {self.calls(phone)}; log:\n"
                             f"{phone.read_log()[-3000:]}")

    def wait_no_calls(self, phone, timeout=10.0):
        return wait_for(lambda: self.calls(phone) == [], timeout=timeout,
                        what=f"no calls left; calls {self.calls(phone)}")

    def call_events(self, phone):
        """The call states the daemon logged, for tests that check a state
        that only lasts a moment (ended)."""
        return phone.read_log()


def dumps(value):
    return json.dumps(value, indent=1)
