# SPDX-License-Identifier: GPL-2.0-or-later
"""SIP over TLS (SIP_Transport_n_ TLS) with certificate checks: kamailio's
tls module as the registrar, certificates made by the test with certtool,
trust given to the phone with the SIP_TLS_CA extension parameter; and an
SRTP call to baresip over TLS whose SDES keys travel in the TLS-protected
SDP."""

import os
import re
import time
import unittest

from peers import Baresip, CertificateAuthority, Kamailio
from sippeers import SipPhoneTestCase
from test_sip_media import BOB_HZ, PHONE_HZ, MediaTestBase


class TlsRegistrationTest(SipPhoneTestCase):

    def setUp(self):
        super().setUp()
        self.ca = CertificateAuthority(os.path.join(self.folder, "pki"))

    def start_kamailio(self, certificate):
        self.kamailio = self.peer(Kamailio(self.folder, users={"1001": "secret"},
                                           tls=certificate[:2]))
        self.kamailio.start()

    def tls_phone(self, ca=None, **extra):
        values = dict(Proxy_1_=self.kamailio.tls_address, SIP_Transport_1_="TLS",
                      User_ID_1_="1001", Password_1_="secret",
                      SIP_TLS_CA=self.ca.certificate if ca is None else ca)
        values.update(extra)
        return self.start_sip_phone(**values)

    def assert_refused(self, phone, reason):
        # sofia gives up on the connection; the reason comes with the
        # failure (a timeout at worst: SIP_T1 .5 s -> 32 s).
        line = self.wait_line(phone, "failed", timeout=60)
        for _ in range(100):
            if line["last_error"] and line["last_error"].startswith("TLS:"):
                break
            time.sleep(0.2)
            line = self.line(phone)
        self.assertIn(reason, line["last_error"] or "", line)
        # Nothing reached kamailio: not over TLS, and no fallback to UDP/TCP.
        self.assertEqual(self.kamailio.requests("REGISTER"), [])
        self.assertFalse(self.kamailio.registered("1001"))

    def test_registers_over_tls(self):
        self.start_kamailio(self.ca.issue("kamailio"))
        phone = self.tls_phone()
        line = self.wait_line(phone, "registered", timeout=30)
        self.assertIsNone(line["last_error"])
        contacts = self.kamailio.contacts("1001")
        self.assertEqual(len(contacts), 1, contacts)
        # TLS listeners are bound with a sips: URL, so the Contact is sips:.
        self.assertTrue(contacts[0].startswith("sips:1001@127.0.0.1:"), contacts)
        self.assertGreaterEqual(len(self.kamailio.requests("REGISTER")), 2)
        # The phone's own certificate was generated in the state dir.
        agent = os.path.join(phone.state_dir, "sip-tls", "agent.pem")
        with open(agent) as f:
            text = f.read()
        self.assertIn("PRIVATE KEY", text)
        self.assertIn("BEGIN CERTIFICATE", text)
        self.assertEqual(os.stat(agent).st_mode & 0o077, 0)

    def test_incoming_call_through_the_tls_registrar(self):
        # The phone listens on TLS only: kamailio reaches its registered
        # sips: Contact over TLS (and sees the phone's generated
        # certificate); bob ends the call, so his BYE comes that way too.
        self.kamailio = self.peer(Kamailio(self.folder, users={"1001": "secret", "bob": "pw"},
                                           tls=self.ca.issue("kamailio")[:2]))
        self.kamailio.start()
        phone = self.tls_phone()
        self.wait_line(phone, "registered", timeout=30)
        bob = self.peer(Baresip(self.folder, "bob", password="pw", registrar=self.kamailio))
        bob.start()
        bob.dial(f"sip:1001@127.0.0.1:{self.kamailio.port}")
        call = self.wait_call(phone, "ringing")
        self.assertEqual(phone.ctl("answer").returncode, 0)
        bob.wait_for_event("CALL_ESTABLISHED")
        self.wait_call(phone, "active", call["id"])
        bob.hangup()
        self.wait_no_calls(phone)

    def test_ca_given_as_pem_text(self):
        self.start_kamailio(self.ca.issue("kamailio"))
        with open(self.ca.certificate) as f:
            pem = f.read()
        phone = self.tls_phone(ca=pem)
        self.wait_line(phone, "registered", timeout=30)

    def test_server_from_another_ca_is_refused(self):
        other = CertificateAuthority(os.path.join(self.folder, "other-pki"), name="Other CA")
        self.start_kamailio(other.issue("kamailio"))
        phone = self.tls_phone()
        self.assert_refused(phone, "TLS: certificate not trusted (unknown CA)")

    def test_server_certificate_for_another_host_is_refused(self):
        self.start_kamailio(self.ca.issue("elsewhere", ips=("127.0.0.2",),
                                          names=("sip.example.org",)))
        phone = self.tls_phone()
        self.assert_refused(phone, "TLS: certificate is not for 127.0.0.1")

    def test_ca_parameter_without_certificate_is_an_error(self):
        self.start_kamailio(self.ca.issue("kamailio"))
        phone = self.tls_phone(ca="no-such-file.pem")
        line = self.wait_line(phone, "failed")
        self.assertIn("SIP_TLS_CA", line["last_error"])
        self.assertIn("no-such-file.pem", line["last_error"])
        # Fixing the parameter brings the line up.
        self.assertEqual(phone.ctl("config", "set", "SIP_TLS_CA",
                                   self.ca.certificate).returncode, 0)
        self.wait_line(phone, "registered", timeout=30)


