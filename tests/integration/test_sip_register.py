# SPDX-License-Identifier: GPL-2.0-or-later
"""The sip plugin's registration against real registrars on 127.0.0.1:
kamailio with digest authentication, and sipp scenarios for the edges
(503 + Retry-After, 423 Interval Too Brief)."""

import time
import unittest

from dptest import wait_for
from peers import Kamailio, Sipp, scenario_register_replies, scenario_register_423
from sippeers import SipPhoneTestCase


class KamailioRegistrationTest(SipPhoneTestCase):

    def setUp(self):
        super().setUp()
        self.kamailio = self.peer(Kamailio(self.folder, users={"1001": "secret",
                                                               "1002": "other"}))
        self.kamailio.start()

    def phone_for(self, user="1001", password="secret", **extra):
        return self.start_sip_phone(Proxy_1_=self.kamailio.address, User_ID_1_=user,
                                    Password_1_=password, **extra)

    def test_registers_with_digest(self):
        phone = self.phone_for(Register_Expires_1_=120)
        line = self.wait_line(phone, "registered")
        self.assertIsNone(line["last_error"])
        self.assertAlmostEqual(line["expires_at"] - line["registered_at"], 120, delta=2)
        port = self.sip_port(phone)
        contacts = self.kamailio.contacts("1001")
        self.assertEqual(len(contacts), 1, contacts)
        self.assertIn(f"@127.0.0.1:{port}", contacts[0])
        # Two REGISTERs: the challenged one and the authenticated one.
        self.assertGreaterEqual(len(self.kamailio.requests("REGISTER")), 2)

    def test_auth_id_is_used_when_enabled(self):
        # kamailio insists that the auth user is the AOR user: an Auth_ID
        # that differs fails although User_ID and password would do.
        phone = self.phone_for(Use_Auth_ID_1_="Yes", Auth_ID_1_="nobody")
        line = self.wait_line(phone, "failed")
        self.assertRegex(line["last_error"], r"^(401|403) ")
        self.assertEqual(phone.ctl("config", "set", "Auth_ID_1_", "1001").returncode, 0)
        self.wait_line(phone, "registered")
        self.assertEqual(phone.ctl("config", "set", "Use_Auth_ID_1_", "No").returncode, 0)
        self.assertEqual(phone.ctl("config", "set", "Auth_ID_1_", "nobody").returncode, 0)
        time.sleep(1)
        self.wait_line(phone, "registered")

    def test_wrong_password_fails_with_reason_and_retries(self):
        phone = self.phone_for(password="wrong")
        line = self.wait_line(phone, "failed")
        self.assertRegex(line["last_error"], r"^(401|403|407) ")
        self.assertFalse(self.kamailio.registered("1001"))
        # Reg_Retry_Intvl is 2 s: more attempts follow.
        count = len(self.kamailio.requests("REGISTER"))
        wait_for(lambda: len(self.kamailio.requests("REGISTER")) > count, timeout=8,
                 what="a retried REGISTER")
        self.assertEqual(self.line(phone)["registration"], "failed")

    def test_password_fixed_at_run_time(self):
        phone = self.phone_for(password="wrong")
        self.wait_line(phone, "failed")
        result = phone.ctl("config", "set", "Password_1_", "secret")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.wait_line(phone, "registered")
        self.kamailio.wait_registered("1001")

    def test_user_change_unregisters_the_old_binding(self):
        phone = self.phone_for()
        self.wait_line(phone, "registered")
        self.kamailio.wait_registered("1001")
        self.assertEqual(phone.ctl("config", "set", "Password_1_", "other").returncode, 0)
        self.assertEqual(phone.ctl("config", "set", "User_ID_1_", "1002").returncode, 0)
        self.kamailio.wait_registered("1002")
        self.kamailio.wait_registered("1001", registered=False)
        line = self.wait_line(phone, "registered")
        self.assertEqual(line["user"], "1002")

    def test_reregisters_after_kamailio_restart(self):
        phone = self.phone_for(Register_Expires_1_=10)
        first = self.wait_line(phone, "registered")
        self.kamailio.wait_registered("1001")
        self.kamailio.restart()
        # The restarted registrar has forgotten the binding ...
        self.assertFalse(self.kamailio.registered("1001"))
        # ... and the phone's refresh (before the 10 s expire) brings it back.
        self.kamailio.wait_registered("1001", timeout=15)
        line = self.wait_line(phone, "registered")
        self.assertGreater(line["expires_at"], first["expires_at"])

    def test_sigterm_unregisters(self):
        phone = self.phone_for()
        self.wait_line(phone, "registered")
        self.kamailio.wait_registered("1001")
        self.assertEqual(phone.terminate(), 0)
        self.assertFalse(self.kamailio.registered("1001"))

    def test_line_disable_unregisters(self):
        phone = self.phone_for()
        self.wait_line(phone, "registered")
        self.kamailio.wait_registered("1001")
        self.assertEqual(phone.ctl("config", "set", "Line_Enable_1_", "No").returncode, 0)
        self.wait_line(phone, "disabled")
        self.kamailio.wait_registered("1001", registered=False)

    def test_tcp_transport(self):
        phone = self.phone_for(SIP_Transport_1_="TCP")
        self.wait_line(phone, "registered")
        contacts = self.kamailio.contacts("1001")
        self.assertEqual(len(contacts), 1, contacts)
        self.assertIn("transport=tcp", contacts[0].lower())

    def test_transport_change_recreates_the_line(self):
        phone = self.phone_for()
        self.wait_line(phone, "registered")
        udp_port = self.sip_port(phone)
        self.assertEqual(phone.ctl("config", "set", "SIP_Transport_1_", "TCP").returncode, 0)
        wait_for(lambda: any("transport=tcp" in c.lower()
                             for c in self.kamailio.contacts("1001")),
                 timeout=10, what="a TCP binding at kamailio")
        # The UDP binding went with the old nua.
        wait_for(lambda: all("transport=tcp" in c.lower()
                             for c in self.kamailio.contacts("1001")),
                 timeout=10, what="the UDP binding removed")
        self.wait_line(phone, "registered")
        self.assertNotEqual(self.sip_port(phone), 0)
        del udp_port


