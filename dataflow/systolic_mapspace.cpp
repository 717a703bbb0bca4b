// SPDX-License-Identifier: Apache-2.0
#include "dataflow/systolic_mapspace.hpp"

#include <algorithm>

#include "dataflow/systolic_axes.hpp"
#include "dataflow/systolic_mapping.hpp"

namespace loom::dataflow {
namespace {

constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// The six orders of three dimensions, outermost first.
constexpr std::array<std::array<int, 3>, 6> kPerms{
    {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}};

std::array<Dim, kDims> order_of(const std::array<Dim, 3>& first) {
  std::array<Dim, kDims> order{};
  int k = 0;
  for (Dim d : first) order[k++] = d;
  for (Dim d : kCanonicalOrder)
    if (std::find(first.begin(), first.end(), d) == first.end()) order[k++] = d;
  return order;
}

}  // namespace

std::vector<std::int64_t> factor_candidates(std::int64_t n) {
  std::vector<std::int64_t> out;
  for (std::int64_t k = 1; k <= n;) {
    const std::int64_t v = ceil_div(n, k);
    out.push_back(v);
    // Next k giving a smaller ceil(n/k).
    k = v == 1 ? n + 1 : ceil_div(n, v - 1);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

SystolicMapSpace::SystolicMapSpace(const workloads::Layer& layer, const arch::Accelerator& acc)
    : gemm_(gemm_view(layer)) {
  const DimFactors b = problem_bounds(gemm_.shape);
  const SystolicAxes axes = systolic_axes(acc.dataflow);
  row_ = axes.row, col_ = axes.col, time_ = axes.time;
  keeps_ = axes.keeps();
  ar_ = acc.array.rows;
  ac_ = acc.array.cols;
  sr_ = b[static_cast<int>(row_)];
  sc_ = b[static_cast<int>(col_)];
  t_ = b[static_cast<int>(time_)];
  row_f_ = factor_candidates(ceil_div(sr_, ar_));
  col_f_ = factor_candidates(ceil_div(sc_, ac_));
  time_f_ = factor_candidates(t_);
  levels_ = acc.levels.size();
  for (std::size_t i = 0; i < levels_; ++i)
    if (acc.levels[i].kind == arch::LevelKind::sram) onchip_.push_back(static_cast<int>(i));
  domains_ = {static_cast<std::uint32_t>(row_f_.size()),
              static_cast<std::uint32_t>(col_f_.size()),
              static_cast<std::uint32_t>(time_f_.size()),
              2,
              6,
              6,
              static_cast<std::uint32_t>(onchip_.size())};
}

Mapping SystolicMapSpace::decode(std::span<const std::uint32_t> g) const {
  Mapping m;
  decode(g, m);
  return m;
}

void SystolicMapSpace::decode(std::span<const std::uint32_t> g, Mapping& m) const {
  const auto idx = [](Dim d) { return static_cast<int>(d); };
  const std::int64_t rf = ceil_div(sr_, ar_);
  const std::int64_t cf = ceil_div(sc_, ac_);
  const std::int64_t row_dram = row_f_[g[0]];
  const std::int64_t col_dram = col_f_[g[1]];
  const std::int64_t t_pe = time_f_[g[2]];
  const std::int64_t chunks = ceil_div(t_, t_pe);
  const std::array<Dim, 3> dims{row_, col_, time_};

  m.levels.assign(levels_, LevelLoops{});
  m.spatial_rows = m.spatial_cols = kUnitFactors;
  m.pe = LevelLoops{};
  LevelLoops& dram = m.levels[0];
  LevelLoops& chip = m.levels[static_cast<std::size_t>(onchip_[g[6]])];
  dram.factors[idx(row_)] = row_dram;
  dram.factors[idx(col_)] = col_dram;
  chip.factors[idx(row_)] = ceil_div(rf, row_dram);
  chip.factors[idx(col_)] = ceil_div(cf, col_dram);
  (g[3] == 1 ? dram : chip).factors[idx(time_)] = chunks;
  const auto& pd = kPerms[g[4]];
  const auto& pc = kPerms[g[5]];
  dram.order = order_of({dims[pd[0]], dims[pd[1]], dims[pd[2]]});
  chip.order = order_of({dims[pc[0]], dims[pc[1]], dims[pc[2]]});
  m.spatial_rows[idx(row_)] = std::min(ar_, sr_);
  m.spatial_cols[idx(col_)] = std::min(ac_, sc_);
  m.pe.factors[idx(time_)] = t_pe;
  m.pe_keeps = keeps_;
}

void SystolicMapSpace::search_candidates(std::span<const std::uint32_t> g, std::size_t depth,
                                         std::vector<std::uint32_t>& out) const {
  out.clear();
  const std::size_t gene = search_order()[depth];
  const std::int64_t chunks = gene >= 3 ? ceil_div(t_, time_f_[g[2]]) : 1;
  if (gene == 3) {
    out.push_back(0);
    if (chunks > 1) out.push_back(1);
    return;
  }
  if (gene != 4 && gene != 5) {
    for (std::uint32_t v = 0; v < domains_[gene]; ++v) out.push_back(v);
    return;
  }
  // Which of the three loops (row, column, time) have a factor above 1 at this level.
  const std::int64_t row_dram = row_f_[g[0]], col_dram = col_f_[g[1]];
  const bool time_at_dram = g[3] == 1;
  const std::array<bool, 3> looping =
      gene == 4 ? std::array<bool, 3>{row_dram > 1, col_dram > 1, time_at_dram && chunks > 1}
                : std::array<bool, 3>{ceil_div(ceil_div(sr_, ar_), row_dram) > 1,
                                      ceil_div(ceil_div(sc_, ac_), col_dram) > 1,
                                      !time_at_dram && chunks > 1};
  std::vector<int> keys;
  for (std::uint32_t v = 0; v < 6; ++v) {
    int key = 0;
    for (int k : kPerms[v])
      if (looping[static_cast<std::size_t>(k)]) key = key * 4 + k + 1;
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    keys.push_back(key);
    out.push_back(v);
  }
}

std::vector<std::uint32_t> SystolicMapSpace::scalesim_genes() const {
  return {0, 0, static_cast<std::uint32_t>(time_f_.size() - 1), 0,
          0, 0, static_cast<std::uint32_t>(onchip_.size() - 1)};
}

}  // namespace loom::dataflow
