#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""CTest example.joint_search: runs joint_search.py --quick into OUT_DIR and checks its outputs.

Exits 77 (CTest's SKIP_RETURN_CODE) only when PyTorch or scikit-learn is not installed; any
other problem fails the test.
"""
import csv
import importlib.util
import json
import os
import shutil
import sys

missing = [m for m in ("torch", "sklearn") if importlib.util.find_spec(m) is None]
if missing:
    print("skipped: %s not installed (scripts/install-deps.sh --example)" % ", ".join(missing))
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import joint_search  # noqa: E402

out = sys.argv[1]
shutil.rmtree(out, ignore_errors=True)  # a fresh sweep, not a resumed one
assert joint_search.main(["--quick", "--out", out]) == 0
for name in ("pareto.csv", "points.csv", "front.svg", "report.html", "summary.json"):
    assert os.path.getsize(os.path.join(out, name)) > 0, name
with open(os.path.join(out, "summary.json")) as f:
    summary = json.load(f)
# The float model learns the digits well in 12 epochs (about 98%); below 90% training is broken.
assert summary["base_accuracy_pct"] > 90.0, summary
with open(os.path.join(out, "pareto.csv")) as f:
    front = list(csv.DictReader(f))
assert front, "empty Pareto front"
accs = [float(r["accuracy_pct"]) for r in front]
# Quantized and pruned points may lose accuracy, but none is untold (nan) or out of range, and
# the front keeps its most accurate point: at least near the base model.
assert all(0.0 <= a <= 100.0 for a in accs), accs
assert max(accs) > 80.0, accs
assert all(float(r["energy_pj"]) > 0 and float(r["latency_s"]) > 0 for r in front)
with open(os.path.join(out, "points.csv")) as f:
    feasible = sum(r["feasible"] == "1" for r in csv.DictReader(f))
with open(os.path.join(out, "front.svg")) as f:
    assert f.read().count("<circle") == 2 * feasible  # two panels
print("ok: %d-point front, accuracies %.1f-%.1f%%" % (len(front), min(accs), max(accs)))
