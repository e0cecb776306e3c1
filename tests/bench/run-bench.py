#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Side-by-side benchmarks: deskphone and baresip on 127.0.0.1 in one run,
printed as a table of ratios (deskphone / baresip, or / target) and written
as JSON. Nothing here asserts a time; a figure that cannot be measured is
reported as such with the reason.

How each figure is taken (both agents measured the same way):
- start to registered: a registrar in this script (Python, UDP on
  127.0.0.1, no authentication, answers 200 at once) stamps the moment it
  sends 200 to the first REGISTER; the clock starts just before exec. Not
  kamailio: it cannot stamp its replies for us, and polling it would add
  the poll interval. The private D-Bus daemon deskphoned needs is started
  first and not counted. Median of --rounds.
- idle PSS: /proc/PID/smaps_rollup "Pss" 3 s after registration.
- idle wake-ups: context switches (voluntary + involuntary, every thread,
  /proc/PID/task/*/status) during --idle-seconds after that; each one is a
  wake-up of some thread. Registration refresh is one hour on both.
- INVITE to 180 / 200: this script sends an INVITE (PCMU offer) straight to
  the agent's SIP port and stamps the responses. baresip answers by itself
  (answermode=auto). deskphone has no auto-answer (Auto_Answer_Page /
  intercom are not implemented), so its 200 is "answered by deskphonectl
  answer as soon as 180 arrives": that figure includes a deskphonectl
  process start and a D-Bus round trip; INVITE to 180 is the like-for-like
  comparison of call set-up work. Neither agent has a sound device:
  baresip plays a file and bridges its output, deskphone uses
  audiotestsrc / fakesink (not autoaudiosrc probing for a device).
- CPU per minute of call: baresip calls baresip (G.711u, SDES SRTP,
  mediaenc=srtp-mand, 20 ms) for --call-seconds; utime+stime of each
  process from /proc/PID/stat, averaged per end. deskphone: deskphoned
  calls baresip the same way (Secure_Call_Setting, SDES over UDP allowed,
  RTP_Packet_Size 0.02, audiotestsrc -> fakesink sync=true) and its own
  process is measured from 16 s after the answer (the secure-call tone
  the phone plays first is measured on its own), with
  Acoustic_Echo_Canceller_Enable No and Yes
  (the phone's default), CPU and context switches per thread in the JSON;
  the media pipeline alone (bench-media: two
  DpGstMediaSessions in one process, halved) is shown too. Mouth-to-ear
  comes from bench-media (baresip's is not measured: it has no hook to
  timestamp playout).
- deskphone only: bench_prov_resync.py (2,000 parameters over mutual TLS vs
  curl), bench-sidecar (BLF NOTIFY to LED), bench-dialplan, bench-config,
  and callgrind instruction counts of bench-dialplan / bench-config /
  deskphonectl profile (independent of machine noise).
"""

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.environ.get("DP_SOURCE_ROOT") or os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE_ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(SOURCE_ROOT, "tests", "provisioning"))
os.environ.setdefault("DP_SOURCE_ROOT", SOURCE_ROOT)

import dptest  # noqa: E402
import peers  # noqa: E402
from sippeers import flat_profile  # noqa: E402

BUILD_ROOT = os.environ.get("DP_BUILD_ROOT", "")
SHARED_DIR = os.environ.get("DP_SHARED_DIR", os.path.join(SOURCE_ROOT, "..", "shared"))
LOOPBACK = "127.0.0.1"

# Secure_Call_Indication_Tone's default length (its ToneScript's "15(...)").
SECURE_TONE_S = 15

# Absolute targets of issue 10 (the others are ratios to baresip or curl,
# printed in the table's target column).
TARGETS = {"mouth_to_ear_ms": 40.0}


def log(text):
    print(text, file=sys.stderr, flush=True)


# --- process figures -------------------------------------------------------

def pss_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return None


def context_switches(pid):
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except OSError:
            pass  # a thread that ended meanwhile
    return total


def switches_by_thread(pid):
    """{thread name: context switches}, to tell which thread wakes up."""
    out = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{task}/status") as f:
                count = sum(int(l.split()[1]) for l in f
                            if l.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")))
        except OSError:
            continue
        out[f"{name}/{task}"] = count
    return out


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def thread_counters(pid):
    """{thread name/tid: (CPU seconds, context switches)} of every thread."""
    out = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/task/{task}/status") as f:
                switches = sum(int(l.split()[1]) for l in f
                               if l.startswith(("voluntary_ctxt_switches",
                                                "nonvoluntary_ctxt_switches")))
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        out[f"{name}/{task}"] = ((int(fields[11]) + int(fields[12])) / ticks, switches)
    return out


def thread_rates(before, after, seconds):
    """Per thread over a window: CPU s per minute and context switches per
    second (which thread costs, and how often each one wakes)."""
    out = {}
    for key, (cpu, switches) in after.items():
        cpu0, switches0 = before.get(key, (0.0, 0))
        out[key] = {"cpu_s_per_minute": round((cpu - cpu0) * 60 / seconds, 3),
                    "switches_per_s": round((switches - switches0) / seconds, 1)}
    return out


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


def maps_library(pid, name):
    with open(f"/proc/{pid}/maps") as f:
        return any(name in line for line in f)


def mapped_libraries(pid):
    """How many distinct shared objects the process maps."""
    with open(f"/proc/{pid}/maps") as f:
        return len({line.split()[-1] for line in f if ".so" in line.split()[-1]})


def median(values):
    return statistics.median(values) if values else None


# --- a stamping registrar and a stamping UAC ---------------------------------

class Registrar:
    """Answers REGISTER (and OPTIONS) with 200 over UDP; records when it sent
    the 200 to each AOR's first REGISTER."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((LOOPBACK, 0))
        self.port = self.sock.getsockname()[1]
        self.first_ok = {}
        self.registers = 0
        self._stop = False
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self):
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                data, address = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                break
            try:
                message = peers.SipMessage.parse(data)
            except Exception:
                continue
            method = message.start_line.split(" ", 1)[0]
            if method not in ("REGISTER", "OPTIONS"):
                continue
            lines = ["SIP/2.0 200 OK"]
            for via in message.all("Via"):
                if "rport" in via and "rport=" not in via:
                    via = via.replace("rport", f"rport={address[1]};received={address[0]}", 1)
                lines.append(f"Via: {via}")
            to = message.header("To", "")
            if ";tag=" not in to:
                to += ";tag=bench"
            lines += [f"From: {message.header('From', '')}", f"To: {to}",
                      f"Call-ID: {message.header('Call-ID', '')}",
                      f"CSeq: {message.header('CSeq', '')}"]
            if method == "REGISTER":
                contact = message.header("Contact")
                if contact:
                    lines.append(f"Contact: {contact.split(';expires=')[0]};expires=3600")
            lines += ["Content-Length: 0", "", ""]
            self.sock.sendto("\r\n".join(lines).encode(), address)
            now = time.monotonic()
            if method == "REGISTER":
                self.registers += 1
                # deskphone puts the proxy's port in its AOR, baresip does not.
                aor = re.sub(r":\d+$", "", re.sub(r"^.*<|>.*$", "", to).split(";")[0])
                self.first_ok.setdefault(aor, now)

    def wait(self, aor, timeout=15.0):
        return peers.wait_until(lambda: self.first_ok.get(aor), timeout=timeout,
                                interval=0.001,
                                what=lambda: f"a REGISTER from {aor} (seen: {sorted(self.first_ok)}, "
                                             f"{self.registers} REGISTERs)")

    def stop(self):
        self._stop = True
        self._thread.join(2)
        self.sock.close()


def invite_timing(target_port, user, on_ringing=None, timeout=10.0):
    """Sends one INVITE to 127.0.0.1:target_port; returns (ms to 180, ms to
    200) (None where none came); ACKs and BYEs a 200, CANCELs otherwise."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((LOOPBACK, 0))
    port = sock.getsockname()[1]
    rtp = peers.free_port("udp", span=2)
    call_id = f"bench-{time.monotonic_ns()}@{LOOPBACK}"
    branch = f"z9hG4bKbench{time.monotonic_ns()}"
    sdp = (f"v=0\r\no=bench 1 1 IN IP4 {LOOPBACK}\r\ns=-\r\nc=IN IP4 {LOOPBACK}\r\nt=0 0\r\n"
           f"m=audio {rtp} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
           f"a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n")
    ruri = f"sip:{user}@{LOOPBACK}:{target_port}"
    head = (f"Via: SIP/2.0/UDP {LOOPBACK}:{port};branch={branch};rport\r\n"
            f"From: <sip:bench@{LOOPBACK}:{port}>;tag=bench1\r\nCall-ID: {call_id}\r\n")
    invite = (f"INVITE {ruri} SIP/2.0\r\n{head}To: <{ruri}>\r\nCSeq: 1 INVITE\r\n"
              f"Contact: <sip:bench@{LOOPBACK}:{port}>\r\nMax-Forwards: 70\r\n"
              f"Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}")
    ringing = answered = None
    to_header = None
    t0 = time.monotonic()
    sock.sendto(invite.encode(), (LOOPBACK, target_port))
    sock.settimeout(0.05)
    deadline = t0 + timeout
    while time.monotonic() < deadline and answered is None:
        try:
            data, _ = sock.recvfrom(65535)
        except socket.timeout:
            continue
        now = time.monotonic()
        message = peers.SipMessage.parse(data)
        if not message.start_line.startswith("SIP/2.0 ") or message.call_id != call_id:
            continue
        code = int(message.start_line.split()[1])
        if code == 180 and ringing is None:
            ringing = (now - t0) * 1000
            if on_ringing is not None:
                on_ringing()
        elif code == 200:
            answered = (now - t0) * 1000
            to_header = message.header("To")
        elif code >= 300:
            break
    if answered is not None:
        ack = (f"ACK {ruri} SIP/2.0\r\nVia: SIP/2.0/UDP {LOOPBACK}:{port};branch={branch}a;rport\r\n"
               f"From: <sip:bench@{LOOPBACK}:{port}>;tag=bench1\r\nTo: {to_header}\r\n"
               f"Call-ID: {call_id}\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
        bye = ack.replace("ACK ", "BYE ", 1).replace("CSeq: 1 ACK", "CSeq: 2 BYE") \
                 .replace(f"branch={branch}a", f"branch={branch}b")
        sock.sendto(ack.encode(), (LOOPBACK, target_port))
        sock.sendto(bye.encode(), (LOOPBACK, target_port))
    else:
        cancel = (f"CANCEL {ruri} SIP/2.0\r\n{head}To: <{ruri}>\r\nCSeq: 1 CANCEL\r\n"
                  f"Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
        sock.sendto(cancel.encode(), (LOOPBACK, target_port))
    time.sleep(0.3)
    sock.close()
    return ringing, answered


# --- the agents --------------------------------------------------------------

class BenchBaresip(peers.Baresip):
    """peers.Baresip without the sndfile recorder (it would add file writes
    to baresip's side of the CPU figure) and with the srtp module."""

    def _write_config(self):
        super()._write_config()
        path = os.path.join(self.folder, "config")
        with open(path) as f:
            config = f.read()
        config = config.replace("module sndfile.so\n", "module srtp.so\n")
        with open(path, "w") as f:
            f.write(config)

    def start_plain(self):
        """Starts baresip with its account in the accounts file and no
        ctrl_tcp client: it registers by itself, as deployed (start() would
        add the time it takes to poll ctrl_tcp and send uanew)."""
        self._write_config()
        with open(os.path.join(self.folder, "accounts"), "w") as f:
            f.write(self.account_line + "\n")
        self._spawn(["baresip", "-f", self.folder])
        return self


class DeskphoneAgent:
    def __init__(self, folder, bus, registrar_port, user="desk", extra=None):
        self.folder = folder
        self.user = user
        values = {
            "SIP_Bind_Address": LOOPBACK, "SIP_Port_1_": "0",
            "RTP_Port_Min": "42100", "RTP_Port_Max": "42198",
            "Line_Enable_2_": "No", "Line_Enable_3_": "No", "Line_Enable_4_": "No",
            "Line_Enable_5_": "No", "Line_Enable_6_": "No",
            "User_ID_1_": user, "Proxy_1_": f"{LOOPBACK}:{registrar_port}" if registrar_port else "",
            "Register_1_": "Yes" if registrar_port else "No", "Register_Expires_1_": "3600",
        }
        values.update(extra or {})
        self.profile = os.path.join(folder, f"bench-{user}.xml")
        with open(self.profile, "w") as f:
            f.write(flat_profile(values))
        self.phone = dptest.Phone(folder, bus, ["--profile", self.profile])
        # Like baresip here (aufile source, aubridge player): no sound
        # device. Left to autoaudiosrc/autoaudiosink, each call set-up would
        # time GStreamer probing ALSA, PulseAudio and OpenAL for a device
        # this machine does not have (~15 ms before the 180).
        self.phone.env["DESKPHONE_AUDIO_SOURCE"] = "audiotestsrc is-live=true wave=silence"
        self.phone.env["DESKPHONE_AUDIO_SINK"] = "fakesink sync=false"
        # --verbose costs log formatting that a deployed phone does not do.
        self.phone.start = self._start

    def _start(self, wait=True):
        phone = self.phone
        phone.log = open(phone.log_path, "w")
        phone.process = subprocess.Popen(
            [dptest.DESKPHONED, "--bus", "session", "--state-dir", phone.state_dir,
             *phone.args], env=phone.env, stdout=phone.log, stderr=subprocess.STDOUT)
        return phone

    def sip_port(self):
        def port():
            status = self.phone.ctl_json("status")
            sip = status.get("ports", {}).get("sip")
            if isinstance(sip, dict):
                return sip.get("1") or 0
            if isinstance(sip, list) and sip:
                entry = sip[0]
                return entry.get("port") if isinstance(entry, dict) else entry
            return 0
        return dptest.wait_for(port, what="the SIP port in deskphonectl status")


# --- benches -----------------------------------------------------------------

def bench_agents(args, folder, results):
    os.makedirs(folder, exist_ok=True)
    bus = dptest.Bus(folder)
    registrar = Registrar()
    out = {"deskphone": {}, "baresip": {}}
    try:
        # Start to registered, several rounds each, alternating.
        starts = {"deskphone": [], "baresip": []}
        for round_no in range(args.rounds):
            sub = os.path.join(folder, f"start-{round_no}")
            os.makedirs(sub)
            agent = DeskphoneAgent(sub, bus, registrar.port, user=f"desk{round_no}")
            t0 = time.monotonic()
            agent.phone.start()
            try:
                t1 = registrar.wait(f"sip:desk{round_no}@{LOOPBACK}")
                starts["deskphone"].append((t1 - t0) * 1000)
            except peers.PeerError as error:
                raise peers.PeerError(f"{error}; deskphoned log:\n{agent.phone.read_log()[-3000:]}")
            finally:
                agent.phone.kill()
            b = BenchBaresip(sub, f"bare{round_no}", registrar=f"{LOOPBACK}:{registrar.port}",
                             regint=3600, sip_trace=False)
            t0 = time.monotonic()
            b.start_plain()
            try:
                t1 = registrar.wait(f"sip:bare{round_no}@{LOOPBACK}")
                starts["baresip"].append((t1 - t0) * 1000)
            finally:
                b.stop()
        for name in starts:
            out[name]["start_to_registered_ms"] = round(median(starts[name]), 1)
            out[name]["start_to_registered_all_ms"] = [round(x, 1) for x in starts[name]]
        log(f"start to registered: {starts}")

        # Idle figures and INVITE timing on one registered agent each.
        os.makedirs(os.path.join(folder, "idle-desk"))
        agent = DeskphoneAgent(os.path.join(folder, "idle-desk"), bus, registrar.port,
                               user="idledesk")
        agent.phone.start()
        b = BenchBaresip(os.path.join(folder, "idle"), "idlebare",
                         registrar=f"{LOOPBACK}:{registrar.port}", regint=3600,
                         sip_trace=False, auto_answer=True)
        b.start_plain()
        try:
            registrar.wait(f"sip:idledesk@{LOOPBACK}")
            registrar.wait(f"sip:idlebare@{LOOPBACK}")
            dptest.wait_for(agent.phone.is_ready, what="deskphoned on D-Bus")
            time.sleep(3)
            pids = {"deskphone": agent.phone.process.pid, "baresip": b.pid}
            for name, pid in pids.items():
                out[name]["idle_pss_kib"] = pss_kib(pid)
                out[name]["threads"] = threads(pid)
                out[name]["libraries_mapped"] = mapped_libraries(pid)
            out["deskphone"]["gstreamer_loaded_when_idle"] = maps_library(
                pids["deskphone"], "libgstreamer-1.0")
            out["deskphone"]["gtk_loaded_when_idle"] = maps_library(pids["deskphone"], "libgtk-4")
            before = {name: context_switches(pid) for name, pid in pids.items()}
            by_thread = {name: switches_by_thread(pid) for name, pid in pids.items()}
            cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
            time.sleep(args.idle_seconds)
            for name, pid in pids.items():
                out[name]["idle_wakeups_per_s"] = round(
                    (context_switches(pid) - before[name]) / args.idle_seconds, 2)
                after = switches_by_thread(pid)
                out[name]["idle_wakeups_by_thread"] = {
                    t: after[t] - by_thread[name].get(t, 0) for t in after
                    if after[t] - by_thread[name].get(t, 0) > 0}
                out[name]["idle_cpu_ms_per_min"] = round(
                    (cpu_seconds(pid) - cpu_before[name]) * 60 / args.idle_seconds * 1000, 1)
            log(f"idle: {out}")

            # INVITE timing.
            desk_port = agent.sip_port()
            desk_180, desk_200, bare_180, bare_200 = [], [], [], []

            def answer_now():
                subprocess.Popen([dptest.DESKPHONECTL, "answer"], env=agent.phone.env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(args.rounds):
                r, a = invite_timing(desk_port, "idledesk", on_ringing=answer_now)
                if r is not None:
                    desk_180.append(r)
                if a is not None:
                    desk_200.append(a)
                r, a = invite_timing(b.port, "idlebare")
                if r is not None:
                    bare_180.append(r)
                if a is not None:
                    bare_200.append(a)
                time.sleep(0.5)
            out["deskphone"]["invite_to_180_ms"] = round(median(desk_180), 2) if desk_180 else None
            out["deskphone"]["invite_to_200_via_ctl_answer_ms"] = (
                round(median(desk_200), 2) if desk_200 else None)
            out["baresip"]["invite_to_180_ms"] = round(median(bare_180), 2) if bare_180 else None
            out["baresip"]["invite_to_200_auto_answer_ms"] = (
                round(median(bare_200), 2) if bare_200 else None)
            out["deskphone"]["pss_after_calls_kib"] = pss_kib(pids["deskphone"])
            out["baresip"]["pss_after_calls_kib"] = pss_kib(pids["baresip"])
        finally:
            agent.phone.kill()
            b.stop()
    finally:
        registrar.stop()
        bus.stop()
    results["agents"] = out


def bench_call_cpu(args, folder, results):
    """baresip calls baresip with SRTP for args.call_seconds."""
    alice = BenchBaresip(folder, "alice", extra_account="mediaenc=srtp-mand", sip_trace=False)
    bob = BenchBaresip(folder, "bob", extra_account="mediaenc=srtp-mand", auto_answer=True,
                       sip_trace=False)
    out = {}
    try:
        bob.start()
        alice.start()
        alice.dial(bob.contact_uri)
        alice.wait_for_event("CALL_ESTABLISHED", timeout=10)
        bob.wait_for_event("CALL_ESTABLISHED", timeout=10)
        time.sleep(1)
        before = {n: cpu_seconds(p.pid) for n, p in (("caller", alice), ("callee", bob))}
        time.sleep(args.call_seconds)
        used = {n: cpu_seconds(p.pid) - before[n] for n, p in (("caller", alice), ("callee", bob))}
        out = {f"cpu_s_per_call_minute_{n}": round(u * 60 / args.call_seconds, 3)
               for n, u in used.items()}
        out["cpu_s_per_call_minute_per_end"] = round(
            sum(used.values()) / 2 * 60 / args.call_seconds, 3)
        # mediaenc=srtp-mand offers RTP/SAVP only: an established call is SRTP.
        out["media"] = "G.711u, SDES SRTP (srtp-mand), ptime 20"
        out["window_s"] = args.call_seconds
        alice.hangup()
    finally:
        alice.stop()
        bob.stop()
    results["baresip_call"] = out


def bench_deskphone_call(args, folder, results, echo_canceller=True):
    """deskphone calls baresip (auto answer) straight, G.711u with SDES SRTP
    (Secure_Call_Setting, SDES allowed over UDP), 20 ms packets; the
    phone's audio is audiotestsrc -> fakesink sync=true (no sound card).
    Acoustic_Echo_Canceller_Enable is Yes by default on the phone (webrtcdsp
    in every call): measured with it and without it."""
    os.makedirs(folder, exist_ok=True)
    bus = dptest.Bus(folder)
    bob = BenchBaresip(folder, "bob", extra_account="mediaenc=srtp-mand", auto_answer=True,
                       sip_trace=False)
    out = {}
    agent = None
    try:
        bob.start()
        agent = DeskphoneAgent(folder, bus, None, user="desk", extra={
            "Proxy_1_": f"{LOOPBACK}:{bob.port}", "Secure_Call_Setting": "Yes",
            "SDES_Over_Insecure_Transport": "Yes", "RTP_Packet_Size": "0.02",
            "Acoustic_Echo_Canceller_Enable": "Yes" if echo_canceller else "No"})
        agent.phone.env["DESKPHONE_AUDIO_SOURCE"] = (
            "audiotestsrc is-live=true wave=sine freq=1000 volume=0.5 samplesperbuffer=160")
        agent.phone.env["DESKPHONE_AUDIO_SINK"] = "fakesink sync=true"
        agent.phone.start()
        dptest.wait_for(agent.phone.is_ready, what="deskphoned on D-Bus")
        result = agent.phone.ctl("dial", "bob")
        if result.returncode != 0:
            raise RuntimeError(f"deskphonectl dial failed: {result.stderr}")
        bob.wait_for_event("CALL_ESTABLISHED", timeout=15)
        call = dptest.wait_for(lambda: next((c for c in agent.phone.ctl_json("calls")
                                             if c["state"] == "active"), None),
                               timeout=15, what="an active call")
        # A secure call starts with Secure_Call_Indication_Tone on the
        # phone's own sink (15 s by default, a pipeline of its own; baresip
        # plays none): its CPU is reported on its own, and the call's
        # window starts once it is over.
        pids = {"deskphone": agent.phone.process.pid, "baresip": bob.pid}
        tone_start = cpu_seconds(pids["deskphone"])
        time.sleep(SECURE_TONE_S + 1)
        out_tone = round(cpu_seconds(pids["deskphone"]) - tone_start, 3)
        before = {n: cpu_seconds(p) for n, p in pids.items()}
        threads_before = thread_counters(pids["deskphone"])
        time.sleep(args.call_seconds)
        used = {n: cpu_seconds(p) - before[n] for n, p in pids.items()}
        out = {f"cpu_s_per_call_minute_{n}": round(u * 60 / args.call_seconds, 3)
               for n, u in used.items()}
        out["threads"] = thread_rates(threads_before, thread_counters(pids["deskphone"]),
                                      args.call_seconds)
        out["call"] = {k: call.get(k) for k in ("codec", "secure", "srtp_suite", "state")
                       if k in call}
        out["echo_canceller"] = echo_canceller
        out["cpu_s_first_call_seconds_with_secure_tone"] = out_tone
        out["secure_tone_window_s"] = SECURE_TONE_S + 1
        out["pss_in_call_kib"] = pss_kib(pids["deskphone"])
        out["window_s"] = args.call_seconds
        agent.phone.ctl("hangup")
    except (peers.PeerError, AssertionError, RuntimeError) as error:
        out = {"error": str(error)[-800:]}
    finally:
        if agent is not None:
            agent.phone.kill()
        bob.stop()
        bus.stop()
    results["deskphone_call" if echo_canceller else "deskphone_call_no_aec"] = out


def run_json_tool(argv, env=None, timeout=900):
    """Runs a bench tool; returns (its last JSON line, its whole stdout)."""
    result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}: "
                           f"{result.stderr[-2000:]}{result.stdout[-2000:]}")
    lines = [l for l in result.stdout.splitlines() if l.startswith("{")]
    return (json.loads(lines[-1]) if lines else None), result.stdout + result.stderr


def build_path(*parts):
    return os.path.join(BUILD_ROOT, *parts)


def callgrind_instructions(argv):
    if not shutil.which("valgrind"):
        return None
    with tempfile.TemporaryDirectory(prefix="dp-callgrind-") as tmp:
        result = subprocess.run(["valgrind", "--tool=callgrind",
                                 f"--callgrind-out-file={tmp}/out", *argv],
                                capture_output=True, text=True, timeout=600)
    match = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or not match:
        raise RuntimeError(f"callgrind {' '.join(argv)}: exit {result.returncode}: "
                           f"{result.stderr[-1500:]}")
    return int(match.group(1))


# bench_prov_resync.py runs deskphoned through dptest.Phone, which adds
# --verbose: every one of the 2,000 unknown names is then logged at debug
# level, about a third of the daemon's CPU in the resync. A deployed phone
# is not verbose, so the table's figure comes from a quiet daemon.
QUIET_RESYNC = """
import subprocess, dptest, bench_prov_resync
def start(self, wait=True):
    self.log = open(self.log_path, "w")
    self.process = subprocess.Popen([dptest.DESKPHONED, "--bus", "session", "--state-dir",
                                     self.state_dir, *self.args], env=self.env,
                                    stdout=self.log, stderr=subprocess.STDOUT)
    if wait:
        dptest.wait_for(self.is_ready, what="deskphoned on D-Bus")
    return self
dptest.Phone.start = start
bench_prov_resync.main()
"""


def bench_deskphone_only(args, results):
    env = dict(os.environ)
    out = {}
    media = build_path("tests", "bench", "bench-media")
    if os.path.exists(media):
        out["media"], text = run_json_tool([media, str(args.call_seconds)])
        log(text)
    else:
        out["media"] = {"error": "bench-media not built (media plugin or gstreamer-app missing)"}
    out["dialplan"], text = run_json_tool([build_path("tests", "bench", "bench-dialplan")])
    log(text)
    out["config"], text = run_json_tool([build_path("tests", "bench", "bench-config")])
    log(text)
    sidecar = build_path("tests", "sidecar", "bench-sidecar")
    if os.path.exists(sidecar):
        _, text = run_json_tool([sidecar])
        blf = {}
        for keys, median_us, p99 in re.findall(
                r"(\d+) keys.*?\n#\s+latency us: min [\d.]+\s+median ([\d.]+)\s+p99 ([\d.]+)", text):
            blf[f"{keys}_keys"] = {"median_us": float(median_us), "p99_us": float(p99)}
        out["blf_notify_to_led"] = blf
        log(text)
    if not args.skip_resync:
        env["DP_BENCH_ROUNDS"] = str(args.resync_rounds)
        env["PYTHONPATH"] = os.pathsep.join(
            [os.path.join(SOURCE_ROOT, "tests", "integration"),
             os.path.join(SOURCE_ROOT, "tests", "provisioning"), env.get("PYTHONPATH", "")])
        try:
            out["resync"], text = run_json_tool([sys.executable, "-c", QUIET_RESYNC], env=env)
            log(text)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            out["resync"] = {"error": str(error)[-500:]}
    if not args.skip_callgrind:
        profile = os.path.join(SHARED_DIR, "corpora", "spa962-dump", "spa962-5.1.15.xml")
        out["callgrind_instructions"] = {
            "dialplan_1000_numbers": callgrind_instructions(
                [build_path("tests", "bench", "bench-dialplan"), "1000"]),
            "config_core_parse_apply_1_round": callgrind_instructions(
                [build_path("tests", "bench", "bench-config"), "--rounds", "1", profile]),
            "deskphonectl_profile_spa962": callgrind_instructions(
                [dptest.DESKPHONECTL, "profile", profile, "--json"]),
        }
    results["deskphone_only"] = out


# --- the table -----------------------------------------------------------------

def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return round(a / b, 2)


def table(results):
    rows = []
    agents = results.get("agents", {})
    desk, bare = agents.get("deskphone", {}), agents.get("baresip", {})
    call = results.get("baresip_call", {})
    only = results.get("deskphone_only", {})
    media = only.get("media", {}) or {}

    def row(name, d, b, target, note=""):
        rows.append((name, d, b, ratio(d, b), target, note))

    row("idle PSS (KiB)", desk.get("idle_pss_kib"), bare.get("idle_pss_kib"), "<= 1.5x")
    row("idle wake-ups per s", desk.get("idle_wakeups_per_s"), bare.get("idle_wakeups_per_s"),
        "0 between timers", "context switches, all threads")
    row("start to REGISTER 200 (ms)", desk.get("start_to_registered_ms"),
        bare.get("start_to_registered_ms"), "<= 1.0x")
    row("INVITE to 180 (ms)", desk.get("invite_to_180_ms"), bare.get("invite_to_180_ms"),
        "", "baresip auto-answer sends none" if bare.get("invite_to_180_ms") is None else "")
    row("INVITE to 200 (ms)", desk.get("invite_to_200_via_ctl_answer_ms"),
        bare.get("invite_to_200_auto_answer_ms"), "<= 1.0x",
        "deskphone: deskphonectl answer on 180 (no auto-answer)")
    for key, label in (("deskphone_call_no_aec", "echo canceller off"),
                       ("deskphone_call", "echo canceller on (default)")):
        dcall = results.get(key, {})
        row(f"CPU s per call minute, one end, {label}",
            dcall.get("cpu_s_per_call_minute_deskphone"),
            call.get("cpu_s_per_call_minute_per_end"), "<= 1.0x",
            f"deskphoned calling baresip {dcall.get('call') or dcall.get('error', '')}; "
            "baresip: baresip<->baresip, per end")
    tone = results.get("deskphone_call_no_aec", {}).get("cpu_s_first_call_seconds_with_secure_tone")
    rows.append(("CPU s, first 16 s of the call (secure-call tone)", tone, None, None, "",
                 "once per secure call, not in the per-minute rows; echo canceller off"))
    row("CPU s per call minute, media alone, echo canceller off",
        media.get("cpu_s_per_call_minute_per_end"), call.get("cpu_s_per_call_minute_per_end"), "",
        "2 DpGstMediaSessions in process, halved")
    row("CPU s per call minute, media alone, echo canceller on",
        media.get("cpu_s_per_call_minute_per_end_aec"), call.get("cpu_s_per_call_minute_per_end"),
        "", "2 DpGstMediaSessions in process, halved")
    rows.append(("mouth-to-ear (ms)", media.get("mouth_to_ear_ms"), None,
                 ratio(media.get("mouth_to_ear_ms"), TARGETS["mouth_to_ear_ms"]), "<= 40 ms",
                 "ratio to the 40 ms target"))
    resync = only.get("resync", {}) or {}
    rows.append(("2,000-param resync vs curl (ms)", resync.get("resync_internal_ms"),
                 resync.get("curl_ms"), resync.get("ratio_internal_vs_curl"), "<= 1.2x",
                 f"end to end incl. deskphonectl: {resync.get('resync_end_to_end_ms')} ms"))
    for keys, figures in (only.get("blf_notify_to_led") or {}).items():
        rows.append((f"BLF NOTIFY to LED, {keys.replace('_', ' ')} (us)", figures["median_us"],
                     None, None, "<= 1000 us", f"p99 {figures['p99_us']} us"))
    dial = only.get("dialplan") or {}
    rows.append(("dial plan: us per number", dial.get("us_per_number"), None, None, "",
                 f"{dial.get('numbers_per_s')} numbers/s"))
    conf = only.get("config") or {}
    rows.append(("SPA962 profile parse / apply+save (ms)", conf.get("parse_ms"),
                 conf.get("apply_save_ms"), None, "", "second column is apply+save"))
    for name, count in (only.get("callgrind_instructions") or {}).items():
        rows.append((f"callgrind Ir: {name}", count, None, None, "", ""))
    return rows


def print_table(rows):
    header = ("figure", "deskphone", "baresip/other", "ratio", "target", "note")
    widths = [max(len(str(r[i] if r[i] is not None else "-")) for r in rows + [header])
              for i in range(len(header))]
    def fmt(r):
        return " | ".join(str(v if v is not None else "-").ljust(w) for v, w in zip(r, widths))
    print(fmt(header))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(fmt(r))


def machine():
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    baresip = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "baresip"],
                             capture_output=True, text=True).stdout
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "baresip": baresip, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="write the results here as JSON")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("DP_BENCH_ROUNDS", "5")))
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--call-seconds", type=int, default=20)
    parser.add_argument("--resync-rounds", type=int, default=5)
    parser.add_argument("--skip-resync", action="store_true")
    parser.add_argument("--skip-callgrind", action="store_true")
    parser.add_argument("--only", choices=["agents", "call", "deskphone"], action="append")
    args = parser.parse_args()
    if not BUILD_ROOT:
        parser.error("DP_BUILD_ROOT must name the build folder (meson test sets it)")

    results = {"machine": machine()}
    folder = tempfile.mkdtemp(prefix="dp-bench-")
    try:
        parts = args.only or ["agents", "call", "deskphone"]
        if "agents" in parts:
            bench_agents(args, os.path.join(folder, "agents"), results)
        if "call" in parts:
            bench_call_cpu(args, os.path.join(folder, "call"), results)
            bench_deskphone_call(args, os.path.join(folder, "desk-call-no-aec"), results,
                                 echo_canceller=False)
            bench_deskphone_call(args, os.path.join(folder, "desk-call"), results)
        if "deskphone" in parts:
            bench_deskphone_only(args, results)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows = table(results)
    results["table"] = [dict(zip(("figure", "deskphone", "other", "ratio", "target", "note"), r))
                        for r in rows]
    print(f"deskphone vs baresip {results['machine']['baresip']} on {results['machine']['nproc']} x "
          f"{results['machine']['cpu']}, {results['machine']['date']}")
    print_table(rows)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
        print(f"JSON: {args.json}")


if __name__ == "__main__":
    main()
