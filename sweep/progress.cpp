// SPDX-License-Identifier: Apache-2.0
#include "sweep/progress.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <string_view>

namespace loom::sweep {
namespace {

std::string duration(double s) {
  if (!std::isfinite(s)) return "?";
  if (s < 90) return fmt::format("{:.0f} s", s);
  if (s < 5400) return fmt::format("{:.0f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

}  // namespace

Progress::Progress(const SweepSpec& spec, std::uint64_t planned, std::FILE* out)
    : spec_(spec), planned_(planned), out_(out) {
  tty_ = out_ != nullptr && isatty(fileno(out_)) != 0;
  start_ = last_print_ = std::chrono::steady_clock::now();
}

void Progress::consider(const PointResult& p) {
  if (!p.feasible || spec_.objectives.empty()) return;
  const double v = objective_value(p, spec_.objectives.front());
  if (!std::isfinite(v)) return;
  if (!best_ || v < *best_ || (v == *best_ && p.point < best_point_)) {
    best_ = v;
    best_point_ = p.point;
  }
}

void Progress::resumed(const std::map<std::uint64_t, PointResult>& done) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, p] : done) consider(p);
  done_ = done.size();
}

void Progress::point_done(const PointResult& p) {
  std::lock_guard lock(mutex_);
  ++done_;
  ++fresh_;
  consider(p);
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_print_).count();
  if (since >= (tty_ ? 0.25 : 10.0)) {
    last_print_ = now;
    print(false);
  }
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  print(true);
}

void Progress::print(bool final) {
  if (out_ == nullptr) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double left = planned_ > done_ ? static_cast<double>(planned_ - done_) : 0.0;
  const double eta = fresh_ > 0 ? elapsed / static_cast<double>(fresh_) * left : NAN;
  std::string best = "none feasible yet";
  if (best_) {
    const Metric m = spec_.objectives.front();
    const double v = m == Metric::accuracy ? -*best_ : *best_;
    static constexpr std::array<std::string_view, 5> kUnits{"pJ", "s", "J s", "mm2", "%"};
    best = fmt::format("{} {:.4g} {} (point {})", core::enum_name(kMetrics, m), v,
                       kUnits[static_cast<std::size_t>(m)], best_point_);
  }
  const std::string line =
      fmt::format("sweep: {}/{} points, best {}, {} elapsed, ETA {}", done_, planned_, best,
                  duration(elapsed), final ? "done" : duration(eta));
  if (tty_)
    fmt::print(out_, "\r{:<100}{}", line, final ? "\n" : "");
  else
    fmt::print(out_, "{}\n", line);
  std::fflush(out_);
}

}  // namespace loom::sweep
