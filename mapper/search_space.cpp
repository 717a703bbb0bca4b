// SPDX-License-Identifier: Apache-2.0
#include "mapper/search_space.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace loom::mapper {

long double SearchSpace::size() const {
  long double n = 1;
  for (auto d : domains) n *= d;
  return n;
}

std::optional<std::uint64_t> SearchSpace::exact_size() const {
  if (empty_gene()) return 0;
  std::uint64_t n = 1;
  for (auto d : domains) {
    if (n > std::numeric_limits<std::uint64_t>::max() / d) return std::nullopt;
    n *= d;
  }
  return n;
}

std::optional<std::size_t> SearchSpace::empty_gene() const {
  for (std::size_t i = 0; i < domains.size(); ++i)
    if (domains[i] == 0) return i;
  return std::nullopt;
}

std::string SearchSpace::gene_name(std::size_t gene) const {
  std::string out = "gene " + std::to_string(gene);
  if (gene < names.size() && !names[gene].empty()) out += " ('" + names[gene] + "')";
  return out;
}

bool SearchSpace::contains(GenomeView g) const {
  if (g.size() != domains.size()) return false;
  for (std::size_t i = 0; i < g.size(); ++i)
    if (g[i] >= domains[i]) return false;
  return true;
}

std::uint64_t SearchSpace::index_of(GenomeView g) const {
  if (!contains(g)) throw std::out_of_range("mapper: genome is not a point of the search space");
  if (!exact_size()) throw std::out_of_range("mapper: search space exceeds 64-bit indices");
  std::uint64_t index = 0;
  for (std::size_t i = 0; i < g.size(); ++i) index = index * domains[i] + g[i];
  return index;
}

Genome SearchSpace::genome_at(std::uint64_t index) const {
  const auto n = exact_size();
  if (!n) throw std::out_of_range("mapper: search space exceeds 64-bit indices");
  if (index >= *n) throw std::out_of_range("mapper: index beyond the search space");
  Genome g(domains.size());
  for (std::size_t i = domains.size(); i-- > 0;) {
    g[i] = static_cast<std::uint32_t>(index % domains[i]);
    index /= domains[i];
  }
  return g;
}

bool genome_less(GenomeView a, GenomeView b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

}  // namespace loom::mapper
