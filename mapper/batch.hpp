// SPDX-License-Identifier: Apache-2.0
#pragma once
// A batch of points stored flat (point i occupies genes [i*g, (i+1)*g)). Strategies append the
// points they propose; the mapper reuses one Batch for the whole search, so proposing a point
// allocates nothing once the storage has grown to the largest batch. Views returned by
// operator[] stay valid until the next add() or clear().
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "mapper/search_space.hpp"

namespace loom::mapper {

class Batch {
 public:
  explicit Batch(std::size_t genes = 0) : genes_(genes) {}

  [[nodiscard]] std::size_t genes() const { return genes_; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }

  // Appends a point with all genes 0 and returns it for the caller to fill.
  std::span<std::uint32_t> add() {
    genes_data_.resize((size_ + 1) * genes_, 0);
    return (*this)[size_++];
  }
  void add(GenomeView g) {
    genes_data_.insert(genes_data_.end(), g.begin(), g.end());
    ++size_;
  }
  // Keeps the first n points (n <= size()).
  void truncate(std::size_t n) {
    size_ = n;
    genes_data_.resize(n * genes_);
  }
  void clear() { truncate(0); }

  [[nodiscard]] GenomeView operator[](std::size_t i) const {
    return {genes_data_.data() + i * genes_, genes_};
  }
  [[nodiscard]] std::span<std::uint32_t> operator[](std::size_t i) {
    return {genes_data_.data() + i * genes_, genes_};
  }

 private:
  std::size_t genes_;
  std::size_t size_ = 0;  // kept apart: a zero-gene space still has one (empty) point
  std::vector<std::uint32_t> genes_data_;
};

}  // namespace loom::mapper
