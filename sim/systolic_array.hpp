// SPDX-License-Identifier: Apache-2.0
#pragma once
// A systolic array moving real data cycle by cycle: an AR x AC grid of PEs (a PeModel) wired to
// their neighbours, fed at its left and top edges, draining at its bottom. It runs a sequence of
// folds of one GEMM Y = A·B (A: Mpx x K, B: K x M) in the dataflow's placement:
//   os  rows = output pixels, columns = filters, time = K; outputs drain down each column
//       through a shadow chain, AR cycles per fold;
//   ws  rows = K, columns = filters, time = output pixels; B is stationary;
//   is  rows = K, columns = output pixels, time = filters; A is stationary.
// Timing (the contract the analytical model follows, docs/sim.md; dataflow/systolic_cycles.hpp
// holds its formulas, which this array steps through): fold f starts its wavefront
// at s_f (s_0 = AR for ws/is, whose first stationary tile shifts in first; 0 for os) and the next
// fold follows max(T_f, AR) later — the next stationary tile shifts into shadow registers, or
// the previous outputs drain, while a fold computes. PE (i, j) performs step t of fold f at
// cycle s_f + t + i + j. The run ends when the last fold's wavefront has left the array:
//   cycles = s_{F-1} + T_{F-1} + AR + AC - 2 (+ AR for the os drain),
// i.e. (F - 1)·max(T, AR) + T + 2·AR + AC - 2 for equal folds. Partial folds leave PEs idle but
// take the same time (the controller sequences the full array). Consecutive folds on the same
// stationary tile (ws, is) skip its preload; on the same outputs with K advancing (os) they keep
// accumulating in the PEs instead of draining. With an ArrayMemory, a fold whose data is not
// on chip yet starts later (its preload or first edge read waits; the folds before it carry
// on), and the operands come from the buffers. Narrow SRAM ports (set_strides) space a fold's
// steps `stream` cycles apart -- PE (i, j) performs step t at s_f + stream·t + i + j, bubbles
// flowing between -- and a preload's or os drain's rows `hold` cycles apart; every AR and T
// above that such a row or step paces is scaled by its stride (dataflow/sram_ports.hpp).
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/sram_ports.hpp"
#include "dataflow/systolic_axes.hpp"
#include "dataflow/systolic_folds.hpp"
#include "sim/pe_model.hpp"

namespace loom::sim {

using dataflow::Fold;

// Row-major dense integer matrices of `groups` GEMMs stored one after another; y accumulates
// (partial sums of folds that split K add up in the output buffer), wrapping to the
// accumulator width.
struct GemmOperands {
  std::int64_t mpx = 0, k = 0, m = 0;
  std::span<const std::int32_t> a;  // groups x mpx x k
  std::span<const std::int32_t> b;  // groups x k x m
  std::span<std::int64_t> y;        // groups x mpx x m
  std::int64_t groups = 1;
};

// What the array did: cycles, MACs, edge traffic (each value entering or leaving the array is
// one buffer access).
struct ArrayStats {
  std::int64_t cycles = 0;
  std::int64_t macs = 0;
  std::int64_t pe_cycles = 0;          // PEs x cycles clocked
  std::int64_t left_reads = 0;         // values fed at the left edge
  std::int64_t top_reads = 0;          // values fed at the top edge (os stream, ws/is preload)
  std::int64_t output_writes = 0;      // values written to the output buffer
  std::int64_t output_reads = 0;       // partial sums read back to accumulate across folds
  std::int64_t wait_cycles = 0;        // cycles a fold's start waited for its data (ArrayMemory)
};

// What the array sees of the buffers around it (sim/memory_system.hpp): the operand values at
// its edges, whether a fold's data is on chip, and the progress the buffers may act on.
// Without one, the array reads the GEMM's matrices directly and never waits.
class ArrayMemory {
 public:
  virtual ~ArrayMemory() = default;
  // A[px][k] and B[k][m] of fold `fold`'s group, read from the buffers at the array's edge.
  virtual std::int32_t a(std::size_t fold, std::int64_t px, std::int64_t k) = 0;
  virtual std::int32_t b(std::size_t fold, std::int64_t k, std::int64_t m) = 0;
  // May fold `fold` begin (its stationary preload, or its first edge read) at `cycle`? Asked
  // once per cycle from the fold's earliest start until it says yes.
  virtual bool ready(std::size_t fold, std::int64_t cycle) = 0;
  // After each cycle: folds [0, reads_done) have read every edge operand, folds
  // [0, outputs_done) have written every output they produce.
  virtual void tick(std::int64_t cycle, std::size_t reads_done, std::size_t outputs_done) = 0;
};

// Something that runs folds on an array: the bare engine, or the engine inside SystemC.
// `memory` may be null (operands straight from the GEMM, no waiting).
class ArrayRunner {
 public:
  virtual ~ArrayRunner() = default;
  virtual ArrayStats run(const GemmOperands& g, std::span<const Fold> folds,
                         ArrayMemory* memory = nullptr) = 0;
  // How fast the buffers feed the edges for the jobs that follow (dataflow/sram_ports.hpp).
  virtual void set_strides(const dataflow::EdgeStrides& strides) = 0;
};

class SystolicArray final : public ArrayRunner {
 public:
  SystolicArray(std::int64_t rows, std::int64_t cols, arch::Dataflow dataflow,
                int accumulator_bits, PeModel& pe);

