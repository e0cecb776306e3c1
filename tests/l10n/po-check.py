#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""po-check: the translation catalogues are complete and well-formed.

Fails when
- a file listed in po/POTFILES.in does not exist;
- a source file under core/, daemon/, tools/ or plugins/ marks strings
  (_(, N_(, or the web UI's T (lang, ...)) and is not listed, or a plugin's
  .plugin.desktop.in (translated Name and Description) is not listed;
- a po/<lang>.po listed in LINGUAS is missing, or `msgfmt -c --check-format`
  rejects it;
- a .po lacks a translation (untranslated or fuzzy) for a msgid of the
  current sources (extracted with xgettext exactly as po/meson.build does).
Usage: po-check.py SOURCE_ROOT"""

import os
import re
import subprocess
import sys
import tempfile

MARK = re.compile(r'(?<![A-Za-z0-9_])(?:N_|_)\s*\(\s*"|\bT \((?:lang|page->lang),')


def main(root):
    errors = []
    po_dir = os.path.join(root, "po")
    listed = []
    with open(os.path.join(po_dir, "POTFILES.in")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                listed.append(line)
    for path in listed:
        if not os.path.isfile(os.path.join(root, path)):
            errors.append(f"POTFILES.in lists {path}, which does not exist")
    for top in ("core", "daemon", "tools", "plugins"):
        for folder, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                path = os.path.relpath(os.path.join(folder, name), root)
                if name.endswith(".plugin.desktop.in") and path not in listed:
                    errors.append(f"{path} is not in po/POTFILES.in")
                if not name.endswith(".c"):
                    continue
                with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
                    if MARK.search(f.read()) and path not in listed:
                        errors.append(f"{path} has translatable strings but is not in po/POTFILES.in")

    with open(os.path.join(po_dir, "LINGUAS")) as f:
        linguas = [w for line in f if not line.startswith("#") for w in line.split()]
    if not linguas:
        errors.append("po/LINGUAS lists no language")
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "deskphone.pot")
        existing = [p for p in listed if os.path.isfile(os.path.join(root, p))]
        subprocess.run(["xgettext", "--from-code=UTF-8", "--keyword=_", "--keyword=N_",
                        "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dngettext:2,3",
                        "--keyword=T:2", "--keyword=Description", "--flag=g_set_error:4:c-format",
                        "-o", pot, *existing], cwd=root, check=True)
        for lang in linguas:
            po = os.path.join(po_dir, f"{lang}.po")
            if not os.path.isfile(po):
                errors.append(f"po/{lang}.po is missing")
                continue
            check = subprocess.run(["msgfmt", "-c", "--check-format", "-o", os.devnull, po],
                                   capture_output=True, text=True)
            if check.returncode != 0:
                errors.append(f"msgfmt -c --check-format po/{lang}.po:\n{check.stderr}")
            merged = os.path.join(tmp, f"{lang}.po")
            subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged, po, pot],
                           check=True)
            for flag, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
                out = subprocess.run(["msgattrib", flag, "--no-obsolete", merged],
                                     capture_output=True, text=True, check=True).stdout
                ids = [m for m in re.findall(r'^msgid "(.*)"$', out, re.M) if m]
                if ids:
                    errors.append(f"po/{lang}.po: {len(ids)} {what} message(s), e.g. "
                                  + "; ".join(ids[:5]))
    for error in errors:
        print("po-check:", error)
    print("po-check: %s" % ("FAILED" if errors else "ok"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DP_SOURCE_ROOT", ".")))
