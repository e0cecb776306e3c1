# SPDX-License-Identifier: GPL-2.0-or-later
"""Reading valgrind memcheck logs of deskphoned: which error blocks involve
project code (libdeskphone, deskphoned, deskphonectl or a plugin under the
source or build tree). Errors entirely inside GLib, GStreamer, libsoup,
sofia-sip, GnuTLS and friends are only reported; known noise is silenced by
tests/robustness/valgrind.supp. Only "definite" leaks count: GLib's type
system and caches keep "possibly lost" and "still reachable" memory by
design. Used by tests/robustness/test_valgrind_daemon.py and by dptest.py
when DP_DAEMON_WRAPPER runs valgrind (meson test --setup valgrind)."""

import glob
import os
import re

SOURCE_ROOT = os.environ.get("DP_SOURCE_ROOT",
                             os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PROJECT = re.compile(r"libdeskphone|deskphoned|deskphonectl|/plugins/|lib(sip|media|provisioning|"
                     r"sidecar|rss|webui|l10n|screen|example)\.so|" + re.escape(
                         os.path.realpath(SOURCE_ROOT)))
# With debug information valgrind names a frame by its file only,
# "(dp-gst-media-session.c:1189)": the project's own source file names.
SOURCE_FILES = re.compile(r"\((?:%s):\d+\)" % "|".join(sorted(
    re.escape(os.path.basename(path)) for folder in ("core", "daemon", "tools", "plugins")
    for path in glob.glob(os.path.join(SOURCE_ROOT, folder, "**", "*.c"), recursive=True))
    or ["-"]))
KINDS = ("Invalid read", "Invalid write", "Conditional jump", "Use of uninitialised",
         "Invalid free", "Mismatched free", "Syscall param", "definitely lost",
         "Source and destination overlap", "Argument 'size'")


def memcheck_errors(log_text):
    """Splits a valgrind log into its error blocks (lists of lines)."""
    blocks, current = [], []
    for line in log_text.splitlines():
        body = re.sub(r"^==\d+== ?", "", line)
        if not body.strip():
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(body)
    if current:
        blocks.append(current)
    return [b for b in blocks if any(k in b[0] for k in KINDS)]


# deskphoned's main() runs the main loop, so it is at the bottom of nearly
# every stack: on its own it says nothing about who allocated or misused
# the memory (e.g. libsoup's accepted sockets, dispatched from the loop).
LOOP_FRAME = re.compile(r"\bmain \(deskphoned\.c:\d+\)")


def project_errors(errors):
    """The error blocks whose stack shows project code above main()."""
    return [e for e in errors
            if any((PROJECT.search(line) or SOURCE_FILES.search(line))
                   and not LOOP_FRAME.search(line) for line in e)]


def describe(errors, ours):
    """A printable report: project blocks in full, the others shortened."""
    return "\n".join(("PROJECT " if block in ours else "third-party ")
                     + "\n  ".join(block[:40 if block in ours else 14]) for block in errors)


def summary(log_text):
    found = re.findall(r"ERROR SUMMARY: .*", log_text)
    return found[-1] if found else None
