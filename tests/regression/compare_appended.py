#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Checks a re-recorded regression corpus against an earlier recording when the change only
# APPENDED columns to layers.csv or keys to summary.json (at its top level or inside one of its
# objects): every earlier column, row, key and
# value must be unchanged (compared as text, so no tolerance), and the new ones must come after
# them. Prints what was appended and exits 1 naming the first cell that differs.
# Usage: compare_appended.py GIT_REV [CORPUS_DIR]   (e.g. compare_appended.py HEAD)
import csv
import io
import json
import subprocess
import sys
from pathlib import Path


def old_text(rev, path):
    return subprocess.run(["git", "show", f"{rev}:{path}"], check=True, capture_output=True,
                          text=True).stdout


def fail(msg):
    print("DIFFERS:", msg)
    sys.exit(1)


def compare_csv(name, old, new):
    o = list(csv.reader(io.StringIO(old)))
    n = list(csv.reader(io.StringIO(new)))
    if len(o) != len(n):
        fail(f"{name}: {len(o)} rows recorded, {len(n)} now")
    width = len(o[0])
    if n[0][:width] != o[0]:
        fail(f"{name}: header {o[0]} is not a prefix of {n[0]}")
    for r, (a, b) in enumerate(zip(o, n)):
        if b[:width] != a:
            col = next(i for i in range(width) if a[i] != b[i])
            fail(f"{name}: row {r + 1} column {o[0][col]}: {a[col]} recorded, {b[col]} now")
    return tuple(n[0][width:])


def compare_objects(name, o, n, path=""):
    # Key order too: the earlier keys, in their order, then the appended ones; objects nested
    # in objects (summary.json's totals) may have keys appended the same way.
    keys = list(n.keys())
    if keys[:len(o)] != list(o.keys()):
        fail(f"{name}: keys {path}{list(o.keys())} are not a prefix of {keys}")
    appended = [path + k for k in keys[len(o):]]
    for k, v in o.items():
        if isinstance(v, dict) and isinstance(n[k], dict):
            appended += compare_objects(name, v, n[k], f"{path}{k}.")
        elif json.dumps(n[k]) != json.dumps(v):
            fail(f"{name}: key {path}{k} differs")
    return appended


def compare_json(name, old, new):
    return tuple(compare_objects(name, json.loads(old), json.loads(new)))


def main():
    rev = sys.argv[1]
    corpus = Path(sys.argv[2] if len(sys.argv) > 2 else "tests/data/regression")
    appended = {}
    files = 0
    for f in sorted(corpus.rglob("*")):
        if f.suffix not in (".csv", ".json"):
            continue
        try:
            old = old_text(rev, f.as_posix())
        except subprocess.CalledProcessError:
            fail(f"{f}: not in {rev}")
        new = f.read_text()
        extra = (compare_csv if f.suffix == ".csv" else compare_json)(str(f), old, new)
        appended[(f.name, extra)] = appended.get((f.name, extra), 0) + 1
        files += 1
    for (name, extra), count in sorted(appended.items()):
        print(f"{count} x {name}: appended {', '.join(extra) if extra else 'nothing'}")
    print(f"{files} files: every recorded cell and key unchanged")


main()
