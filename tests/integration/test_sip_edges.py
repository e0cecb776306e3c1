# SPDX-License-Identifier: GPL-2.0-or-later
"""Edge scenarios of the sip plugin against sipp (scenarios in sipp/):
the CANCEL/200 race, re-INVITE glare (491 and the RFC 3261 14.1 retry) and
an incoming attended transfer (REFER with Replaces, sipp as the transferor
and a second sipp as the target). The phone is driven with deskphonectl;
each sipp checks what it receives and exits 0 only when every message
came as its scenario expects."""

import os
import re
import unittest

from dptest import wait_for
from peers import Sipp
from sippeers import SipPhoneTestCase

SCENARIOS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sipp")


def scenario(name, **values):
    with open(os.path.join(SCENARIOS, name)) as f:
        text = f.read()
    for key, value in values.items():
        text = text.replace(key, value)
    return text


class SippEdgeTest(SipPhoneTestCase):

    def sipp_phone(self, name, extra_args=(), **values):
        """Starts sipp with scenario `name` as the far end of line 1."""
        self.sipp = self.peer(Sipp(self.folder, scenario=scenario(name, **values),
                                   extra_args=extra_args, timeout=60))
        self.sipp.start()
        self.phone = self.start_sip_phone(Proxy_1_=f"127.0.0.1:{self.sipp.port}",
                                          User_ID_1_="phone", Register_1_="No")
        return self.sipp

    def sipp_ok(self, sipp):
        self.assertEqual(sipp.wait(), 0, f"{sipp.log()}\n{sipp.errors()}\n"
                                         f"{self.phone.read_log()[-3000:]}")

    def sent_by_phone(self, sipp, method):
        return [m for d, m in sipp.messages() if d == "in" and m.method == method]

    def replaces_target(self, referred_by_check="", referred_by_value=""):
        """A sipp that takes one INVITE with the Replaces the tests use."""
        target = self.peer(Sipp(self.folder, name="sipp-target", timeout=60, scenario=scenario(
            "refer-replaces-target.xml", REFERRED_BY_CHECK=referred_by_check,
            REFERRED_BY_VALUE=referred_by_value)))
        return target.start()

    def test_cancel_crossing_the_200_is_followed_by_ack_and_bye(self):
        sipp = self.sipp_phone("cancel-200-race.xml")
        self.ctl_ok("dial", "3000")
        call = self.wait_call(self.phone, "ringback")
        self.ctl_ok("hangup", str(call["id"]))
        self.assertEqual(self.wait_ended(call["id"]), "cancelled")
        self.sipp_ok(sipp)
        self.assertTrue(self.sent_by_phone(sipp, "CANCEL"))
        self.assertTrue(self.sent_by_phone(sipp, "ACK"))
        self.assertTrue(self.sent_by_phone(sipp, "BYE"))
        self.wait_no_calls(self.phone)

    def test_reinvite_glare_is_retried_after_the_random_delay(self):
        sipp = self.sipp_phone("reinvite-glare.xml")
        self.ctl_ok("dial", "3000")
        call = self.wait_call(self.phone, "active")
        self.ctl_ok("hold", str(call["id"]))
        # The phone answered sipp's crossing re-INVITE 491 (sipp checks that)
        # and got 491 for its own: it retries after 2.1-4 s, since it placed
        # the call (it owns the Call-ID).
        match = wait_for(lambda: re.search(r"re-INVITE glare \(491\), retry in (\d+) ms",
                                           self.phone.read_log()),
                         timeout=15, what=f"the glare retry; log:\n{self.phone.read_log()[-3000:]}")
        self.assertTrue(2100 <= int(match.group(1)) <= 4000, match.group(0))
        self.wait_call(self.phone, "held", call["id"], timeout=20)
        self.ctl_ok("hangup", str(call["id"]))
        self.sipp_ok(sipp)                  # sipp's message log is complete now
        # One INVITE per CSeq (a UDP retransmission repeats its CSeq).
        invites = list({m.cseq[0]: m for m in self.sent_by_phone(sipp, "INVITE")}.values())
        self.assertEqual(len(invites), 3)
        self.assertEqual(invites[1].sdp_direction(), "sendonly")
        self.assertEqual(invites[2].sdp_direction(), "sendonly")
        # The retry is a new transaction with a higher CSeq.
        self.assertGreater(invites[2].cseq[0], invites[1].cseq[0])

    def test_incoming_attended_transfer_connects_to_the_target(self):
        target = self.replaces_target(
            '<ereg regexp="sip:alice@" search_in="hdr" header="Referred-By:" check_it="true"'
            ' assign_to="referred_by"/>', "[$referred_by]")
        sipp = self.sipp_phone("refer-replaces-transferor.xml", extra_args=("-aa",),
                               TARGET_URI=f"sip:carol@127.0.0.1:{target.port}")
        self.ctl_ok("dial", "3000")
        # The REFER follows the answer at once: the first call may be gone
        # before a listing shows it, so its id comes from the log.
        first = self.wait_log(r"calling sip:3000@\S+ \(call (\d+)\)").group(1)
        carol = f"sip:carol@127.0.0.1:{target.port}"
        new = wait_for(lambda: [c for c in self.calls(self.phone)
                                if c["peer"] == carol and c["state"] == "active"],
                       timeout=15, what=f"the call to the target; log:\n"
                                        f"{self.phone.read_log()[-3000:]}")[0]
        self.assertNotEqual(str(new["id"]), first)
        self.assertEqual(self.wait_ended(first), "transferred")
        self.sipp_ok(sipp)                  # REFER 202, then the phone's BYE
        # The transferor heard the outcome: a sipfrag NOTIFY with 200.
        notifies = self.sent_by_phone(sipp, "NOTIFY")
        self.assertTrue(any(n.body.startswith("SIP/2.0 200") for n in notifies),
                        [n.body for n in notifies])
        self.ctl_ok("hangup", str(new["id"]))
        self.sipp_ok(target)                # Replaces and Referred-By checked
        self.wait_no_calls(self.phone)

    def test_dialled_replaces_uri_becomes_a_replaces_header(self):
        target = self.replaces_target()
        self.phone = self.start_sip_phone(Proxy_1_="127.0.0.1:9", User_ID_1_="phone",
                                          Register_1_="No")
        carol = f"sip:carol@127.0.0.1:{target.port}"
        self.ctl_ok("dial", f"{carol}?Replaces=held-call%40127.0.0.1%3Bto-tag%3Dcarol-tag"
                            "%3Bfrom-tag%3Dalice-tag")
        call = self.wait_call(self.phone, "active")
        self.assertEqual(call["peer"], carol)
        self.ctl_ok("hangup", str(call["id"]))
        self.sipp_ok(target)
        invite = self.sent_by_phone(target, "INVITE")[0]
        self.assertTrue(invite.start_line.startswith(f"INVITE {carol} SIP/2.0"), invite.start_line)
        # Other URI headers are refused, nothing is sent.
        result = self.phone.ctl("dial", f"{carol}?Subject=hi")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("URI header 'Subject=hi' is not supported", result.stderr)
        self.wait_no_calls(self.phone)


if __name__ == "__main__":
    unittest.main()
