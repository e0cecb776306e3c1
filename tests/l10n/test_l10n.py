# SPDX-License-Identifier: GPL-2.0-or-later
"""Localisation (issue 8): Language_Selection switches the language of D-Bus
error messages and web UI pages at run time; Dictionary_Server_Script
dictionaries are downloaded from a local HTTP server, a good one is used and
a corrupt one is rejected with the previous language kept."""

import functools
import http.server
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("DP_SOURCE_ROOT", ""), "tests", "webui"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from webuitest import ADMIN_PASSWORD, WebuiTestCase  # noqa: E402
from dptest import wait_for  # noqa: E402
from l10ntest import serve_http  # noqa: E402

DICTIONARY_PO = """msgid ""
msgstr ""
"Project-Id-Version: deskphone\\n"
"Language: {lang}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

#, c-format
msgid "%s: value %s is invalid: %s"
msgstr "%s : valeur %s refusée par le dictionnaire : %s"

msgid "is not an integer"
msgstr "n'est pas un entier (dictionnaire)"

msgid "Submit All Changes"
msgstr "Tout envoyer (dictionnaire)"
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests = []

    def log_message(self, format, *args):
        QuietHandler.requests.append(self.path)


class L10nTestCase(WebuiTestCase):
    def setUp(self):
        super().setUp()
        self.phone = self.start_web_phone(Admin_Passwd=ADMIN_PASSWORD)

    def status(self):
        return self.phone.ctl_json("status")

    def select(self, language):
        self.assertEqual(self.phone.ctl("config", "set", "Language_Selection", language).returncode, 0)

    def wait_language(self, name):
        wait_for(lambda: self.status()["language"] == name, what=f"language {name}")

    def bad_port_error(self):
        result = self.phone.ctl("config", "set", "Web_Server_Port", "x")
        self.assertEqual(result.returncode, 2, result.stderr)
        return result.stderr

    def serve(self, files):
        folder = os.path.join(self.folder, "www", "i18n")
        os.makedirs(folder, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
        handler = functools.partial(QuietHandler, directory=os.path.join(self.folder, "www"))
        return serve_http(self, handler)

    def compile_po(self, text):
        po = os.path.join(self.folder, "dict.po")
        mo = os.path.join(self.folder, "dict.mo")
        with open(po, "w") as f:
            f.write(text)
        subprocess.run(["msgfmt", "-c", "-o", mo, po], check=True)
        with open(mo, "rb") as f:
            return f.read()

    def installed(self, code):
        return os.path.join(self.phone.state_dir, "locale", code, "LC_MESSAGES", "deskphone.mo")


class TestRuntimeSwitch(L10nTestCase):
    def test_dbus_errors_follow_language_selection(self):
        self.assertIn("is not an integer", self.bad_port_error())
        self.select("German")
        self.wait_language("German")
        self.assertIn("Web_Server_Port: Wert \"x\" ist ungültig: ist keine Ganzzahl",
                      self.bad_port_error())
        self.select("fr")  # a code works as well as a name
        self.wait_language("French")
        self.assertIn("n'est pas un nombre entier", self.bad_port_error())
        self.select("Español")
        self.wait_language("Spanish")
        self.assertIn("no es un número entero", self.bad_port_error())
        self.select("English-US")
        self.wait_language("English")
        self.assertIn("is not an integer", self.bad_port_error())
        l10n = self.status()["l10n"]
        self.assertEqual(l10n["code"], "en")
        self.assertEqual({"en", "de", "fr", "es"}, {a["code"] for a in l10n["available"]})

    def test_web_pages_follow_language_selection(self):
        admin = self.admin(self.phone)
        page = admin.get("/admin/advanced").body
        self.assertIn("Submit All Changes", page)
        # The Info tab shows the registration state's label (no SIP plugin
        # runs the lines here), and the status' own message.
        self.assertIn("<td>Unavailable (no SIP plugin)</td><td>no SIP plugin is loaded</td>", page)
        self.select("Spanish")
        self.wait_language("Spanish")
        page = admin.get("/admin/advanced").body
        self.assertIn('<html lang="es">', page)
        self.assertIn("Enviar todos los cambios", page)
        self.assertIn("<td>No disponible (ningún plugin SIP)</td>", page)
        self.select("German")
        self.wait_language("German")
        page = admin.get("/admin/advanced").body
        self.assertIn("Alle Änderungen übernehmen", page)
        self.assertIn("<td>Nicht verfügbar (kein SIP-Plugin)</td><td>kein SIP-Plugin ist geladen</td>",
                      page)
        self.assertEqual(self.status()["lines"][0]["registration"], "unavailable")

    def test_unknown_language_keeps_the_previous_one(self):
        self.select("German")
        self.wait_language("German")
        self.select("Klingon")
        wait_for(lambda: self.status()["l10n"]["selection"] == "Klingon", what="selection")
        status = self.status()
        self.assertEqual(status["language"], "German")
        self.assertIn("Klingon", status["l10n"]["error"])
        self.assertIn("ist keine Ganzzahl", self.bad_port_error())

    def test_ctl_language(self):
        result = self.phone.ctl("language")
        if "unknown" in result.stderr and "language" in result.stderr:
            self.skipTest("deskphonectl is built without the language subcommand")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("English", result.stdout)
        self.assertIn("German", result.stdout)
        self.assertEqual(self.phone.ctl("language", "French").returncode, 0)
        self.wait_language("French")
        self.assertEqual(self.phone.get("Language_Selection"), "French")
        self.assertEqual(self.phone.ctl_json("language")["language"], "French")


class TestDictionary(L10nTestCase):
    def test_good_dictionary_is_downloaded_and_used(self):
        port = self.serve({"frS.mo": self.compile_po(DICTIONARY_PO.format(lang="fr"))})
        self.assertEqual(self.phone.ctl(
            "config", "set", "Dictionary_Server_Script",
            f"serv=http://127.0.0.1:{port}/i18n/;d0=English;x0=enS.mo;d1=French;x1=frS.mo"
        ).returncode, 0)
        self.select("French")
        wait_for(lambda: self.status()["l10n"]["dictionary"]["state"] == "installed",
                 what="dictionary installed")
        self.assertIn("/i18n/frS.mo", QuietHandler.requests)
        status = self.status()
        self.assertEqual(status["language"], "French")
        self.assertEqual(status["l10n"]["source"], "dictionary")
        self.assertTrue(os.path.isfile(self.installed("fr")))
        self.assertIn("Web_Server_Port : valeur \"x\" refusée par le dictionnaire : "
                      "n'est pas un entier (dictionnaire)", self.bad_port_error())
        admin = self.admin(self.phone)
        self.assertIn("Tout envoyer (dictionnaire)", admin.get("/admin/advanced").body)

    def test_corrupt_dictionary_is_rejected(self):
        # Languages without a built-in catalogue, so that only the dictionary
        # could switch them; errors come in the language in effect (French).
        good = self.compile_po(DICTIONARY_PO.format(lang="it"))
        corrupt = good[:len(good) // 2]
        wrong_language = self.compile_po(DICTIONARY_PO.format(lang="fr"))
        port = self.serve({"itS.mo": corrupt, "ptS.mo": wrong_language,
                           "nlS.mo": b"<dictionary>not a catalogue</dictionary>"})
        self.select("French")
        self.wait_language("French")
        for language, why in (("Italian", "hors du fichier"),
                              ("Portuguese", "pas « pt »"),
                              ("Dutch", "nombre magique")):
            self.assertEqual(self.phone.ctl(
                "config", "set", "Dictionary_Server_Script",
                f"serv=http://127.0.0.1:{port}/i18n;d0=Italian;x0=itS.mo;d1=Portuguese;x1=ptS.mo;"
                "d2=Dutch;x2=nlS.mo").returncode, 0)
            self.select(language)
            wait_for(lambda: self.status()["l10n"]["dictionary"]["state"] == "failed",
                     what=f"{language} dictionary rejected")
            status = self.status()
            self.assertIn(why, status["l10n"]["dictionary"]["error"])
            self.assertEqual(status["language"], "French", language)
            self.assertIn("n'est pas un nombre entier", self.bad_port_error())
            self.select("French")
            self.wait_language("French")
        for code in ("it", "pt", "nl"):
            self.assertFalse(os.path.exists(self.installed(code)), code)

    def test_script_syntax_error_is_reported(self):
        self.assertEqual(self.phone.ctl("config", "set", "Dictionary_Server_Script",
                                        "serv=http://127.0.0.1:9/;d0=French").returncode, 0)
        wait_for(lambda: self.status()["l10n"]["dictionary"]["state"] == "failed",
                 what="script error")
        self.assertIn("d0 has no matching x0", self.status()["l10n"]["dictionary"]["error"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
