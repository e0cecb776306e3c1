# SPDX-License-Identifier: GPL-2.0-or-later
"""Proxy redundancy by DNS SRV (Use_DNS_SRV_n_, Proxy_Fallback_Intvl_n_):
dnsmasq on a high port serves `_sip._udp.pbx.test` with two kamailios of
different priorities; the phone's resolver is pointed at it with
DESKPHONE_SIP_RESOLV_CONF. The phone registers at the primary, moves to the
secondary when the primary stops or answers 503, and comes back to the
primary once the fallback interval has passed and the primary runs again."""

import os
import unittest

from dptest import wait_for
from peers import Dnsmasq, Kamailio, RawRegistrar
from sippeers import SipPhoneTestCase

DOMAIN = "pbx.test"


class SrvFailoverTest(SipPhoneTestCase):

    def setUp(self):
        super().setUp()
        users = {"1001": "secret"}
        self.primary = self.peer(Kamailio(self.folder, users=users, domain=DOMAIN,
                                          name="primary", min_expires=5))
        self.secondary = self.peer(Kamailio(self.folder, users=users, domain=DOMAIN,
                                            name="secondary", min_expires=5))
        self.primary.start()
        self.secondary.start()
        self.dns = self.peer(Dnsmasq(self.folder, hosts=[
            ("one.pbx.test", "127.0.0.1"), ("two.pbx.test", "127.0.0.1")], srv=[
            (f"_sip._udp.{DOMAIN}", "one.pbx.test", self.primary.port, 10, 10),
            (f"_sip._udp.{DOMAIN}", "two.pbx.test", self.secondary.port, 20, 10)]))
        self.dns.start()
        self.resolv_conf = self.dns.resolv_conf(os.path.join(self.folder, "resolv.conf"))

    def phone(self, **values):
        config = dict(Proxy_1_=DOMAIN, User_ID_1_="1001", Password_1_="secret",
                      Use_DNS_SRV_1_="Yes", Register_Expires_1_="10")
        config.update(values)
        return self.start_sip_phone(env={"DESKPHONE_SIP_RESOLV_CONF": self.resolv_conf},
                                    **config)

    def test_fails_over_to_the_secondary_and_falls_back(self):
        phone = self.phone(Proxy_Fallback_Intvl_1_="6")
        self.wait_line(phone, "registered", timeout=30)
        self.primary.wait_registered("1001")
        self.assertFalse(self.secondary.registered("1001"))
        self.assertIn(("SRV", f"_sip._udp.{DOMAIN}"), self.dns.queries())

        # The refresh (about every 5 s) finds the primary gone.
        self.primary.stop()
        self.secondary.wait_registered("1001", timeout=60)
        self.assertEqual(self.line(phone)["registration"], "registered")

        # Back once the primary runs and its graylisting (6 s) is over.
        self.primary.start()
        self.primary.wait_registered("1001", timeout=60)
        self.assertEqual(self.line(phone)["registration"], "registered")

    def test_503_from_the_primary_moves_to_the_next_server(self):
        # A third server of top priority that answers everything with 503.
        busy = RawRegistrar(status=503, reason="Service Unavailable")
        self.addCleanup(busy.stop)
        dns = self.peer(Dnsmasq(self.folder, name="dnsmasq-503", hosts=[
            ("busy.pbx.test", "127.0.0.1"), ("two.pbx.test", "127.0.0.1")], srv=[
            (f"_sip._udp.{DOMAIN}", "busy.pbx.test", busy.port, 5, 10),
            (f"_sip._udp.{DOMAIN}", "two.pbx.test", self.secondary.port, 20, 10)]))
        dns.start()
        self.resolv_conf = dns.resolv_conf(os.path.join(self.folder, "resolv-503.conf"))
        phone = self.phone()
        self.wait_line(phone, "registered", timeout=30)
        self.secondary.wait_registered("1001")
        self.assertGreaterEqual(len(busy.requests("REGISTER")), 1)

    def test_without_srv_the_name_is_not_looked_up_by_srv(self):
        phone = self.phone(Use_DNS_SRV_1_="No", Reg_Retry_Intvl="30")
        # pbx.test has no address: the line cannot register anywhere.
        line = self.wait_line(phone, "failed", timeout=60)
        self.assertTrue(line["last_error"])
        self.assertNotIn("SRV", [kind for kind, _ in self.dns.queries()])
        self.assertFalse(self.primary.registered("1001"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
