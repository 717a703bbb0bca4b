// SPDX-License-Identifier: Apache-2.0
#pragma once
// The abstract space the mapper searches. A point is a Genome: one gene per dimension of the
// space, gene i taking the values 0 .. domains[i]-1. The mapper never learns what a gene means
// (a tile factor, a loop order, a spatial unrolling): whoever builds the space and the
// Evaluator owns that meaning, so any search strategy works for any kind of mapping.
//
// Points are ordered lexicographically on their genes; that order is the mixed-radix index
// (gene 0 most significant), the order of exhaustive enumeration, and the tie-break between
// points of equal cost. Mapping spaces can be astronomically large, so size() is a long double;
// exact_size() and the index conversions only exist when the size fits 64 bits.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace loom::mapper {

using Genome = std::vector<std::uint32_t>;
// Read-only view of a point; a Genome converts to it implicitly.
using GenomeView = std::span<const std::uint32_t>;

struct SearchSpace {
  std::vector<std::uint32_t> domains;  // values per gene; 0 makes the whole space empty
  // Optional, one per gene (e.g. "GLB.C tile"); used only to name a gene in messages.
  std::vector<std::string> names;

  [[nodiscard]] std::size_t genes() const { return domains.size(); }
  // Number of points (1 for zero genes, 0 if some domain is 0); may be > 2^64.
  [[nodiscard]] long double size() const;
  // The number of points when it fits in 64 bits.
  [[nodiscard]] std::optional<std::uint64_t> exact_size() const;
  // Index of the first gene with an empty domain, if any.
  [[nodiscard]] std::optional<std::size_t> empty_gene() const;
  // "gene 3 ('GLB.C tile')" or "gene 3" when unnamed.
  [[nodiscard]] std::string gene_name(std::size_t gene) const;

  [[nodiscard]] bool contains(GenomeView g) const;
  // Mixed-radix index, gene 0 most significant, so index order == lexicographic order.
  // Throw std::out_of_range when the genome is not in the space or the space exceeds 64 bits.
  [[nodiscard]] std::uint64_t index_of(GenomeView g) const;
  [[nodiscard]] Genome genome_at(std::uint64_t index) const;
};

// Lexicographic order on genes: the deterministic tie-break of the whole mapper.
[[nodiscard]] bool genome_less(GenomeView a, GenomeView b);

}  // namespace loom::mapper
