// SPDX-License-Identifier: Apache-2.0
#pragma once
// The set of points already evaluated, so that a point a strategy proposes twice is evaluated
// once. Genomes are stored flat in insertion order and found through an open-addressing hash
// table, so inserting a point allocates nothing except when the storage doubles
// (std::unordered_set<Genome> would allocate a node and a vector per point, costing more than
// the evaluation it saves). Each slot holds a point's id and 32 bits of its hash, so a probe
// that meets another point rarely has to touch that point's genes (a cache miss in a large
// table). Memory: about 4 x genes + 16 bytes per point.
//
// Ids are dense (0, 1, 2, ... in insertion order), so callers keep per-point data in a plain
// vector indexed by id. Iteration order never depends on hashing: nothing observable does.
#include <cstdint>
#include <utility>
#include <vector>

#include "mapper/search_space.hpp"

namespace loom::mapper {

class GenomeTable {
 public:
  static constexpr std::uint64_t kMaxPoints = 0xFFFF'FFFEu;  // ids are 32-bit

  explicit GenomeTable(std::size_t genes) : genes_(genes) {}

  // Makes room for n points up front (the mapper knows its budget), avoiding rehashes.
  void reserve(std::size_t n);
  // {id, true} if g is new (and now stored), {existing id, false} otherwise.
  std::pair<std::uint32_t, bool> insert(GenomeView g) { return insert(g, hash(g)); }
  // The same with h == hash(g) computed earlier, for callers that prefetch().
  std::pair<std::uint32_t, bool> insert(GenomeView g, std::uint64_t h);

  [[nodiscard]] std::uint64_t hash(GenomeView g) const;
  // Starts loading the slot of hash h into the cache. A table larger than the cache costs a
  // cache and TLB miss per lookup; a batch that prefetches a few points ahead hides them.
  void prefetch(std::uint64_t h) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[h & (slots_.size() - 1)]);
  }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] GenomeView at(std::uint32_t id) const {
    return {genes_data_.data() + std::size_t{id} * genes_, genes_};
  }

 private:
  void rehash(std::size_t capacity);

  // A slot: id in the low half, the high half of the genome's hash in the high half.
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  std::size_t genes_;
  std::size_t size_ = 0;
  std::vector<std::uint32_t> genes_data_;
  std::vector<std::uint64_t> slots_;  // power-of-two size, at most half full
};

}  // namespace loom::mapper
