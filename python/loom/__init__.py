# SPDX-License-Identifier: Apache-2.0
"""Loom from Python: the analytical model, mapper and sweeps of the `loom` command.

    import loom
    r = loom.run(arch="edge_ws_32x32", workload="resnet18")
    r.totals["energy_pj"], r.layers[0]["total_cycles"]

See docs/python.md. Everything here calls the same C++ library as `loom run`, `loom map` and
`loom sweep`, with the same defaults and the same validation (errors raise loom.Error, which
carries .file, .key and .line).
"""
import json
import os
import warnings

from . import _core
from ._core import Error, cache_info, clear_cache

__all__ = ["Accelerator", "Workload", "Result", "MapResult", "Sweep", "Error", "ScheduleWarning",
           "run", "map", "import_model", "cache_info", "clear_cache"]


class ScheduleWarning(UserWarning):
    """A run given mappings does not plan the graph schedule their loom.map recorded (another
    objective, or a layerwise run): the warning `loom run --mapping` prints."""


def _source(value, what):
    """(source, is_text, name for messages) of a name, path, YAML text or dict."""
    if isinstance(value, dict):
        # JSON is YAML: a dict goes through the same loader as a file.
        return json.dumps(value), True, "<dict>"
    if isinstance(value, os.PathLike):
        return os.fspath(value), False, ""
    if isinstance(value, str):
        text = "\n" in value or ":" in value
        return value, text, "<string>" if text else ""
    raise TypeError(f"{what}: expected a name, a path, YAML text or a dict, got {type(value)!r}")


class Accelerator(_core.Accelerator):
    """An accelerator: a preset name, a Loom .yaml or SCALE-Sim .cfg path, YAML text or a dict."""

    def __init__(self, source=None):
        if source is None:
            source = _core.RunRequest().arch  # `loom run`'s default preset
        super().__init__(*_source(source, "arch"))

    def __repr__(self):
        return f"loom.Accelerator({self.name!r}: {self.dataflow} {self.rows}x{self.cols})"


class Workload(_core.Workload):
    """A network: a zoo name, a .yaml/.onnx/.csv path, workload YAML text or a dict."""

    def __init__(self, source):
        if isinstance(source, _core.Workload):
            super().__init__(source)
        else:
            super().__init__(*_source(source, "workload"))

    def with_bits(self, bits):
        """A copy with per-layer bit widths: {layer: weight_bits or (weight, activation)}."""
        pairs = {k: (v, v) if isinstance(v, int) else tuple(v) for k, v in bits.items()}
        return _wrap(super().with_bits(pairs))

    def with_density(self, density):
        """A copy with per-layer densities: {layer: {"weight": 0.5, "ifmap": 0.7}}."""
        return _wrap(super().with_density(density))

    def __repr__(self):
        return f"loom.Workload({self.name!r}: {len(self.layers)} layers, {self.macs} MACs)"


def _wrap(core_workload):
    w = Workload.__new__(Workload)
    _core.Workload.__init__(w, core_workload)
    return w


def _accelerator(arch):
    return arch if isinstance(arch, _core.Accelerator) else Accelerator(arch)


def _workload(workload):
    return workload if isinstance(workload, _core.Workload) else Workload(workload)


class Result:
    """One run: .totals (summary.json's totals), .layers (layers.csv's rows), .to_pandas()."""

    def __init__(self, out):
        self._out = out
        self._totals = None
        self._layers = None

    @property
    def totals(self):
        if self._totals is None:
            self._totals = self._out.totals
        return self._totals

    @property
    def layers(self):
        if self._layers is None:
            self._layers = self._out.layers
        return self._layers

    @property
    def columns(self):
        """layers.csv's columns, in order, as (name, unit) pairs."""
        return self._out.columns

    accelerator = property(lambda self: self._out.accelerator)
    workload = property(lambda self: self._out.workload)
    batch = property(lambda self: self._out.batch)
    unmapped = property(lambda self: self._out.unmapped)

    @property
    def schedule(self):
        """The graph schedule this run planned, as `loom map` records it in schedule.yaml (a
        dict: resident tensors, fused groups, DRAM bytes, cycles, energy); None if layerwise."""
        return self._out.schedule

    def summary_json(self):
        return self._out.summary_json()

    def console(self):
        """The table `loom run` prints."""
        return self._out.console()

    def write(self, out):
        """layers.csv, summary.json and results.h5 in folder `out`, as `loom run -o out`."""
        self._out.write(out)

    def to_pandas(self):
        """The per-layer table as a pandas DataFrame (needs pandas)."""
        import pandas  # optional: only this method needs it

        return pandas.DataFrame(self.layers, columns=[name for name, _ in self.columns])

    def __repr__(self):
        t = self.totals
        return (f"loom.Result({self.workload!r} on {self.accelerator!r}: {t['cycles']} cycles, "
                f"{t['energy_pj'] / 1e6:.4g} uJ)")


def _request(cls, **given):
    """A RunRequest/MapRequest with `loom run`'s defaults, overridden by the non-None options."""
    req = cls()
    for key, value in given.items():
        if value is not None:
            setattr(req, key, value)
    return req


