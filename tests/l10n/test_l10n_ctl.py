# SPDX-License-Identifier: GPL-2.0-or-later
"""Localisation of deskphonectl (issue 8): its messages and help texts follow
LANGUAGE / LC_MESSAGES, with the catalogues compiled into the build tree
(DESKPHONE_LOCALEDIR=<build>/po), while JSON output stays the same in every
language."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from l10ntest import L10nPhoneTestCase  # noqa: E402


HISTORY = json.dumps({"version": 1, "entries": [
    {"kind": "missed", "peer": "sip:1002@127.0.0.1", "name": "Bob", "line": 1,
     "start": 1700000000, "duration_s": 0, "end_reason": "cancelled"},
    {"kind": "placed", "peer": "sip:1003@127.0.0.1", "name": "", "line": 1,
     "start": 1700000100, "duration_s": 12, "end_reason": "486 Busy Here"},
]})


class TestCtlMessages(L10nPhoneTestCase):
    STATE_FILES = {"history.json": HISTORY}

    def test_usage_is_translated(self):
        cases = {
            None: ("Usage: deskphonectl COMMAND [ARGS...] [--json]", "Offline commands:",
                   "Parse a profile and print its assignments"),
            "de": ("Aufruf: deskphonectl BEFEHL [ARGUMENTE…] [--json]",
                   "Befehle ohne laufenden Dienst:",
                   "Ein Profil lesen und seine Zuweisungen ausgeben"),
            "fr": ("Usage : deskphonectl COMMANDE [ARGUMENTS…] [--json]", "Commandes hors ligne :",
                   "Analyser un profil et afficher ses affectations"),
            "es": ("Uso: deskphonectl ORDEN [ARGUMENTOS…] [--json]", "Órdenes sin conexión:",
                   "Analizar un perfil y mostrar sus asignaciones"),
        }
        for language, expected in cases.items():
            result = self.ctl(language, "--help")
            self.assertEqual(result.returncode, 0, result.stderr)
            for text in expected:
                self.assertIn(text, result.stdout, language)

    def test_subcommand_help_is_translated(self):
        result = self.ctl("de", "dial", "--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Einen Anruf tätigen.", result.stdout)
        self.assertIn("Leitung, von der aus angerufen wird", result.stdout)
        self.assertIn("JSON ausgeben", result.stdout)
        result = self.ctl("fr", "status", "--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Afficher l'état du téléphone.", result.stdout)
        # No positional arguments: GOption must not print the catalogue header.
        self.assertNotIn("Project-Id-Version", result.stdout)

    def test_errors_are_translated(self):
        result = self.ctl("de", "dial")
        self.assertEqual(result.returncode, 2)
        self.assertIn("deskphonectl: Aufruf: dial [--line N] NUMMER", result.stderr)
        result = self.ctl("fr", "frobnicate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("commande inconnue « frobnicate »", result.stderr)
        result = self.ctl("es", "plugins", "extra")
        self.assertEqual(result.returncode, 2)
        self.assertIn("plugins no admite argumentos", result.stderr)
        result = self.ctl(None, "dial")
        self.assertIn("usage: dial [--line N] NUMBER", result.stderr)

    def test_daemon_replies_are_shown_translated(self):
        status = self.ctl("de", "status")
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertRegex(status.stdout, r"deskphoned \S+, läuft seit \d+ s, Sprache English")
        self.assertRegex(status.stdout, r"plugin l10n +geladen")
        # No SIP plugin runs the lines: their registration is "unavailable",
        # shown with its label.
        lines = self.ctl("fr", "lines")
        self.assertEqual(lines.returncode, 0, lines.stderr)
        self.assertRegex(lines.stdout, r"line 1 +activée +Indisponible \(aucun greffon SIP\)")
        self.assertRegex(self.ctl("de", "status").stdout,
                         r"line 1 +aktiviert +Nicht verfügbar \(kein SIP-Plugin\)")
        self.assertRegex(self.ctl(None, "lines").stdout,
                         r"line 1 +enabled +Unavailable \(no SIP plugin\)")
        self.assertEqual(self.phone.ctl_json("lines")[0]["registration"], "unavailable")

    def test_history_shows_labels(self):
        german = self.ctl("de", "history")
        self.assertEqual(german.returncode, 0, german.stderr)
        self.assertRegex(german.stdout, r"Verpasst .*Bob <sip:1002@127.0.0.1>  0s  Abgebrochen")
        # A SIP status line is shown as it is.
        self.assertRegex(german.stdout, r"Gewählt .*sip:1003@127.0.0.1  12s  486 Busy Here")
        self.assertRegex(self.ctl("fr", "history").stdout, r"Manqués .*Annulé")
        self.assertRegex(self.ctl(None, "history").stdout, r"Missed .*Cancelled")
        entries = json.loads(self.ctl("de", "history", "--json").stdout)["entries"]
        self.assertEqual([(e["kind"], e["end_reason"]) for e in entries],
                         [("missed", "cancelled"), ("placed", "486 Busy Here")])

    def test_json_does_not_change_with_the_language(self):
        english = json.loads(self.ctl(None, "lines", "--json").stdout)
        german = json.loads(self.ctl("de", "lines", "--json").stdout)
        self.assertEqual(english, german)

    def test_a_language_without_catalogue_stays_english(self):
        result = self.ctl("xx", "--help")
        self.assertIn("Usage: deskphonectl COMMAND", result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
