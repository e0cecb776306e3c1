# SPDX-License-Identifier: GPL-2.0-or-later
"""Browser tests of the web UI in headless Debian chromium, driven through
chromedriver's W3C WebDriver HTTP API with the standard library only: log
in, change a SIP and a Regional parameter, submit, see them in effect over
D-Bus and persisted; a validation error shown next to its field with
nothing applied; Undo All Changes; a screenshot of every tab (into
$DP_BUILD_ROOT/webui-screenshots/) for review."""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from webuitest import ADMIN_PASSWORD, USER_PASSWORD, WebuiTestCase, wait_for
# chromedriver's port: outside the ephemeral range, so that a daemon of a test
# running in parallel (Web_Server_Port 0) cannot take it first.
from peers import free_port  # noqa: E402

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
SCREENSHOTS = os.path.join(os.environ.get("DP_BUILD_ROOT") or tempfile.gettempdir(),
                           "webui-screenshots")


class WebDriver:
    """The few W3C WebDriver commands the tests need."""

    def __init__(self, folder):
        self.port = free_port("tcp")
        self.log = open(os.path.join(folder, "chromedriver.log"), "w")
        self.process = subprocess.Popen([CHROMEDRIVER, f"--port={self.port}"],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(self._ready, timeout=20, what="chromedriver")
        self.profile = tempfile.mkdtemp(prefix="dp-chromium-", dir=folder)
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={self.profile}", "--window-size=1280,1000"]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args}}}}
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _ready(self):
        try:
            return self._call("GET", "/status")["ready"]
        except (OSError, urllib.error.URLError):
            return False

    def _call(self, method, path, payload=None):
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                         method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as error:
            raise AssertionError(f"WebDriver {method} {path}: {error.read().decode()}") from None

    def cmd(self, method, path, payload=None):
        return self._call(method, f"/session/{self.session}{path}", payload)

    def get(self, url):
        self.cmd("POST", "/url", {"url": url})

    @property
    def url(self):
        return self.cmd("GET", "/url")

    @property
    def source(self):
        return self.cmd("GET", "/source")

    def find(self, css):
        return self.cmd("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def find_all(self, css):
        return [e[ELEMENT] for e in self.cmd("POST", "/elements",
                                             {"using": "css selector", "value": css})]

    def click(self, css):
        self.cmd("POST", f"/element/{self.find(css)}/click", {})

    def type(self, css, text, clear=True):
        element = self.find(css)
        if clear:
            self.cmd("POST", f"/element/{element}/clear", {})
        self.cmd("POST", f"/element/{element}/value", {"text": text})

    def value(self, css):
        return self.cmd("GET", f"/element/{self.find(css)}/property/value")

    def text(self, css):
        return self.cmd("GET", f"/element/{self.find(css)}/text")

    def displayed(self, css):
        return self.cmd("GET", f"/element/{self.find(css)}/displayed")

    def attribute(self, element, name):
        return self.cmd("GET", f"/element/{element}/attribute/{name}")

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.join(SCREENSHOTS, name + ".png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.cmd("GET", "/screenshot")))
        return path

    def quit(self):
        try:
            self.cmd("DELETE", "")
        finally:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.log.close()


@unittest.skipUnless(CHROMIUM and CHROMEDRIVER, "needs Debian's chromium and chromium-driver")
class WebuiBrowserTest(WebuiTestCase):

    def setUp(self):
        super().setUp()
        self.phone = self.start_web_phone(Admin_Passwd=ADMIN_PASSWORD, User_Password=USER_PASSWORD)
        self.base = f"http://127.0.0.1:{self.phone.web_port}"
        self.browser = WebDriver(self.folder)
        self.addCleanup(self.browser.quit)

    def login(self, account, password):
        b = self.browser
        b.get(f"{self.base}/login?account={account}")
        b.type("#password", password)
        b.click("#login")
        wait_for(lambda: "/login" not in b.url, what="the login to go through")

    def test_change_sip_and_regional_parameters(self):
        b = self.browser
        self.login("admin", ADMIN_PASSWORD)
        self.assertTrue(b.url.endswith("/admin/advanced"), b.url)
        b.click('a[href="#tab-SIP"]')
        self.assertTrue(b.displayed("#tab-SIP"))
        self.assertFalse(b.displayed("#tab-Regional"))
        b.type('input[name="SIP_T1"]', ".8")
        # Moving to another tab keeps the edit (one form for the view).
        b.click('a[href="#tab-Regional"]')
        self.assertTrue(b.displayed("#tab-Regional"))
        b.click('select[name="Time_Zone"] option[value="GMT+02:00"]')
        self.assertEqual(b.value('input[name="SIP_T1"]'), ".8")
        b.click("#submit")
        wait_for(lambda: "saved=" in b.url, what="the submit to be applied")
        self.assertIn("saved=2", b.url)
        self.assertIn("id=\"notice\"", b.source)
        # In effect, read back over D-Bus, and persisted.
        self.assertEqual(self.phone.get("SIP_T1"), ".8")
        self.assertEqual(self.phone.get("Time_Zone"), "GMT+02:00")
        with open(os.path.join(self.phone.state_dir, "config.xml")) as f:
            state = f.read()
        self.assertIn(">.8<", state)
        self.assertIn("GMT+02:00", state)
        b.get(f"{self.base}/admin/advanced#tab-SIP")
        self.assertEqual(b.value('input[name="SIP_T1"]'), ".8")

    def test_validation_error_applies_nothing(self):
        b = self.browser
        self.login("admin", ADMIN_PASSWORD)
        b.click('a[href="#tab-Regional"]')
        b.click('select[name="Time_Zone"] option[value="GMT+05:00"]')
        b.click('a[href="#tab-SIP"]')
        b.type('input[name="SIP_T1"]', "half a second")
        b.click("#submit")
        wait_for(lambda: "/admin/submit" in b.url, what="the rejected submit page")
        b.click('a[href="#tab-SIP"]')
        self.assertTrue(b.displayed("#err-SIP_T1"))
        self.assertIn("SIP_T1", b.text("#err-SIP_T1"))
        self.assertIn("half a second", b.text("#err-SIP_T1"))
        self.assertIn("Nothing was changed", b.text("#notice"))
        b.screenshot("admin-validation-error")
        self.assertEqual(self.phone.get("SIP_T1"), ".5")
        self.assertEqual(self.phone.get("Time_Zone"), "GMT-08:00")

    def test_undo_all_changes(self):
        b = self.browser
        self.login("admin", ADMIN_PASSWORD)
        b.click('a[href="#tab-SIP"]')
        b.type('input[name="Max_Forward"]', "12")
        self.assertEqual(b.value('input[name="Max_Forward"]'), "12")
        b.click("#undo")
        self.assertEqual(b.value('input[name="Max_Forward"]'), "70")
        self.assertEqual(self.phone.get("Max_Forward"), "70")

    def test_screenshot_of_every_tab(self):
        b = self.browser
        b.get(f"{self.base}/login?account=admin")
        b.screenshot("login")
        self.login("admin", ADMIN_PASSWORD)
        tabs = [b.attribute(e, "href").split("#", 1)[1]
                for e in b.find_all('nav.tabs a[href^="#tab-"]')]
        for expected in ("tab-Info", "tab-System", "tab-SIP", "tab-Provisioning", "tab-Regional",
                         "tab-Phone", "tab-Ext_1", "tab-Ext_6", "tab-User", "tab-SPA932",
                         "tab-Tools"):
            self.assertIn(expected, tabs)
        shots = []
        for tab in tabs:
            b.get(f"{self.base}/admin/advanced#{tab}")
            self.assertTrue(b.displayed(f"#{tab}"), tab)
            shots.append(b.screenshot("admin-" + tab[4:]))
        b.get(f"{self.base}/admin/basic")
        self.assertNotIn("#tab-Provisioning", b.source)
        shots.append(b.screenshot("admin-basic-Info"))
        b.click('a[href="#tab-System"]')
        shots.append(b.screenshot("admin-basic-System"))
        # The user view.
        b.cmd("DELETE", "/cookie")
        self.login("user", USER_PASSWORD)
        self.assertTrue(b.url.endswith("/"), b.url)
        user_tabs = [b.attribute(e, "href").split("#", 1)[1]
                     for e in b.find_all('nav.tabs a[href^="#tab-"]')]
        self.assertNotIn("tab-SIP", user_tabs)
        self.assertNotIn("tab-Tools", user_tabs)
        for tab in user_tabs:
            b.get(f"{self.base}/#{tab}")
            shots.append(b.screenshot("user-" + tab[4:]))
        for path in shots:
            with open(path, "rb") as f:
                header = f.read(24)
            self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n", path)
            width = int.from_bytes(header[16:20], "big")
            self.assertGreaterEqual(width, 800, path)
            self.assertGreater(os.path.getsize(path), 5000, path)

    def test_directory_tab(self):
        b = self.browser
        self.login("user", USER_PASSWORD)
        b.click("#link-directory")
        wait_for(lambda: b.url.endswith("/directory"), what="the directory page")
        for name, number in (("Alice Martin", "200"), ("Bob", "sip:bob@example.net")):
            b.type("#name", name)
            b.type("#number", number)
            b.click("#save")
            wait_for(lambda: name in b.source, what=f"{name} in the list")
        # A bad number: the message sits next to its field, nothing added.
        b.type("#name", "Carol")
        b.type("#number", "12 34")
        b.click("#save")
        # Until the answer to the save has loaded, the page has no such element
        # yet (a busy machine's first look comes that early): not there = not yet.
        wait_for(lambda: b.find_all("#err-number") and b.displayed("#err-number"),
                 what="the number's validation message")
        self.assertNotIn("Carol", b.text("#directory"))
        b.screenshot("user-Directory-error")
        b.get(f"{self.base}/directory")
        self.assertIn("Alice Martin", b.text("#directory"))
        b.screenshot("user-Directory")
        b.click("#link-history" if b.find_all("#link-history") else 'a[href="/history"]')
        wait_for(lambda: b.url.endswith("/history"), what="the history page")
        self.assertTrue(b.displayed("#history-missed"))
        b.screenshot("user-Call-history")

    def test_french_pages(self):
        self.assertEqual(self.phone.ctl("config", "set", "Language_Selection", "French").returncode, 0)
        b = self.browser
        self.login("admin", ADMIN_PASSWORD)
        self.assertEqual(b.text("#submit"), "Soumettre toutes les modifications")
        b.screenshot("admin-Info-french")


if __name__ == "__main__":
    unittest.main(verbosity=2)
