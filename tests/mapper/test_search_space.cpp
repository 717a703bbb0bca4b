// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "mapper/batch.hpp"
#include "mapper/genome_table.hpp"
#include "mapper/search_space.hpp"

using namespace loom::mapper;

TEST_CASE("search space size is the product of the domains, exact only below 2^64") {
  SearchSpace s{{3, 4, 5}};
  CHECK(s.size() == 60);
  CHECK(s.exact_size() == 60u);
  CHECK(SearchSpace{}.exact_size() == 1u);                 // one empty genome
  SearchSpace huge{std::vector<std::uint32_t>(20, 1000)};  // 10^60 points
  CHECK(huge.size() > 1e59L);
  CHECK_FALSE(huge.exact_size());
  CHECK_THROWS_AS(huge.genome_at(0), std::out_of_range);
  SearchSpace empty{{3, 0, 5}, {"a", "b", "c"}};
  CHECK(empty.exact_size() == 0u);
  CHECK(empty.empty_gene() == 1u);
  CHECK(empty.gene_name(1) == "gene 1 ('b')");
  CHECK(SearchSpace{{2}}.gene_name(0) == "gene 0");
}

TEST_CASE("mixed-radix index order is lexicographic genome order, gene 0 most significant") {
  SearchSpace s{{3, 1, 4, 2}};
  const auto n = *s.exact_size();
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto g = s.genome_at(i);
    CHECK(s.index_of(g) == i);
    if (i > 0) CHECK(genome_less(s.genome_at(i - 1), g));
  }
  CHECK(s.genome_at(n - 1) == Genome{2, 0, 3, 1});
  CHECK_THROWS_AS(s.genome_at(n), std::out_of_range);
  CHECK_THROWS_AS(s.index_of(Genome{3, 0, 0, 0}), std::out_of_range);
  CHECK_THROWS_AS(s.index_of(Genome{0, 0, 0}), std::out_of_range);
  CHECK_FALSE(s.contains(Genome{0, 1, 0, 0}));
}

TEST_CASE("a batch stores points flat and reuses its storage") {
  Batch b(3);
  auto p = b.add();
  p[0] = 1, p[2] = 7;
  b.add(Genome{4, 5, 6});
  REQUIRE(b.size() == 2);
  CHECK(Genome(b[0].begin(), b[0].end()) == Genome{1, 0, 7});
  CHECK(Genome(b[1].begin(), b[1].end()) == Genome{4, 5, 6});
  b.clear();
  CHECK(b.empty());
  Batch none(0);  // a zero-gene space still has points to count
  none.add();
  CHECK(none.size() == 1);
}

TEST_CASE("genome table finds repeats and gives dense ids in insertion order") {
  GenomeTable t(2);
  SearchSpace s{{300, 300}};
  for (std::uint32_t i = 0; i < 90000; ++i) {  // grows the table many times
    const auto [id, added] = t.insert(s.genome_at(i));
    REQUIRE(added);
    REQUIRE(id == i);
  }
  for (std::uint32_t i = 0; i < 90000; i += 997) {
    const auto [id, added] = t.insert(s.genome_at(i));
    CHECK_FALSE(added);
    CHECK(id == i);
  }
  CHECK(t.size() == 90000);
  CHECK(Genome(t.at(301).begin(), t.at(301).end()) == Genome{1, 1});
}
