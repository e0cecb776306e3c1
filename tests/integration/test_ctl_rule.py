# SPDX-License-Identifier: GPL-2.0-or-later
"""`deskphonectl rule` and `deskphonectl macro` (architecture §4.2): the
vectors M1-M7 and U1-U7 of conformance-vectors.md §3 and the worked examples
of spa9x2-reference.md §1.3-§1.6, run through the real tool offline."""

import json
import os
import subprocess
import unittest

DESKPHONECTL = os.environ.get("DESKPHONECTL", "deskphonectl")

# The [DER] device of conformance-vectors.md §3.
DEVICE = ["--set", "MA=000e08aabbcc", "--set", "SN=88012BA01234",
          "--set", "PN=SPA962", "--set", "PSN=962", "--set", "SWVER=5.1.15(aSC)",
          "--set", "Provisioning_TFTP_Server=10.0.0.5"]


def ctl(*args):
    return subprocess.run([DESKPHONECTL, *args], capture_output=True, text=True,
                          timeout=30)


def ctl_json(*args):
    result = ctl(*args, "--json")
    if result.returncode != 0:
        raise AssertionError(f"{args}: exit {result.returncode}: {result.stderr}")
    return json.loads(result.stdout)


def rule(text, *args):
    return ctl_json("rule", text, *args)


def macro(text, *args):
    return ctl_json("macro", text, *args)["text"]


class MacroVectors(unittest.TestCase):
    def test_m1_parenthesised(self):
        self.assertEqual(macro("spa$(MAU)config.cfg", "--set", "MA=000E08012345"),
                         "spa000E08012345config.cfg")

    def test_m2_unknown_verbatim(self):
        self.assertEqual(macro("spa$STRANGE$MAU.cfg", "--set", "MAU=000E08012345"),
                         "spa$STRANGE000E08012345.cfg")

    def test_m3_no_recursion(self):
        self.assertEqual(macro("$$MAU", *DEVICE), "$MAU")

    def test_m4_m5_substrings(self):
        self.assertEqual(macro("$(A:2)", "--set", "GPP_A=ABCDEF"), "CDEF")
        self.assertEqual(macro("$(A:2:3)", "--set", "GPP_A=ABCDEF"), "CDE")

    def test_m6_m7_mac(self):
        self.assertEqual(macro("tftp://192.168.1.200/spa$MA.cfg", *DEVICE),
                         "tftp://192.168.1.200/spa000e08aabbcc.cfg")
        self.assertEqual(macro("$MAC", *DEVICE), "00:0e:08:aa:bb:cc")
        # any spelling of the address derives the other two
        self.assertEqual(macro("$MA $MAU", "--set", "MAC=00:0e:08:aa:bb:cc"),
                         "000e08aabbcc 000E08AABBCC")

    def test_unknown_facts_stay_verbatim(self):
        self.assertEqual(macro("/$MA/$SN/$SWVER.cfg"), "/$MA/$SN/$SWVER.cfg")
        # GPP parameters exist on every phone, empty by default
        self.assertEqual(macro("[$A$P]"), "[]")
        self.assertEqual(macro("$PSN", "--set", "PN=SPA962"), "962")

    def test_secrets(self):
        self.assertEqual(macro("$SA|$(SB)", "--set", "GPP_SA=x", "--set", "GPP_SB=y"),
                         "$SA|$(SB)")
        self.assertEqual(macro("$SA|$(SB)", "--set", "GPP_SA=x", "--set", "GPP_SB=y",
                               "--secrets"), "x|y")

    def test_plain_output(self):
        result = ctl("macro", "spa$MA.cfg", "--set", "MA=000e08aabbcc")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "spa000e08aabbcc.cfg\n")

    def test_malformed(self):
        result = ctl("macro", "abc$(MA")
        self.assertEqual(result.returncode, 2)
        self.assertIn("position 4", result.stderr)
        result = ctl("macro", "x", "--set", "MA=nothex")
        self.assertEqual(result.returncode, 2)
        self.assertIn("position", result.stderr)


