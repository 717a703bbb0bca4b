// SPDX-License-Identifier: Apache-2.0
#include "sim/memory_system.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/error.hpp"
#include "dataflow/capacity.hpp"

namespace loom::sim {
namespace {

using arch::Operand;
constexpr int kIfmap = 0, kFilter = 1, kOfmap = 2;
// What a written-back partial sum leaves in the output buffer: a read-back that never happened
// turns into wrong outputs.
constexpr std::int64_t kPoison = 0x5A5A5A5A;

void fill_slots(std::array<std::vector<std::int32_t>, 2>& v, std::size_t n, std::int32_t x) {
  for (auto& s : v) s.assign(n, x);
}

}  // namespace

SystolicMemory::SystolicMemory(const workloads::Layer& layer, const arch::Accelerator& acc,
                               const dataflow::ResolvedPrecision& p, const std::vector<Fold>& folds,
                               const TilePlan& plan, const LayerData& data,
                               std::span<std::int64_t> y, std::span<std::int64_t> dram_ofmap)
    : shape_(layer.shape),
      p_(p),
      plan_(plan),
      data_(data),
      y_(y),
      dram_ofmap_(dram_ofmap),
      dram_(acc.levels[static_cast<std::size_t>(acc.dram_level())].bandwidth_bytes_per_cycle,
            acc.levels[static_cast<std::size_t>(acc.dram_level())].latency_cycles),
      bus_(acc.levels[static_cast<std::size_t>(acc.dram_level())]) {
  const auto& s = shape_;
  mpx_ = s.N * s.P * s.Q;
  cg_ = s.channels_per_group();
  k_ = cg_ * s.R * s.S;
  mg_ = s.M / s.groups;
  for (std::int64_t px = 0; px < mpx_; ++px) {
    px_n_.push_back(px / (s.P * s.Q));
    px_h_.push_back(px / s.Q % s.P * s.stride_h - s.pad_h);
    px_w_.push_back(px % s.Q * s.stride_w - s.pad_w);
  }
  for (std::int64_t k = 0; k < k_; ++k) {
    k_c_.push_back(k / (s.R * s.S));
    k_h_.push_back(k / s.S % s.R * s.dilation_h);
    k_w_.push_back(k % s.S * s.dilation_w);
  }
  check_capacity(acc);
  const auto raw = static_cast<std::size_t>(s.ifmap_elems());
  fill_slots(ifmap_.value, raw, 0);
  fill_slots(ifmap_.tag, raw, -1);
  const auto weights = static_cast<std::size_t>(s.groups * k_ * mg_);
  fill_slots(filter_.value, weights, 0);
  fill_slots(filter_.tag, weights, -1);
  psum_scratch_.assign(y.size(), kPoison);
  std::fill(dram_ofmap_.begin(), dram_ofmap_.end(), kPoison);
  (void)folds;
}

void SystolicMemory::check_capacity(const arch::Accelerator& acc) const {
  // Every operand's largest tile, double-buffered, must fit its buffer, outputs at partial-sum
  // width: the mapper's rule (dataflow/capacity.hpp), summed as the nest analysis sums it
  // (dataflow/nest_analysis.cpp), so the two agree on which mappings are legal: an ifmap tile
  // counts as its im2col size scaled by the layer's raw / im2col ratio. A tile's exact raw
  // footprint can exceed that by its halo; the slots hold it regardless (peak_ifmap_tile
  // reports the largest).
  const auto& s = shape_;
  const double scale = static_cast<double>(s.ifmap_elems()) /
                       static_cast<double>(s.groups * mpx_ * k_);
  std::map<int, double> tile_bits;
  const int bits[3] = {p_.activation_bits, p_.weight_bits, p_.psum_bits};
  for (int o = 0; o < arch::kOperands; ++o) {
    std::int64_t largest = 0;
    for (const auto& v : plan_.visits[o]) {
      const auto& b = v.box;
      largest = std::max(largest, o == kIfmap ? b.px * b.k : o == kFilter ? b.k * b.m : b.px * b.m);
    }
    tile_bits[plan_.level[o]] +=
        static_cast<double>(largest * bits[o]) * (o == kIfmap ? scale : 1.0);
  }
  for (const auto& [level, need] : tile_bits) {
    const auto& lvl = acc.levels[static_cast<std::size_t>(level)];
    if (!dataflow::tiles_fit(need, lvl, dataflow::Buffering::double_buffered))
      throw Error(Diagnostic{acc.source, "levels." + lvl.name + ".size_kib", 0,
                             "two tiles of each operand (double buffering) need " +
                                 std::to_string(static_cast<std::int64_t>(2.0 * need / 8)) +
                                 " bytes, more than the buffer's " +
                                 std::to_string(lvl.size_bytes)});
  }
}

std::int64_t SystolicMemory::raw_index(std::int64_t g, std::int64_t px, std::int64_t k) const {
  const auto pi = static_cast<std::size_t>(px), ki = static_cast<std::size_t>(k);
  const std::int64_t h = px_h_[pi] + k_h_[ki], w = px_w_[pi] + k_w_[ki];
  if (h < 0 || h >= shape_.H || w < 0 || w >= shape_.W) return -1;
  return ((px_n_[pi] * shape_.C + g * cg_ + k_c_[ki]) * shape_.H + h) * shape_.W + w;
}

std::int32_t SystolicMemory::a(std::size_t fold, std::int64_t px, std::int64_t k) {
  const std::size_t v = plan_.visit_of_fold[kIfmap][fold];
  const std::int64_t idx = raw_index(plan_.visits[kIfmap][v].box.group, px, k);
  if (idx < 0) return 0;
  const auto slot = v & 1;
  if (ifmap_.tag[slot][static_cast<std::size_t>(idx)] != static_cast<std::int32_t>(v)) {
    ++st_.misses;
    return 0;
  }
  return ifmap_.value[slot][static_cast<std::size_t>(idx)];
}

std::int32_t SystolicMemory::b(std::size_t fold, std::int64_t k, std::int64_t m) {
  const std::size_t v = plan_.visit_of_fold[kFilter][fold];
  const auto idx =
      static_cast<std::size_t>((plan_.visits[kFilter][v].box.group * k_ + k) * mg_ + m);
  const auto slot = v & 1;
  if (filter_.tag[slot][idx] != static_cast<std::int32_t>(v)) {
    ++st_.misses;
    return 0;
  }
  return filter_.value[slot][idx];
}

std::int64_t SystolicMemory::request(std::int64_t cycle, int o, const GemmBox& b, std::int64_t bits,
                                     int elem_bits, bool write) {
  const auto runs = dataflow::tile_runs(shape_, static_cast<Operand>(o), b, elem_bits);
  return dram_.request_cycles(cycle, bus_.cycles(bits, runs, write));
}

void SystolicMemory::fetch_input(int o, std::int64_t cycle) {
  const std::size_t v = ready_at_[o].size();
  const GemmBox& b = plan_.visits[o][v].box;
  Slots& sl = o == kIfmap ? ifmap_ : filter_;
  const auto slot = v & 1;
  const auto tag = static_cast<std::int32_t>(v);
  std::int64_t moved = 0;
  for (std::int64_t k = b.k0; k < b.k0 + b.k; ++k) {
    if (o == kFilter) {
      // The block of weights (c, r, s) = k for filters m0..m0 + m of the group.
      const std::int64_t c = k_c_[static_cast<std::size_t>(k)];
      const std::int64_t r = k / shape_.S % shape_.R, t = k % shape_.S;
      for (std::int64_t m = b.m0; m < b.m0 + b.m; ++m) {
        const auto idx = static_cast<std::size_t>((b.group * k_ + k) * mg_ + m);
        sl.tag[slot][idx] = tag;
        sl.value[slot][idx] = data_.weights.data[static_cast<std::size_t>(
            data_.weights.offset(b.group * mg_ + m, c, r, t))];
        ++moved;
      }
      continue;
    }
    for (std::int64_t px = b.px0; px < b.px0 + b.px; ++px) {
      const std::int64_t idx = raw_index(b.group, px, k);
      if (idx < 0) continue;
      const auto i = static_cast<std::size_t>(idx);
      if (sl.tag[slot][i] == tag) continue;  // already brought by another entry of the tile
      sl.tag[slot][i] = tag;
      sl.value[slot][i] = data_.ifmap.data[i];
      ++moved;
    }
  }
  if (o == kIfmap) st_.peak_ifmap_tile = std::max(st_.peak_ifmap_tile, moved);
  st_.dram_reads[o] += moved;
  const int bits = o == kIfmap ? p_.activation_bits : p_.weight_bits;
  ready_at_[o].push_back(request(cycle, o, b, moved * bits, bits, false));
}

void SystolicMemory::write_back(std::int64_t cycle) {
  const std::size_t v = written_back_at_.size();
  const TileVisit& visit = plan_.visits[kOfmap][v];
  const GemmBox& b = visit.box;
  std::int64_t moved = 0;
  for (std::int64_t px = b.px0; px < b.px0 + b.px; ++px)
    for (std::int64_t m = b.m0; m < b.m0 + b.m; ++m) {
      const auto idx = static_cast<std::size_t>((b.group * mpx_ + px) * mg_ + m);
      if (visit.final_visit) {
        dram_ofmap_[idx] = y_[idx];
      } else {
        psum_scratch_[idx] = y_[idx];
        y_[idx] = kPoison;
      }
      ++moved;
    }
  (visit.final_visit ? st_.final_writes : st_.psum_writes) += moved;
  const int bits = visit.final_visit ? p_.output_bits : p_.psum_bits;
  written_back_at_.push_back(request(cycle, kOfmap, b, moved * bits, bits, true));
  st_.end_cycle = std::max(st_.end_cycle, written_back_at_.back());
}

void SystolicMemory::allocate_output(std::int64_t cycle) {
  const std::size_t v = ready_at_[kOfmap].size();
  const TileVisit& visit = plan_.visits[kOfmap][v];
  if (!visit.revisit) {
    ready_at_[kOfmap].push_back(cycle);
    return;
  }
  const GemmBox& b = visit.box;
  std::int64_t moved = 0;
  for (std::int64_t px = b.px0; px < b.px0 + b.px; ++px)
    for (std::int64_t m = b.m0; m < b.m0 + b.m; ++m) {
      const auto idx = static_cast<std::size_t>((b.group * mpx_ + px) * mg_ + m);
      y_[idx] = psum_scratch_[idx];
      ++moved;
    }
  st_.dram_reads[kOfmap] += moved;
  ready_at_[kOfmap].push_back(request(cycle, kOfmap, b, moved * p_.psum_bits, p_.psum_bits, false));
}

void SystolicMemory::issue(std::int64_t cycle) {
  // Finished output tiles go out first: they free slots.
  const auto& outs = plan_.visits[kOfmap];
  while (written_back_at_.size() < ready_at_[kOfmap].size() &&
         outs[written_back_at_.size()].last_fold < outputs_done_)
    write_back(cycle);
  while (ready_at_[kOfmap].size() < outs.size()) {
    const std::size_t v = ready_at_[kOfmap].size();
    if (v >= 2 && (written_back_at_.size() <= v - 2 || written_back_at_[v - 2] > cycle)) break;
    allocate_output(cycle);
  }
  // Input tiles in the order folds need them, each once its slot is free.
  while (true) {
    int pick = -1;
    std::size_t need = 0;
    for (int o : {kIfmap, kFilter}) {
      const std::size_t v = ready_at_[o].size();
      if (v >= plan_.visits[o].size()) continue;
      if (v >= 2 && plan_.visits[o][v - 2].last_fold >= reads_done_) continue;
      if (pick < 0 || plan_.visits[o][v].first_fold < need) {
        pick = o;
        need = plan_.visits[o][v].first_fold;
      }
    }
    if (pick < 0) break;
    fetch_input(pick, cycle);
  }
}

bool SystolicMemory::ready(std::size_t fold, std::int64_t cycle) {
  issue(cycle);
  for (int o = 0; o < arch::kOperands; ++o) {
    const std::size_t v = plan_.visit_of_fold[o][fold];
    if (v >= ready_at_[o].size() || ready_at_[o][v] > cycle) {
      ++st_.wait_cycles[o];
      return false;
    }
  }
  return true;
}

void SystolicMemory::tick(std::int64_t cycle, std::size_t reads_done, std::size_t outputs_done) {
  reads_done_ = reads_done;
  outputs_done_ = outputs_done;
  issue(cycle + 1);  // acts on this cycle's progress from the next cycle on
}

MemoryStats SystolicMemory::stats() const {
  MemoryStats s = st_;
  s.dram_busy_cycles = dram_.busy_cycles();
  s.transfers = dram_.transfers();
  return s;
}

}  // namespace loom::sim
