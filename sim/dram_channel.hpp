// SPDX-License-Identifier: Apache-2.0
#pragma once
// One DRAM channel as the controller sees it: requests are served in the order they are issued,
// one at a time, each holding the bus for ceil(bytes / bandwidth) cycles; its data is usable
// `latency` cycles after its last beat. A bandwidth of 0 means an unlimited bus (a transfer
// takes no bus time, only the latency). Integer cycles throughout: the same requests give the
// same completions on every run.
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace loom::sim {

class DramChannel {
 public:
  DramChannel(double bytes_per_cycle, std::int64_t latency_cycles)
      : bytes_per_cycle_(bytes_per_cycle), latency_(latency_cycles) {}

  // Issues a transfer of `bits` at cycle `now`; returns the cycle from which its data is usable.
  std::int64_t request(std::int64_t now, std::int64_t bits) {
    const std::int64_t begin = std::max(now, bus_free_);
    std::int64_t beats = 0;
    if (bytes_per_cycle_ > 0)
      beats = static_cast<std::int64_t>(
          std::ceil(static_cast<double>(bits) / 8.0 / bytes_per_cycle_ - 1e-9));
    bus_free_ = begin + beats;
    busy_cycles_ += beats;
    ++transfers_;
    return bus_free_ + latency_;
  }

  [[nodiscard]] std::int64_t busy_cycles() const { return busy_cycles_; }
  [[nodiscard]] std::int64_t transfers() const { return transfers_; }

 private:
  double bytes_per_cycle_;
  std::int64_t latency_;
  std::int64_t bus_free_ = 0;
  std::int64_t busy_cycles_ = 0;
  std::int64_t transfers_ = 0;
};

}  // namespace loom::sim
