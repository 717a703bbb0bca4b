// SPDX-License-Identifier: Apache-2.0
// Target `eyeriss`: the Eyeriss v1 chip (preset eyeriss) on the measurements of JSSC 2017, and
// the 45 nm Eyeriss-like design, which has no published figure (info rows).
#include <algorithm>
#include <string>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "dataflow/layer_timing.hpp"
#include "validate/common.hpp"
#include "validate/eyeriss_alexnet.hpp"
#include "validate/eyeriss_reference.hpp"
#include "validate/targets.hpp"
#include "workloads/network.hpp"

namespace loom::validate {
namespace {

constexpr const char* kJssc = "Chen et al., JSSC 52(1) 2017, Sec. VI";
constexpr const char* kAlex = "AlexNet CONV1-5, batch 4: ";

double ms_of(std::int64_t cycles, const arch::Accelerator& acc) {
  return static_cast<double>(cycles) / acc.clock_hz * 1e3;
}

// The chip's processing latency is its run with DRAM fully overlapped: the array's MAC steps
// and what its microarchitecture adds (dataflow/layer_timing.hpp, array_busy_cycles).
double busy_ms(const dataflow::LayerCounts& c, const arch::Accelerator& acc) {
  return dataflow::array_busy_cycles(c) / acc.clock_hz * 1e3;
}

// PEs the layer's mapping occupies (its spatial footprint), whether busy or waiting on DRAM.
double footprint_pes(const dataflow::LayerCounts& c, const arch::Accelerator& acc) {
  return c.mapping_efficiency_pct / 100.0 * static_cast<double>(acc.array.pes());
}

void add_vgg16(std::vector<Row>& rows, const mapper::MapperOptions& options,
               std::string_view preset) {
  const auto acc = arch::load_accelerator(std::string(preset));
  const auto r = explore::evaluate_network(eyeriss_vgg16(3), acc, validation_run(options));
  const auto& ref = kEyerissVgg16;
  double dram = 0, glb = 0, busy = 0;
  for (const auto& lr : r.layers) {
    dram += level_bytes(lr, acc, "dram");
    glb += level_bytes(lr, acc, "glb");
    busy += busy_ms(lr.counts, acc);
  }
  // What the per-layer table shows (docs/modelling.md): on CONV1-4 the chip's processing time is
  // its global-buffer traffic at 14.8-15.3 B/cycle, and its mappings move 2.5x Loom's bytes
  // there (psums back to the buffer after 1, 1, 2, 4, ~8 input channels on stages 1-5).
  const std::string why =
      "needs the chip's VGG-16 mappings: its GLB traffic is 2.5x Loom's and sets its time at "
      "~15 B/cycle (docs/modelling.md)";
  const auto row = [&](std::string figure, std::string unit, double published, double loom,
                       Status status, std::string note) {
    rows.push_back({"eyeriss", "VGG-16 conv, batch 3: " + figure, std::move(unit), published, 0,
                    loom, kDefaultBandPct, status, kJssc, std::move(note)});
  };
  row("frame rate", "frames/s", ref.frames_per_s, r.totals.inferences_per_s, Status::known_gap,
      why);
  row("processing latency", "ms", ref.processing_latency_ms, busy, Status::known_gap, why);
  row("global-buffer traffic", "MB", ref.glb_mb, glb / kMB, Status::known_gap, why);
  row("chip power", "mW", ref.power_mw,
      (on_chip_energy_pj(r) + r.totals.static_energy_pj) * 1e-12 / r.totals.latency_s * 1e3,
      Status::known_gap, "dynamic + leakage + register clock, over Loom's shorter latency");
  row("DRAM traffic", "MB", ref.dram_mb, dram / kMB, Status::check,
      "with the chip's measured ifmap densities (run-length coded feature maps)");
  // Per-layer rows come from an image table (unverified): shown, never in the README.
  for (const auto& lr : r.layers) {
    const auto it = std::find_if(kEyerissVgg16Layers.begin(), kEyerissVgg16Layers.end(),
                                 [&](const auto& l) { return l.name == lr.layer.name; });
    if (it == kEyerissVgg16Layers.end()) continue;
    const auto info = [&](std::string figure, std::string unit, double published, double loom) {
      rows.push_back({"eyeriss", "VGG-16 " + std::string(it->name) + " " + figure, std::move(unit),
                      published, 0, loom, kDefaultBandPct, Status::info,
                      "JSSC 2017 Table VI (unverified)", ""});
    };
    info("processing latency", "ms", it->processing_ms, busy_ms(lr.counts, acc));
    info("global-buffer traffic", "MB", it->glb_mb, level_bytes(lr, acc, "glb") / kMB);
    info("DRAM traffic", "MB", it->dram_mb, level_bytes(lr, acc, "dram") / kMB);
  }
}

// The 45 nm design has no published figure: Loom's energy per MAC, cycles and utilization of
// three AlexNet layers (ungrouped, batch 1) under both of its dataflows, for the record.
void add_eyeriss_like_45nm(std::vector<Row>& rows, const mapper::MapperOptions& options) {
  auto acc = arch::load_accelerator("eyeriss_like_45nm");
  workloads::Network net;
  net.name = "alexnet_45nm_reference_layers";
  const auto conv = [](std::string name, std::int64_t C, std::int64_t M, std::int64_t P,
                       std::int64_t R, std::int64_t stride, std::int64_t pad) {
    workloads::Layer l;
    l.name = std::move(name);
    l.shape.C = C;
    l.shape.M = M;
    l.shape.P = l.shape.Q = P;
    l.shape.R = l.shape.S = R;
    l.shape.stride_h = l.shape.stride_w = stride;
    l.shape.pad_h = l.shape.pad_w = pad;
    l.shape.H = l.shape.W = (P - 1) * stride + R - 2 * pad;
    return l;
  };
  net.layers = {conv("conv1", 3, 96, 55, 11, 4, 0), conv("conv2", 96, 256, 27, 5, 1, 2),
                conv("conv3", 256, 384, 13, 3, 1, 1)};
  for (const auto df : {arch::Dataflow::rs, arch::Dataflow::spatial}) {
    acc.dataflow = df;
    const auto r = explore::evaluate_network(net, acc, validation_run(options));
    const std::string tag(arch::dataflow_info(df).name);
    for (const auto& lr : r.layers) {
      const auto& c = lr.counts;
      const std::string n = "45 nm design " + lr.layer.name + " (" + tag + ") ";
      const auto info = [&](const std::string& what, const char* unit, double v) {
        rows.push_back({"eyeriss", n + what, unit, 0, 0, v, kDefaultBandPct, Status::info,
                        "no published figure", ""});
      };
      info("energy", "pJ/MAC", lr.energy.total_pj / static_cast<double>(c.macs));
      info("cycles", "cycles", static_cast<double>(c.total_cycles));
      info("utilization", "%", c.overall_util_pct);
    }
  }
}

}  // namespace

void add_eyeriss_alexnet_rows(std::vector<Row>& rows, const explore::RunResult& r,
                              const AlexNetRowsSpec& spec) {
  const auto& acc = r.accelerator;
  const auto& ref = kEyerissAlexNet;
  double glb = 0, dram = 0, compute_ms = 0, footprint_cycles = 0;
  for (const auto& lr : r.layers) {
    glb += level_bytes(lr, acc, "glb");
    dram += level_bytes(lr, acc, "dram");
    compute_ms += busy_ms(lr.counts, acc);
    footprint_cycles += footprint_pes(lr.counts, acc) * static_cast<double>(lr.counts.total_cycles);
  }
  const double on_chip_mw = on_chip_energy_pj(r) * 1e-12 / r.totals.latency_s * 1e3;
  const auto row = [&](std::string figure, std::string unit, double published, double loom,
                       double band, Status status, std::string note) {
    rows.push_back({"eyeriss", spec.prefix + figure, std::move(unit), published, 0, loom, band,
                    status, spec.source.empty() ? kJssc : spec.source, std::move(note)});
  };
  row("processing latency", "ms", ref.processing_latency_ms, compute_ms, 15, Status::check,
      "the array's cycles (MAC steps, passes, psum and port stalls) against the chip's "
      "latency with DRAM fully overlapped");
  row("total latency", "ms", ref.latency_ms, r.totals.latency_s * 1e3, kDefaultBandPct,
      Status::check, "");
  if (spec.footprint_pes)
    row("active PEs (occupied, latency-weighted)", "PEs", ref.active_pes,
        footprint_cycles / static_cast<double>(r.totals.cycles), 100.0 * 8 / ref.active_pes,
        Status::check, "band: 8 PEs; the PEs each mapping occupies, as the chip counts them");
  else
    row("active PEs (time average)", "PEs", ref.active_pes, r.totals.active_pes_avg,
        100.0 * 8 / ref.active_pes, Status::check, "band: 8 PEs");
  row("DRAM traffic", "MB", ref.dram_mb, dram / kMB, 20, Status::check, "");
  row("global-buffer traffic", "MB", ref.glb_mb, glb / kMB, 20, Status::check, "");
  // Total power: dynamic energy of MACs, RF, NoC and GLB plus leakage and register clock power
  // from published per-unit figures, none fitted to the chip (docs/energy.md); no control logic
  // or clock-tree wires.
  const double static_mw = r.totals.static_energy_pj * 1e-12 / r.totals.latency_s * 1e3;
  row("chip power", "mW", ref.power_mw, on_chip_mw + static_mw, kDefaultBandPct, Status::check,
      "dynamic (MAC, RF, NoC, GLB) + leakage + register clock; no control logic");
  // Per-layer rows come from an image table (unverified): shown, never in the README.
  for (const auto& lr : r.layers) {
    const auto it = std::find_if(kEyerissAlexNetLayers.begin(), kEyerissAlexNetLayers.end(),
                                 [&](const auto& l) { return l.name == lr.layer.name; });
    if (it == kEyerissAlexNetLayers.end()) continue;
    const double ms = ms_of(lr.counts.total_cycles, acc);
    const std::string n = std::string(it->name) + spec.layer_suffix;
    const auto info = [&](std::string figure, std::string unit, double published, double loom) {
      rows.push_back({"eyeriss", n + " " + figure, std::move(unit), published, 0, loom,
                      kDefaultBandPct, Status::info, "JSSC 2017 per-layer table (unverified)", ""});
    };
    info("processing latency", "ms", it->processing_ms, busy_ms(lr.counts, acc));
    info("total latency", "ms", it->latency_ms, ms);
    info("active PEs", "PEs", it->active_pes,
         spec.footprint_pes ? footprint_pes(lr.counts, acc) : lr.counts.active_pes);
    info("DRAM traffic", "MB", it->dram_mb, level_bytes(lr, acc, "dram") / kMB);
    info("global-buffer traffic", "MB", it->glb_mb, level_bytes(lr, acc, "glb") / kMB);
    info("power", "mW", it->power_mw, on_chip_energy_pj(lr, acc) * 1e-12 / (ms * 1e-3) * 1e3);
  }
}

std::vector<Row> eyeriss_alexnet_rows(const mapper::MapperOptions& options,
                                      std::string_view preset) {
  std::vector<Row> rows;
  const auto acc = arch::load_accelerator(std::string(preset));
  const auto r = explore::evaluate_network(conv_layers("alexnet", 4), acc, validation_run(options));
  add_eyeriss_alexnet_rows(rows, r, {kAlex, "", false, ""});
  return rows;
}

workloads::Network eyeriss_vgg16(std::int64_t batch) {
  auto net = conv_layers("vgg16", batch);
  net.name = "eyeriss_vgg16_conv";
  const auto density = [](const EyerissVgg16Layer& l) { return 1 - l.ifmap_zeros_pct / 100; };
  for (std::size_t i = 0; i < kEyerissVgg16Layers.size(); ++i) {
    const auto& l = kEyerissVgg16Layers[i];
    const auto it = std::find_if(net.layers.begin(), net.layers.end(),
                                 [&](const workloads::Layer& x) { return x.name == l.name; });
    if (it == net.layers.end()) throw Error("zoo vgg16 has no layer " + std::string(l.name));
    it->density.ifmap = density(l);
    // A layer's outputs are the next conv layer's inputs (the pools between are ignored, as
    // the AlexNet zoo file does); the last conv layer's stay dense.
    if (i + 1 < kEyerissVgg16Layers.size()) it->density.ofmap = density(kEyerissVgg16Layers[i + 1]);
  }
  return net;
}

std::vector<Row> eyeriss_vgg16_rows(const mapper::MapperOptions& options, std::string_view preset) {
  std::vector<Row> rows;
  add_vgg16(rows, options, preset);
  return rows;
}

std::vector<Row> eyeriss_rows(const mapper::MapperOptions& options) {
  auto rows = eyeriss_alexnet_rows(options);
  const auto chip = eyeriss_chip_mapping_rows();
  rows.insert(rows.end(), chip.begin(), chip.end());
  add_vgg16(rows, options, "eyeriss");
  add_eyeriss_like_45nm(rows, options);
  return rows;
}

}  // namespace loom::validate
