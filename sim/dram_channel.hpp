// SPDX-License-Identifier: Apache-2.0
#pragma once
// One DRAM channel as a controller sees it: a transfer needs ceil(bytes / bandwidth) bus cycles
// (beats) and its data is usable `latency` cycles after its last beat. A request issued at
// cycle t takes the free bus cycles from t on, in the order requests are issued; a request the
// controller knew of earlier (a prefetch decided at a past cycle) fills the bus cycles that were
// still free then, interleaving with later ones as a DMA engine's bursts do. Requests issued at
// non-decreasing cycles are served first come, first served. A bandwidth of 0 means an
// unlimited bus (only the latency). Integer cycles: the same requests give the same
// completions on every run. Writes the requester does not wait for can go behind every request
// (write_behind), as a controller that serves reads first and buffers writes does.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <utility>
#include <vector>

namespace loom::sim {

class DramChannel {
 public:
  DramChannel(double bytes_per_cycle, std::int64_t latency_cycles)
      : bytes_per_cycle_(bytes_per_cycle), latency_(latency_cycles) {}

  // Issues a transfer of `bits` at cycle `at`; returns the cycle from which its data is usable.
  std::int64_t request(std::int64_t at, std::int64_t bits) {
    std::int64_t need = 0;
    if (bytes_per_cycle_ > 0)
      need = static_cast<std::int64_t>(
          std::ceil(static_cast<double>(bits) / 8.0 / bytes_per_cycle_ - 1e-9));
    return request_cycles(at, need);
  }
  // The same for a transfer known to hold the bus `need` cycles (a device's bursts, row
  // misses and turnarounds included: dataflow/dram_timing.hpp).
  std::int64_t request_cycles(std::int64_t at, std::int64_t need) {
    ++transfers_;
    busy_cycles_ += need;
    std::int64_t cur = at;
    while (need > 0) {
      // Skip the busy stretch `cur` falls in, then take the gap up to the next one.
      auto next = busy_.upper_bound(cur);
      if (next != busy_.begin()) {
        const auto prev = std::prev(next);
        if (prev->second > cur) cur = prev->second;
      }
      next = busy_.upper_bound(cur);
      const std::int64_t gap_end = next == busy_.end() ? cur + need : next->first;
      const std::int64_t take = std::min(need, gap_end - cur);
      occupy(cur, cur + take);
      cur += take;
      need -= take;
    }
    return cur + latency_;
  }

  // A write the requester does not wait for (write-behind): it takes bus cycles no request
  // needs, after every request issued so far and later. finish() places them and returns when
  // the last one completes (or the last request, if later).
  void write_behind(std::int64_t at, std::int64_t bits) { behind_.emplace_back(at, bits); }
  std::int64_t finish() {
    std::int64_t end = 0;
    for (const auto& [at, bits] : behind_) end = std::max(end, request(at, bits));
    behind_.clear();
    if (!busy_.empty()) end = std::max(end, std::prev(busy_.end())->second + latency_);
    return end;
  }

  [[nodiscard]] std::int64_t busy_cycles() const { return busy_cycles_; }
  [[nodiscard]] std::int64_t transfers() const { return transfers_; }

 private:
  // Marks [begin, end) busy, merging with the stretches it touches.
  void occupy(std::int64_t begin, std::int64_t end) {
    auto it = busy_.lower_bound(begin);
    if (it != busy_.begin() && std::prev(it)->second == begin) {
      it = std::prev(it);
      begin = it->first;
      it = busy_.erase(it);
    }
    if (it != busy_.end() && it->first == end) {
      end = it->second;
      busy_.erase(it);
    }
    busy_[begin] = end;
  }

  double bytes_per_cycle_;
  std::int64_t latency_;
  std::map<std::int64_t, std::int64_t> busy_;  // busy bus stretches [first, second)
  std::vector<std::pair<std::int64_t, std::int64_t>> behind_;  // (issued at, bits)
  std::int64_t busy_cycles_ = 0;
  std::int64_t transfers_ = 0;
};

}  // namespace loom::sim