  // Runs `folds` in order on `g`, cycle by cycle. `y` must start at zero. Folds must fit the
  // array (rows <= AR, cols <= AC) and lie inside the GEMM. Throws std::invalid_argument if not.
  ArrayStats run(const GemmOperands& g, std::span<const Fold> folds,
                 ArrayMemory* memory = nullptr) override;
  void set_strides(const dataflow::EdgeStrides& strides) override { strides_ = strides; }
  // The same, one clock at a time (the SystemC module calls step() on every rising edge):
  // begin() loads the job, step() advances one cycle and returns whether cycles remain.
  void begin(const GemmOperands& g, std::span<const Fold> folds, ArrayMemory* memory = nullptr);
  bool step();
  [[nodiscard]] ArrayStats stats() const;
  // What the last step did, for tracing: MACs performed, and per column the last value that
  // left the array there.
  [[nodiscard]] std::int64_t step_macs() const { return run_.step_macs; }
  [[nodiscard]] std::int64_t column_output(std::int64_t col) const {
    return run_.column_out.empty() ? 0 : run_.column_out[static_cast<std::size_t>(col)];
  }

  // Cycles `folds` take under the timing contract above (no data moved).
  [[nodiscard]] std::int64_t schedule_cycles(std::span<const Fold> folds) const {
    return schedule_cycles(folds, ar_, ac_, df_, strides_);
  }
  [[nodiscard]] static std::int64_t schedule_cycles(std::span<const Fold> folds, std::int64_t ar,
                                                    std::int64_t ac, arch::Dataflow df,
                                                    const dataflow::EdgeStrides& strides = {});

  // The analytical side of the same contract, for equal folds.
  [[nodiscard]] static std::int64_t pipelined_cycles(std::int64_t folds, std::int64_t steps,
                                                     std::int64_t ar, std::int64_t ac);

 private:
  void check(const GemmOperands& g, std::span<const Fold> folds) const;
  void emit(std::int64_t index, std::int64_t value, std::int64_t column);

  struct Emission {
    std::int64_t cycle;
    std::int64_t value;
    std::int64_t index;  // into y
  };
  // Commits fold f's start once its earliest cycle has come and the memory lets it.
  void commit_ready_folds();

  // The state of the job in flight. Folds start in order; start/load hold the committed ones.
  struct Run {
    GemmOperands g;
    ArrayMemory* memory = nullptr;
    std::vector<Fold> folds;
    std::vector<std::int64_t> start, load;  // wavefront start of each fold; preload windows
    std::vector<std::size_t> load_for;      // the fold each preload window serves
    std::vector<std::uint8_t> keeps;        // fold keeps the previous fold's tile
    std::int64_t cycles = 0, cycle = 0;     // cycles: known once every fold is committed
    std::size_t reads_done = 0, outputs_done = 0;
    std::vector<PeIn> in;
    std::vector<PeOut> out;
    std::vector<int> diag_fold, load_fold;  // fold at each wavefront diagonal / shifting in
    std::vector<std::int64_t> diag_step;    // the time step at each diagonal holding a fold
    std::vector<std::int64_t> load_row;     // the preload row shifting into each column
    std::vector<std::uint8_t> written;      // outputs written once (later writes accumulate)
    std::vector<std::deque<Emission>> drain;  // os: values in each column's drain chain
    std::vector<std::int64_t> column_out;     // last value out of each column
    std::int64_t step_macs = 0;
    ArrayStats st;
  };
  Run run_;
  std::int64_t ar_, ac_;
  arch::Dataflow df_;
  dataflow::SystolicAxes axes_;
  int acc_bits_;
  dataflow::EdgeStrides strides_;
  PeModel& pe_;
};

}  // namespace loom::sim
