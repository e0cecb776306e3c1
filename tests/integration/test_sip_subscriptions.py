# SPDX-License-Identifier: GPL-2.0-or-later
"""The sip plugin as DpSubscriber (what the sidecar's busy-lamp fields use),
driven through the public API from a GI host process, against sipp
notifiers on 127.0.0.1.

The host (the system Python with PyGObject, as test_python_plugin.py does)
creates a DpCore and a DpPluginEngine from the build tree, loads the sip
plugin, configures line 1 without registration, takes the subscriber with
dp_core_get_subscriber() and obeys commands on stdin ("subscribe ...",
"cancel", "drop"), printing every state change and NOTIFY body as a JSON
line on stdout."""

import json
import os
import queue
import subprocess
import sys
import threading
import time
import unittest

from dptest import BUILD_ROOT, PhoneTestCase
from peers import Sipp
from sippeers import scenario_notifier, scenario_refuse

HOST = r'''
import json, sys
import gi
gi.require_version('Deskphone', '1')
gi.require_version('GLib', '2.0')
from gi.repository import Deskphone, GLib

state_dir, port_file = sys.argv[1], sys.argv[2]
settings = json.loads(sys.argv[3])
core = Deskphone.Core.new(state_dir)
config = core.get_config()
engine = Deskphone.PluginEngine.new(core)
engine.add_default_paths(False)
running = engine.load_plugins(['sip'])
for name, value in settings.items():
    config.set(name, value)
loop = GLib.MainLoop()
subs = []

def out(**kw):
    print(json.dumps(kw), flush=True)

def on_state(sub):
    out(kind='state', state=Deskphone.subscription_state_to_string(sub.get_state()),
        reason=sub.get_reason())

def on_body(sub, content_type, body):
    out(kind='notify', content_type=content_type, body=body.get_data().decode('utf-8', 'replace'))

def on_line(channel, condition):
    line = sys.stdin.readline()
    if not line:
        loop.quit()
        return False
    words = line.split()
    try:
        if words[0] == 'subscribe':
            line_no, target, event, accept, expires = words[1:6]
            sub = core.get_subscriber().subscribe(int(line_no), target, event,
                                                  None if accept == '-' else accept,
                                                  int(expires))
            sub.connect('state-changed', on_state)
            sub.connect('notify-body', on_body)
            subs.append(sub)
            out(kind='subscribed', state=Deskphone.subscription_state_to_string(sub.get_state()),
                line=sub.get_line(), event=sub.get_event(), target=sub.get_target())
        elif words[0] == 'cancel':
            subs[-1].cancel()
            out(kind='cancelled')
        elif words[0] == 'drop':
            subs.pop()
            out(kind='dropped')
        elif words[0] == 'has_subscriber':
            out(kind='has_subscriber', value=core.get_subscriber() is not None)
        elif words[0] == 'unload':
            engine.unload_plugins() if hasattr(engine, 'unload_plugins') else None
            out(kind='unloaded', value=core.get_subscriber() is None)
    except GLib.Error as error:
        out(kind='error', message=error.message)
    return True

GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                  GLib.IOCondition.IN | GLib.IOCondition.HUP, on_line)
out(kind='ready', running=running, loaded=engine.get_plugin('sip') is not None)
loop.run()
'''


