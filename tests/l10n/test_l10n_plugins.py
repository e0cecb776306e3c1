# SPDX-License-Identifier: GPL-2.0-or-later
"""Localisation of the plugins (issue 8): what the provisioning plugin tells
people (D-Bus errors, the last error in the status) and the plugins' names
and descriptions (Name[de]=... in the .plugin files) follow
Language_Selection at run time, while the SPA $ERR keyword at the front of
the last error and the module names stay English."""

import http.server
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from l10ntest import L10nPhoneTestCase, serve_http  # noqa: E402
from dptest import wait_for  # noqa: E402


class Redirector(http.server.BaseHTTPRequestHandler):
    """Answers every GET with a redirect, which provisioning never follows."""

    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", "/elsewhere.xml")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


class TestProvisioningMessages(L10nPhoneTestCase):
    PLUGINS = ("l10n", "provisioning")
    PARAMS = {"Resync_On_Reset": "No", "Resync_Random_Delay": "0", "Language_Selection": "German"}

    def provisioning(self):
        return self.phone.ctl_json("status")["provisioning"]

    def resync_error(self, url):
        before = self.provisioning()["last_time"]
        result = self.phone.ctl("resync", url)
        self.assertEqual(result.returncode, 0, result.stderr)

        def ended():
            p = self.provisioning()
            return p if p["state"] != "resyncing" and p["last_time"] not in (None, before) else None
        p = wait_for(ended, timeout=60, what="resync result")
        self.assertEqual(p["last_result"], "failure", p)
        return p["last_error"]

    def test_last_error_and_dbus_errors_follow_the_language(self):
        wait_for(lambda: self.phone.ctl_json("status")["language"] == "German", what="German")
        url = f"http://127.0.0.1:{serve_http(self, Redirector)}/profile.xml"
        error = self.resync_error(url)
        self.assertTrue(error.startswith("fetch failed: "), error)
        self.assertIn("HTTP 302: Umleitung nach", error)
        self.assertIn("nicht gefolgt", error)

        self.select("French", "French")
        error = self.resync_error(url)
        self.assertTrue(error.startswith("fetch failed: "), error)
        self.assertIn("HTTP 302 : redirection vers", error)

        self.assertEqual(self.phone.ctl("config", "set", "Provision_Enable", "No").returncode, 0)
        refused = self.phone.ctl("resync")
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("le provisionnement est désactivé (Provision_Enable vaut No)", refused.stderr)
        self.select("Spanish", "Spanish")
        self.assertIn("el aprovisionamiento está desactivado", self.phone.ctl("resync").stderr)
        self.select("English", "English")
        self.assertIn("provisioning is disabled (Provision_Enable is No)",
                      self.phone.ctl("resync").stderr)


class TestPluginNames(L10nPhoneTestCase):
    PLUGINS = ("l10n", "example")

    def plugins(self):
        return {p["name"]: p for p in self.phone.ctl_json("plugins")}

    def test_names_and_descriptions_follow_the_language(self):
        example = self.plugins()["example"]
        self.assertEqual(example["display_name"], "Example")
        self.assertIn("Registers the Example_Greeting parameter", example["description"])
        self.select("German", "German")
        plugins = self.plugins()
        self.assertEqual(plugins["example"]["display_name"], "Beispiel")
        self.assertIn("Registriert den Parameter Example_Greeting", plugins["example"]["description"])
        self.assertEqual(plugins["l10n"]["display_name"], "Lokalisierung")
        listing = self.ctl("de", "plugins")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertRegex(listing.stdout, r"example +geladen +Beispiel: Registriert den Parameter")
        self.select("es", "Spanish")
        self.assertEqual(self.plugins()["example"]["display_name"], "Ejemplo")
        self.select("French", "French")
        self.assertEqual(self.plugins()["example"]["display_name"], "Exemple")
        self.assertEqual(self.phone.ctl_json("status")["plugins"][0]["display_name"], "Exemple")
        self.select("English", "English")
        self.assertEqual(self.plugins()["example"]["display_name"], "Example")


class TestSipMessages(L10nPhoneTestCase):
    PLUGINS = ("l10n", "sip")
    PARAMS = {"Language_Selection": "German", "SIP_Bind_Address": "127.0.0.1", "SIP_Port_1_": "0",
              "Line_Enable_1_": "Yes", "User_ID_1_": "1001", "Proxy_1_": "bad host!"}

    def line_error_about(self, proxy):
        """Sets Proxy_1_ to @proxy and waits for the line's error about it."""
        self.assertEqual(self.phone.ctl("config", "set", "Proxy_1_", proxy).returncode, 0)

        def failed():
            line = self.phone.ctl_json("lines")[0]
            return line if proxy in (line["last_error"] or "") else None
        return wait_for(failed, timeout=30, what="the line's error")

    def test_line_error_follows_the_language(self):
        wait_for(lambda: self.phone.ctl_json("status")["language"] == "German", what="German")
        # The error is made when the line registers: change the proxy now
        # that the phone speaks German.
        line = self.line_error_about("bad proxy!")
        self.assertEqual(line["registration"], "failed")
        self.assertIn("Proxy „bad proxy!“: ungültiger Host an Position", line["last_error"])
        lines = self.ctl("de", "lines")
        self.assertRegex(lines.stdout, r"line 1 +aktiviert +1001 +Registrierung fehlgeschlagen")
        self.select("Spanish", "Spanish")
        line = self.line_error_about("otro proxy!")
        self.assertIn("proxy «otro proxy!»: host no válido en la posición", line["last_error"])
        refused = self.phone.ctl("dial", "1002")
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("la línea 1 no está registrada", refused.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
