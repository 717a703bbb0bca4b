// SPDX-License-Identifier: Apache-2.0
#pragma once
// The mapper's memory of evaluated points: it turns a proposed batch into the points that
// still need evaluating, and answers repeats with the score of their first evaluation, so a
// point is never evaluated (or charged to the budget) twice.
//
// It also notices a strategy that has stopped finding anything new: admit() ends a batch at
// the max_repeats-th repeat in a row, counted across batches, so where a search stops never
// depends on how proposals were cut into batches.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "mapper/batch.hpp"
#include "mapper/genome_table.hpp"

namespace loom::mapper {

class PointMemo {
 public:
  // expected_points: how many points will likely be admitted (storage is reserved up front).
  PointMemo(std::size_t genes, std::uint64_t expected_points, std::uint64_t max_repeats);

  // Looks up every point of `batch` in order, remembering new ones; may truncate `batch` (see
  // above). Afterwards fresh() lists the positions in `batch` of points never seen before.
  void admit(Batch& batch);
  [[nodiscard]] const std::vector<std::size_t>& fresh() const { return fresh_; }
  // Records the score of the point at fresh()[k].
  void set_score(std::size_t k, double score) { scores_[ids_[fresh_[k]]] = score; }
  // The scores of the last admitted batch, repeats included, in batch order.
  void batch_scores(std::vector<double>& out) const;

  [[nodiscard]] std::size_t size() const { return table_.size(); }
  [[nodiscard]] bool stuck() const { return duplicate_run_ >= max_repeats_; }

 private:
  GenomeTable table_;
  std::vector<double> scores_;         // by memo id; +infinity until set
  std::vector<std::uint64_t> hashes_;  // of the batch being admitted
  std::vector<std::uint32_t> ids_;     // memo id of each batch point
  std::vector<std::size_t> fresh_;
  std::uint64_t max_repeats_;
  std::uint64_t duplicate_run_ = 0;
};

}  // namespace loom::mapper
