// SPDX-License-Identifier: Apache-2.0
#pragma once
// One progress line on stderr, rewritten in place, shown only when stderr is a terminal (a
// redirected stderr stays free of carriage returns). Updates come from the mapper after every
// batch, thousands of times a second; the line is redrawn at most ten times a second. clear()
// erases it before the command prints its results.
#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace loom::cli {

class ProgressLine {
 public:
  ProgressLine() : on_(isatty(fileno(stderr)) != 0) {}
  [[nodiscard]] bool on() const { return on_; }
  // `force`: draw now (a new layer or section), whatever the time since the last draw.
  void show(const std::string& text, bool force = false) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const std::string line = text.size() > 100 ? text.substr(0, 100) : text;
    fmt::print(stderr, "\r{:<{}}", line, width_ > line.size() ? width_ : line.size());
    width_ = line.size();
    std::fflush(stderr);
  }
  void clear() {
    if (!on_ || width_ == 0) return;
    fmt::print(stderr, "\r{:<{}}\r", "", width_);
    std::fflush(stderr);
    width_ = 0;
  }

 private:
  bool on_;
  std::size_t width_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace loom::cli
