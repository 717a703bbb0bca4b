// SPDX-License-Identifier: Apache-2.0
#pragma once
// The buffers and DRAM around a systolic array, moving the layer's real data: one on-chip
// buffer per operand (the accelerator's sram level holding it), each split into two slots
// (double buffering: one tile in use, the next filling), one DRAM channel (dram_channel.hpp)
// and the controller that walks the mapping's tiles (dataflow/tile_plan.hpp).
//  - Input tiles are fetched in the order folds need them, as soon as their slot is free (the
//    folds of the tile it held two tiles ago have read their last edge operand). An ifmap tile
//    brings the distinct raw input elements its im2col entries read (zero padding is never
//    stored or moved); a filter tile its block of the weights.
//  - An output tile takes a slot once the tile that held it two tiles ago has been written back;
//    a tile revisited before its reduction ends is read back first. A tile whose folds have all
//    written their outputs is written back: final values to the DRAM ofmap, partial sums to a
//    DRAM scratch area (and its on-chip copy is poisoned, so a missing read-back shows up as a
//    wrong output).
//  - The array reads its edge operands from the slots; a value not there is a miss (counted and
//    read as 0 — a controller bug would show as mismatches). A fold starts only once all its
//    tiles are on chip; the cycles it waits are counted by the operand it waited for.
// The array's own buffer traffic (edge reads, partial sums read and written) is counted by the
// array (ArrayStats); this counts what crosses between DRAM and the buffers.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/dram_timing.hpp"
#include "dataflow/layer_counts.hpp"
#include "sim/dram_channel.hpp"
#include "sim/systolic_array.hpp"
#include "sim/tensor.hpp"
#include "dataflow/tile_plan.hpp"

namespace loom::sim {

using dataflow::GemmBox;
using dataflow::TilePlan;
using dataflow::TileVisit;

struct MemoryStats {  // elements per operand (ifmap, filter, ofmap)
  std::array<std::int64_t, arch::kOperands> dram_reads{};  // ofmap: partial sums read back
  std::int64_t final_writes = 0;                           // outputs written to DRAM
  std::int64_t psum_writes = 0;                            // partial sums written back
  std::array<std::int64_t, arch::kOperands> wait_cycles{};  // a fold waited for this operand
  std::int64_t misses = 0;  // edge reads of values not in their buffer slot
  std::int64_t peak_ifmap_tile = 0;  // raw elements of the largest ifmap tile fetched
  std::int64_t dram_busy_cycles = 0, transfers = 0;
  std::int64_t end_cycle = 0;  // when the last transfer completed
};

class SystolicMemory final : public ArrayMemory {
 public:
  // `folds` and `plan` describe the layer's folds (all groups); `y` is the array's output
  // buffer (groups x mpx x m); `dram_ofmap` (same size) receives the final outputs.
  // Throws loom::Error if two tiles of an operand (double buffering) do not fit its buffer.
  SystolicMemory(const workloads::Layer& layer, const arch::Accelerator& acc,
                 const dataflow::ResolvedPrecision& p, const std::vector<Fold>& folds,
                 const TilePlan& plan, const LayerData& data, std::span<std::int64_t> y,
                 std::span<std::int64_t> dram_ofmap);

  std::int32_t a(std::size_t fold, std::int64_t px, std::int64_t k) override;
  std::int32_t b(std::size_t fold, std::int64_t k, std::int64_t m) override;
  bool ready(std::size_t fold, std::int64_t cycle) override;
  void tick(std::int64_t cycle, std::size_t reads_done, std::size_t outputs_done) override;

  [[nodiscard]] MemoryStats stats() const;

 private:
  struct Slots {  // two copies of an operand's address space, tagged with the visit held
    std::array<std::vector<std::int32_t>, 2> value, tag;
  };
  void issue(std::int64_t cycle);
  // Issues a DRAM transfer of operand o's tile `b` (`bits` useful bits, `elem_bits` each);
  // returns when its data is usable.
  std::int64_t request(std::int64_t cycle, int o, const GemmBox& b, std::int64_t bits,
                       int elem_bits, bool write);
  void fetch_input(int operand, std::int64_t cycle);
  void write_back(std::int64_t cycle);
  void allocate_output(std::int64_t cycle);
  // Raw ifmap position of A[px][k] in group g, or -1 for zero padding.
  [[nodiscard]] std::int64_t raw_index(std::int64_t g, std::int64_t px, std::int64_t k) const;
  void check_capacity(const arch::Accelerator& acc) const;

  workloads::LayerShape shape_;
  dataflow::ResolvedPrecision p_;
  const TilePlan& plan_;
  const LayerData& data_;
  std::span<std::int64_t> y_, dram_ofmap_;
  DramChannel dram_;
  dataflow::DramBus bus_;  // each transfer's bus cycles, in issue order
  std::int64_t mpx_, k_, mg_, cg_;
  std::vector<std::int64_t> px_n_, px_h_, px_w_, k_c_, k_h_, k_w_;  // im2col index tables
  Slots ifmap_, filter_;
  std::vector<std::int64_t> psum_scratch_;  // DRAM area for partial sums written back
  std::array<std::vector<std::int64_t>, arch::kOperands> ready_at_;  // per visit issued
  std::vector<std::int64_t> written_back_at_;                        // per output visit
  std::size_t reads_done_ = 0, outputs_done_ = 0;
  std::int64_t issued_cycle_ = -1;
  MemoryStats st_;
};

}  // namespace loom::sim
