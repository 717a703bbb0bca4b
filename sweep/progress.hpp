// SPDX-License-Identifier: Apache-2.0
#pragma once
// The sweep's progress line on stderr: points done of planned, the best feasible value of the
// first objective so far (and its point), and the estimated time left from this run's rate.
// On a terminal it rewrites one line (at most 4 times a second); otherwise it prints a line
// every 10 seconds, so logs stay short. Thread-safe.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>

#include "sweep/point.hpp"
#include "sweep/spec.hpp"

namespace loom::sweep {

class Progress {
 public:
  Progress(const SweepSpec& spec, std::uint64_t planned, std::FILE* out);
  void resumed(const std::map<std::uint64_t, PointResult>& done);
  void point_done(const PointResult& p);
  void finish();

 private:
  void consider(const PointResult& p);
  void print(bool final);

  const SweepSpec& spec_;
  std::uint64_t planned_;
  std::FILE* out_;
  bool tty_ = false;
  std::mutex mutex_;
  std::uint64_t done_ = 0, fresh_ = 0;
  std::optional<double> best_;
  std::uint64_t best_point_ = 0;
  std::chrono::steady_clock::time_point start_, last_print_;
};

}  // namespace loom::sweep
