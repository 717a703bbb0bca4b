// SPDX-License-Identifier: Apache-2.0
#include "schedule/residency.hpp"

#include <algorithm>

namespace loom::schedule {
namespace {

using arch::Operand;

bool is_mac(const workloads::Network& net, std::size_t i) {
  return workloads::does_macs(net.layers[i].op);
}

// First fit in execution order; `banned` tensors stay in DRAM.
std::vector<bool> first_fit(const Liveness& live, const workloads::Network& net,
                            std::int64_t capacity_bits, const std::vector<Footprint>& footprints,
                            const std::vector<bool>& banned) {
  const std::size_t n = live.tensors.size();
  std::vector<bool> resident(n, false);
  std::vector<std::int64_t> used(n, 0);  // resident bits at each step
  for (std::size_t i = 0; i < n; ++i) {
    const Tensor& t = live.tensors[i];
    if (banned[i] || t.network_output()) continue;
    if (!is_mac(net, i) && !reads_on_chip(live, resident, i, n)) continue;
    bool fits = true;
    for (std::size_t k = t.first; fits && k <= t.last; ++k) {
      const Footprint& f = footprints[k];
      const std::int64_t fp =
          reads_on_chip(live, resident, f.reader_at(k), i) ? f.in_place : f.full;
      fits = used[k] + t.bits + fp <= capacity_bits;
    }
    if (!fits) continue;
    resident[i] = true;
    for (std::size_t k = t.first; k <= t.last; ++k) used[k] += t.bits;
  }
  return resident;
}

// Fills dram_needed and input_on_chip from `r.resident`.
void fill_transfers(const Liveness& live, const workloads::Network& net, Residency& r) {
  const std::size_t n = live.tensors.size();
  r.input_on_chip.assign(n, false);
  r.dram_needed.assign(n, true);
  for (std::size_t k = 0; k < n; ++k) r.input_on_chip[k] = reads_on_chip(live, r.resident, k, n);
  for (std::size_t i = n; i-- > 0;) {
    const Tensor& t = live.tensors[i];
    bool needed = t.network_output() || !r.resident[i];
    for (const std::size_t j : t.consumers)
      needed = needed || (is_mac(net, j) ? !r.input_on_chip[j] : r.dram_needed[j]);
    r.dram_needed[i] = needed;
  }
}

// Resident tensors that save no DRAM transfer: neither their write, nor a MAC consumer's read,
// nor (through a non-MAC consumer) anything downstream.
std::vector<bool> useless(const Liveness& live, const workloads::Network& net, const Residency& r) {
  const std::size_t n = live.tensors.size();
  std::vector<bool> useful(n, false), out(n, false);
  for (std::size_t i = n; i-- > 0;) {
    if (!r.resident[i]) continue;
    bool u = is_mac(net, i) && !r.dram_needed[i];
    for (const std::size_t j : live.tensors[i].consumers)
      u = u || (is_mac(net, j) ? r.input_on_chip[j] : useful[j]);
    useful[i] = u;
    out[i] = !u;
  }
  return out;
}

}  // namespace

bool reads_on_chip(const Liveness& live, const std::vector<bool>& resident, std::size_t k,
                   std::size_t extra) {
  const auto& ps = live.producers[k];
  return !ps.empty() && std::all_of(ps.begin(), ps.end(),
                                    [&](std::size_t p) { return p == extra || resident[p]; });
}

Residency derive_transfers(const Liveness& live, const workloads::Network& net,
                           std::vector<bool> resident) {
  Residency r;
  r.resident = std::move(resident);
  fill_transfers(live, net, r);
  return r;
}

bool residency_fits(const Liveness& live, const workloads::Network& net, std::int64_t capacity_bits,
                    const std::vector<Footprint>& footprints, const std::vector<bool>& resident) {
  const std::size_t n = live.tensors.size();
  std::vector<std::int64_t> used(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!resident[i]) continue;
    const Tensor& t = live.tensors[i];
    if (t.network_output()) return false;
    if (!is_mac(net, i) && !reads_on_chip(live, resident, i, n)) return false;
    for (std::size_t k = t.first; k <= t.last; ++k) used[k] += t.bits;
  }
  for (std::size_t k = 0; k < n; ++k) {
    const Footprint& f = footprints[k];
    const std::int64_t fp = reads_on_chip(live, resident, f.reader_at(k), n) ? f.in_place : f.full;
    if (used[k] > 0 && used[k] + fp > capacity_bits) return false;
  }
  return true;
}

int residency_level(const arch::Accelerator& acc) {
  int best = -1;
  for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l) {
    const auto& lvl = acc.levels[l];
    if (lvl.kind != arch::LevelKind::sram || lvl.per_pe || !lvl.holds_operand(Operand::ifmap))
      continue;
    if (best < 0 || lvl.size_bytes > acc.levels[best].size_bytes) best = l;
  }
  return best;
}

Footprint layer_footprint(const workloads::Layer& layer, const dataflow::ResolvedPrecision& p,
                          const arch::MemoryLevel& lvl) {
  const auto& s = layer.shape;
  const std::int64_t ifmap =
      lvl.holds_operand(Operand::ifmap) ? s.ifmap_elems() * p.activation_bits : 0;
  std::int64_t rest = 0;
  if (lvl.holds_operand(Operand::filter)) rest += s.weight_elems() * p.weight_bits;
  if (lvl.holds_operand(Operand::ofmap))
    rest += s.ofmap_elems() * std::max(p.output_bits, p.psum_bits);
  const std::int64_t cap = lvl.size_bytes * 8;
  return {std::min(cap, 2 * (ifmap + rest)), std::min(cap, 2 * rest)};
}

Residency plan_residency(const Liveness& live, const workloads::Network& net,
                         std::int64_t capacity_bits, const std::vector<Footprint>& footprints,
                         const std::vector<bool>& excluded) {
  const std::size_t n = live.tensors.size();
  std::vector<bool> banned = excluded.empty() ? std::vector<bool>(n, false) : excluded;
  Residency r;
  // Each round bans at least one more tensor or ends: at most n + 1 rounds.
  for (;;) {
    r.resident = capacity_bits > 0 ? first_fit(live, net, capacity_bits, footprints, banned)
                                   : std::vector<bool>(n, false);
    fill_transfers(live, net, r);
    const std::vector<bool> drop = useless(live, net, r);
    if (std::none_of(drop.begin(), drop.end(), [](bool b) { return b; })) return r;
    for (std::size_t i = 0; i < n; ++i) banned[i] = banned[i] || drop[i];
  }
}

}  // namespace loom::schedule
