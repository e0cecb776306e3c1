# SPDX-License-Identifier: GPL-2.0-or-later
"""Registration retry back-off (Reg_Retry_Intvl, Reg_Retry_Long_Intvl,
Reg_Retry_Intvl_Cap): a scripted registrar answers every REGISTER with 503
(no Retry-After) and the test reads the times the REGISTERs arrive. The
assertions are orders and lower bounds (a slow machine only makes the gaps
longer); upper bounds are only used to tell a short wait from a long one
that is ten times as long."""

import time
import unittest

from dptest import wait_for
from peers import RawRegistrar
from sippeers import SipPhoneTestCase


class BackoffTest(SipPhoneTestCase):

    def failing_registrar(self, **options):
        registrar = RawRegistrar(status=503, reason="Service Unavailable", **options)
        self.addCleanup(registrar.stop)
        return registrar

    def phone_at(self, registrar, **values):
        config = dict(Proxy_1_=registrar.address, User_ID_1_="1001", Password_1_="secret")
        config.update(values)
        return self.start_sip_phone(**config)

    def register_times(self, registrar, count, timeout):
        wait_for(lambda: len(registrar.requests("REGISTER")) >= count, timeout=timeout,
                 what=f"{count} REGISTERs; got {len(registrar.requests('REGISTER'))}")
        return [t for t, _, _ in registrar.requests("REGISTER")][:count]

    @staticmethod
    def gaps(times):
        return [b - a for a, b in zip(times, times[1:])]

    def test_long_interval_after_repeated_failures(self):
        registrar = self.failing_registrar()
        phone = self.phone_at(registrar, Reg_Retry_Intvl="1", Reg_Retry_Long_Intvl="6")
        times = self.register_times(registrar, 5, timeout=60)
        gaps = self.gaps(times)
        # Three failures retried after Reg_Retry_Intvl (1 s) ...
        for gap in gaps[:3]:
            self.assertGreaterEqual(gap, 0.9, gaps)
            self.assertLess(gap, 5.5, gaps)
        # ... then Reg_Retry_Long_Intvl (6 s).
        self.assertGreaterEqual(gaps[3], 5.7, gaps)
        line = self.line(phone)
        self.assertEqual(line["registration"], "failed")
        self.assertEqual(line["last_error"], "503 Service Unavailable")

    def test_long_interval_zero_stops_retrying(self):
        registrar = self.failing_registrar()
        phone = self.phone_at(registrar, Reg_Retry_Intvl="1", Reg_Retry_Long_Intvl="0")
        self.register_times(registrar, 4, timeout=60)
        wait_for(lambda: "no more retries" in phone.read_log(), timeout=15,
                 what="the phone to give up")
        count = len(registrar.requests("REGISTER"))
        time.sleep(3)
        self.assertEqual(len(registrar.requests("REGISTER")), count)
        self.assertEqual(self.line(phone)["registration"], "failed")
        # A new setting starts over.
        self.assertEqual(phone.ctl("config", "set", "Register_Expires_1_", "600").returncode, 0)
        wait_for(lambda: len(registrar.requests("REGISTER")) > count, timeout=15,
                 what="a REGISTER after the change")

    def test_exponential_back_off_up_to_the_cap(self):
        registrar = self.failing_registrar()
        self.phone_at(registrar, Reg_Retry_Intvl="1", Reg_Retry_Intvl_Cap="4",
                      Reg_Retry_Long_Intvl="60")
        times = self.register_times(registrar, 6, timeout=90)
        gaps = self.gaps(times)
        # 1, 2, 4, 4, 4 s: doubling up to the cap, never the long interval.
        for gap, least in zip(gaps, (0.9, 1.9, 3.9, 3.9, 3.9)):
            self.assertGreaterEqual(gap, least, gaps)
        self.assertLess(max(gaps), 40, gaps)

    def test_success_resets_the_count(self):
        # REGISTERs 1-3 fail, 4 succeeds (expires 2 s: refreshed at once),
        # 5-7 fail again and are retried at the short interval again.
        statuses = {1: 503, 2: 503, 3: 503, 4: 200}
        registrar = RawRegistrar(expires=3, status_for=lambda n: (
            (statuses.get(n, 503), "OK" if statuses.get(n, 503) == 200
             else "Service Unavailable")))
        self.addCleanup(registrar.stop)
        phone = self.phone_at(registrar, Reg_Retry_Intvl="1", Reg_Retry_Long_Intvl="30",
                              Register_Expires_1_="3")
        self.wait_line(phone, "registered", timeout=30)
        times = self.register_times(registrar, 7, timeout=60)
        gaps = self.gaps(times)
        # After the success, the failures of the refresh are short again.
        self.assertLess(max(gaps[4:6]), 25, gaps)


if __name__ == "__main__":
    unittest.main(verbosity=2)
