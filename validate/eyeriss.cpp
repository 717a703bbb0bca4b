// SPDX-License-Identifier: Apache-2.0
#include "validate/eyeriss.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "arch/accelerator.hpp"
#include "validate/eyeriss_reference.hpp"
#include "workloads/network.hpp"

namespace loom::validate {
namespace {

constexpr double kMB = 1e6;  // the papers' MB are 10^6 bytes

double sum_bytes(const explore::LayerResult& lr, const arch::Accelerator& acc,
                 std::string_view level) {
  double b = 0;
  for (std::size_t i = 0; i < acc.levels.size(); ++i)
    if (acc.levels[i].name == level) b += lr.counts.access.bytes(static_cast<int>(i));
  return b;
}

double layer_latency_ms(const explore::LayerResult& lr, const arch::Accelerator& acc) {
  return static_cast<double>(lr.counts.total_cycles) / acc.clock_hz * 1e3;
}

double layer_on_chip_pj(const explore::LayerResult& lr, const arch::Accelerator& acc) {
  double pj = lr.energy.total_pj;
  for (std::size_t i = 0; i < acc.levels.size(); ++i)
    if (acc.levels[i].kind == arch::LevelKind::dram) pj -= lr.energy.level_pj[i];
  return pj;
}

explore::RunOptions run_options(const mapper::MapperOptions& options) {
  explore::RunOptions r;
  r.mapper = options;
  return r;
}

}  // namespace

bool Check::passed() const {
  return !gated() || std::abs(error_pct()) <= tolerance_pct + 1e-9;
}

double on_chip_energy_pj(const explore::RunResult& r) {
  double pj = 0;
  for (const auto& lr : r.layers) pj += layer_on_chip_pj(lr, r.accelerator);
  return pj;
}

workloads::Network conv_layers(const std::string& name, std::int64_t batch) {
  auto net = workloads::zoo_load(name);
  std::erase_if(net.layers, [](const workloads::Layer& l) {
    return l.op != workloads::OpKind::conv && l.op != workloads::OpKind::depthwise &&
           l.op != workloads::OpKind::pointwise;
  });
  net.name += "_conv";
  return net.with_batch(batch);
}

Section eyeriss_alexnet(const mapper::MapperOptions& options) {
  const auto acc = arch::load_accelerator("eyeriss");
  const auto r = explore::evaluate_network(conv_layers("alexnet", 4), acc, run_options(options));
  const auto& ref = kEyerissAlexNet;
  Section s;
  s.title = "Eyeriss chip (JSSC 2017), AlexNet CONV1-CONV5, batch 4 -- preset eyeriss";
  double glb = 0, dram = 0;
  for (const auto& lr : r.layers) {
    glb += sum_bytes(lr, acc, "glb");
    dram += sum_bytes(lr, acc, "dram");
  }
  const double on_chip_mw = on_chip_energy_pj(r) * 1e-12 / r.totals.latency_s * 1e3;
  double compute_s = 0;
  for (const auto& lr : r.layers)
    compute_s += static_cast<double>(lr.counts.compute_cycles) / acc.clock_hz;
  s.checks = {
      {"processing latency", "ms", compute_s * 1e3, ref.processing_latency_ms, 15,
       "Loom's compute cycles against the chip's latency with DRAM fully overlapped"},
      {"total latency", "ms", r.totals.latency_s * 1e3, ref.latency_ms, -1,
       "with the DRAM time Loom's prefetch model cannot hide"},
      {"active PEs (time average)", "PEs", r.totals.active_pes_avg, ref.active_pes,
       100.0 * 8 / ref.active_pes, "tolerance: 8 PEs"},
      {"DRAM traffic", "MB", dram / kMB, ref.dram_mb, 20, ""},
      {"global-buffer traffic", "MB", glb / kMB, ref.glb_mb, 20, ""},
      {"chip power", "mW", on_chip_mw + r.totals.static_energy_pj / r.totals.latency_s * 1e-9,
       ref.power_mw, -1, "dynamic (MACs, RF, NoC, GLB) + leakage + register clock; no control"},
  };
  for (const auto& lr : r.layers) {
    const auto it = std::find_if(kEyerissAlexNetLayers.begin(), kEyerissAlexNetLayers.end(),
                                 [&](const auto& l) { return l.name == lr.layer.name; });
    if (it == kEyerissAlexNetLayers.end()) continue;
    const double ms = layer_latency_ms(lr, acc);
    const std::string n(it->name);
    s.checks.push_back({n + " processing latency", "ms",
                        static_cast<double>(lr.counts.compute_cycles) / acc.clock_hz * 1e3,
                        it->processing_ms, -1, ""});
    s.checks.push_back({n + " total latency", "ms", ms, it->latency_ms, -1, ""});
    s.checks.push_back({n + " active PEs", "PEs", lr.counts.active_pes, it->active_pes, -1, ""});
    s.checks.push_back({n + " DRAM traffic", "MB", sum_bytes(lr, acc, "dram") / kMB, it->dram_mb,
                        -1, ""});
    s.checks.push_back({n + " global-buffer traffic", "MB", sum_bytes(lr, acc, "glb") / kMB,
                        it->glb_mb, -1, ""});
    s.checks.push_back({n + " power", "mW", layer_on_chip_pj(lr, acc) * 1e-12 / (ms * 1e-3) * 1e3,
                        it->power_mw, -1, ""});
  }
  s.notes.push_back("per-layer reference rows come from an image table (unverified): shown, not gated");
  return s;
}

Section eyeriss_vgg16(const mapper::MapperOptions& options) {
  const auto acc = arch::load_accelerator("eyeriss");
  const auto r = explore::evaluate_network(conv_layers("vgg16", 3), acc, run_options(options));
  double dram = 0;
  for (const auto& lr : r.layers) dram += sum_bytes(lr, acc, "dram");
  Section s;
  s.title = "Eyeriss chip (JSSC 2017), VGG-16 conv layers, batch 3 -- a held-out measurement";
  s.checks = {
      {"frame rate", "frames/s", r.totals.inferences_per_s, kEyerissVgg16.frames_per_s, -1, ""},
      {"chip power", "mW", on_chip_energy_pj(r) * 1e-12 / r.totals.latency_s * 1e3,
       kEyerissVgg16.power_mw, -1, "dynamic energy only"},
      {"DRAM traffic", "MB", dram / kMB, kEyerissVgg16.dram_mb, -1,
       "the zoo's VGG-16 carries no measured densities: feature maps dense, RLC unused"},
  };
  return s;
}

Section isca16_dataflows(const mapper::MapperOptions& options) {
  Section s;
  s.title = "ISCA 2016 dataflow study: AlexNet CONV1-CONV5, batch 16, 256 PEs, equal storage area";
  const auto net = conv_layers("alexnet", 16);
  const auto energy_of = [&](const char* preset) {
    const auto acc = arch::load_accelerator(preset);
    auto opt = run_options(options);
    opt.mapper.objective = mapper::Objective{mapper::ObjectiveKind::energy};
    return explore::evaluate_network(net, acc, opt).totals.pj_per_mac;
  };
  const double rs = energy_of("isca16_rs_256");
  s.checks.push_back({"RS energy", "pJ/MAC", rs, rs, -1, "the baseline of the ratios below"});
  for (const auto& [name, preset] : {std::pair{"WS", "isca16_spatial_ws_256"},
                                     std::pair{"OS", "isca16_spatial_os_256"},
                                     std::pair{"NLR", "isca16_nlr_256"}}) {
    const double e = energy_of(preset);
    const double ratio = e / rs;
    // The paper gives a range: the reference shown is the nearest end of it.
    const double ref = std::clamp(ratio, kIsca16RsAdvantageLow, kIsca16RsAdvantageHigh);
    s.checks.push_back({std::string(name) + " / RS energy", "x", ratio, ref, -1,
                        "paper: RS 1.4x-2.5x better (error to the nearest end of the range)"});
  }
  s.notes.push_back("mapper objective: energy (the study compares energy at equal parallelism)");
  return s;
}

Section eyeriss_like_45nm(const mapper::MapperOptions& options) {
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
  // Shapes of the reference file (ungrouped, batch 1).
  net.layers = {conv("conv1", 3, 96, 55, 11, 4, 0), conv("conv2", 96, 256, 27, 5, 1, 2),
                conv("conv3", 256, 384, 13, 3, 1, 1)};
  Section s;
  s.title = "Eyeriss-like design at 45 nm (Accelergy per-action energies), batch 1 -- report only";
  for (const auto df : {arch::Dataflow::rs, arch::Dataflow::spatial}) {
    acc.dataflow = df;
    const auto r = explore::evaluate_network(net, acc, run_options(options));
    const std::string tag(arch::dataflow_info(df).name);
    for (const auto& lr : r.layers) {
      const auto& c = lr.counts;
      const std::string n = lr.layer.name + " (" + tag + ")";
      s.checks.push_back({n + " energy", "pJ/MAC", lr.energy.total_pj / static_cast<double>(c.macs),
                          0, -1, ""});
      s.checks.push_back({n + " cycles", "cycles", static_cast<double>(c.total_cycles), 0, -1, ""});
      s.checks.push_back({n + " utilization", "%", c.overall_util_pct, 0, -1, ""});
    }
  }
  s.notes.push_back("a peer tool's results on this design are kept aside; no reference is gated");
  return s;
}

std::string format_sections(const std::vector<Section>& sections) {
  std::string out;
  for (const auto& s : sections) {
    out += fmt::format("\n{}\n", s.title);
    std::size_t w = 6;
    for (const auto& c : s.checks) w = std::max(w, c.what.size());
    out += fmt::format("  {:<{}}  {:>12}  {:>12}  {:>8}  {:>9}  {}\n", "figure", w, "loom",
                       "reference", "error", "tolerance", "unit / note");
    for (const auto& c : s.checks) {
      const bool has_ref = c.reference != 0;
      const std::string ref = has_ref ? fmt::format("{:.4g}", c.reference) : "-";
      const std::string err = has_ref ? fmt::format("{:+.1f}%", c.error_pct()) : "-";
      const std::string tol =
          c.gated() ? fmt::format("{}{:.0f}% {}", "±", c.tolerance_pct, c.passed() ? "ok" : "FAIL")
                    : "-";
      out += fmt::format("  {:<{}}  {:>12.4g}  {:>12}  {:>8}  {:>9}  {}{}{}\n", c.what, w, c.loom,
                         ref, err, tol, c.unit, c.note.empty() ? "" : " -- ", c.note);
    }
    for (const auto& n : s.notes) out += "  note: " + n + "\n";
  }
  return out;
}

bool all_passed(const std::vector<Section>& sections) {
  for (const auto& s : sections)
    for (const auto& c : s.checks)
      if (!c.passed()) return false;
  return true;
}

}  // namespace loom::validate
