// SPDX-License-Identifier: Apache-2.0
#include "sim/systolic_array.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "dataflow/systolic_axes.hpp"
#include "dataflow/systolic_cycles.hpp"

namespace loom::sim {
namespace {

using arch::Dataflow;

// When folds start: the array's schedule (dataflow/systolic_cycles.hpp). A fold whose data is
// late starts later (commit_at with a later cycle); the schedule of the array alone commits
// each fold at its earliest cycle.
using dataflow::FoldClock;

const Fold* previous(std::span<const Fold> folds, std::size_t f) {
  return f > 0 ? &folds[f - 1] : nullptr;
}
std::int64_t previous_start(const std::vector<std::int64_t>& start, std::size_t f) {
  return f > 0 ? start[f - 1] : 0;
}

std::int64_t first_activity(const FoldClock& clk, std::span<const Fold> folds,
                            const std::vector<std::int64_t>& start,
                            const std::vector<std::uint8_t>& keeps, std::size_t f) {
  return clk.first_activity(previous(folds, f), previous_start(start, f), keeps[f] != 0);
}

std::vector<std::uint8_t> keeps_of(std::span<const Fold> folds, bool os) {
  std::vector<std::uint8_t> keeps;
  for (std::size_t f = 0; f < folds.size(); ++f)
    keeps.push_back(f > 0 && dataflow::keeps_tile(folds[f - 1], folds[f], os) ? 1 : 0);
  return keeps;
}

// Starts fold f at `cycle` (its first activity, >= first_activity).
void commit_at(const FoldClock& clk, std::span<const Fold> folds,
               const std::vector<std::uint8_t>& keeps, std::size_t f, std::int64_t cycle,
               std::vector<std::int64_t>& start, std::vector<std::int64_t>& load,
               std::vector<std::size_t>& load_for) {
  if (clk.preloads(keeps[f] != 0)) {
    load.push_back(cycle);
    load_for.push_back(f);
  }
  start.push_back(clk.start(previous(folds, f), previous_start(start, f), keeps[f] != 0, cycle));
}

std::int64_t end_of(const FoldClock& clk, std::span<const Fold> folds,
                    const std::vector<std::int64_t>& start) {
  if (folds.empty()) return 0;
  return clk.end(folds.back(), start.back());
}

// The fold whose window [begin_f, begin_f + len(f)) holds `x`, or -1 (windows are disjoint
// and ascending).
template <class Len>
int find_window(const std::vector<std::int64_t>& begin, std::int64_t x, Len len) {
  const auto it = std::upper_bound(begin.begin(), begin.end(), x);
  if (it == begin.begin()) return -1;
  const auto f = static_cast<std::size_t>(it - begin.begin()) - 1;
  return x < begin[f] + len(f) ? static_cast<int>(f) : -1;
}


}  // namespace

SystolicArray::SystolicArray(std::int64_t rows, std::int64_t cols, Dataflow dataflow,
                             int accumulator_bits, PeModel& pe)
    : ar_(rows),
      ac_(cols),
      df_(dataflow),
      axes_(dataflow::systolic_axes(dataflow)),
      acc_bits_(accumulator_bits),
      pe_(pe) {
  if (rows < 1 || cols < 1 || !arch::is_systolic(dataflow))
    throw std::invalid_argument("systolic array: rows, cols >= 1 and dataflow os, ws or is");
}

std::int64_t SystolicArray::pipelined_cycles(std::int64_t folds, std::int64_t steps,
                                             std::int64_t ar, std::int64_t ac) {
  const dataflow::EdgeStrides e;
  return dataflow::pipelined_cycles(e, folds * e.held(steps, ar), steps, ar, ac, false);
}

std::int64_t SystolicArray::schedule_cycles(std::span<const Fold> folds, std::int64_t ar,
                                            std::int64_t ac, Dataflow df,
                                            const dataflow::EdgeStrides& strides) {
  const FoldClock clk{ar, ac, dataflow::systolic_axes(df).outputs_stay(), strides};
  const auto keeps = keeps_of(folds, clk.outputs_stay);
  std::vector<std::int64_t> start, load;
  std::vector<std::size_t> load_for;
  for (std::size_t f = 0; f < folds.size(); ++f)
    commit_at(clk, folds, keeps, f, first_activity(clk, folds, start, keeps, f), start, load,
              load_for);
  return end_of(clk, folds, start);
}

void SystolicArray::check(const GemmOperands& g, std::span<const Fold> folds) const {
  if (g.groups < 1 || static_cast<std::int64_t>(g.a.size()) != g.groups * g.mpx * g.k ||
      static_cast<std::int64_t>(g.b.size()) != g.groups * g.k * g.m ||
      static_cast<std::int64_t>(g.y.size()) != g.groups * g.mpx * g.m)
    throw std::invalid_argument("systolic array: operand sizes do not match the GEMM");
  // Extent of each array axis in the GEMM: rows, columns, time.
  const auto [er, ec, et] = axes_.place({g.mpx, g.k, g.m});
  for (const auto& f : folds)
    if (f.group < 0 || f.group >= g.groups || f.rows < 1 || f.cols < 1 || f.steps < 1 || f.rows > ar_ || f.cols > ac_ || f.row0 < 0 ||
        f.col0 < 0 || f.t0 < 0 || f.row0 + f.rows > er || f.col0 + f.cols > ec ||
        f.t0 + f.steps > et)
      throw std::invalid_argument("systolic array: a fold does not fit the array or the GEMM");
}

void SystolicArray::begin(const GemmOperands& g, std::span<const Fold> folds,
                          ArrayMemory* memory) {
  check(g, folds);
  const bool os = axes_.outputs_stay();
  const auto n = static_cast<std::size_t>(ar_ * ac_);
  pe_.reset(n, {os ? PeMode::output_stationary : PeMode::stationary_operand, acc_bits_});
  Run& r = run_;
  r = Run{};
  r.g = g;
  r.memory = memory;
  r.folds.assign(folds.begin(), folds.end());
  r.keeps = keeps_of(folds, os);
  r.in.assign(n, PeIn{});
  r.out.assign(n, PeOut{});
  r.diag_fold.assign(static_cast<std::size_t>(ar_ + ac_ - 1), -1);
  r.diag_step.assign(static_cast<std::size_t>(ar_ + ac_ - 1), 0);
  r.load_fold.assign(static_cast<std::size_t>(ac_), -1);
  r.load_row.assign(static_cast<std::size_t>(ac_), 0);
  r.written.assign(static_cast<std::size_t>(g.groups * g.mpx * g.m), 0);
  r.drain.assign(static_cast<std::size_t>(ac_), {});
  r.column_out.assign(static_cast<std::size_t>(ac_), 0);
}

void SystolicArray::commit_ready_folds() {
  Run& r = run_;
  const FoldClock clk{ar_, ac_, axes_.outputs_stay(), strides_};
  while (r.start.size() < r.folds.size()) {
    const std::size_t f = r.start.size();
    if (r.cycle < first_activity(clk, r.folds, r.start, r.keeps, f)) return;
    if (r.memory && !r.memory->ready(f, r.cycle)) {
      ++r.st.wait_cycles;
      return;
    }
    commit_at(clk, r.folds, r.keeps, f, r.cycle, r.start, r.load, r.load_for);
    if (r.start.size() == r.folds.size()) r.cycles = end_of(clk, r.folds, r.start);
  }
}

ArrayStats SystolicArray::run(const GemmOperands& g, std::span<const Fold> folds,
                              ArrayMemory* memory) {
  begin(g, folds, memory);
  while (step()) {
  }
  return stats();
}

void SystolicArray::emit(std::int64_t index, std::int64_t v, std::int64_t column) {
  Run& r = run_;
  r.column_out[static_cast<std::size_t>(column)] = v;
  auto& w = r.written[static_cast<std::size_t>(index)];
  auto& y = r.g.y[static_cast<std::size_t>(index)];
  if (w) {
    ++r.st.output_reads;
    y = wrap_to(y + v, acc_bits_);
  } else {
    w = 1;
    y = v;
  }
  ++r.st.output_writes;
}

bool SystolicArray::step() {
  Run& r = run_;
  const bool all_committed = r.start.size() == r.folds.size();
  if (all_committed && r.cycle >= r.cycles) return false;
  commit_ready_folds();
  const bool os = axes_.outputs_stay();
  const auto& g = r.g;
  const auto& folds = r.folds;
  auto& in = r.in;
  auto& out = r.out;
  auto& st = r.st;
  const std::int64_t c = r.cycle;
  const std::int64_t diagonals = ar_ + ac_ - 1;
  // Edge operands come from the buffers (the memory system) or straight from the GEMM.
  const auto read_a = [&](std::size_t f, std::int64_t px, std::int64_t k) -> std::int32_t {
    if (r.memory) return r.memory->a(f, px, k);
    return g.a[static_cast<std::size_t>((folds[f].group * g.mpx + px) * g.k + k)];
  };
  const auto read_b = [&](std::size_t f, std::int64_t k, std::int64_t m) -> std::int32_t {
    if (r.memory) return r.memory->b(f, k, m);
    return g.b[static_cast<std::size_t>((folds[f].group * g.k + k) * g.m + m)];
  };
  // An input operand at a point of the GEMM (systolic_axes.hpp says which enters where).
  const auto read = [&](arch::Operand o, std::size_t f, const dataflow::GemmPoint& q) {
    return o == arch::Operand::ifmap ? read_a(f, q.px, q.k) : read_b(f, q.k, q.m);
  };
  // os: the next fold continues this fold's outputs (no drain in between).
  const auto continues = [&](int f) {
    return static_cast<std::size_t>(f) + 1 < folds.size() &&
           r.keeps[static_cast<std::size_t>(f) + 1];
  };
  // A fold's wavefront takes a step every `stream` cycles, and a preload a row every `hold`
  // cycles (narrow SRAM ports, dataflow/sram_ports.hpp); the cycles between carry bubbles.
  const std::int64_t stream = strides_.stream, hold = strides_.hold;
  const auto span = [&](std::size_t f) { return strides_.span(folds[f].steps); };
  const auto load_len = [&](std::size_t) { return hold * ar_; };
  // Per diagonal and per column, not per PE: divisions only where a stride is set.
  for (std::int64_t dd = diagonals - 1; dd >= 0; --dd) {  // ascending wavefront index c - dd
    int f = find_window(r.start, c - dd, span);
    std::int64_t into = f >= 0 ? c - dd - r.start[static_cast<std::size_t>(f)] : 0;
    if (stream != 1) {
      if (into % stream != 0) f = -1;
      into /= stream;
    }
    r.diag_fold[static_cast<std::size_t>(dd)] = f;
    r.diag_step[static_cast<std::size_t>(dd)] = into;
  }
  if (!os)
    for (std::int64_t j = ac_ - 1; j >= 0; --j) {
      const int li = find_window(r.load, c - j, load_len);  // preload window, or -1
      std::int64_t into = li >= 0 ? c - j - r.load[static_cast<std::size_t>(li)] : -1;
      int lf = li >= 0 ? static_cast<int>(r.load_for[static_cast<std::size_t>(li)]) : -1;
      if (hold != 1 && lf >= 0) {
        if (into % hold != 0) lf = -1;
        into /= hold;
      }
      r.load_fold[static_cast<std::size_t>(j)] = lf;  // the fold whose tile shifts in, or -1
      r.load_row[static_cast<std::size_t>(j)] = into;  // the preload row shifting in
    }
  for (std::int64_t i = 0; i < ar_; ++i) {
    for (std::int64_t j = 0; j < ac_; ++j) {
      const auto idx = static_cast<std::size_t>(i * ac_ + j);
      PeIn& x = in[idx];
      const int f = r.diag_fold[static_cast<std::size_t>(i + j)];
      const Fold* fold = f >= 0 ? &folds[static_cast<std::size_t>(f)] : nullptr;
      const std::int64_t t = fold ? r.diag_step[static_cast<std::size_t>(i + j)] : -1;
      const bool active = fold && i < fold->rows && j < fold->cols;
      x.mac = active;
      x.last = active && t == fold->steps - 1 && !continues(f);
      // Left edge: the streamed operand of row i (os: A; ws: A; is: B), else from the left.
      if (j == 0) {
        std::int32_t v = 0;
        if (fold && i < fold->rows) {
          ++st.left_reads;
          v = read(axes_.left, static_cast<std::size_t>(f),
                   axes_.at(fold->row0 + i, 0, fold->t0 + t));
        }
        x.a = v;
      } else {
        x.a = out[idx - 1].a;
      }
      if (os) {
        if (i == 0) {
          std::int32_t v = 0;
          if (fold && j < fold->cols) {
            ++st.top_reads;
            v = read(axes_.top, static_cast<std::size_t>(f),
                     axes_.at(0, fold->col0 + j, fold->t0 + t));
          }
          x.b = v;
        } else {
          x.b = out[idx - static_cast<std::size_t>(ac_)].b;
        }
        continue;
      }
      // ws / is: partial sums from above; the stationary preload shifts down its column.
      x.psum = i == 0 ? 0 : out[idx - static_cast<std::size_t>(ac_)].psum;
      x.swap = fold && t == 0 && !r.keeps[static_cast<std::size_t>(f)];
      const int lf = r.load_fold[static_cast<std::size_t>(j)];
      const std::int64_t e = r.load_row[static_cast<std::size_t>(j)];
      x.shift = lf >= 0 && e >= i;
      if (i == 0) {
        std::int32_t v = 0;
        if (lf >= 0) {
          const Fold& L = folds[static_cast<std::size_t>(lf)];
          const std::int64_t row = ar_ - 1 - e;  // the bottom row's value goes first
          if (row < L.rows && j < L.cols) {
            ++st.top_reads;
            v = read(axes_.top, static_cast<std::size_t>(lf),
                     axes_.at(L.row0 + row, L.col0 + j, 0));
          }
        }
        x.b = v;
      } else {
        x.b = out[idx - static_cast<std::size_t>(ac_)].b;
      }
    }
  }
  pe_.clock(in, out);
  st.pe_cycles += static_cast<std::int64_t>(in.size());
  r.step_macs = 0;
  for (const auto& x : in) r.step_macs += x.mac ? 1 : 0;
  st.macs += r.step_macs;

  // ws/is: partial sums leaving the bottom row are outputs (added to earlier K folds').
  for (std::int64_t j = 0; j < ac_ && !os; ++j) {
    const int f = r.diag_fold[static_cast<std::size_t>(ar_ - 1 + j)];
    if (f < 0) continue;
    const Fold& fold = folds[static_cast<std::size_t>(f)];
    if (j >= fold.cols) continue;
    const std::int64_t t = r.diag_step[static_cast<std::size_t>(ar_ - 1 + j)];
    const std::int64_t v = out[static_cast<std::size_t>((ar_ - 1) * ac_ + j)].psum;
    const dataflow::GemmPoint y = axes_.at(0, fold.col0 + j, fold.t0 + t);
    emit(fold.group * g.mpx * g.m + y.px * g.m + y.m, v, j);
  }
  if (os) {
    // A PE's finished output waits in its hold register until its column's drain chain takes
    // the whole column, the cycle the bottom row finishes; the chain then shifts one value per
    // cycle out of the bottom, the bottom row's first.
    for (std::int64_t i = 0; i < ar_; ++i)
      for (std::int64_t j = 0; j < ac_; ++j) {
        const auto idx = static_cast<std::size_t>(i * ac_ + j);
        if (!in[idx].last) continue;
        const int f = r.diag_fold[static_cast<std::size_t>(i + j)];
        const Fold& fold = folds[static_cast<std::size_t>(f)];
        const std::int64_t take = r.start[static_cast<std::size_t>(f)] +
                                  stream * (fold.steps - 1) + (ar_ - 1) +
                                  j;  // the bottom row's last MAC of the fold
        r.drain[static_cast<std::size_t>(j)].push_back(
            {take + hold * (ar_ - i), out[idx].hold,
             fold.group * g.mpx * g.m + (fold.row0 + i) * g.m + fold.col0 + j});
      }
  }
  if (os)
    for (std::size_t j = 0; j < r.drain.size(); ++j) {
      // Values due this cycle (one per column per cycle by construction).
      auto& q = r.drain[j];
      for (auto it = q.begin(); it != q.end();) {
        if (it->cycle != c) {
          ++it;
          continue;
        }
        emit(it->index, it->value, static_cast<std::int64_t>(j));
        it = q.erase(it);
      }
    }
  // Progress the buffers may act on: folds whose edge reads, and whose outputs, are over.
  const FoldClock clk{ar_, ac_, os, strides_};
  while (r.reads_done < r.start.size() &&
         c >= clk.last_read(folds[r.reads_done], r.start[r.reads_done]))
    ++r.reads_done;
  while (r.outputs_done < r.start.size() &&
         c + 1 >= clk.end(folds[r.outputs_done], r.start[r.outputs_done]))
    ++r.outputs_done;
  if (r.memory) r.memory->tick(c, r.reads_done, r.outputs_done);
  ++r.cycle;
  return r.start.size() < r.folds.size() || r.cycle < r.cycles;
}

ArrayStats SystolicArray::stats() const {
  ArrayStats s = run_.st;
  s.cycles = run_.cycle;
  return s;
}

}  // namespace loom::sim