class EdgeRegistrationTest(SipPhoneTestCase):

    def test_503_retry_after_is_honoured(self):
        sipp = self.peer(Sipp(self.folder, scenario=scenario_register_replies([
            (503, "Service Unavailable", "Retry-After: 3"), (200, "OK", "")]))).start()
        # Reg_Retry_Intvl 60: only Retry-After can explain a retry after 3 s.
        started = time.monotonic()
        phone = self.start_sip_phone(Proxy_1_=f"127.0.0.1:{sipp.port}", User_ID_1_="2001",
                                     Reg_Retry_Intvl="60")
        self.wait_line(phone, "registered", timeout=10)
        self.assertGreater(time.monotonic() - started, 2.5)
        self.assertEqual(sipp.wait(), 0, sipp.log())
        registers = [m for d, m in sipp.messages() if d == "in" and m.method == "REGISTER"]
        self.assertEqual(len(registers), 2)

    def test_423_uses_min_expires(self):
        sipp = self.peer(Sipp(self.folder, scenario=scenario_register_423(min_expires=900)))
        sipp.start()
        phone = self.start_sip_phone(Proxy_1_=f"127.0.0.1:{sipp.port}", User_ID_1_="2001",
                                     Register_Expires_1_="60")
        line = self.wait_line(phone, "registered")
        self.assertEqual(sipp.wait(), 0, sipp.log())
        registers = [m for d, m in sipp.messages() if d == "in" and m.method == "REGISTER"]
        self.assertEqual(len(registers), 2)
        self.assertEqual(registers[0].header("Expires"), "60")
        self.assertEqual(registers[1].header("Expires"), "900")
        self.assertAlmostEqual(line["expires_at"] - line["registered_at"], 900, delta=2)

    def test_no_proxy_means_not_registered(self):
        phone = self.start_sip_phone(User_ID_1_="2001")
        line = self.wait_line(phone, "not-registered")
        self.assertIsNone(line["last_error"])
        # Lines 2-6 have neither proxy nor user: nothing listens for them.
        self.assertEqual(self.line(phone, 2)["registration"], "not-registered")


if __name__ == "__main__":
    unittest.main()
