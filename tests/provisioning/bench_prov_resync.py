#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Bench: a full resync of a 2,000-parameter profile over mutual TLS (nginx
with ssl_verify_client on, certificates from certtool) next to curl fetching
the same file with the same certificates, in the same run. Prints times and
the ratio; asserts nothing about time."""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import provtest  # noqa: E402
import dptest  # noqa: E402

ROUNDS = int(os.environ.get("DP_BENCH_ROUNDS", "7"))
N_PARAMS = 2000
STAMP = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) ")


def stamp(line):
    m = STAMP.match(line)
    h, mi, s, ms = (int(x) for x in m.groups())
    return h * 3600 + mi * 60 + s + ms / 1000


def profile(names, round_no):
    body = "".join(f"<{n}>bench-{round_no}-{i}</{n}>" for i, n in enumerate(names))
    return f"<flat-profile>{body}</flat-profile>\n"


def main():
    folder = tempfile.mkdtemp(prefix="dp-bench-prov-")
    bus = phone = nginx = None
    try:
        pki = provtest.Pki(os.path.join(folder, "pki"))
        nginx = provtest.Nginx(folder, pki, names=("server",))
        bus = dptest.Bus(folder)
        phone = dptest.Phone(folder, bus)
        pki.install(phone.state_dir)
        with open(os.path.join(phone.state_dir, "device.ini"), "w") as f:
            f.write("[Device]\nMac=000e08aabbcc\nSerial=88012BA01234\n")
        boot = os.path.join(folder, "boot.xml")
        with open(boot, "w") as f:
            f.write(provtest.flat(Resync_On_Reset="No"))
        phone.args = ["--profile", boot]
        phone.start()

        # Real parameters with free-text values the profile may change, then
        # names the phone does not know (parsed and counted, not applied) up
        # to 2,000: the phone's catalogue is smaller than that.
        dump = phone.ctl_json("config", "dump")
        names = [p["name"] for p in dump
                 if p["type"] == "string" and not p.get("syntax") and p["access"] != "ro"
                 and not p["name"].startswith(("Provisioning_", "Profile_Rule", "Upgrade_",
                                               "Report_Rule", "Resync_Trigger", "Log_",
                                               "Audio_Source", "Plugin_", "Web_", "Admin_",
                                               "User_Password", "Syslog", "Debug"))]
        known = len(names)
        names += [f"Bench_Extra_{i}" for i in range(N_PARAMS - known)]
        names = names[:N_PARAMS]
        url = nginx.url("server", "bench.xml")

        internal, end_to_end, curl_times = [], [], []
        curl = provtest.tool("curl")
        for round_no in range(ROUNDS):
            nginx.put("bench.xml", profile(names, round_no))
            before = phone.ctl_json("status")["provisioning"]["last_time"]
            log_len = len(phone.read_log())
            t0 = time.monotonic()
            result = phone.ctl("resync", url)
            assert result.returncode == 0, result.stderr

            def done():
                p = phone.ctl_json("status")["provisioning"]
                return p if p["last_time"] != before and p["state"] != "resyncing" else None
            p = dptest.wait_for(done, timeout=60, interval=0.002, what="bench resync")
            end_to_end.append(time.monotonic() - t0)
            assert p["last_result"] == "success", p
            lines = phone.read_log()[log_len:].splitlines()
            start = next(stamp(l) for l in lines if "Requesting resync" in l)
            end = next(stamp(l) for l in lines if "Successful resync" in l)
            internal.append(end - start)

            t0 = time.monotonic()
            subprocess.run([curl, "-sS", "-o", os.devnull, "--cacert", pki.path("ca.pem"),
                            "--cert", pki.path("client.pem"), "--key", pki.path("client.key"), url],
                           check=True)
            curl_times.append(time.monotonic() - t0)

        size = os.path.getsize(os.path.join(nginx.www, "bench.xml"))
        med = statistics.median
        report = {
            "parameters": N_PARAMS, "known_parameters": known, "profile_bytes": size,
            "rounds": ROUNDS,
            "resync_internal_ms": round(med(internal) * 1000, 1),
            "resync_end_to_end_ms": round(med(end_to_end) * 1000, 1),
            "curl_ms": round(med(curl_times) * 1000, 1),
        }
        report["ratio_internal_vs_curl"] = round(med(internal) / med(curl_times), 2)
        report["ratio_end_to_end_vs_curl"] = round(med(end_to_end) / med(curl_times), 2)
        print(f"resync of a {N_PARAMS}-parameter profile ({size} bytes, {known} known) over mutual TLS, "
              f"median of {ROUNDS}:")
        print(f"  deskphone fetch+decode+apply (log stamps): {report['resync_internal_ms']} ms")
        print(f"  deskphone end to end (deskphonectl -> status): {report['resync_end_to_end_ms']} ms")
        print(f"  curl, same file and certificates:          {report['curl_ms']} ms")
        print(f"  ratio internal/curl {report['ratio_internal_vs_curl']}, "
              f"end-to-end/curl {report['ratio_end_to_end_vs_curl']}")
        print(json.dumps(report))
    finally:
        if phone is not None:
            phone.kill()
        if bus is not None:
            bus.stop()
        if nginx is not None:
            nginx.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
