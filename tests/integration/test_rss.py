# SPDX-License-Identifier: GPL-2.0-or-later
"""The rss plugin against a local HTTP server serving the shared RSS corpora
(with ETag/Last-Modified), a slow endpoint and an endless one. Checks the
"feeds" status section, conditional GET and the cut-offs."""

import email.utils
import hashlib
import http.server
import os
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dptest  # noqa: E402

RSS_DIR = os.path.realpath(os.path.join(dptest.SHARED_DIR, "corpora", "rss"))


class FeedServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.requests = []   # (path, status)
        self.lock = threading.Lock()
        self.stop_event = threading.Event()

    def record(self, path, status):
        with self.lock:
            self.requests.append((path, status))

    def statuses(self, path):
        with self.lock:
            return [s for p, s in self.requests if p == path]


class FeedHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/slow.xml":
            # Headers, then one byte per second: cut off by the total timeout.
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.server.record(self.path, 200)
            for _ in range(60):
                if self.server.stop_event.is_set():
                    return
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(1)
            return
        if self.path == "/endless.xml":
            # An endless body: cut off by the size cap.
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.server.record(self.path, 200)
            chunk = b"<rss><channel>" + b"<item><title>x</title></item>" * 2000
            try:
                while not self.server.stop_event.is_set():
                    self.wfile.write(chunk)
            except OSError:
                pass
            return
        if self.path == "/loop.xml":
            self.send_response(302)
            self.send_header("Location", "/loop.xml")
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.server.record(self.path, 302)
            return
        if self.path == "/moved.xml":
            self.send_response(301)
            self.send_header("Location", "/spec/rss2sample.xml")
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.server.record(self.path, 301)
            return
        path = os.path.normpath(os.path.join(RSS_DIR, self.path.lstrip("/")))
        if not path.startswith(RSS_DIR) or not os.path.isfile(path):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.server.record(self.path, 404)
            return
        with open(path, "rb") as f:
            body = f.read()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(os.path.getmtime(path), usegmt=True)
        if self.headers.get("If-None-Match") == etag or \
                self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            self.server.record(self.path, 304)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(body)
        self.server.record(self.path, 200)


class RssTest(dptest.PhoneTestCase):
    def setUp(self):
        super().setUp()
        self.server = FeedServer()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def tearDown(self):
        self.server.stop_event.set()
        self.server.shutdown()
        self.server.server_close()
        super().tearDown()

    def start_with_feeds(self, feeds, interval=15):
        lines = ["<flat-profile>", "<Web_Serv>Yes</Web_Serv>",
                 f"<Feed_Data_Update_Interval_m_>{interval}</Feed_Data_Update_Interval_m_>"]
        for n in range(1, 6):
            value = feeds.get(n, "")
            lines.append(f"<RSS_Feed_URL_{n}>{value}</RSS_Feed_URL_{n}>")
        lines.append("</flat-profile>")
        profile = self.write("feeds.xml", "\n".join(lines))
        os.environ["DESKPHONE_FEED_LOOPBACK_ONLY"] = "1"
        return self.start_phone("--profile", profile)

    def feeds(self, phone):
        return {f["index"]: f for f in phone.ctl_json("status").get("feeds", [])}

    def wait_feed(self, phone, index, cond, what, timeout=30):
        return dptest.wait_for(lambda: (lambda f: f if f and cond(f) else None)(
            self.feeds(phone).get(index)), timeout=timeout, what=what, interval=0.2)

    def refresh(self, phone, index):
        result = subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.deskphone.Phone1",
             "--object-path", "/org/deskphone/Phone1",
             "--method", "org.deskphone.Phone1.RunAction", "feeds-refresh", str(index)],
            env=phone.env, capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_feeds_conditional_and_limits(self):
        phone = self.start_with_feeds({
            1: f"name=Liftoff; url={self.base}/spec/rss2sample.xml",
            2: f"name=Atom;url={self.base}/rss-parser/input/heise.atom",
            3: f"name=Bad;url={self.base}/rss-parser/input/unrecognized.rss",
            4: f"name=Slow;url={self.base}/slow.xml",
            5: f"name=Endless;url={self.base}/endless.xml",
        })
        one = self.wait_feed(phone, 1, lambda f: f["last_update"], "feed 1")
        self.assertEqual(one["name"], "Liftoff")   # K13: spaces trimmed
        self.assertEqual(one["url"], f"{self.base}/spec/rss2sample.xml")
        self.assertIsNone(one["error"])
        self.assertEqual(len(one["items"]), 4)
        self.assertEqual(one["items"][0]["title"], "Star City")
        self.assertIsNone(one["items"][1]["title"])
        self.assertEqual(one["items"][0]["date"], 1054633161)
        for item in one["items"]:
            self.assertNotIn("<", item["summary"] or "")

        two = self.wait_feed(phone, 2, lambda f: f["last_update"], "feed 2")
        self.assertIsNone(two["error"])
        self.assertEqual(len(two["items"]), 15)

        three = self.wait_feed(phone, 3, lambda f: f["error"], "feed 3 error")
        self.assertIn("not a feed", three["error"])
        self.assertEqual(three["items"], [])

        five = self.wait_feed(phone, 5, lambda f: f["error"], "endless feed cut off")
        self.assertIn("larger than", five["error"])

        # Conditional GET: the second fetch is answered 304, items kept.
        self.refresh(phone, 1)
        dptest.wait_for(lambda: 304 in self.server.statuses("/spec/rss2sample.xml"),
                        what="304 on refresh")
        self.assertEqual(self.server.statuses("/spec/rss2sample.xml").count(200), 1)
        self.assertEqual(len(self.feeds(phone)[1]["items"]), 4)

        four = self.wait_feed(phone, 4, lambda f: f["error"], "slow feed cut off", timeout=40)
        self.assertIn("cut off", four["error"])

        # Still answering after all that.
        self.assertEqual(phone.ctl("status", "--json").returncode, 0)

    def test_redirects_and_web_serv(self):
        phone = self.start_with_feeds({
            1: f"name=Moved;url={self.base}/moved.xml",
            2: f"name=Loop;url={self.base}/loop.xml",
        })
        one = self.wait_feed(phone, 1, lambda f: f["last_update"], "redirected feed")
        self.assertIsNone(one["error"])
        self.assertEqual(len(one["items"]), 4)
        two = self.wait_feed(phone, 2, lambda f: f["error"], "redirect loop")
        self.assertIn("redirects", two["error"])
        self.assertLessEqual(len(self.server.statuses("/loop.xml")), 6)

        result = phone.ctl("config", "set", "Web_Serv", "No")
        self.assertEqual(result.returncode, 0, result.stderr)
        off = self.wait_feed(phone, 1, lambda f: "Web_Serv" in (f["error"] or ""), "gated off")
        self.assertEqual(off["items"], [])

        # A changed script is re-read.
        phone.ctl("config", "set", "Web_Serv", "Yes")
        phone.ctl("config", "set", "RSS_Feed_URL_1",
                  f"name=RDF;url={self.base}/spec/rss1-rdf-example.xml")
        rdf = self.wait_feed(phone, 1, lambda f: f["name"] == "RDF" and f["last_update"],
                             "changed feed")
        self.assertEqual(rdf["items"][0]["title"], "Fast HTML Parsing")


if __name__ == "__main__":
    unittest.main()