def run(arch=None, workload=None, batch=1, dataflow=None, search=True, *, objective=None,
        budget=None, seed=None, schedule=None, threads=None, mapping=None, out=None):
    """Evaluates `workload` on `arch` as `loom run` does (same defaults); writes files only
    when `out` names a folder. Searched layers are served from a per-layer cache across calls.
    `mapping`: a `loom map` folder or file, or a loom.map result (same arch, workload, batch and
    dataflow); a ScheduleWarning says when the run plans another schedule than it recorded.
    """
    if workload is None:
        raise TypeError("run: workload is required")
    maps = None
    if isinstance(mapping, MapResult):
        maps, mapping = mapping._out, None
    req = _request(_core.RunRequest, batch=batch, dataflow=dataflow, no_search=not search,
                   objective=objective, budget=budget, seed=seed, schedule=schedule,
                   threads=threads, mapping=None if mapping is None else os.fspath(mapping))
    req.budget_given = budget is not None
    result = _core.run(_accelerator(arch), _workload(workload), req,
                       "" if out is None else os.fspath(out), maps)
    if result.schedule_warning:
        warnings.warn(result.schedule_warning, ScheduleWarning, stacklevel=2)
    return Result(result)


class MapResult(list):
    """loom.map's layers, a dict each (list order is the network's), and `.schedule`: the graph
    schedule the mappings run under — what `loom map` writes as schedule.yaml, as a dict — or
    None (a layerwise schedule, or one layer mapped). `loom.run(mapping=result)` runs these
    mappings without files and plans that schedule again."""

    def __init__(self, out, layers):
        super().__init__(layers)
        self._out = out

    @property
    def schedule(self):
        return self._out.schedule


def map(arch=None, workload=None, batch=1, dataflow=None, *, layer=None, strategy=None,
        objective=None, budget=None, seed=None, schedule=None, threads=None, time_limit=None,
        out=None):
    """Searches each MAC layer's best mapping as `loom map` does: a MapResult (a list of dicts
    per layer, and .schedule). With `out`, writes the mapping files and, under the graph
    schedule, schedule.yaml: the folder `loom run --mapping` and loom.run(mapping=) read."""
    if workload is None:
        raise TypeError("map: workload is required")
    req = _core.MapRequest()
    req.run = _request(_core.RunRequest, batch=batch, dataflow=dataflow, objective=objective,
                       budget=budget, seed=seed, schedule=schedule, threads=threads)
    req.budget_given = budget is not None
    for key, value in (("layer", layer), ("strategy", strategy), ("time_limit_s", time_limit),
                       ("out", None if out is None else os.fspath(out))):
        if value is not None:
            setattr(req, key, value)
    return MapResult(*_core.map(_accelerator(arch), _workload(workload), req))


def import_model(model, out=None):
    """A Workload from an ONNX model (bytes, or a path) or any workload file; with `out`, also
    written as workload YAML (as `loom import`)."""
    if isinstance(model, (bytes, bytearray, memoryview)):
        model = bytes(model)
    elif isinstance(model, os.PathLike):
        model = os.fspath(model)
    return _wrap(_core.import_model(model, "" if out is None else os.fspath(out)))


class Sweep:
    """An ask/tell sweep over a `loom sweep` spec (a path, YAML text or a dict):

        s = loom.Sweep("sweep.yaml", out="out/sweep")
        while not s.finished:
            for p in s.ask(8):
                s.tell(p, accuracy=evaluate(p))
        s.finish()   # points.csv, pareto.csv, results.h5, report.html in `out`

    Loom scores each point's hardware; the caller's accuracy is its algorithm side.
    """

    def __init__(self, spec, out=None, resume=False):
        source, text, name = _source(spec, "spec")
        self._s = _core.Sweep(source, text, name, "" if out is None else os.fspath(out),
                              resume)

    def ask(self, n=None):
        """Up to n points of the current batch (all of it by default); [] when the batch's
        points are all out but not all told, or when the sweep is finished."""
        return self._s.ask() if n is None else self._s.ask(n)

    def tell(self, point, accuracy=None):
        """The point's accuracy in percent: a number (one workload), {workload: number} or
        None (then the spec's accuracy.table or accuracy.sensitivity, if any, else unknown).
        Returns the point's row of points.csv."""
        names = self._s.workloads
        if isinstance(accuracy, dict):
            unknown = set(accuracy) - set(names)
            if unknown:
                raise Error(f"accuracy for unknown workload(s) {sorted(unknown)} "
                            f"(workloads: {names})")
            values = [accuracy.get(n) for n in names]
        elif accuracy is None or len(names) == 1:
            values = [None if accuracy is None else float(accuracy)] * len(names)
        else:
            raise Error(f"this sweep has {len(names)} workloads: give {{workload: accuracy}}")
        return self._s.tell(point, values)

    finished = property(lambda self: self._s.finished, doc="No point left to ask or tell.")
    points = property(lambda self: self._s.points, doc="points.csv's rows, told points.")
    pareto = property(lambda self: self._s.pareto, doc="pareto.csv's rows.")
    workloads = property(lambda self: self._s.workloads)
    name = property(lambda self: self._s.name)
    point_count = property(lambda self: self._s.point_count)
    resumed = property(lambda self: self._s.resumed)

    def cache_info(self):
        return self._s.cache_info()

    def finish(self):
        """Writes the sweep's files (with `out`) and returns counts of points and front."""
        return self._s.finish()
