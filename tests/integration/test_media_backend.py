# SPDX-License-Identifier: GPL-2.0-or-later
"""The media plugin's GStreamer backend is a separate module opened on the
first session or tone: an idle phone maps no GStreamer library, the first
incoming call loads it, and a phone whose backend is missing refuses calls
(503) and tones with an error naming the file, and keeps running."""

import os
import shutil
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dptest import BUILD_ROOT, Phone, wait_for  # noqa: E402
from peers import SipMessage, free_port  # noqa: E402
from sippeers import LOOPBACK, SipPhoneTestCase, flat_profile  # noqa: E402

BACKEND = "libdpmedia-gst.so"


def mapped(pid, name):
    with open(f"/proc/{pid}/maps") as f:
        return any(name in line for line in f)


class MediaBackendTest(SipPhoneTestCase):
    def invite(self, port, timeout=20.0):
        """Sends a PCMU INVITE to the phone; returns the first response with
        a status of 180 or more (CANCELs a ringing call)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(sock.close)
        sock.bind((LOOPBACK, 0))
        me = sock.getsockname()[1]
        tag = time.monotonic_ns()
        sdp = (f"v=0\r\no=t 1 1 IN IP4 {LOOPBACK}\r\ns=-\r\nc=IN IP4 {LOOPBACK}\r\nt=0 0\r\n"
               f"m=audio {me + 2} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
        ruri = f"sip:desk@{LOOPBACK}:{port}"
        head = (f"Via: SIP/2.0/UDP {LOOPBACK}:{me};branch=z9hG4bKmb{tag};rport\r\n"
                f"From: <sip:t@{LOOPBACK}:{me}>;tag=t{tag}\r\nTo: <{ruri}>\r\n"
                f"Call-ID: mb-{tag}@{LOOPBACK}\r\nMax-Forwards: 70\r\n")
        sock.sendto((f"INVITE {ruri} SIP/2.0\r\n{head}CSeq: 1 INVITE\r\n"
                     f"Contact: <sip:t@{LOOPBACK}:{me}>\r\nContent-Type: application/sdp\r\n"
                     f"Content-Length: {len(sdp)}\r\n\r\n{sdp}").encode(), (LOOPBACK, port))
        sock.settimeout(0.2)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = SipMessage.parse(sock.recv(65535))
            except socket.timeout:
                continue
            if message.is_response and message.status and message.status >= 180:
                if message.status < 200:
                    sock.sendto((f"CANCEL {ruri} SIP/2.0\r\n{head}CSeq: 1 CANCEL\r\n"
                                 "Content-Length: 0\r\n\r\n").encode(), (LOOPBACK, port))
                return message
        raise AssertionError("no response of 180 or more to the INVITE")

    def test_gstreamer_is_mapped_on_the_first_call_only(self):
        phone = self.start_sip_phone(User_ID_1_="desk", Register_1_="No")
        port = self.sip_port(phone)
        pid = phone.process.pid
        self.assertFalse(mapped(pid, "libgstreamer-1.0"), "GStreamer mapped by an idle phone")
        self.assertFalse(mapped(pid, BACKEND))
        response = self.invite(port)
        self.assertEqual(response.status, 180, response.start_line)
        self.assertTrue(mapped(pid, BACKEND))
        self.assertTrue(mapped(pid, "libgstreamer-1.0"))

    def test_a_missing_backend_refuses_calls_and_tones_clearly(self):
        # The build tree's plugins, except that media's folder lacks the backend.
        plugins = os.path.join(self.folder, "plugins")
        source = os.path.join(BUILD_ROOT, "plugins")
        for name in os.listdir(source):
            if os.path.isfile(os.path.join(source, name, f"{name}.plugin")) and name != "media":
                os.makedirs(plugins, exist_ok=True)
                os.symlink(os.path.join(source, name), os.path.join(plugins, name))
        os.makedirs(os.path.join(plugins, "media"))
        for name in ("media.plugin", "libmedia.so"):
            shutil.copy(os.path.join(source, "media", name), os.path.join(plugins, "media"))
        rtp_min = free_port("udp", span=self.RTP_SPAN) + 1 & ~1
        config = dict(self.BASE, User_ID_1_="desk", Register_1_="No", RTP_Port_Min=str(rtp_min),
                      RTP_Port_Max=str(rtp_min + self.RTP_SPAN - 2))
        profile = self.write("line.xml", flat_profile(config))
        phone = Phone(self.folder, self.bus, ("--profile", profile), plugin_path=plugins)
        self.phones.append(phone)
        phone.start()
        port = self.sip_port(phone)

        result = phone.run_action("play-tone", "Confirm_Tone")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("media backend", result.stderr)
        self.assertIn(BACKEND, result.stderr)

        response = self.invite(port)
        self.assertEqual(response.status, 503, response.start_line)
        wait_for(lambda: BACKEND in phone.read_log(), what="the backend's name in the log")
        self.assertFalse(mapped(phone.process.pid, "libgstreamer-1.0"))
        # Still serving.
        self.assertEqual(phone.ctl("status", "--json").returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
