// SPDX-License-Identifier: Apache-2.0
#include "sweep/evaluate_point.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include "core/error.hpp"
#include "energy/energy_table.hpp"
#include "explore/layer_mapper.hpp"
#include "sweep/accuracy.hpp"
#include "sweep/algorithm.hpp"
#include "sweep/layer_wire.hpp"
#include "sweep/parallel_for.hpp"
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
  opt.schedule = spec.schedule;
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

std::size_t PointEvaluator::share_mappings(const std::vector<std::uint64_t>& points, Comm& comm,
                                           int threads) const {
  // What each point would search, as evaluate() builds it; a point whose accelerator or
  // algorithm choice is refused is skipped here and reported by evaluate().
  struct Task {
    explore::SearchTask search;
    std::shared_ptr<const arch::Accelerator> acc;
    std::shared_ptr<const workloads::Network> net;  // owns *search.layer
  };
  std::vector<Task> tasks;
  std::set<std::string> seen;
  for (const auto id : points) {
    try {
      const auto choice = spec_.decode(id);
      const std::string text = point_arch_text(spec_, choice);
      const auto acc = std::make_shared<const arch::Accelerator>(point_accelerator(spec_, choice));
      const auto opt = run_options(spec_, nullptr, text);
      for (const auto& n : spec_.networks) {
        auto net = std::make_shared<const workloads::Network>(apply_algorithms(n, spec_, choice));
        for (auto& t : explore::search_tasks(*net, *acc, opt))
          if (!cache_.contains(t.key) && seen.insert(t.key).second)
            tasks.push_back({std::move(t), acc, net});
      }
    } catch (const Error&) {
    }
  }
  std::vector<std::size_t> mine;
  for (std::size_t i = static_cast<std::size_t>(comm.rank()); i < tasks.size();
       i += static_cast<std::size_t>(comm.size()))
    mine.push_back(i);
  std::vector<std::string> bytes(mine.size());
  parallel_for(mine.size(), threads, [&](std::size_t i) {
    const Task& t = tasks[mine[i]];
    try {
      const auto layer = cache_.get_or_compute(t.search.key, [&] {
        return explore::map_layer(*t.search.layer, *t.acc, energy::make_energy_table(*t.acc),
                                  spec_.mapper);
      });
      append_mapped_layer(bytes[i], t.search.key, layer);
    } catch (const Error&) {
    }
  });
  std::string text;
  for (const auto& b : bytes) text += b;
  const auto parts = comm.allgather(text);
  for (int r = 0; r < comm.size(); ++r) {
    if (r == comm.rank()) continue;
    for (auto& [key, layer] : read_mapped_layers(parts[static_cast<std::size_t>(r)]))
      cache_.insert(key, std::move(layer));
  }
  return mine.size();
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
