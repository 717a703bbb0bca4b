// SPDX-License-Identifier: Apache-2.0
#pragma once
// A cycle-level model of a spatial PE array (any spatial-family dataflow: rs, spatial_ws,
// spatial_os, nlr, spatial) executing a loop-nest Mapping of one layer with real data.
// Contract:
//  - The array runs the nest's temporal loops in lockstep, one iteration of every non-spatial
//    loop per cycle (groups outermost, then the nest order of sim/spatial_nest.hpp); each PE
//    (one per combination of spatial loop indices) does the MAC of its coordinate when that
//    coordinate lies inside the layer. cycles = temporal iterations over all groups, empty
//    ones (loops over-covering a dimension) included.
//  - Every level below the outermost that holds an operand keeps one tile of it per instance
//    (per PE for a per-PE level): the elements the MACs of the loops at that level and inside
//    use. A tile that changes is refilled (inputs; a sliding_window level's ifmap only with the
//    elements not already held) or drained (partial sums, read back when drained before); an
//    instance with no MAC in its next tile keeps what it holds. Crossing from the shared level
//    into the PEs, an event (a cycle) reads each distinct element once across the PEs
//    (multicast) and writes each distinct output once (partial sums of PEs that share outputs
//    are added in the array). An operand no per-PE level holds streams: every cycle the level
//    above the PEs sends the distinct inputs, and receives the distinct partial sums, of that
//    cycle. Padding taps are not elements (they move nothing; the MAC multiplies zero).
//  - Every MAC reads its operands from the innermost per-PE level holding each (the ofmap is
//    read and written there). The noc level, if any, counts every word a PE receives or sends.
//  - Input values move with the tiles: a refilled tile keeps the values it already held and
//    takes the others from its parent level's copy (DRAM: the tensors), and a MAC reads its
//    ifmap and filter values from the innermost level holding them; a value missing where it
//    is read is a miss (counted, read as 0).
//  - Each cycle the active PEs' MACs run through a PeModel in direct mode (sim/pe_model.hpp;
//    default CppPe): a signed product, shifted right by pe.product_shift, at the partial-sum
//    width (pe.psum_bits, else accumulator_bits). The windowed products add up per output
//    modulo 2^width -- the scratchpads and local links carry partial sums of that width, so
//    Eyeriss's 16 x 16 -> 32-bit products land in 16-bit partial sums -- and outputs are
//    checked against golden_conv(shape, data, {width, product_shift}).
//  - `on_chip` (ifmap, filter, ofmap; the graph schedule's residency, schedule/dram_cut.hpp):
//    an operand whose tensor stays on chip is copied from (an input) or to (a finished output)
//    the resident tensor where DRAM would send or receive it: the levels' fills and drains and
//    their counts stay, DRAM sees none of it (no access, no SpatialCycle bits); partial sums
//    still spill to DRAM.
// Element counts are exact; bits price a drained output at output_bits once all its MACs are
// done, else at psum_bits. Tile sets are enumerated with sorted vectors: for tests and small
// layers, never for the mapper's inner loop.
#include <array>
#include <cstdint>
#include <memory>

#include "arch/accelerator.hpp"
#include "arch/access_counts.hpp"
#include "dataflow/mapping.hpp"
#include "dataflow/spatial_micro.hpp"
#include "sim/pe_model.hpp"
#include "sim/tensor.hpp"
#include "workloads/layer.hpp"

namespace loom::sim {

// By operand (ifmap, filter, ofmap): whether its tensor stays on chip.
using OnChip = std::array<bool, arch::kOperands>;

struct SpatialArrayResult {
  Tensor4 ofmap;              // N x M x P x Q, wrapped to the accumulator width
  std::int64_t cycles = 0;    // temporal iterations, all groups
  std::int64_t macs = 0;      // MACs performed (coordinates inside the layer)
  std::int64_t pes_used = 0;  // PEs the spatial loops occupy
  arch::AccessCounts access;  // per level and operand, as the analytical model fills it
  std::int64_t elements_checked = 0;
  std::int64_t mismatches = 0;
  std::int64_t misses = 0;  // input values a level or PE needed but the level above lacked
  // Passes, bus traffic and per-word costs as the run made them (dataflow/spatial_micro.hpp).
  dataflow::ArrayEvents events;
};

// What one event of the run moved to and from DRAM, per level it fills (bits), for a timing
// model of the DRAM channel (sim/spatial_timing.hpp). An event is a compute cycle (refills
// happen before its MACs) or the end of a group (outputs drain between two cycles).
struct SpatialCycle {
  std::int64_t cycle = 0;  // compute cycle (temporal iteration), from 0; a group end: the next
  bool computes = true;    // false: a group end
  std::array<std::int64_t, arch::kMaxLevels> fill_bits{};      // from DRAM, all instances
  std::array<std::int64_t, arch::kMaxLevels> instance_fill{};  // largest fill of one instance
  // Largest tile one instance holds, filled on a compute cycle that touches DRAM.
  std::array<std::int64_t, arch::kMaxLevels> tile_bits{};
  std::int64_t drain_bits = 0;  // written to DRAM
  std::int64_t macs = 0;        // MACs this cycle
  bool new_pass = false;        // the first cycle of a processing pass
  // Partial sums PEs received and added, words written into single-port scratchpads.
  std::int64_t psums_received = 0, single_port_writes = 0;
  [[nodiscard]] bool touches_dram() const;
};

// The array one event at a time, for a caller that paces it (the SystemC module,
// sim/spatial_module.hpp): the constructor checks and loads the layer, step() runs the next
// event, finish() the rest and returns the result. The layer, accelerator, mapping, data and
// PE model must outlive the SpatialArray.
class SpatialArray {
 public:
  // Throws loom::Error if the accelerator's dataflow is not a spatial one, the mapping is
  // malformed for this layer (dataflow::check_mapping_shape) or `data` does not fit the shape.
  // Tile capacities are not checked (the mapper's evaluation does that). `pe` null: a CppPe.
  SpatialArray(const workloads::Layer& layer, const arch::Accelerator& acc,
               const dataflow::Mapping& m, const LayerData& data, PeModel* pe = nullptr,
               const OnChip& on_chip = {});
  ~SpatialArray();
  SpatialArray(const SpatialArray&) = delete;
  SpatialArray& operator=(const SpatialArray&) = delete;

  // Runs the next event and returns it (valid until the next call), or null once every group
  // has run.
  const SpatialCycle* step();
  // Runs what is left and returns the result, outputs checked against golden_conv. Call once.
  SpatialArrayResult finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The whole layer at once: SpatialArray(...).finish().
SpatialArrayResult simulate_spatial_array(const workloads::Layer& layer,
                                          const arch::Accelerator& acc, const dataflow::Mapping& m,
                                          const LayerData& data, PeModel* pe = nullptr,
                                          const OnChip& on_chip = {});

}  // namespace loom::sim