class Host:
    def __init__(self, folder, settings):
        typelib_dir = os.path.join(BUILD_ROOT, "core")
        env = dict(os.environ)
        env["GI_TYPELIB_PATH"] = os.pathsep.join(filter(None, [typelib_dir,
                                                               env.get("GI_TYPELIB_PATH")]))
        env["LD_LIBRARY_PATH"] = os.pathsep.join(filter(None, [typelib_dir,
                                                               env.get("LD_LIBRARY_PATH")]))
        env["DESKPHONE_PLUGIN_PATH"] = os.path.join(BUILD_ROOT, "plugins")
        env["G_MESSAGES_DEBUG"] = ""
        script = os.path.join(folder, "host.py")
        with open(script, "w") as f:
            f.write(HOST)
        self.log_path = os.path.join(folder, "host.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            ["/usr/bin/python3", script, os.path.join(folder, "state"),
             os.path.join(folder, "port"), json.dumps(settings)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        self.events = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            try:
                self.events.put(json.loads(line))
            except ValueError:
                pass

    def send(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def wait(self, predicate, timeout=10.0, what="event"):
        for event in self.seen:
            if predicate(event):
                self.seen.remove(event)
                return event
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {what} in {timeout} s; seen {self.seen}; log:\n"
                                     + self.read_log()[-3000:])
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if predicate(event):
                return event
            self.seen.append(event)

    def state(self, state, timeout=10.0):
        """The next state change to `state`. States come in order: those set
        aside while waiting for an earlier one are older than it and are
        dropped, so a stale "pending" (e.g. from before a "failed") never
        answers a wait for the next one."""
        def wanted(e):
            return e["kind"] == "state" and e["state"] == state
        for index, event in enumerate(self.seen):
            if wanted(event):
                # Older states go; later events (newer) stay.
                self.seen = [e for e in self.seen[:index] if e["kind"] != "state"] \
                    + self.seen[index + 1:]
                return event
        event = self.wait(wanted, timeout, f"state {state}")
        self.seen = [e for e in self.seen if e["kind"] != "state"]
        return event

    def read_log(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.log.close()
        return self.process.returncode


DIALOG = ('<?xml version="1.0"?>\n<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" '
          'version="{v}" state="full" entity="sip:1002@127.0.0.1"><dialog id="a">'
          '<state>{s}</state></dialog></dialog-info>\n')


@unittest.skipUnless(BUILD_ROOT, "DP_BUILD_ROOT is not set")
class SubscriberTest(PhoneTestCase):

    def start_host(self, **extra):
        settings = {"SIP_Bind_Address": "127.0.0.1", "SIP_Port_1_": "0",
                    "Proxy_1_": "127.0.0.1:9", "User_ID_1_": "phone", "Register_1_": "No",
                    "Sub_Retry_Intvl": "2"}
        settings.update(extra)
        host = Host(self.folder, settings)
        self.addCleanup(host.stop)
        ready = host.wait(lambda e: e["kind"] == "ready", 20, "host ready")
        self.assertTrue(ready["loaded"], host.read_log())
        return host

    def sipp(self, scenario, calls=1):
        sipp = Sipp(self.folder, scenario=scenario, calls=calls, timeout=40)
        self.addCleanup(sipp.stop)
        return sipp.start()

    def test_subscribe_notify_refresh_and_cancel(self):
        bodies = [DIALOG.format(v=0, s="confirmed"), DIALOG.format(v=1, s="terminated")]
        sipp = self.sipp(scenario_notifier(bodies=bodies, expires=3))
        host = self.start_host()
        host.send(f"subscribe 1 1002@127.0.0.1:{sipp.port} dialog "
                  f"application/dialog-info+xml 120")
        subscribed = host.wait(lambda e: e["kind"] == "subscribed", what="subscribed")
        self.assertEqual(subscribed["state"], "pending")
        self.assertEqual(subscribed["event"], "dialog")
        host.state("active")
        first = host.wait(lambda e: e["kind"] == "notify", what="first NOTIFY body")
        self.assertEqual(first["content_type"], "application/dialog-info+xml")
        self.assertIn("<state>confirmed</state>", first["body"])
        # sipp granted 3 s: nua refreshes in the same dialog, sipp NOTIFYs again.
        second = host.wait(lambda e: e["kind"] == "notify", timeout=10, what="second body")
        self.assertIn("<state>terminated</state>", second["body"])
        host.send("cancel")
        host.state("terminated")
        self.assertEqual(sipp.wait(), 0, sipp.errors() + sipp.log())
        subscribes = [m for d, m in sipp.messages() if d == "in" and not m.is_response
                      and m.start_line.startswith("SUBSCRIBE")]
        self.assertEqual(len(subscribes), 3, [m.start_line for m in subscribes])
        first_sub = subscribes[0]
        self.assertTrue(first_sub.start_line.startswith(f"SUBSCRIBE sip:1002@127.0.0.1:{sipp.port}"),
                        first_sub.start_line)
        self.assertEqual(first_sub.header("Event"), "dialog")
        self.assertEqual(first_sub.header("Accept"), "application/dialog-info+xml")
        self.assertEqual(first_sub.header("Expires"), "120")
        self.assertIn("phone@", first_sub.header("From"))
        # The refresh stays in the dialog; the cancel asks for Expires 0.
        self.assertEqual(subscribes[1].call_id, first_sub.call_id)
        self.assertEqual(subscribes[2].header("Expires"), "0")

    def test_refused_subscription_fails_and_is_retried(self):
        sipp = self.sipp(scenario_refuse("SUBSCRIBE", 404, "Not Found"), calls=2)
        host = self.start_host()
        host.send(f"subscribe 1 1003@127.0.0.1:{sipp.port} presence - 60")
        # Sent at once, possibly before the plugin has started the line (it
        # starts from the main loop): the first state change is the refusal,
        # with no "pending" before it.
        failed = host.wait(lambda e: e["kind"] == "state", what="first state change")
        self.assertEqual(failed["state"], "failed", failed)
        self.assertEqual(failed["reason"], "404 Not Found")
        started = time.monotonic()
        # Sub_Retry_Intvl 2 s: a fresh SUBSCRIBE (a new dialog) follows.
        host.state("pending", timeout=6)
        self.assertGreaterEqual(time.monotonic() - started, 1.0)
        host.state("failed", timeout=6)
        self.assertEqual(sipp.wait(), 0, sipp.errors() + sipp.log())
        subscribes = [m for d, m in sipp.messages() if d == "in" and not m.is_response]
        self.assertEqual(len(subscribes), 2)
        self.assertNotEqual(subscribes[0].call_id, subscribes[1].call_id)
        self.assertIsNone(subscribes[0].header("Accept"))
        host.send("cancel")
        host.state("terminated")

    def test_bad_requests_are_refused(self):
        host = self.start_host()
        host.send("has_subscriber")
        self.assertTrue(host.wait(lambda e: e["kind"] == "has_subscriber")["value"])
        host.send("subscribe 9 1002@127.0.0.1 dialog - 60")
        error = host.wait(lambda e: e["kind"] == "error", what="error")
        self.assertIn("no line 9", error["message"])
        host.send("subscribe 1 1002@127.0.0.1 dia:log - 60")
        error = host.wait(lambda e: e["kind"] == "error", what="error")
        self.assertIn("character 4", error["message"])
        host.send("subscribe 1 bad<target dialog - 60")
        error = host.wait(lambda e: e["kind"] == "error", what="error")
        self.assertIn("not allowed", error["message"])


if __name__ == "__main__":
    unittest.main()