class UrlVectors(unittest.TestCase):
    def check(self, text, scheme, server, port, path):
        out = rule(text, *DEVICE)
        self.assertEqual((out["scheme"], out["server"], out["port"], out["path"]),
                         (scheme, server, port, path))
        self.assertEqual(out["url"], f"{scheme}://{server}:{port}{path}")
        self.assertEqual(out["method"], "GET")

    def test_u1_to_u5(self):
        self.check("/$MA.cfg", "tftp", "10.0.0.5", 69, "/000e08aabbcc.cfg")
        self.check("192.168.1.130/profiles/init.cfg", "tftp", "192.168.1.130", 69,
                   "/profiles/init.cfg")
        self.check("http://prov.x/p.cfg", "http", "prov.x", 80, "/p.cfg")
        self.check("https://secure.me.com/profile?Linksys", "https", "secure.me.com", 443,
                   "/profile?Linksys")
        self.check("tftp://prov.telco.com:6900/Linksys/config/spa2102.cfg", "tftp",
                   "prov.telco.com", 6900, "/Linksys/config/spa2102.cfg")

    def test_u6_no_path(self):
        result = ctl("rule", "prov.x", *DEVICE)
        self.assertEqual(result.returncode, 2)
        self.assertIn("position", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_u7_comment(self):
        self.assertEqual(rule("# http://192.168.1.200/sample.cfg", *DEVICE), {"skip": True})
        self.assertEqual(rule("", *DEVICE), {"skip": True})

    def test_factory_rule(self):
        out = rule("/spa$PSN.cfg", "--set", "PN=SPA962", "--server", "10.0.0.7")
        self.assertEqual(out["url"], "tftp://10.0.0.7:69/spa962.cfg")

    def test_no_default_server(self):
        result = ctl("rule", "/spa.cfg")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no server", result.stderr)


class WorkedRules(unittest.TestCase):
    REG = ("($REGTMR1 eq 0)? http://p.tel.com/has-reg.cfg | "
           "[--post a] http://p.tel.com/lost-reg?")

    def test_registration_timer(self):
        out = rule(self.REG, *DEVICE, "--set", "REGTMR1=0")
        self.assertEqual(out["url"], "http://p.tel.com:80/has-reg.cfg")
        self.assertEqual(out["method"], "GET")
        self.assertIsNone(out["body"])
        out = rule(self.REG, *DEVICE, "--set", "REGTMR1=45",
                   "--set", 'GPP_A=Product = "$PN"; MAC_Addr = "$MA";')
        self.assertEqual(out["method"], "POST")
        self.assertEqual(out["url"], "http://p.tel.com:80/lost-reg?")
        self.assertEqual(out["body"], 'Product = "SPA962"; MAC_Addr = "000e08aabbcc";')

    def test_registration_timer_unknown(self):
        result = ctl("rule", self.REG, *DEVICE)
        self.assertEqual(result.returncode, 2)
        self.assertIn("position 2", result.stderr)

    def test_client_certificate(self):
        text = ('("$CCERT" eq "Installed")? https://p.tel.com/config? | '
                'https://p.tel.com/config?Linksys$MAU')
        self.assertEqual(rule(text, *DEVICE, "--set", "CCERT=Installed")["path"], "/config?")
        self.assertEqual(rule(text, *DEVICE, "--set", "CCERT=Not Installed")["path"],
                         "/config?Linksys000E08AABBCC")

    def test_assignments(self):
        text = ('("$A" ne "Provisioned")? (Line_Enable_1_ = "No";)! '
                'https://p.tel.com/init-prov | https://p.tel.com/configs')
        out = rule(text, *DEVICE)
        self.assertEqual(out["assign"], {"Line_Enable_1_": "No"})
        self.assertEqual(out["path"], "/init-prov")
        out = rule(text, *DEVICE, "--set", "GPP_A=Provisioned")
        self.assertEqual(out["assign"], {})
        self.assertEqual(out["path"], "/configs")
        out = rule('( User_ID_1_ = "uid$B" ; c = "" ; d = "$MA" ; )! /x.cfg',
                   *DEVICE, "--set", "GPP_B=77")
        self.assertEqual(out["assign"],
                         {"User_ID_1_": "uid77", "GPP_C": "", "GPP_D": "000e08aabbcc"})

    def test_options(self):
        out = rule("[--alias b] https://p.tel.com/account/spa$MA.xml", *DEVICE)
        self.assertEqual(out["alias"], "b")
        self.assertEqual(out["path"], "/account/spa000e08aabbcc.xml")
        out = rule('[--key "$SB" --post g] http://ps.one.com/cpe/resyncs?', *DEVICE,
                   "--set", "GPP_SB=sbsecret", "--set", 'GPP_G=SN="$SN" $SB')
        self.assertEqual(out["key"], "sbsecret")
        self.assertEqual(out["body"], 'SN="88012BA01234" $SB')
        self.assertEqual(out["method"], "POST")

    def test_skip(self):
        self.assertEqual(rule("($SWVER lt 5.0.0)? /old.cfg", *DEVICE), {"skip": True})

    def test_unconditioned_alternative(self):
        result = ctl("rule", "/a.cfg | /b.cfg", *DEVICE)
        self.assertEqual(result.returncode, 2)
        self.assertIn("alternative 1 of 2", result.stderr)

    def test_upgrade_rule(self):
        text = "( $SWVER ne 2.0.6 )? http://ps.tell.com/sw/spa021024.bin"
        out = rule(text, "--upgrade", "--set", "SWVER=2.0.5")
        self.assertEqual(out["url"], "http://ps.tell.com:80/sw/spa021024.bin")
        self.assertEqual(rule(text, "--upgrade", "--set", "SWVER=2.0.6"), {"skip": True})
        result = ctl("rule", "--upgrade", "[--key k] http://x/y.bin")
        self.assertEqual(result.returncode, 2)
        self.assertIn("position 1", result.stderr)

    def test_legacy_condition(self):
        self.assertEqual(rule("(! 1.0.33)? http://h/u.bin", "--upgrade",
                              "--set", "SWVER=1.0.33"), {"skip": True})
        self.assertEqual(rule("(! 1.0.33)? http://h/u.bin", "--upgrade",
                              "--set", "SWVER=1.0.31(b)")["path"], "/u.bin")


class Triggers(unittest.TestCase):
    def test_trigger(self):
        expr = "$UPGTMR gt 300 and $PRVTMR ge 600"
        self.assertEqual(ctl_json("rule", "--trigger", expr, "--set", "UPGTMR=301",
                                  "--set", "PRVTMR=600"), {"trigger": True})
        self.assertEqual(ctl_json("rule", "--trigger", expr, "--set", "UPGTMR=300",
                                  "--set", "PRVTMR=600"), {"trigger": False})
        self.assertEqual(ctl_json("rule", "--trigger", ""), {"trigger": False})

    def test_trigger_errors(self):
        result = ctl("rule", "--trigger", "$PRVTMR ge 600 or 1 eq 1", "--set", "PRVTMR=1")
        self.assertEqual(result.returncode, 2)
        self.assertIn("position 16", result.stderr)
        result = ctl("rule", "--trigger", "$PRVTMR ge")
        self.assertEqual(result.returncode, 2)
        self.assertIn("position", result.stderr)

    def test_bad_set(self):
        result = ctl("rule", "/x.cfg", "--set", "novalue")
        self.assertEqual(result.returncode, 2)
        self.assertIn("NAME=VALUE", result.stderr)


if __name__ == "__main__":
    unittest.main()
