# SPDX-License-Identifier: GPL-2.0-or-later
"""deskphonectl profile: the offline profile parser (architecture §4.2)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from dptest import DESKPHONECTL, SHARED_DIR

VECTOR_FILE = bytes.fromhex(
    "53616c7465645f5f0102030405060708"
    "89ccfcf021f430d4cd891457669424fb6e7c5a2c0f1a3f4620e32cf5c4b34a73"
    "75d2c6cf110f77ca5b766f55984886fcad8b8f82bd918b84db1f2f814344fe42")


def ctl(*args):
    return subprocess.run([DESKPHONECTL, "profile", *args], capture_output=True, text=True,
                          timeout=30)


class ProfileCommandTest(unittest.TestCase):

    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="dp-profile-")

    def tearDown(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.folder, name)
        with open(path, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        return path

    def run_json(self, *args):
        result = ctl(*args, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_xml_rows_of_the_conformance_vectors(self):
        path = self.write("p.xml", "<flat-profile>"
                          "<GPP_A>\n</GPP_A><GPP_B/>"
                          '<Dial_Plan_1_ ua="ro"/>'
                          "<Dial_Plan_2_>\n( S0 &lt;:18005551212&gt; )\n</Dial_Plan_2_>"
                          "<Resync_Periodic> 7200\n</Resync_Periodic>"
                          "<GPP_C>a</GPP_C><GPP_C>b</GPP_C>"
                          "<Text_Logo>line1\nline2</Text_Logo>"
                          "<GPP_D>&#x41;&#66;</GPP_D>"
                          "</flat-profile>")
        rows = self.run_json(path)
        self.assertEqual(rows[0], {"name": "GPP_A", "value": "", "access": None})
        self.assertEqual(rows[1], {"name": "GPP_B", "value": None, "access": None})
        self.assertEqual(rows[2], {"name": "Dial_Plan_1_", "value": None, "access": "ro"})
        values = {r["name"]: r["value"] for r in rows}   # last wins
        self.assertEqual(values["Dial_Plan_2_"], "( S0 <:18005551212> )")
        self.assertEqual(values["Resync_Periodic"], "7200")
        self.assertEqual(values["GPP_C"], "b")
        self.assertEqual(values["Text_Logo"], "line1 line2")
        self.assertEqual(values["GPP_D"], "AB")

    def test_plain_text(self):
        path = self.write("p.txt", 'Feature_Enable ! "Enable" ;\nAnother_Parameter ? "3600" ;\n'
                                   'Hidden_Parameter "abc123" ;\nProxy[1] "sip.x" ;\n'
                                   'Some_Entry ! ;  # comment\n')
        rows = self.run_json(path)
        self.assertEqual([(r["name"], r["value"], r["access"]) for r in rows], [
            ("Feature_Enable", "Enable", "rw"), ("Another_Parameter", "3600", "ro"),
            ("Hidden_Parameter", "abc123", "na"), ("Proxy_1_", "sip.x", "na"),
            ("Some_Entry", None, "rw")])

    def test_encrypted_vector_byte_for_byte(self):
        path = self.write("vector.cfg", VECTOR_FILE)
        rows = self.run_json(path, "--key", "SecretPhrase1234")
        self.assertEqual(rows, [{"name": "GPP_A", "value": "hello", "access": None}])
        result = ctl(path, "--key", "WrongPhrase")
        self.assertEqual(result.returncode, 2)
        self.assertIn("key", result.stderr)
        result = ctl(path)
        self.assertEqual(result.returncode, 2)

    def test_gzip_then_openssl_sha256(self):
        plain = self.write("p.xml", "<flat-profile><GPP_E>zipped</GPP_E></flat-profile>")
        subprocess.run(["gzip", "-k", plain], check=True)
        out = os.path.join(self.folder, "p.cfg")
        subprocess.run(["openssl", "enc", "-e", "-aes-256-cbc", "-md", "sha256", "-k", "k3y",
                        "-in", plain + ".gz", "-out", out], check=True, capture_output=True)
        rows = self.run_json(out, "--key", "k3y")
        self.assertEqual(rows, [{"name": "GPP_E", "value": "zipped", "access": None}])

    def test_bad_input(self):
        broken = self.write("broken.xml", "<flat-profile><GPP_A>x</GPP_B></flat-profile>")
        result = ctl(broken)
        self.assertEqual(result.returncode, 2)
        self.assertIn("line 1", result.stderr)
        result = ctl(os.path.join(self.folder, "missing.xml"))
        self.assertEqual(result.returncode, 1)
        self.assertEqual(ctl().returncode, 2)

    @unittest.skipUnless(os.path.isdir(os.path.join(SHARED_DIR, "corpora", "spa962-dump")),
                         "the SPA962 dump is not in DP_SHARED_DIR")
    def test_whole_spa962_dump(self):
        path = os.path.join(SHARED_DIR, "corpora", "spa962-dump", "spa962-5.1.15.xml")
        rows = self.run_json(path)
        self.assertEqual(len(rows), 1227)


if __name__ == "__main__":
    unittest.main()
