// SPDX-License-Identifier: Apache-2.0
#include "sweep/evaluate_point.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "sweep/accuracy.hpp"
#include "sweep/algorithm.hpp"
#include "sweep/space.hpp"

namespace loom::sweep {

double objective_value(const PointResult& p, Metric m) {
  switch (m) {
    case Metric::energy:
      return p.energy_pj;
    case Metric::latency:
      return p.latency_s;
    case Metric::edp:
      return p.edp_js;
    case Metric::area:
      return p.area_mm2;
    case Metric::accuracy:
      return p.accuracy_pct ? -*p.accuracy_pct : kNotComputed;
  }
  return kNotComputed;
}

namespace {

double buffer_kib(const arch::Accelerator& acc) {
  double bytes = 0;
  for (const auto& l : acc.levels)
    if (l.kind == arch::LevelKind::sram)
      bytes += static_cast<double>(l.size_bytes) *
               (l.per_pe ? static_cast<double>(acc.array.pes()) : 1.0);
  return bytes / 1024.0;
}

std::string first_message(const Error& e) {
  const auto& ds = e.diagnostics();
  if (ds.empty()) return e.what();
  return (ds.front().key.empty() ? "" : ds.front().key + ": ") + ds.front().message;
}

explore::RunOptions run_options(const SweepSpec& spec, explore::LayerCache* cache,
                                std::string scope) {
  explore::RunOptions opt;
  opt.search = spec.search;
  opt.mapper = spec.mapper;
  opt.cache = cache;
  opt.cache_scope = std::move(scope);
  return opt;
}

void apply_constraints(const SweepSpec& spec, PointResult& r) {
  const auto& c = spec.constraints;
  std::vector<std::string> why;
  if (c.area_mm2_max && r.area_mm2 > *c.area_mm2_max)
    why.push_back(fmt::format("area {:.4g} mm2 > {:.4g}", r.area_mm2, *c.area_mm2_max));
  if (c.power_w_max && r.power_w > *c.power_w_max)
    why.push_back(fmt::format("power {:.4g} W > {:.4g}", r.power_w, *c.power_w_max));
  if (c.buffer_kib_max && r.buffer_kib > *c.buffer_kib_max)
    why.push_back(fmt::format("buffer {:.6g} KiB > {:.6g}", r.buffer_kib, *c.buffer_kib_max));
  if (c.accuracy_drop_max && r.accuracy_drop_pp && *r.accuracy_drop_pp > *c.accuracy_drop_max)
    why.push_back(
        fmt::format("accuracy drop {:.4g} pp > {:.4g}", *r.accuracy_drop_pp, *c.accuracy_drop_max));
  r.feasible = why.empty();
  for (const auto& w : why) r.reason += (r.reason.empty() ? "" : "; ") + w;
}

}  // namespace

PointResult PointEvaluator::evaluate(std::uint64_t point) const { return evaluate(point, nullptr); }

PointResult PointEvaluator::evaluate_told(
    std::uint64_t point, const std::vector<std::optional<double>>& accuracy) const {
  if (accuracy.size() != spec_.networks.size())
    throw Error(fmt::format("expected {} accuracies (one per workload), got {}",
                            spec_.networks.size(), accuracy.size()));
  return evaluate(point, &accuracy);
}

PointResult PointEvaluator::evaluate(std::uint64_t point,
                                     const std::vector<std::optional<double>>* told) const {
  PointResult r;
  r.point = point;
  r.workloads.resize(spec_.networks.size());
  const auto choice = spec_.decode(point);
  std::vector<workloads::Network> nets;
  for (const auto& n : spec_.networks) nets.push_back(apply_algorithms(n, spec_, choice));
  // Accuracy first: it is known even when the hardware cannot run the point.
  // Told accuracies need no baseline (then there is no drop); the spec's need one to count.
  double acc_sum = 0, drop = 0;
  bool all_known = true, all_based = true;
  for (std::size_t w = 0; w < nets.size(); ++w) {
    r.workloads[w].accuracy_pct =
        told && (*told)[w] ? (*told)[w] : point_accuracy(spec_, w, nets[w], choice);
    const auto base = spec_.accuracy.baseline_pct.find(nets[w].name);
    if (!r.workloads[w].accuracy_pct) {
      all_known = false;
      continue;
    }
    acc_sum += *r.workloads[w].accuracy_pct;
    if (base == spec_.accuracy.baseline_pct.end()) {
      all_based = false;
      continue;
    }
    drop = std::max(drop, base->second - *r.workloads[w].accuracy_pct);
  }
  if (all_known && (all_based || told) && !nets.empty()) {
    r.accuracy_pct = acc_sum / static_cast<double>(nets.size());
    if (all_based) r.accuracy_drop_pp = drop;
  }
  try {
    const std::string text = point_arch_text(spec_, choice);
    const auto acc = point_accelerator(spec_, choice);
    const auto opt = run_options(spec_, &cache_, text);
    r.energy_pj = r.latency_s = r.power_w = 0;
    for (std::size_t w = 0; w < nets.size(); ++w) {
      const auto run = explore::evaluate_network(nets[w], acc, opt);
      auto& m = r.workloads[w];
      m.energy_pj = run.totals.energy_pj;
      m.latency_s = run.totals.latency_s;
      m.power_w = run.totals.power_w;
      r.energy_pj += m.energy_pj;
      r.latency_s += m.latency_s;
      r.power_w = std::max(r.power_w, m.power_w);
      r.area_mm2 = run.totals.area_mm2;
    }
    r.edp_js = r.energy_pj * 1e-12 * r.latency_s;
    r.buffer_kib = buffer_kib(acc);
  } catch (const Error& e) {
    r.energy_pj = r.latency_s = r.power_w = r.edp_js = r.area_mm2 = kNotComputed;
    for (auto& m : r.workloads) m.energy_pj = m.latency_s = m.power_w = kNotComputed;
    r.feasible = false;
    r.reason = first_message(e);
    return r;
  }
  apply_constraints(spec_, r);
  return r;
}

std::vector<explore::RunResult> PointEvaluator::detail(std::uint64_t point) const {
  const auto choice = spec_.decode(point);
  const auto acc = point_accelerator(spec_, choice);
  const auto opt = run_options(spec_, &cache_, point_arch_text(spec_, choice));
  std::vector<explore::RunResult> out;
  for (const auto& n : spec_.networks)
    out.push_back(explore::evaluate_network(apply_algorithms(n, spec_, choice), acc, opt));
  return out;
}

}  // namespace loom::sweep
