# SPDX-License-Identifier: GPL-2.0-or-later
"""Incoming NOTIFY control (spa9x2-reference §1.10) and MWI on a deskphone
line, with sipp as the provisioning server / voice-mail server on 127.0.0.1.

resync/check-sync, report and reboot/reboot_now/restart_now become the core
actions "resync", "report" and "reboot"; the provisioning plugin (when it is
loaded) does them, so this test checks the SIP side: the challenge, the
response codes and the daemon's log line naming the action."""

import re
import time
import unittest

from dptest import wait_for
from peers import Sipp
from sippeers import (SipPhoneTestCase, scenario_notifier, scenario_notify_control)

ACTION_RAN = r"line 1: NOTIFY {event}: ({action} started|cannot run {action}: .+)"


class NotifyControlTest(SipPhoneTestCase):

    def phone_with(self, **extra):
        values = dict(Proxy_1_="127.0.0.1:9", User_ID_1_="phone", Password_1_="secret",
                      Register_1_="No")
        values.update(extra)
        self.phone = self.start_sip_phone(**values)
        self.port = self.sip_port(self.phone)
        return self.phone

    def send_notify(self, event, **kwargs):
        sipp = self.peer(Sipp(self.folder, scenario=scenario_notify_control(
            event, self.port, **kwargs), remote=f"127.0.0.1:{self.port}", timeout=15,
            name=f"sipp-{event}-{len(self.peers)}"))
        self.assertEqual(sipp.run(), 0, sipp.errors() + sipp.log() + self.phone.read_log()[-3000:])
        return sipp

    def wait_log(self, pattern):
        return wait_for(lambda: re.search(pattern, self.phone.read_log()), timeout=5,
                        what=f"log /{pattern}/; log:\n{self.phone.read_log()[-3000:]}")

    def test_resync_is_challenged_and_accepted_with_the_line_credentials(self):
        self.phone_with()
        sipp = self.send_notify("resync", auth=("phone", "secret"))
        challenge = [m for d, m in sipp.messages() if d == "in" and m.status == 401][0]
        self.assertRegex(challenge.header("WWW-Authenticate"),
                         r'^Digest realm="127\.0\.0\.1:9", nonce="[0-9a-f]{32}"')
        self.wait_log(r"line 1: NOTIFY resync accepted: running resync")
        self.wait_log(ACTION_RAN.format(event="resync", action="resync"))

    def test_wrong_password_is_forbidden(self):
        self.phone_with()
        self.send_notify("reboot", auth=("phone", "wrong"), expect=403)
        self.wait_log(r"line 1: NOTIFY reboot refused: digest: wrong response")
        self.assertNotIn("running reboot", self.phone.read_log())

    def test_wrong_user_is_forbidden(self):
        self.phone_with()
        self.send_notify("report", auth=("intruder", "secret"), expect=403)
        self.assertNotIn("running report", self.phone.read_log())

    def test_without_auth_when_auth_resync_reboot_is_no(self):
        self.phone_with(**{"Auth_Resync-Reboot_1_": "No"})
        self.send_notify("report")
        self.wait_log(ACTION_RAN.format(event="report", action="report"))
        self.send_notify("check-sync")
        self.wait_log(r"NOTIFY check-sync accepted: running resync")
        self.send_notify("reboot_now")
        self.wait_log(r"NOTIFY reboot_now accepted: running reboot")
        self.send_notify("restart_now")
        self.wait_log(r"NOTIFY restart_now accepted: running reboot")
        self.wait_log(ACTION_RAN.format(event="restart_now", action="reboot"))

    def test_resync_from_sip_no_is_forbidden(self):
        self.phone_with(**{"Auth_Resync-Reboot_1_": "No", "Resync_From_SIP": "No"})
        self.send_notify("resync", expect=403)
        self.wait_log(r"NOTIFY resync refused: Resync_From_SIP is No")
        # report is not a resync: still honoured.
        self.send_notify("report")
        self.wait_log(r"NOTIFY report accepted")

    def test_unknown_event_is_489(self):
        self.phone_with()
        sipp = self.send_notify("frobnicate", expect=489)
        answer = [m for d, m in sipp.messages() if d == "in" and m.status == 489][0]
        self.assertIn("resync", answer.header("Allow-Events"))
        self.assertIn("unknown event 'frobnicate'", self.phone.read_log())

    def test_unsolicited_mwi(self):
        self.phone_with()
        self.assertFalse(self.line(self.phone)["message_waiting"])
        self.send_notify("message-summary", content_type="application/simple-message-summary",
                         body="Messages-Waiting: yes\r\nVoice-Message: 2/8 (0/2)\r\n")
        wait_for(lambda: self.line(self.phone)["message_waiting"], timeout=5,
                 what="message waiting on")
        self.assertEqual(self.phone.get("Message_Waiting_1_"), "Yes")
        self.wait_log(r"line 1: message waiting yes \(2 new, 8 old\)")
        # The parameter clears the lamp by hand, as on the SPA.
        self.assertEqual(self.phone.ctl("config", "set", "Message_Waiting_1_", "No").returncode, 0)
        wait_for(lambda: not self.line(self.phone)["message_waiting"], timeout=5,
                 what="message waiting off")


class MwiSubscriptionTest(SipPhoneTestCase):

    def test_subscribes_to_the_mailbox_and_follows_notifies(self):
        bodies = ["Messages-Waiting: yes\r\nMessage-Account: sip:1001@127.0.0.1\r\n"
                  "Voice-Message: 1/0\r\n",
                  "Messages-Waiting: no\r\nVoice-Message: 0/1\r\n"]
        sipp = self.peer(Sipp(self.folder, scenario=scenario_notifier(
            event="message-summary", content_type="application/simple-message-summary",
            bodies=bodies, expires=3), timeout=40))
        sipp.start()
        phone = self.start_sip_phone(Proxy_1_="127.0.0.1:9", User_ID_1_="phone",
                                     Register_1_="No", Mailbox_ID_1_="1001",
                                     Voice_Mail_Server_1_=f"127.0.0.1:{sipp.port}")
        wait_for(lambda: self.line(phone)["message_waiting"], timeout=10,
                 what=f"message waiting on; log:\n{phone.read_log()[-3000:]}")
        # The refresh (sipp granted 3 s) brings the second NOTIFY.
        wait_for(lambda: not self.line(phone)["message_waiting"], timeout=10,
                 what="message waiting off after the refresh")
        # Removing the server un-SUBSCRIBEs (once sipp has the 200 to its NOTIFY).
        time.sleep(0.5)
        self.assertEqual(phone.ctl("config", "set", "Voice_Mail_Server_1_", "").returncode, 0)
        self.assertEqual(sipp.wait(), 0, sipp.errors() + sipp.log())
        subscribes = [m for d, m in sipp.messages() if d == "in" and not m.is_response]
        subscribes = [m for m in subscribes if m.method == "SUBSCRIBE"]
        self.assertTrue(subscribes[0].uri.startswith(f"sip:1001@127.0.0.1:{sipp.port}"),
                        subscribes[0].uri)
        self.assertEqual(subscribes[0].header("Event"), "message-summary")
        self.assertEqual(subscribes[0].header("Accept"), "application/simple-message-summary")
        self.assertEqual(subscribes[-1].header("Expires"), "0")


if __name__ == "__main__":
    unittest.main()
