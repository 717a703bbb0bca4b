// SPDX-License-Identifier: Apache-2.0
#pragma once
// The memory planner: which tensors stay in an on-chip level from their producer through their
// last consumer instead of going through DRAM. Rules (docs/schedule.md):
//  - one residency level: the largest shared on-chip level (sram, not per-PE) holding ifmaps,
//    since every consumer reads a tensor as its ifmap (ties: the outermost). A producer writes
//    into its ofmap buffer; if that is another level, the drain into the resident copy and the
//    consumer's fills from it are the on-chip moves the layerwise counts already book;
//  - capacity: at every step of a resident tensor's lifetime, all tensors resident then plus
//    the step's working footprint fit the level (bits);
//  - footprint of a MAC layer: twice (double buffering) its whole operands that the level holds
//    (outputs at partial-sum width), capped at the level — no tile is larger than its tensor —
//    except that an ifmap resident in the level is read in place and adds nothing. Non-MAC
//    layers read and write resident tensors in place: no footprint;
//  - a non-MAC layer's tensor may stay only if all the tensors it reads stay;
//  - choice: plan_residency is greedy first fit in execution order (tensors whose residency
//    saves no DRAM transfer are then excluded and the pass repeated); residency_search.hpp
//    finds the choice that is optimal under the run's objective, starting from it.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "schedule/liveness.hpp"
#include "workloads/network.hpp"

namespace loom::schedule {

// The level resident tensors stay in, or -1 if the accelerator has none that holds ifmaps.
[[nodiscard]] int residency_level(const arch::Accelerator& acc);

// A MAC layer's working footprint in `lvl` (bits), without and with its ifmap read in place.
// `reader`: the layer whose inputs decide which of the two applies at this step (the step's own
// layer unless it is inside a fused group: then the group's first layer; fusion.hpp).
inline constexpr std::size_t kSelf = static_cast<std::size_t>(-1);
struct Footprint {
  std::int64_t full = 0;
  std::int64_t in_place = 0;
  std::size_t reader = kSelf;
  [[nodiscard]] std::size_t reader_at(std::size_t step) const {
    return reader == kSelf ? step : reader;
  }
};
[[nodiscard]] Footprint layer_footprint(const workloads::Layer& layer,
                                        const dataflow::ResolvedPrecision& p,
                                        const arch::MemoryLevel& lvl);

struct Residency {
  std::vector<bool> resident;     // by tensor: stays in the residency level its whole life
  std::vector<bool> dram_needed;  // by tensor: some reader needs it from DRAM (it is written)
  // By layer: reads all its input tensors on chip (none of them is the network input).
  std::vector<bool> input_on_chip;
};

// The transfers implied by a choice of resident tensors: fills dram_needed and input_on_chip.
[[nodiscard]] Residency derive_transfers(const Liveness& live, const workloads::Network& net,
                                         std::vector<bool> resident);

// Whether a choice of resident tensors obeys the rules above: network outputs go to DRAM, a
// non-MAC layer's tensor stays only if all it reads stays, and at every step the resident
// tensors plus the step's footprint (in place when all it reads stays) fit `capacity_bits`.
[[nodiscard]] bool residency_fits(const Liveness& live, const workloads::Network& net,
                                  std::int64_t capacity_bits,
                                  const std::vector<Footprint>& footprints,
                                  const std::vector<bool>& resident);

// Whether layer k reads only resident tensors (and at least one), counting tensor `extra` as
// resident (pass live.tensors.size() for none).
[[nodiscard]] bool reads_on_chip(const Liveness& live, const std::vector<bool>& resident,
                                 std::size_t k, std::size_t extra);

// The greedy plan (first fit, see above). `footprints[i]`: layer i's footprint (zero for
// non-MAC layers). `capacity_bits` <= 0 keeps every tensor in DRAM (the layerwise schedule).
// `banned` tensors (empty: none) never stay: a fused group's intermediate tensors, which live
// on chip only as tiles.
Residency plan_residency(const Liveness& live, const workloads::Network& net,
                         std::int64_t capacity_bits, const std::vector<Footprint>& footprints,
                         const std::vector<bool>& banned = {});

}  // namespace loom::schedule
