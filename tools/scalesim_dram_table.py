#!/usr/bin/env python3
"""Prints Loom's DRAM traffic and stalls beside SCALE-Sim's for the recorded SCALE-Sim runs
(tests/data/scalesim) as a Markdown table, for docs/scalesim.md. Usage:
    python3 tools/scalesim_dram_table.py build/cli/loom
"""
import csv, os, subprocess, sys, tempfile

loom = sys.argv[1] if len(sys.argv) > 1 else "build/cli/loom"
root = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "scalesim")

def rows(path):
    with open(path) as f:
        r = list(csv.reader(f))
    head = [h.strip() for h in r[0]]
    return [dict(zip(head, [c.strip() for c in row])) for row in r[1:] if row]

print("| run | layer | SCALE-Sim DRAM reads (ifmap + filter) | Loom | SCALE-Sim DRAM ofmap writes | Loom | SCALE-Sim stalls | Loom |")
print("|---|---|---|---|---|---|---|---|")
for run in sorted(os.listdir(root)):
    d = os.path.join(root, run)
    if not os.path.isdir(d):
        continue
    cfg = [f for f in os.listdir(d) if f.endswith(".cfg")][0]
    topo = [f for f in os.listdir(d) if f.endswith(".csv") and "REPORT" not in f][0]
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([loom, "run", "-q", "--arch", os.path.join(d, cfg), "--workload",
                        os.path.join(d, topo), "-o", out], check=True, stdout=subprocess.DEVNULL)
        mine = rows(os.path.join(out, "layers.csv"))
    theirs = rows(os.path.join(d, "DETAILED_ACCESS_REPORT.csv"))
    comp = rows(os.path.join(d, "COMPUTE_REPORT.csv"))
    for m, t, c in zip(mine, theirs, comp):
        s_in = int(t["DRAM IFMAP Reads"]) + int(t["DRAM Filter Reads"])
        l_in = int(m["dram_ifmap_reads"]) + int(m["dram_filter_reads"])
        print(f"| {run} | {m['layer']} | {s_in:,} | {l_in:,} | {int(t['DRAM OFMAP Writes']):,} "
              f"| {int(m['dram_ofmap_writes']):,} | {int(c['Stall Cycles']):,} | {int(m['stall_cycles']):,} |")
