#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Joint hardware/algorithm search with accuracy measured by training, not looked up.

A small CNN (digits_cnn.yaml, layer for layer) is trained once with PyTorch on scikit-learn's
8x8 handwritten digits. loom.Sweep (sweep.yaml, NSGA-II) then proposes points that choose an
array size, an SRAM size and a dataflow (priced by Loom) together with per-layer bit widths and a
channel pruning (what this script trains): for each point the base model is channel-pruned to the
channel counts Loom prices for it (p.layers()), fake-quantized to its per-layer bits, fine-tuned
briefly with the quantizers in place and evaluated on the held-out digits; that accuracy is told
to the sweep. The accuracy-energy-latency Pareto front is printed and written as pareto.csv (by
Loom), front.svg and summary.json.

    PYTHONPATH=build/python python3 examples/joint_search/joint_search.py --out out/joint_search
"""
import argparse
import json
import math
import os
import re
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import loom

HERE = os.path.dirname(os.path.abspath(__file__))
MAC_LAYERS = ("conv1", "conv2", "fc")


def load_data():
    """The 1,797 digits as 1x8x8 images in [0, 1]; a stratified 75/25 split, fixed."""
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    x_train, x_test, y_train, y_test = train_test_split(
        x, digits.target, test_size=0.25, stratify=digits.target, random_state=0)
    as_t = torch.from_numpy
    return as_t(x_train), as_t(y_train).long(), as_t(x_test), as_t(y_test).long()


class DigitsCnn(torch.nn.Module):
    """conv1 (1->c1, 3x3, pad 1), ReLU, conv2 (c1->c2), ReLU, 2x2 max-pool, fc (c2*16 -> 10).

    With `bits` ({layer: (weight_bits, activation_bits)}) each MAC layer's weights are
    fake-quantized (symmetric, per output channel) and its input activations too (unsigned, to a
    range calibrated once on the training set), with straight-through gradients. Biases stay in
    the 32-bit accumulator's precision.
    """

    def __init__(self, c1=16, c2=32):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, c1, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(c1, c2, 3, padding=1)
        self.fc = torch.nn.Linear(c2 * 16, 10)
        self.bits = None
        self.act_max = {}

    def _input(self, name, x):
        if self.bits is None:
            return x
        if name not in self.act_max:  # calibration pass
            self.act_max[name] = float(x.max())
        levels = 2 ** self.bits[name][1] - 1
        scale = max(self.act_max[name], 1e-8) / levels
        q = torch.clamp(torch.round(x / scale), 0, levels) * scale
        return x + (q - x).detach()

    def _weight(self, name, w):
        if self.bits is None:
            return w
        levels = 2 ** (self.bits[name][0] - 1) - 1  # 2 bits: {-1, 0, 1} x scale
        amax = w.detach().abs().flatten(1).max(dim=1).values.clamp_min(1e-8)
        scale = (amax / levels).view(-1, *([1] * (w.dim() - 1)))
        q = torch.clamp(torch.round(w / scale), -levels, levels) * scale
        return w + (q - w).detach()

    def forward(self, x):
        x = F.relu(F.conv2d(self._input("conv1", x), self._weight("conv1", self.conv1.weight),
                            self.conv1.bias, padding=1))
        x = F.relu(F.conv2d(self._input("conv2", x), self._weight("conv2", self.conv2.weight),
                            self.conv2.bias, padding=1))
        x = F.max_pool2d(x, 2).flatten(1)
        return F.linear(self._input("fc", x), self._weight("fc", self.fc.weight), self.fc.bias)


def train(model, data, epochs, lr, seed):
    """Adam on mini-batches of 32 in a seeded order: the same call gives the same weights."""
    x, y = data[0], data[1]
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=gen)
        for i in range(0, len(x), 32):
            idx = order[i:i + 32]
            opt.zero_grad()
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return 100.0 * float((model(x).argmax(1) == y).float().mean())


def pruned_copy(base, layers):
    """The base model with the channels Loom prices at this point (largest L1-norm filters kept).

    Loom's prune transform fixes how many output channels each layer keeps
    (round(M * (1 - ratio))) and shrinks the consumers to match; which channels go is the
    trainer's choice, here the filters of smallest L1 norm (Li et al., ICLR 2017).
    """
    c1, c2 = layers["conv1"]["M"], layers["conv2"]["M"]
    keep1 = base.conv1.weight.detach().abs().sum((1, 2, 3)).argsort(descending=True)[:c1].sort()[0]
    keep2 = base.conv2.weight.detach().abs().sum((1, 2, 3)).argsort(descending=True)[:c2].sort()[0]
    m = DigitsCnn(c1, c2)
    with torch.no_grad():
        m.conv1.weight.copy_(base.conv1.weight[keep1])
        m.conv1.bias.copy_(base.conv1.bias[keep1])
        m.conv2.weight.copy_(base.conv2.weight[keep2][:, keep1])
        m.conv2.bias.copy_(base.conv2.bias[keep2])
        # fc reads the pooled map flattened channel-major: 16 features per conv2 channel.
        m.fc.weight.copy_(base.fc.weight.view(10, -1, 16)[:, keep2].reshape(10, -1))
        m.fc.bias.copy_(base.fc.bias)
    assert layers["fc"]["C"] == m.fc.in_features, "fc must read what Loom prices"
    return m


def evaluate_point(base, data, point, epochs):
    """Prune, fake-quantize, fine-tune and test the algorithm half of a point."""
    layers = {l["name"]: l for l in point.layers()}
    m = pruned_copy(base, layers)
    m.bits = {n: (layers[n]["weight_bits"], layers[n]["activation_bits"]) for n in MAC_LAYERS}
    m.eval()
    with torch.no_grad():
        m(data[0])  # calibrates the activation ranges on the training set
    train(m, data, epochs, lr=1e-3, seed=1)
    return accuracy(m, data[2], data[3])


def sweep_spec(population, generations):
    """sweep.yaml with the workload path made absolute and the NSGA-II sizes of the command line."""
    with open(os.path.join(HERE, "sweep.yaml")) as f:
        text = f.read()
    text = text.replace("[digits_cnn.yaml]", "[%s]" % os.path.join(HERE, "digits_cnn.yaml"))
    return re.sub(r"population: \d+, generations: \d+",
                  "population: %d, generations: %d" % (population, generations), text)


def print_front(front):
    print("Pareto front (accuracy measured, energy and latency priced by Loom), %d points:"
          % len(front))
    print("%6s %7s %10s %10s %5s %5s %4s  %-13s %5s" % (
        "point", "acc %", "energy nJ", "latency us", "array", "KiB", "df", "bits c1/c2/fc",
        "prune"))
    for r in sorted(front, key=lambda r: -r["accuracy_pct"]):
        print("%6d %7.2f %10.2f %10.3f %5d %5d %4s  %-13s %5s" % (
            r["point"], r["accuracy_pct"], r["energy_pj"] / 1e3, r["latency_s"] * 1e6,
            r["array"], r["sram_kib"], r["dataflow"],
            "/".join(str(r["bits." + n]) for n in MAC_LAYERS), r["prune"]))


def _panel(points, front, metric, scale, label, x0):
    """One scatter panel of the SVG: accuracy up, `metric` (log scale) across."""
    w, h, pad = 360, 280, 50
    xs = [math.log10(p[metric] * scale) for p in points]
    ys = [p["accuracy_pct"] for p in points]
    lo, hi = min(xs), max(xs) + 1e-9
    ylo, yhi = min(ys) - 1, min(100.0, max(ys) + 1)

    def at(p):
        fx = (math.log10(p[metric] * scale) - lo) / (hi - lo)
        fy = (p["accuracy_pct"] - ylo) / (yhi - ylo)
        return x0 + pad + fx * (w - pad - 10), 10 + (1 - fy) * (h - pad - 10)

    out = ['<rect x="%d" y="10" width="%d" height="%d" fill="none" stroke="#888"/>'
           % (x0 + pad, w - pad - 10, h - pad - 10)]
    out.append('<text x="%d" y="%d" text-anchor="middle">%s (log)</text>'
               % (x0 + pad + (w - pad) / 2, h - 12, label))
    out.append('<text x="%d" y="%d" text-anchor="middle" transform="rotate(-90 %d %d)">'
               'accuracy %%</text>' % (x0 + 14, h / 2, x0 + 14, h / 2))
    for v, anchor in ((lo, "start"), (hi, "end")):
        out.append('<text x="%.1f" y="%d" text-anchor="%s" font-size="10">%.3g</text>' % (
            x0 + pad + (v - lo) / (hi - lo) * (w - pad - 10), h - pad + 14, anchor, 10 ** v))
    for v in (ylo, yhi):
        out.append('<text x="%d" y="%.1f" text-anchor="end" font-size="10">%.1f</text>' % (
            x0 + pad - 3, 10 + (1 - (v - ylo) / (yhi - ylo)) * (h - pad - 10) + 4, v))
    ids = {r["point"] for r in front}
    for p in sorted(points, key=lambda p: p["point"] in ids):
        x, y = at(p)
        on = p["point"] in ids
        out.append('<circle cx="%.1f" cy="%.1f" r="%d" fill="%s"><title>point %d</title>'
                   '</circle>' % (x, y, 4 if on else 2.5, "#d62728" if on else "#bbb", p["point"]))
    return out


def write_svg(path, points, front):
    """Accuracy against energy and against latency: feasible points grey, the front red."""
    points = [p for p in points if p["feasible"] == 1]
    body = _panel(points, front, "energy_pj", 1e-3, "energy per inference, nJ", 0)
    body += _panel(points, front, "latency_s", 1e6, "latency per inference, us", 360)
    with open(path, "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" width="720" height="280" '
                'font-family="sans-serif" font-size="12">\n%s\n</svg>\n' % "\n".join(body))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="out/joint_search", help="output folder (default %(default)s)")
    ap.add_argument("--population", type=int, default=24, help="NSGA-II population (even, >= 4)")
    ap.add_argument("--generations", type=int, default=12, help="NSGA-II generations")
    ap.add_argument("--epochs", type=int, default=20, help="epochs training the base model")
    ap.add_argument("--finetune-epochs", type=int, default=3, help="epochs fine-tuning a point")
    ap.add_argument("--threads", type=int, default=1,
                    help="PyTorch threads (default 1: this model is too small to gain from more; "
                         "on a busy 2-core machine an epoch took 0.14 s on 1 thread, 1.8 s on 2)")
    ap.add_argument("--quick", action="store_true",
                    help="a shortened run (CI): population 4, 1 generation, 12 base epochs, "
                         "1 fine-tuning epoch")
    args = ap.parse_args(argv)
    if args.quick:
        args.population, args.generations, args.epochs, args.finetune_epochs = 4, 1, 12, 1

    started = time.time()
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(0)
    data = load_data()
    base = DigitsCnn()
    train(base, data, args.epochs, lr=3e-3, seed=0)
    base_acc = accuracy(base, data[2], data[3])
    print("base model: %.2f%% test accuracy (float32, %d epochs, %d train / %d test digits)"
          % (base_acc, args.epochs, len(data[0]), len(data[2])), flush=True)

    os.makedirs(args.out, exist_ok=True)
    sweep = loom.Sweep(sweep_spec(args.population, args.generations), out=args.out)
    # A point's accuracy depends only on its algorithm half (pruning and bits; fine-tuning is
    # seeded), so points that differ only in hardware reuse it.
    measured = {}
    while not sweep.finished:
        for p in sweep.ask(args.population):
            key = tuple(sorted(p.algorithm.items()))
            if key not in measured:
                measured[key] = evaluate_point(base, data, p, args.finetune_epochs)
            sweep.tell(p, accuracy=measured[key])
        print("  %d points told, %d models fine-tuned, %.0f s"
              % (len(sweep.points), len(measured), time.time() - started), flush=True)
    sweep.finish()
    front = sweep.pareto
    print_front(front)
    write_svg(os.path.join(args.out, "front.svg"), sweep.points, front)
    elapsed = time.time() - started
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump({"base_accuracy_pct": base_acc, "points": len(sweep.points),
                   "models_fine_tuned": len(measured), "pareto_points": len(front),
                   "seconds": round(elapsed, 1), "args": vars(args)}, f, indent=2)
    print("%d points, %d models fine-tuned, %.1f s; wrote %s/{pareto.csv,points.csv,front.svg,"
          "report.html,summary.json}" % (len(sweep.points), len(measured), elapsed, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
