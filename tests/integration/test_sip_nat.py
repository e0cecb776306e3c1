# SPDX-License-Identifier: GPL-2.0-or-later
"""NAT traversal of a line: the keep-alive (NAT_Keep_Alive_Enable_n_,
_Msg_n_, _Dest_n_, NAT_Keep_Alive_Intvl) received on plain UDP sockets,
rport in the Via (Insert_VIA_rport), and the Contact taken from the
received/rport a registrar reports (NAT_Mapping_Enable_n_), with a
scripted registrar from peers.py that pretends to sit behind a NAT."""

import re
import time
import unittest

from dptest import wait_for
from peers import RawRegistrar, UdpSipSocket
from sippeers import SipPhoneTestCase


class NatTestBase(SipPhoneTestCase):

    def registrar(self, **options):
        registrar = RawRegistrar(**options)
        self.addCleanup(registrar.stop)
        return registrar

    def udp_socket(self):
        sock = UdpSipSocket()
        self.addCleanup(sock.close)
        return sock

    def phone_at(self, registrar, **values):
        config = dict(Proxy_1_=registrar.address, User_ID_1_="1001", Password_1_="secret",
                      Register_Expires_1_="300")
        config.update(values)
        phone = self.start_sip_phone(**config)
        self.wait_line(phone, "registered")
        return phone


class KeepAliveTest(NatTestBase):

    def test_notify_keep_alive_to_a_destination(self):
        registrar = self.registrar()
        target = self.udp_socket()
        phone = self.phone_at(registrar, NAT_Keep_Alive_Enable_1_="Yes",
                              NAT_Keep_Alive_Dest_1_=f"127.0.0.1:{target.port}",
                              NAT_Keep_Alive_Intvl="1")
        port = self.sip_port(phone)
        # Nobody answers them here, so each NOTIFY is also retransmitted
        # (T1 = 0.5 s, RFC 3261 Timer E): count each keep-alive once, by
        # its transaction (Call-ID and CSeq), at its first arrival.
        def keep_alives():
            first = {}
            for t, m, _, src in target.received:
                if m.method == "NOTIFY":
                    first.setdefault((m.call_id, m.header("cseq")), (t, m, src))
            return sorted(first.values(), key=lambda arrival: arrival[0])
        wait_for(lambda: len(keep_alives()) >= 3, timeout=30, what="three keep-alive NOTIFYs")
        arrivals = keep_alives()
        for _, message, source in arrivals:
            self.assertEqual(message.header("event"), "keep-alive")
            self.assertEqual(source[1], port, "not sent from the line's SIP port")
        # Spaced by the interval (1 s), not sent in a burst.
        times = [t for t, _, _ in arrivals]
        self.assertGreater(times[2] - times[0], 1.5, times)
        # None went to the registrar ($PROXY is not the destination here).
        self.assertEqual(registrar.requests("NOTIFY"), [])

    def test_literal_keep_alive_to_the_proxy(self):
        registrar = self.registrar()
        phone = self.phone_at(registrar, NAT_Keep_Alive_Enable_1_="Yes",
                              NAT_Keep_Alive_Msg_1_="deskphone-keepalive",
                              NAT_Keep_Alive_Intvl="1")
        port = self.sip_port(phone)
        found = wait_for(lambda: [d for d in registrar.datagrams()
                                  if d[1] == b"deskphone-keepalive"][1:] or None,
                         timeout=30, what="two literal keep-alives at the proxy")
        self.assertEqual(found[0][2][1], port)

    def test_register_keep_alive_refreshes_the_registration(self):
        registrar = self.registrar()
        phone = self.phone_at(registrar, NAT_Keep_Alive_Enable_1_="Yes",
                              NAT_Keep_Alive_Msg_1_="$REGISTER", NAT_Keep_Alive_Intvl="1")
        # Register_Expires is 300 s: more REGISTERs within seconds are keep-alives.
        wait_for(lambda: len(registrar.requests("REGISTER")) >= 3, timeout=30,
                 what="REGISTER keep-alives")
        self.assertEqual(self.line(phone)["registration"], "registered")

    def test_disabled_keep_alive_sends_nothing_and_switching_it_on_starts_it(self):
        registrar = self.registrar()
        phone = self.phone_at(registrar, NAT_Keep_Alive_Intvl="1")
        time.sleep(3)
        self.assertEqual(registrar.requests("NOTIFY"), [])
        self.assertEqual(phone.ctl("config", "set", "NAT_Keep_Alive_Enable_1_",
                                   "Yes").returncode, 0)
        wait_for(lambda: registrar.requests("NOTIFY"), timeout=20,
                 what="a keep-alive NOTIFY at the proxy after enabling")


class RportTest(NatTestBase):

    def test_insert_via_rport(self):
        registrar = self.registrar()
        self.phone_at(registrar, Insert_VIA_rport="Yes")
        via = registrar.requests("REGISTER")[0][1].header("via")
        self.assertRegex(via, r";rport(;|$)")

    def test_no_rport_by_default(self):
        registrar = self.registrar()
        self.phone_at(registrar)
        via = registrar.requests("REGISTER")[0][1].header("via")
        self.assertNotIn("rport", via)

    def test_nat_mapping_puts_the_public_address_in_the_contact(self):
        registrar = self.registrar(received="192.0.2.10", rport=40000)
        phone = self.phone_at(registrar, NAT_Mapping_Enable_1_="Yes", Insert_VIA_rport="Yes")
        wait_for(lambda: [r for r in registrar.requests("REGISTER")
                          if "192.0.2.10:40000" in (r[1].header("contact") or "")],
                 timeout=20, what="a REGISTER with the mapped Contact")
        self.assertEqual(self.line(phone)["registration"], "registered")

    def test_without_nat_mapping_the_contact_stays_local(self):
        registrar = self.registrar(received="192.0.2.10", rport=40000)
        self.phone_at(registrar, Insert_VIA_rport="Yes")
        time.sleep(3)
        contacts = [r[1].header("contact") for r in registrar.requests("REGISTER")]
        self.assertTrue(contacts)
        for contact in contacts:
            self.assertIn("127.0.0.1", contact)
            self.assertNotIn("192.0.2.10", contact)


if __name__ == "__main__":
    unittest.main(verbosity=2)
