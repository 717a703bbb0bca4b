// SPDX-License-Identifier: Apache-2.0
#include "mapper/point_memo.hpp"

#include <algorithm>
#include <limits>

namespace loom::mapper {

PointMemo::PointMemo(std::size_t genes, std::uint64_t expected_points, std::uint64_t max_repeats)
    : table_(genes), max_repeats_(max_repeats) {
  // Reserving avoids rehashing mid-search; capped so a huge budget does not allocate up front.
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(expected_points, 1u << 20));
  table_.reserve(n);
  scores_.reserve(n);
}

void PointMemo::admit(Batch& batch) {
  ids_.clear();
  fresh_.clear();
  // Hash everything first so the table slots can be prefetched a few points ahead: once the
  // table outgrows the cache, each lookup is otherwise a cache and TLB miss.
  hashes_.resize(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) hashes_[i] = table_.hash(batch[i]);
  constexpr std::size_t kAhead = 8;
  for (std::size_t i = 0; i < std::min(kAhead, batch.size()); ++i) table_.prefetch(hashes_[i]);

  std::size_t keep = batch.size();
  for (std::size_t i = 0; i < keep; ++i) {
    if (i + kAhead < keep) table_.prefetch(hashes_[i + kAhead]);
    const auto [id, added] = table_.insert(batch[i], hashes_[i]);
    ids_.push_back(id);
    if (added) {
      fresh_.push_back(i);
      scores_.push_back(std::numeric_limits<double>::infinity());
      duplicate_run_ = 0;
    } else if (++duplicate_run_ >= max_repeats_) {
      keep = i + 1;
    }
  }
  batch.truncate(keep);
}

void PointMemo::batch_scores(std::vector<double>& out) const {
  out.resize(ids_.size());
  for (std::size_t i = 0; i < ids_.size(); ++i) out[i] = scores_[ids_[i]];
}

}  // namespace loom::mapper
