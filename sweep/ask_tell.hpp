// SPDX-License-Identifier: Apache-2.0
#pragma once
// An ask/tell sweep: the sweep of runner.hpp driven from outside (the Python package's
// loom.Sweep), where the caller scores each point's algorithm side (its accuracy, from its own
// training or evaluation code) and Loom the hardware side. The proposer (grid, random or
// NSGA-II), the journal (resume) and the output files are those of `loom sweep`; points are
// evaluated one at a time on the caller's thread, so results equal a `loom sweep` whose
// accuracies were the told ones.
//
// The proposer's batches are handed out by ask(); a batch goes back to the proposer once every
// distinct point of it is told, so NSGA-II's next generation needs the whole current one.
// Points the journal already holds (resume) are never asked again. Not thread-safe; the spec
// must outlive the sweep.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "sweep/evaluate_point.hpp"
#include "sweep/journal.hpp"
#include "sweep/proposer.hpp"
#include "sweep/runner.hpp"

namespace loom::sweep {

struct AskTellOptions {
  // Empty: nothing is written (no journal, no outputs). Else the journal goes there as points
  // are told, and finish() writes the files of `loom sweep`.
  std::filesystem::path out_dir;
  bool resume = false;  // continue from out_dir/journal.tsv
};

class AskTellSweep {
 public:
  // Throws loom::Error if the journal cannot be opened or belongs to another sweep.
  AskTellSweep(const SweepSpec& spec, const AskTellOptions& options);
  ~AskTellSweep();
  AskTellSweep(const AskTellSweep&) = delete;
  AskTellSweep& operator=(const AskTellSweep&) = delete;

  // Up to `n` point ids of the current batch not handed out before. Empty when the sweep is
  // finished, or when every point of the current batch is out and some are not told yet.
  [[nodiscard]] std::vector<std::uint64_t> ask(std::size_t n);
  // Evaluates the hardware of an asked point with the caller's accuracy per workload
  // (spec.networks order; nullopt: the spec's accuracy source, if any, else unknown), journals
  // it and returns it. Throws loom::Error for
  // a point not asked, or told before.
  const PointResult& tell(std::uint64_t point, const std::vector<std::optional<double>>& accuracy);
  // No point is left to ask or to tell.
  [[nodiscard]] bool finished();

  // Every point told so far (and resumed), by id, and its Pareto front; with an out_dir, also
  // writes points.csv, pareto.csv, results.h5 and report.html there.
  SweepOutcome finish();

  [[nodiscard]] const std::map<std::uint64_t, PointResult>& done() const { return done_; }
  [[nodiscard]] std::uint64_t resumed() const { return resumed_; }
  [[nodiscard]] std::size_t cache_hits() const { return evaluator_.cache_hits(); }
  [[nodiscard]] std::size_t cache_misses() const { return evaluator_.cache_misses(); }

 private:
  void advance();  // returns a fully told batch to the proposer and fetches the next one

  const SweepSpec& spec_;
  AskTellOptions options_;
  PointEvaluator evaluator_;
  std::unique_ptr<Proposer> proposer_;
  std::unique_ptr<Journal> journal_;
  std::map<std::uint64_t, PointResult> done_;
  std::vector<std::uint64_t> batch_;    // the proposer's current batch, as proposed
  std::set<std::uint64_t> handed_out_;  // ids of batch_ given to the caller
  std::uint64_t resumed_ = 0;
  bool exhausted_ = false;
};

}  // namespace loom::sweep
