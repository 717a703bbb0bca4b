// SPDX-License-Identifier: Apache-2.0
#include "mapper/genome_table.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace loom::mapper {

std::uint64_t GenomeTable::hash(GenomeView g) const {
  // Multiply-xorshift mixing per gene, then a final avalanche (splitmix64's finaliser), so
  // genomes that differ in one low gene still land far apart in the table.
  // Two genes per multiply halves the chain of dependent multiplications.
  std::uint64_t h = 0x9E37'79B9'7F4A'7C15u;
  std::size_t i = 0;
  for (; i + 1 < g.size(); i += 2)
    h = (h ^ (std::uint64_t{g[i]} << 32 | g[i + 1])) * 0xBF58'476D'1CE4'E5B9u;
  if (i < g.size()) h = (h ^ g[i]) * 0xBF58'476D'1CE4'E5B9u;
  h ^= h >> 31;
  h *= 0x94D0'49BB'1331'11EBu;
  return h ^ (h >> 29);
}

void GenomeTable::reserve(std::size_t n) {
  genes_data_.reserve(n * genes_);
  if (2 * n > slots_.size()) rehash(std::bit_ceil(2 * n));
}

void GenomeTable::rehash(std::size_t capacity) {
  slots_.assign(capacity, kEmpty);
  const std::size_t mask = capacity - 1;
  for (std::uint32_t id = 0; id < size_; ++id) {
    const std::uint64_t h = hash(at(id));
    std::size_t s = h & mask;
    while (slots_[s] != kEmpty) s = (s + 1) & mask;
    slots_[s] = (h & 0xFFFF'FFFF'0000'0000u) | id;
  }
}

std::pair<std::uint32_t, bool> GenomeTable::insert(GenomeView g, std::uint64_t h) {
  if (2 * (size_ + 1) > slots_.size()) rehash(std::max<std::size_t>(1024, 2 * slots_.size()));
  const std::uint64_t tag = h & 0xFFFF'FFFF'0000'0000u;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = h & mask;; s = (s + 1) & mask) {
    const std::uint64_t slot = slots_[s];
    if (slot == kEmpty) {
      if (size_ >= kMaxPoints) throw std::length_error("mapper: more than 2^32 - 2 points");
      const auto id = static_cast<std::uint32_t>(size_++);
      slots_[s] = tag | id;
      genes_data_.insert(genes_data_.end(), g.begin(), g.end());
      return {id, true};
    }
    if ((slot & 0xFFFF'FFFF'0000'0000u) != tag) continue;
    const auto id = static_cast<std::uint32_t>(slot);
    const auto stored = at(id);
    if (std::equal(stored.begin(), stored.end(), g.begin())) return {id, false};
  }
}

}  // namespace loom::mapper
