#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Per-call cost of loom.run from Python (docs/python.md, "Cache").

    PYTHONPATH=build/python python3 bench/bench_python.py [--workload resnet18] [--calls 200]

Prints the first (searching) call, then the repeated calls served from the per-layer cache:
with Accelerator/Workload objects built once, by name (presets and zoo networks are parsed once
per process), with .totals and .layers read, and with one layer's bits changed per call (that
layer is mapped again).
"""
import argparse
import statistics
import time

import loom


def timed(fn, calls):
    times = []
    for _ in range(calls):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return times


def report(label, times):
    print(f"{label:<44} median {statistics.median(times):8.3f} ms   "
          f"min {min(times):8.3f} ms   max {max(times):8.3f} ms   ({len(times)} calls)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", default="edge_ws_32x32")
    ap.add_argument("--workload", default="resnet18")
    ap.add_argument("--calls", type=int, default=200)
    args = ap.parse_args()

    loom.clear_cache()
    acc, net = loom.Accelerator(args.arch), loom.Workload(args.workload)
    t = time.perf_counter()
    first = loom.run(acc, net)
    print(f"{args.workload} on {args.arch}: first call (maps every layer shape) "
          f"{(time.perf_counter() - t) * 1e3:.1f} ms; {loom.cache_info()['misses']} shapes mapped")
    report("repeated, objects", timed(lambda: loom.run(acc, net), args.calls))
    report("repeated, objects, .totals read", timed(lambda: loom.run(acc, net).totals, args.calls))
    report("repeated, objects, .totals and .layers read",
           timed(lambda: (lambda r: (r.totals, r.layers))(loom.run(acc, net)), args.calls))
    report("repeated, by preset and zoo name",
           timed(lambda: loom.run(args.arch, args.workload).totals, args.calls))
    # One layer's bits changed per call: that layer is mapped (once per width), the rest hit.
    name = first.layers[0]["layer"]
    widths = iter(range(2, 9))
    before = loom.cache_info()["misses"]
    changed = timed(lambda: loom.run(acc, net.with_bits({name: next(widths)})).totals, 6)
    report(f"{name} at a new width each call", changed)
    print(f"layers mapped again for those {len(changed)} calls: "
          f"{loom.cache_info()['misses'] - before}")


if __name__ == "__main__":
    main()
