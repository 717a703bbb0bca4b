# SPDX-License-Identifier: Apache-2.0
"""loom.map's graph schedule against `loom map`'s schedule.yaml, and loom.run taking it back."""
import subprocess
import warnings

import pytest

import loom

ARGS = dict(workload="resnet18", budget=300, threads=1)  # fused groups and resident tensors


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    """(loom.map's result, the folder it wrote)."""
    out = tmp_path_factory.mktemp("py") / "maps"
    return loom.map(out=out, **ARGS), out


def test_map_writes_and_returns_the_cli_schedule(mapped, loom_exe, tmp_path):
    yaml = pytest.importorskip("yaml")
    m, out = mapped
    subprocess.run([loom_exe, "map", "--workload", "resnet18", "--budget", "300", "--threads",
                    "1", "-q", "-o", str(tmp_path)], check=True, stdout=subprocess.DEVNULL)
    # The same files as the command's, byte for byte: every mapping and schedule.yaml.
    cli_files = sorted(p.name for p in tmp_path.iterdir())
    assert sorted(p.name for p in out.iterdir()) == cli_files
    assert "schedule.yaml" in cli_files and len(cli_files) == len(m) + 1
    for name in cli_files:
        assert (out / name).read_text() == (tmp_path / name).read_text(), name
    # .schedule is that file's content.
    assert m.schedule == yaml.safe_load((out / "schedule.yaml").read_text())
    assert m.schedule["groups"] and m.schedule["resident"]
    assert [l["layer"] for l in m][0] == "conv1" and isinstance(m, list)


def test_run_takes_the_schedule_back_from_the_result_or_the_folder(mapped, cli_run):
    m, out = mapped
    with warnings.catch_warnings():
        warnings.simplefilter("error", loom.ScheduleWarning)  # the same plan: no warning
        in_memory = loom.run(mapping=m, **ARGS)
        from_folder = loom.run(mapping=out, **ARGS)
    assert in_memory.schedule == from_folder.schedule == m.schedule
    assert in_memory.totals == from_folder.totals
    # The schedule's figures are the run's, and `loom run --mapping DIR`'s.
    summary, _, _ = cli_run("--workload", "resnet18", "--budget", "300", "--mapping", str(out))
    assert in_memory.totals == summary["totals"]
    assert m.schedule["cycles"] == summary["totals"]["cycles"]
    assert m.schedule["dram_bytes"] == summary["levels"]["dram"]["bytes"]
    assert m.schedule["energy_pj"] == summary["totals"]["energy_pj"]


def test_a_layerwise_run_of_graph_mappings_warns_as_the_cli(mapped, loom_exe, tmp_path):
    m, out = mapped
    with pytest.warns(loom.ScheduleWarning, match="this run is layerwise"):
        r = loom.run(mapping=m, schedule="layerwise", **ARGS)
    assert r.schedule is None
    with pytest.warns(loom.ScheduleWarning) as record:
        loom.run(mapping=out, schedule="layerwise", **ARGS)
    cli = subprocess.run([loom_exe, "run", "--workload", "resnet18", "--mapping", str(out),
                          "--schedule", "layerwise", "-q", "-o", str(tmp_path)], check=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert f"warning: {record[0].message}\n" in cli.stderr


def test_layerwise_or_one_layer_maps_have_no_schedule(tmp_path):
    m = loom.map(schedule="layerwise", out=tmp_path, **ARGS)
    assert m.schedule is None and not (tmp_path / "schedule.yaml").exists()
    assert loom.map(layer="conv1", **ARGS).schedule is None


def test_a_map_result_runs_only_what_it_mapped(mapped):
    m, _ = mapped
    for other in (dict(batch=2), dict(workload="resnet50"), dict(dataflow="os"),
                  dict(arch="tpu_v1_like")):
        with pytest.raises(loom.Error) as e:
            loom.run(mapping=m, **{**ARGS, **other})
        assert e.value.key == "mapping"
