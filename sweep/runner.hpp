// SPDX-License-Identifier: Apache-2.0
#pragma once
// Runs a sweep: the proposer's batches are split statically over ranks (contiguous shares of
// a batch's unfinished points), each rank evaluates its share on its threads,
// the results are gathered on every rank, and rank 0 appends them to the journal (fsync) and
// writes the outputs at the end. Results and files do not depend on the number of ranks or
// threads, nor on interruption and --resume: a point's result depends only on the point.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <vector>

#include "sweep/comm.hpp"
#include "sweep/point.hpp"
#include "sweep/spec.hpp"

namespace loom::sweep {

struct SweepOptions {
  std::filesystem::path out_dir = "out";
  bool resume = false;
  // false: a non-empty out_dir without `resume` is refused before anything is written (the CLI
  // without --force); a library caller that owns its folder may keep true.
  bool overwrite = true;
  int threads = 0;  // per rank; 0: cores / ranks on this machine
  bool write_outputs = true;
  std::FILE* log = stdout;       // "ranks: N", "resumed: ...", summary (rank 0 only)
  std::FILE* progress = stderr;  // progress line (rank 0 only); nullptr: none
};

struct SweepOutcome {
  std::vector<PointResult> points;  // every distinct point evaluated, by id
  std::vector<std::size_t> pareto;  // indices into points
  std::uint64_t skipped = 0;        // finished points taken from the journal
  std::uint64_t evaluated = 0;      // points evaluated by this run (all ranks)
  double seconds = 0;
};

// Every rank calls this; only rank 0's outcome carries the final points. Throws loom::Error.
SweepOutcome run_sweep(const SweepSpec& spec, Comm& comm, const SweepOptions& options);

}  // namespace loom::sweep
