#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The resync engine against real servers on 127.0.0.1 (nginx with mutual
TLS, tftpd-hpa, an in-process HTTP recorder), through deskphoned and
deskphonectl, in accelerated time (DESKPHONE_TIME_SCALE)."""

import os
import subprocess
import sys
import tempfile
import shutil
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import provtest  # noqa: E402
from provtest import flat  # noqa: E402
import dptest  # noqa: E402


class Servers:
    folder = None


def setUpModule():
    Servers.folder = tempfile.mkdtemp(prefix="dp-prov-")
    Servers.pki = provtest.Pki(os.path.join(Servers.folder, "pki"))
    Servers.nginx = provtest.Nginx(Servers.folder, Servers.pki)
    Servers.tftpd = provtest.Tftpd(Servers.folder)
    Servers.http = provtest.Recorder()


def tearDownModule():
    Servers.http.stop()
    Servers.tftpd.stop()
    Servers.nginx.stop()
    shutil.rmtree(Servers.folder, ignore_errors=True)


NO_AUTO = dict(Resync_On_Reset="No", Resync_Random_Delay="0")


class TrustTest(provtest.ProvPhoneTestCase):
    """HTTPS with the provisioning CA, a client certificate, pins."""

    def setUp(self):
        super().setUp()
        Servers.nginx.put("trust.xml", flat(GPP_A="from-https", Display_Name_1_="Alice"))

    def test_mutual_tls_success_and_status(self):
        Servers.pki.install(self.state_dir)
        url = Servers.nginx.url("server", "trust.xml")
        # $CCERT reflects the client certificate in the state dir
        phone = self.boot(Profile_Rule=f'("$CCERT" eq "Installed")? {url} | {Servers.http.url("/nocert.xml")}',
                          Resync_Random_Delay="0", Resync_Periodic="3600")
        p = self.wait_result(phone)
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual(phone.get("GPP_A"), "from-https")
        self.assertEqual(phone.get("Display_Name_1_"), "Alice")
        # status: state, last result, last URL, next resync (periodic)
        self.assertEqual(p["state"], "scheduled")
        self.assertEqual(p["last_url"], url)
        self.assertEqual(p["next_kind"], "periodic")
        self.assertGreater(p["next_resync_in_s"], 3500)
        self.assertLessEqual(p["next_resync_in_s"], 3600)
        self.assertIsNotNone(p["next_resync"])
        log = phone.read_log()
        self.assertIn(f"SPA962 00:0e:08:aa:bb:cc -- Requesting resync https://127.0.0.1:"
                      f"{Servers.nginx.ports['server']}/trust.xml", log)
        self.assertIn("SPA962 00:0e:08:aa:bb:cc -- Successful resync https://", log)

    def expect_refused(self, phone, url, why):
        p = self.resync(phone, url)
        self.assertEqual(p["last_result"], "failure", f"{why}: {p}")
        self.assertIn("tls", p["last_error"], why)
        self.assertEqual(phone.get("GPP_A"), "", f"{why}: something was applied")
        return p

    def test_trust_failures_apply_nothing(self):
        Servers.pki.install(self.state_dir)
        phone = self.boot(**NO_AUTO)
        ports = Servers.nginx
        self.expect_refused(phone, ports.url("other-server", "trust.xml"), "other CA")
        self.expect_refused(phone, ports.url("expired", "trust.xml"), "expired")
        self.expect_refused(phone, ports.url("wrong-host", "trust.xml"), "wrong host")
        self.assertIn("Resync failed: tls failed", phone.read_log())
        # the right server still works: the failures were the server's
        p = self.resync(phone, ports.url("server", "trust.xml"))
        self.assertEqual(p["last_result"], "success", p)

    def test_pins(self):
        Servers.pki.install(self.state_dir)
        phone = self.boot(Provisioning_Key_Pins=Servers.pki.pin("other-server"), **NO_AUTO)
        self.expect_refused(phone, Servers.nginx.url("server", "trust.xml"), "pin mismatch")
        # rotation: the right pin among several
        phone.ctl("config", "set", "Provisioning_Key_Pins",
                  Servers.pki.pin("other-server") + "," + Servers.pki.pin("server"))
        p = self.resync(phone, Servers.nginx.url("server", "trust.xml"))
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual(phone.get("GPP_A"), "from-https")

    def test_no_client_certificate(self):
        Servers.pki.install(self.state_dir, client=False)
        phone = self.boot(**NO_AUTO)
        p = self.expect_refused(phone, Servers.nginx.url("server", "trust.xml"), "no client cert")
        self.assertIn("client certificate", p["last_error"])
        Servers.http.files["/nocert.xml"] = flat(GPP_B="no-cert-branch")
        p = self.resync(phone, f'("$CCERT" eq "Installed")? {Servers.nginx.url("server", "trust.xml")}'
                               f' | {Servers.http.url("/nocert.xml")}')
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual(phone.get("GPP_B"), "no-cert-branch")


class RuleTest(provtest.ProvPhoneTestCase):

    def test_layered_rules_a_to_d(self):
        http = Servers.http
        http.files["/a.xml"] = flat(GPP_A="a1", GPP_B="from-a")
        http.files["/b.xml"] = flat(GPP_C="b1")
        http.files["/d-000e08aabbcc.xml"] = flat(GPP_E="d1")
        phone = self.boot(
            Profile_Rule=http.url("/a.xml"),
            Profile_Rule_B=f'("$B" eq "from-a")? {http.url("/b.xml")} | {http.url("/never.xml")}',
            Profile_Rule_C='( d = "$C-assigned" ; )!',
            Profile_Rule_D=http.url("/d-$MA.xml"), Resync_Random_Delay="0")
        p = self.wait_result(phone)
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual([phone.get(n) for n in ("GPP_A", "GPP_B", "GPP_C", "GPP_D", "GPP_E")],
                         ["a1", "from-a", "b1", "b1-assigned", "d1"])
        self.assertEqual(http.hits("/never.xml"), [])

    def test_failure_stops_the_sequence(self):
        http = Servers.http
        http.files["/stop-a.xml"] = flat(GPP_A="a2")
        http.files["/stop-b.xml"] = "<html>not a profile</html>"
        http.files["/stop-c.xml"] = flat(GPP_C="c2")
        phone = self.boot(Profile_Rule=http.url("/stop-a.xml"), Profile_Rule_B=http.url("/stop-b.xml"),
                          Profile_Rule_C=http.url("/stop-c.xml"), Resync_Random_Delay="0",
                          Resync_Error_Retry_Delay="3600")
        p = self.wait_result(phone)
        self.assertEqual(p["last_result"], "failure")
        self.assertIn("stop-b.xml", p["last_error"])
        self.assertEqual(phone.get("GPP_A"), "a2")     # rule A had succeeded
        self.assertEqual(phone.get("GPP_C"), "")       # rule C never ran
        self.assertEqual(http.hits("/stop-c.xml"), [])
        self.assertEqual(p["next_kind"], "retry")

    def test_fnf_semantics(self):
        http = Servers.http
        http.files["/fnf-b.xml"] = flat(GPP_B="after-fnf")
        rules = dict(Profile_Rule=http.url("/fnf-missing.xml"), Profile_Rule_B=http.url("/fnf-b.xml"))
        phone = self.boot(Resync_Fails_On_FNF="Yes", **rules, **NO_AUTO)
        p = self.resync(phone)
        self.assertEqual(p["last_result"], "failure")
        self.assertIn("file not found", p["last_error"])
        self.assertEqual(phone.get("GPP_B"), "")
        phone.ctl("config", "set", "Resync_Fails_On_FNF", "No")
        p = self.resync(phone)
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual(phone.get("GPP_B"), "after-fnf")

    def test_post_body(self):
        http = Servers.http
        http.files["/cpe/resyncs?"] = lambda body: flat(GPP_G="posted:" + body.decode().split(";")[0])
        phone = self.boot(GPP_F='Product = "$PN"; MAC_Addr = "$MA"; Ser_Num = "$SN"; SW_Ver = "$SWVER";',
                          **NO_AUTO)
        p = self.resync(phone, f"[--post f ] {http.url('/cpe/resyncs?')}")
        self.assertEqual(p["last_result"], "success", p)
        _, method, _, headers, body = http.hits("/cpe/resyncs?")[-1]
        self.assertEqual(method, "POST")
        version = phone.ctl_json("status")["version"]
        self.assertEqual(body.decode(), f'Product = "SPA962"; MAC_Addr = "000e08aabbcc"; '
                                        f'Ser_Num = "88012BA01234"; SW_Ver = "{version}";')
        self.assertEqual(headers["User-Agent"], f"Deskphone/SPA-962-{version} (88012BA01234)")
        self.assertEqual(phone.get("GPP_G"), 'posted:Product = "SPA962"')

    def test_uid_pwd(self):
        Servers.http.files["/auth/spa.xml"] = flat(GPP_D="authenticated")
        phone = self.boot(GPP_C="s3cret", **NO_AUTO)
        p = self.resync(phone, f"[--uid prov --pwd wrong] {Servers.http.url('/auth/spa.xml')}")
        self.assertEqual(p["last_result"], "failure")
        self.assertIn("auth", p["last_error"])
        p = self.resync(phone, f"[--uid prov --pwd $C] {Servers.http.url('/auth/spa.xml')}")
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual(phone.get("GPP_D"), "authenticated")

    def test_alias_map(self):
        http = Servers.http
        http.files["/credentials/spa000e08aabbcc.xml"] = (
            "<CPE><SIP-Credentials><name>Bob</name><number>2001</number>"
            "<auth-secret>s3cret</auth-secret></SIP-Credentials><other>x</other></CPE>")
        phone = self.boot(
            GPP_M="/CPE/SIP-Credentials/name = /flat-profile/Display_Name_1_ ;"
                  " /CPE/SIP-Credentials/number = /flat-profile/User_ID_1_ ;"
                  " /auth-secret = /flat-profile/Password_1_ ;", **NO_AUTO)
        p = self.resync(phone, f"[--alias m ] {http.url('/credentials/spa$MA.xml')}")
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual(phone.get("Display_Name_1_"), "Bob")
        self.assertEqual(phone.get("User_ID_1_"), "2001")
        dump = phone.ctl_json("config", "get", "Password_1_")
        self.assertNotEqual(dump["value"], "")  # set (masked in dumps)
        # a map that matches nothing applies nothing and fails
        phone.ctl("config", "set", "GPP_M", "/nothing/here = /flat-profile/GPP_N ;")
        p = self.resync(phone, f"[--alias m ] {http.url('/credentials/spa$MA.xml')}")
        self.assertEqual(p["last_result"], "failure")

    def test_encrypted_profiles_made_by_openssl(self):
        openssl = provtest.tool("openssl")
        plain = self.write("enc.xml", flat(GPP_H="decrypted", GPP_I="too"))
        for md, name in (("md5", "/enc-md5.cfg"), ("sha256", "/enc-sha256.cfg")):
            data = subprocess.run([openssl, "enc", "-e", "-aes-256-cbc", "-md", md, "-k",
                                   "SecretPhrase1234", "-in", plain], capture_output=True,
                                  check=True).stdout
            Servers.http.files[name] = data
        phone = self.boot(GPP_SB="SecretPhrase1234", **NO_AUTO)
        # wrong key: fails, nothing applied
        p = self.resync(phone, f'[--key "wrong key"] {Servers.http.url("/enc-md5.cfg")}')
        self.assertEqual(p["last_result"], "failure")
        self.assertEqual(phone.get("GPP_H"), "")
        # no key at all
        p = self.resync(phone, Servers.http.url("/enc-md5.cfg"))
        self.assertEqual(p["last_result"], "failure")
        # $SB expands inside --key only
        p = self.resync(phone, f'[--key $SB] {Servers.http.url("/enc-md5.cfg")}')
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual(phone.get("GPP_H"), "decrypted")
        phone.ctl("config", "set", "GPP_H", "")
        p = self.resync(phone, f'[--key "SecretPhrase1234"] {Servers.http.url("/enc-sha256.cfg")}')
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual(phone.get("GPP_H"), "decrypted")

    def test_invalid_value_applies_nothing(self):
        Servers.http.files["/half.xml"] = flat(GPP_J="first", Resync_Periodic="not-a-delay")
        phone = self.boot(**NO_AUTO)
        p = self.resync(phone, Servers.http.url("/half.xml"))
        self.assertEqual(p["last_result"], "failure")
        self.assertIn("Resync_Periodic", p["last_error"])
        self.assertEqual(phone.get("GPP_J"), "")

    def test_tftp_factory_rule(self):
        """Factory Profile_Rule /spa$PSN.cfg over TFTP from Provisioning_TFTP_Server."""
        Servers.tftpd.put("spa962.cfg", flat(GPP_K="over-tftp"))
        phone = self.boot(Provisioning_TFTP_Server=f"127.0.0.1:{Servers.tftpd.port}",
                          Resync_Random_Delay="0")
        p = self.wait_result(phone)
        self.assertEqual(p["last_result"], "success", p)
        self.assertEqual(p["last_url"], f"tftp://127.0.0.1:{Servers.tftpd.port}/spa962.cfg")
        self.assertEqual(phone.get("GPP_K"), "over-tftp")

    def test_provision_enable_no(self):
        phone = self.boot(Provision_Enable="No", Resync_Random_Delay="0")
        result = phone.ctl("resync", Servers.http.url("/a.xml"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("Provision_Enable", result.stderr)
        self.assertEqual(self.prov(phone)["state"], "disabled")

    def test_bad_delay_list_is_rejected(self):
        phone = self.boot(**NO_AUTO)
        result = phone.ctl("config", "set", "Resync_Error_Retry_Delay", "1800+300,x")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("position 10", result.stderr)
        result = phone.ctl("config", "set", "Resync_Error_Retry_Delay", "1800+300, 3600+600,7200+900")
        self.assertEqual(result.returncode, 0, result.stderr)


class TimingTest(provtest.ProvPhoneTestCase):
    """Periodic and retry timers in accelerated time: 1 phone second =
    10 ms. Tolerances are wide; what is checked is the schedule's shape."""

    def intervals(self, path, count, timeout=30):
        dptest.wait_for(lambda: len(Servers.http.hits(path)) >= count, timeout=timeout,
                        what=f"{count} requests of {path}")
        times = [h[0] for h in Servers.http.hits(path)][:count]
        return [(b - a) * 100 for a, b in zip(times, times[1:])]  # in phone seconds

    def test_periodic(self):
        Servers.http.files["/periodic.xml"] = flat(GPP_L="p")
        self.boot(Profile_Rule=Servers.http.url("/periodic.xml"), Resync_Random_Delay="0",
                  Resync_Periodic="100")
        gaps = self.intervals("/periodic.xml", 4)
        for gap in gaps:
            self.assertGreater(gap, 90, gaps)
            self.assertLess(gap, 200, gaps)

    def test_retry_delay_list(self):
        """1800+300,3600+600,7200+900 shape, scaled: 50, 150+50, then 300 forever;
        no periodic resync before the first success."""
        self.boot(Profile_Rule=Servers.http.url("/retry-missing.xml"), Resync_Random_Delay="0",
                  Resync_Error_Retry_Delay="50,150+50,300", Resync_Periodic="10")
        gaps = self.intervals("/retry-missing.xml", 5, timeout=40)
        self.assertTrue(45 < gaps[0] < 120, gaps)
        self.assertTrue(145 < gaps[1] < 280, gaps)
        self.assertTrue(295 < gaps[2] < 420, gaps)
        self.assertTrue(295 < gaps[3] < 420, gaps)

    def test_random_delay_units_of_20s(self):
        """Resync_Random_Delay=100: the power-up resync is scheduled within
        100 × 20 phone seconds (20 s real here), and explicit requests do not
        wait for it."""
        Servers.http.files["/random.xml"] = flat(GPP_N="r")
        phone = self.boot(Profile_Rule=Servers.http.url("/random.xml"), Resync_Random_Delay="100")
        p = self.prov(phone)
        self.assertEqual((p["state"], p["next_kind"]), ("scheduled", "power-up"), p)
        self.assertGreaterEqual(p["next_resync_in_s"], 0)
        self.assertLessEqual(p["next_resync_in_s"], 2000)
        self.assertEqual(Servers.http.hits("/random.xml"), [])
        p = self.resync(phone)
        self.assertEqual(p["last_result"], "success")
        self.assertEqual(p["next_kind"], "periodic")

    def test_trigger(self):
        Servers.http.files["/trigger.xml"] = flat(GPP_O="triggered")
        phone = self.boot(Profile_Rule=Servers.http.url("/trigger.xml"), Resync_On_Reset="No",
                          Resync_Trigger_1='"$A" eq "go"')
        self.assertEqual(self.prov(phone)["last_result"], None)
        phone.ctl("config", "set", "GPP_A", "go")
        dptest.wait_for(lambda: phone.get("GPP_O") == "triggered", timeout=10,
                        what="trigger resync")


if __name__ == "__main__":
    unittest.main(verbosity=2)