class TlsSecureCallTest(MediaTestBase):
    """The phone calls baresip on its TLS port; SRTP is required on both
    sides (Secure_Call_Setting Yes, mediaenc=srtp-mand), SDES_Over_Insecure_
    Transport stays No, so the keys may only go because the line is TLS."""

    def start_tls_pair(self):
        """bob on TLS with a certificate of the test CA; the phone's line 1
        on TLS trusting that CA and requiring SRTP."""
        ca = CertificateAuthority(os.path.join(self.folder, "pki"))
        _, _, bob_pem = ca.issue("bob")
        self.bob = self.peer(Baresip(self.folder, "bob", codecs=("pcmu",), tone_hz=BOB_HZ,
                                     tls=(bob_pem, ca.certificate), transport="tls",
                                     extra_config="module srtp.so",
                                     extra_account="mediaenc=srtp-mand")).start()
        self.received = os.path.join(self.folder, f"phone-{time.monotonic_ns()}.raw")
        self.phone = self.start_sip_phone(
            audio_source=f"audiotestsrc is-live=true wave=sine freq={PHONE_HZ:.0f} volume=0.3",
            audio_sink=("audioconvert ! audioresample ! "
                        "audio/x-raw,format=S16LE,channels=1,rate=8000 ! "
                        f"filesink location={self.received}"),
            Proxy_1_=f"127.0.0.1:{self.bob.tls_port}", User_ID_1_="phone", Register_1_="No",
            SIP_Transport_1_="TLS", SIP_TLS_CA=ca.certificate, Secure_Call_Setting="Yes")
        self.sip_port(self.phone)
        # The secure-call indication would play into the measured sink.
        self.ctl_ok("config", "set", "Secure_Call_Indication_Tone", "")
        self.assertEqual(self.phone.get("SDES_Over_Insecure_Transport"), "No")

    def test_srtp_call_over_tls(self):
        self.start_tls_pair()
        call = self.outgoing_active_call()
        invites = [(transport, m) for d, transport, m in self.bob.sip_trace()
                   if d == "in" and m.method == "INVITE"]
        self.assertTrue(invites)
        transport, invite = invites[0]
        self.assertEqual(transport.upper(), "TLS", invites)
        self.assertIn("RTP/SAVP", invite.body)
        self.assertRegex(invite.body, r"a=crypto:\d+ AES_")
        # A TLS listener is bound with a sips: URL: the Contact is sips:.
        self.assertTrue(re.match(r"<sips:", invite.header("Contact")), invite.header("Contact"))
        self.assertTrue(call["secure"], call)
        at_bob, at_phone = self.hang_up_and_measure()
        self.assert_tone(at_bob, PHONE_HZ, "baresip (SRTP over TLS)")
        self.assert_tone(at_phone, BOB_HZ, "the phone (SRTP over TLS)")


if __name__ == "__main__":
    unittest.main(verbosity=2)
