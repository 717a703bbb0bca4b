# SPDX-License-Identifier: Apache-2.0
"""loom.run against `loom run`: same totals, same files, same errors; the per-layer cache."""
import csv
import os
import subprocess

import pytest

import loom


@pytest.mark.parametrize("arch", ["edge_ws_32x32", "eyeriss_like_45nm"])
def test_run_totals_equal_the_cli_summary_exactly(arch, cli_run):
    summary, text, out = cli_run("--arch", arch, "--workload", "resnet18")
    r = loom.run(arch=arch, workload="resnet18")
    assert r.totals == summary["totals"]  # every key and value, bit for bit
    assert r.summary_json() == text
    with open(out / "layers.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [name for name, _ in r.columns] == list(rows[0].keys())
    assert [l["layer"] for l in r.layers] == [row["layer"] for row in rows]
    assert [l["total_cycles"] for l in r.layers] == [int(row["total_cycles"]) for row in rows]


def test_run_writes_files_only_when_asked(tmp_path, cli_run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    loom.run(workload="resnet18", search=False)
    assert os.listdir(tmp_path) == []
    _, text, cli_out = cli_run("--workload", "resnet18", "--no-search")
    loom.run(workload="resnet18", search=False, out=tmp_path / "run")
    assert sorted(os.listdir(tmp_path / "run")) == ["layers.csv", "results.h5", "summary.json"]
    assert (tmp_path / "run" / "summary.json").read_text() == text
    assert (tmp_path / "run" / "layers.csv").read_text() == (cli_out / "layers.csv").read_text()


def test_options_match_the_cli(cli_run):
    summary, _, _ = cli_run("--workload", "resnet18", "--batch", "2", "--dataflow", "os",
                            "--objective", "energy", "--budget", "300", "--seed", "7",
                            "--schedule", "graph")
    r = loom.run(workload="resnet18", batch=2, dataflow="os", objective="energy", budget=300,
                 seed=7, schedule="graph")
    assert r.totals == summary["totals"]


def test_defaults_are_the_cli_defaults():
    req = loom._core.RunRequest()
    assert (req.arch, req.budget, req.seed, req.objective, req.schedule) == (
        "edge_ws_32x32", 50000, 1, "", "")


def test_inputs_as_text_dict_and_objects():
    acc = loom.Accelerator("edge_ws_32x32")
    text = {"name": "tiny", "clock_mhz": 1000, "technology_nm": 45, "dataflow": "ws",
            "pe_array": {"rows": 8, "cols": 8},
            "pe": {"weight_bits": 8, "activation_bits": 8, "accumulator_bits": 32},
            "levels": [{"name": "dram", "kind": "dram", "word_bits": 64,
                        "bandwidth_gb_per_s": 12.8},
                       {"name": "glb", "kind": "sram", "holds": ["ifmap", "filter", "ofmap"],
                        "size_kib": 64, "word_bits": 64, "banks": 8}]}
    tiny = loom.Accelerator(text)
    assert (tiny.name, tiny.rows, acc.rows) == ("tiny", 8, 32)
    net = loom.Workload("resnet18")
    again = loom.Workload(net.to_yaml())
    assert again.layers == net.layers
    r = loom.run(tiny, again, search=False)
    assert r.accelerator == "tiny" and r.totals["macs"] == net.macs


def test_errors_carry_file_key_and_line(tmp_path, loom_exe):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nclock_mhz: 1000\ntechnology_nm: 45\ndataflow: ws\n"
                   "pe_array: {rows: -4, cols: 8}\n"
                   "pe: {weight_bits: 8, activation_bits: 8, accumulator_bits: 32}\n"
                   "levels:\n  - {name: dram, kind: dram, word_bits: 64, bandwidth_gb_per_s: 1}\n")
    with pytest.raises(loom.Error) as e:
        loom.Accelerator(str(bad))
    assert e.value.file == str(bad)
    assert e.value.line == 5
    assert e.value.key.startswith("pe_array.rows")
    cli = subprocess.run([loom_exe, "run", "--arch", str(bad), "--workload", "resnet18", "-o",
                          str(tmp_path / "o")], capture_output=True, text=True)
    assert cli.returncode == 2
    assert cli.stderr == f"loom: error: {e.value}\n"  # the CLI's message, word for word
    with pytest.raises(loom.Error) as e:
        loom.Accelerator("name: x\nclock_mhz: fast\n")
    assert e.value.file == "<string>" and e.value.line is not None
    with pytest.raises(loom.Error) as e:
        loom.run(workload="resnet18", dataflow="diagonal")
    assert e.value.key == "--dataflow" and "expected one of" in e.value.message
    with pytest.raises(loom.Error):
        loom.Workload("no_such_network")


def test_cache_remaps_only_the_changed_layer():
    loom.clear_cache()
    net = loom.Workload("resnet18")
    # Layer by layer, so that the other layers' results cannot move: under the graph schedule
    # conv1's narrower tensors may change which layers fuse with it.
    lw = "layerwise"
    first = loom.cache_info()["misses"]
    r1 = loom.run(workload=net, budget=500, schedule=lw)
    mapped = loom.cache_info()["misses"] - first
    assert mapped > 0
    loom.run(workload=net, budget=500, schedule=lw)
    assert loom.cache_info()["misses"] - first == mapped  # a repeated run maps nothing
    # conv1's shape occurs once in ResNet-18: new bits for it make one new search.
    r2 = loom.run(workload=net.with_bits({"conv1": 4}), budget=500, schedule=lw)
    assert loom.cache_info()["misses"] - first == mapped + 1
    assert r2.layers[0]["weight_bits"] == 4 and r1.layers[0]["weight_bits"] == 8
    assert r2.layers[1:] == r1.layers[1:]
    # Other search settings are another cache entry, never a stale answer.
    loom.run(workload=net, budget=501, schedule=lw)
    assert loom.cache_info()["misses"] - first == 2 * mapped + 1


def test_to_pandas():
    pandas = pytest.importorskip("pandas")
    df = loom.run(workload="resnet18", search=False).to_pandas()
    assert isinstance(df, pandas.DataFrame) and len(df) == 21


def test_map_and_import_model(tmp_path):
    layers = loom.map(workload="resnet18", layer="conv1", budget=300, out=tmp_path / "maps")
    assert [l["layer"] for l in layers] == ["conv1"] and layers[0]["evaluated"] > 0
    r = loom.run(workload="resnet18", mapping=tmp_path / "maps", budget=300)
    assert r.layers[0]["total_cycles"] == layers[0]["cycles"]
    onnx = os.path.join(os.environ.get("LOOM_SOURCE_DIR", "."), "tests/data/onnx/squeezenet1_1.onnx")
    if not os.path.exists(onnx):
        pytest.skip("no ONNX test model")
    try:
        from_path = loom.import_model(onnx)
    except loom.Error as e:  # a build without LOOM_WITH_ONNX names the option
        assert "LOOM_WITH_ONNX" in str(e)
        return
    with open(onnx, "rb") as f:
        from_bytes = loom.import_model(f.read(), out=tmp_path / "sq.yaml")
    assert from_bytes.macs == from_path.macs > 0
    assert loom.Workload(str(tmp_path / "sq.yaml")).macs == from_path.macs
