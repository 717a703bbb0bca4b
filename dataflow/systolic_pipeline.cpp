// SPDX-License-Identifier: Apache-2.0
#include "dataflow/systolic_pipeline.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "dataflow/dram_timing.hpp"
#include "dataflow/im2col_footprint.hpp"
#include "dataflow/sram_ports.hpp"
#include "dataflow/systolic_axes.hpp"
#include "dataflow/systolic_cycles.hpp"

namespace loom::dataflow {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
constexpr int kIfmap = 0, kFilter = 1, kOfmap = 2;

class Pipeline {
 public:
  Pipeline(const workloads::Layer& layer, const arch::Accelerator& acc,
           const std::vector<Fold>& folds, const TilePlan& plan, const ResolvedPrecision& p)
      : layer_(layer),
        folds_(folds),
        plan_(plan),
        p_(p),
        bus_(acc.levels[static_cast<std::size_t>(acc.dram_level())]) {
    const auto& dram = acc.levels[static_cast<std::size_t>(acc.dram_level())];
    latency_ = dram.latency_cycles;
    clock_ = {acc.array.rows, acc.array.cols, systolic_axes(acc.dataflow).outputs_stay(),
              edge_strides(acc, p)};
    for (int o = 0; o < arch::kOperands; ++o) {
      const std::size_t n = plan.visits[o].size();
      ready_at_[o].reserve(n);
      freed_at_[o].assign(n, kNever);  // inputs: slot free / outputs: drained, issue time
    }
  }

  PipelineTiming run() {
    std::int64_t prev_start = 0;
    for (std::size_t f = 0; f < folds_.size(); ++f) {
      const Fold& fold = folds_[f];
      const Fold* prev = f > 0 ? &folds_[f - 1] : nullptr;
      const bool keeps = prev && keeps_tile(*prev, fold, clock_.outputs_stay);
      // The array's own schedule (systolic_cycles.hpp), delayed until the fold's tiles are in.
      const std::int64_t first = clock_.first_activity(prev, prev_start, keeps);
      std::int64_t ready = 0;
      for (int o = 0; o < arch::kOperands; ++o) {
        const std::size_t v = plan_.visit_of_fold[o][f];
        while (ready_at_[o].size() <= v) issue_next();
        ready = std::max(ready, ready_at_[o][v]);
      }
      const std::int64_t start = clock_.start(prev, prev_start, keeps, std::max(first, ready));
      prev_start = start;
      // The buffers act on this fold's progress from the cycle after: its last edge read,
      // and its last output drained.
      const std::int64_t reads_over = clock_.last_read(fold, start) + 1;
      const std::int64_t drained = clock_.end(fold, start);
      for (int o = 0; o < arch::kOperands; ++o) {
        const std::size_t v = plan_.visit_of_fold[o][f];
        if (plan_.visits[o][v].last_fold == f) freed_at_[o][v] = o == kOfmap ? drained : reads_over;
      }
      array_end_ = drained;
    }
    while (written_ < plan_.visits[kOfmap].size()) issue_next();
    return {array_end_, std::max(array_end_, last_done_)};
  }

 private:
  // A transfer of operand o's tile `b` at `bits` per element (dram_timing.hpp).
  std::int64_t transfer(std::int64_t now, int o, const GemmBox& b, std::int64_t elems, int bits,
                        bool write) {
    const std::int64_t begin = std::max(now, bus_free_);
    bus_free_ =
        begin + bus_.cycles(elems * bits,
                            tile_runs(layer_.shape, static_cast<arch::Operand>(o), b, bits), write);
    return bus_free_ + latency_;
  }

  // When each kind of request may be issued next (kNever: not yet known or none left).
  std::int64_t next_write_back() const {
    if (written_ >= ready_at_[kOfmap].size()) return kNever;
    return freed_at_[kOfmap][written_];
  }
  std::int64_t next_allocation() const {
    const std::size_t v = ready_at_[kOfmap].size();
    if (v >= plan_.visits[kOfmap].size()) return kNever;
    if (v < 2) return 0;
    return v - 2 < written_ ? written_at_[v - 2] : kNever;
  }
  std::int64_t next_fetch(int o) const {
    const std::size_t v = ready_at_[o].size();
    if (v >= plan_.visits[o].size()) return kNever;
    return v < 2 ? 0 : freed_at_[o][v - 2];
  }

  // Issues the earliest request(s) due, in the controller's order within a cycle: write-backs,
  // output slots, then inputs by the fold that needs them first.
  void issue_next() {
    const std::int64_t t = std::min({next_write_back(), next_allocation(),
                                     next_fetch(kIfmap), next_fetch(kFilter)});
    // Every tile a fold needs depends only on earlier folds, so something is always due.
    if (t == kNever) throw std::logic_error("systolic pipeline: no request can be issued");
    now_ = std::max(now_, t);
    while (next_write_back() <= now_) write_back();
    while (next_allocation() <= now_) allocate();
    while (true) {
      int pick = -1;
      for (int o : {kIfmap, kFilter})
        if (next_fetch(o) <= now_ &&
            (pick < 0 || plan_.visits[o][ready_at_[o].size()].first_fold <
                             plan_.visits[pick][ready_at_[pick].size()].first_fold))
          pick = o;
      if (pick < 0) break;
      fetch(pick);
    }
  }

  void write_back() {
    const TileVisit& v = plan_.visits[kOfmap][written_];
    written_at_.push_back(transfer(now_, kOfmap, v.box, v.box.px * v.box.m,
                                   v.final_visit ? p_.output_bits : p_.psum_bits, true));
    last_done_ = std::max(last_done_, written_at_.back());
    ++written_;
  }
  void allocate() {
    const TileVisit& v = plan_.visits[kOfmap][ready_at_[kOfmap].size()];
    ready_at_[kOfmap].push_back(
        v.revisit ? transfer(now_, kOfmap, v.box, v.box.px * v.box.m, p_.psum_bits, false) : now_);
  }
  void fetch(int o) {
    const GemmBox& b = plan_.visits[o][ready_at_[o].size()].box;
    const std::int64_t elems =
        o == kIfmap ? raw_ifmap_elems(layer_.shape, b.px0, b.px, b.k0, b.k) : b.k * b.m;
    ready_at_[o].push_back(
        transfer(now_, o, b, elems, o == kIfmap ? p_.activation_bits : p_.weight_bits, false));
  }

  const workloads::Layer& layer_;
  const std::vector<Fold>& folds_;
  const TilePlan& plan_;
  ResolvedPrecision p_;
  DramBus bus_;
  std::int64_t latency_ = 0;
  FoldClock clock_;
  std::array<std::vector<std::int64_t>, arch::kOperands> ready_at_, freed_at_;
  std::vector<std::int64_t> written_at_;
  std::size_t written_ = 0;
  std::int64_t now_ = 0, bus_free_ = 0, last_done_ = 0, array_end_ = 0;
};

}  // namespace

PipelineTiming systolic_pipeline(const workloads::Layer& layer, const arch::Accelerator& acc,
                                 const std::vector<Fold>& folds, const TilePlan& plan,
                                 const ResolvedPrecision& p) {
  if (folds.empty()) return {};
  return Pipeline(layer, acc, folds, plan, p).run();
}

}  // namespace loom::dataflow
