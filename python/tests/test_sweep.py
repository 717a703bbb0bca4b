# SPDX-License-Identifier: Apache-2.0
"""loom.Sweep: ask/tell with the caller's accuracy, NSGA-II, the journal and the outputs."""
import os

import pytest

import loom

SPEC = {
    "name": "ask_tell",
    "workloads": ["resnet18"],
    "accelerator": "edge_ws_32x32",
    "axes": [
        {"name": "array", "set": ["pe_array.rows", "pe_array.cols"], "values": [8, 16, 32]},
        {"name": "bits", "per_layer_bits": {"layers": ["conv1", "layer1.0.conv1", "fc"],
                                            "bits": [4, 8]}},
    ],
    "objectives": ["energy", "accuracy"],
    "strategy": {"kind": "nsga2", "population": 6, "generations": 2, "seed": 3},
    "mapper": {"budget": 200},
}


def fake_accuracy(point):
    """Stands in for the user's evaluation: fewer bits, lower accuracy."""
    bits = {l["name"]: l["weight_bits"] for l in point.layers()}
    return 70.0 - sum(8 - b for b in bits.values()) * 0.5


def drive(sweep):
    told = 0
    while not sweep.finished:
        for p in sweep.ask(4):
            row = sweep.tell(p, accuracy=fake_accuracy(p))
            assert row["point"] == p.id and row["accuracy_pct"] == fake_accuracy(p)
            told += 1
    return told


def test_ask_tell_finds_a_front_and_writes_the_sweep_files(tmp_path):
    s = loom.Sweep(SPEC, out=tmp_path)
    p = s.ask(1)[0]
    assert set(p.hardware) == {"array"} and p.hardware["array"] in (8, 16, 32)
    assert set(p.algorithm) == {"bits.conv1", "bits.layer1.0.conv1", "bits.fc"}
    bits = {l["name"]: l["weight_bits"] for l in p.layers()}
    assert bits["conv1"] == int(p.algorithm["bits.conv1"])
    assert "pe_array" in p.accelerator_yaml
    s.tell(p, accuracy=fake_accuracy(p))
    with pytest.raises(loom.Error):
        s.tell(p, accuracy=1.0)  # told twice
    told = 1 + drive(s)
    assert told == len(s.points) <= 6 * 3
    front = s.pareto
    assert front and all(r["feasible"] == 1 for r in front)
    assert s.finish()["pareto"] == len(front)
    for f in ("journal.tsv", "points.csv", "pareto.csv", "results.h5", "report.html"):
        assert os.path.getsize(tmp_path / f) > 0
    # Resume: every point comes back from the journal, nothing is asked again.
    again = loom.Sweep(SPEC, out=tmp_path, resume=True)
    assert again.resumed == told
    assert drive(again) == 0
    assert [r["point"] for r in again.pareto] == [r["point"] for r in front]


def test_not_asked_points_and_bad_specs_are_errors():
    s = loom.Sweep(SPEC)
    other = loom.Sweep(SPEC).ask(1)[0]
    with pytest.raises(loom.Error):
        s.tell(other, accuracy=50)
    bad = dict(SPEC, objectives=["energy", "beauty"])
    with pytest.raises(loom.Error) as e:
        loom.Sweep(bad)
    assert e.value.key == "objectives" and "beauty" in str(e.value)


TABLE_SPEC = """\
name: ask_tell_vs_cli
workloads: [resnet18]
accelerator: edge_ws_32x32
axes:
  - {name: array, set: [pe_array.rows, pe_array.cols], values: [8, 16, 32]}
  - name: precision
    precision:
      - {name: int8, weight_bits: 8, activation_bits: 8}
      - {name: int4, weight_bits: 4, activation_bits: 4}
objectives: [energy, accuracy]
strategy: {kind: nsga2, population: 4, generations: 2, seed: 5}
mapper: {budget: 200}
accuracy:
  source: made up for this test
  baseline: {resnet18: 69.8}
  table:
    - {workload: resnet18, precision: int8, top1_pct: 69.8}
    - {workload: resnet18, precision: int4, top1_pct: 61.5}
"""


def test_untold_accuracy_reproduces_loom_sweep(tmp_path, loom_exe):
    """Told nothing, the spec's table answers: the same points and files as `loom sweep`."""
    import subprocess

    spec = tmp_path / "spec.yaml"
    spec.write_text(TABLE_SPEC)
    subprocess.run([loom_exe, "sweep", str(spec), "-o", str(tmp_path / "cli"), "-q"], check=True,
                   stdout=subprocess.DEVNULL)
    s = loom.Sweep(str(spec), out=tmp_path / "py")
    while not s.finished:
        for p in s.ask():
            s.tell(p)
    s.finish()
    for f in ("points.csv", "pareto.csv"):
        assert (tmp_path / "py" / f).read_text() == (tmp_path / "cli" / f).read_text(), f
    # The command journals points as its threads finish them: the same lines, in some order.
    journal = [sorted((tmp_path / d / "journal.tsv").read_text().splitlines()) for d in ("py", "cli")]
    assert journal[0] == journal[1]
