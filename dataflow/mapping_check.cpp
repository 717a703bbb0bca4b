// SPDX-License-Identifier: Apache-2.0
#include "dataflow/mapping_check.hpp"

#include <fmt/core.h>

#include "dataflow/nest_analysis.hpp"
#include "dataflow/systolic_mapping.hpp"

namespace loom::dataflow {
namespace {

// One place a dimension's factor is written: its key path, line and value.
struct Factor {
  std::string key;
  int line = 0;
  std::int64_t value = 1;
};

std::string dim_name(int d) { return std::string(core::enum_name(kDimNames, static_cast<Dim>(d))); }

// Every loop of dimension d, outermost first (levels, spatial rows, spatial cols, pe).
std::vector<Factor> factors_of(const MappingFile& f, int d) {
  const Mapping& m = f.mapping;
  const MappingLines& ln = f.lines;
  const std::string dn = dim_name(d);
  std::vector<Factor> out;
  for (std::size_t l = 0; l < m.levels.size(); ++l)
    out.push_back({fmt::format("levels[{}].factors.{}", l, dn),
                   l < ln.level.size() ? ln.level[l][d] : ln.levels, m.levels[l].factors[d]});
  out.push_back({"spatial.rows." + dn, ln.spatial_rows[d], m.spatial_rows[d]});
  out.push_back({"spatial.cols." + dn, ln.spatial_cols[d], m.spatial_cols[d]});
  out.push_back({"pe.factors." + dn, ln.pe[d], m.pe.factors[d]});
  return out;
}

// "levels[0] 3 × spatial.rows 4" (factors of 1 left out), or "no loops".
std::string product_text(const std::vector<Factor>& fs) {
  std::string out;
  for (const auto& x : fs) {
    if (x.value == 1) continue;
    const auto cut = x.key.rfind('.');
    auto where = x.key.substr(0, cut);  // "levels[0].factors" -> "levels[0]"
    if (where.ends_with(".factors")) where.resize(where.size() - 8);
    out += (out.empty() ? "" : " × ") + where + " " + std::to_string(x.value);
  }
  return out.empty() ? "no loops" : out;
}

// The factor a fix most likely edits: the outermost one above 1 (the first level otherwise,
// where `loom map` puts whatever the inner levels leave).
const Factor& blame(const std::vector<Factor>& fs) {
  for (const auto& x : fs)
    if (x.value > 1) return x;
  return fs.front();
}

std::string view_note(const MappingFile& f) {
  return f.view == "gemm"
             ? "; GEMM view: P carries the output pixels N·P·Q, C the window C·R·S per group, "
               "M the filters, and N, Q, R, S are 1"
             : ", per group";
}

}  // namespace

std::vector<Diagnostic> check_mapping_file(const MappingFile& f, const workloads::Layer& layer,
                                           const arch::Accelerator& acc,
                                           const std::string& file_name) {
  std::vector<Diagnostic> out;
  const Mapping& m = f.mapping;
  const MappingLines& ln = f.lines;
  for (std::size_t l = 0; l < m.levels.size() && l < acc.levels.size(); ++l) {
    if (acc.levels[l].kind != arch::LevelKind::noc || m.levels[l].factors == kUnitFactors) continue;
    for (int d = 0; d < kDims; ++d)
      if (m.levels[l].factors[d] != 1) {
        out.push_back({file_name, fmt::format("levels[{}].factors.{}", l, dim_name(d)),
                       l < ln.level.size() ? ln.level[l][d] : ln.levels,
                       fmt::format("level '{}' is a network (noc): it holds no loops, so every "
                                   "factor there must be 1, got {}",
                                   acc.levels[l].name, m.levels[l].factors[d])});
        break;
      }
  }
  const workloads::Layer view = f.view == "gemm" ? gemm_model(layer) : layer;
  const DimFactors bound = problem_bounds(view.shape);
  for (int d = 0; d < kDims; ++d) {
    const auto fs = factors_of(f, d);
    const std::int64_t c = coverage(m, static_cast<Dim>(d));
    const std::string dn = dim_name(d);
    const auto& at = blame(fs);
    const bool under = c < bound[d];
    if (under || (c >= 2 * bound[d] && c > 1))
      out.push_back({file_name, at.key, at.line,
                     fmt::format("dimension {}: the loops cover {} ({}), {} than {}; the "
                                 "product of a dimension's factors over levels, spatial and pe "
                                 "must be at least its size and less than twice it, here {} <= "
                                 "product < {} ({} = {} in layer '{}'{})",
                                 dn, c, product_text(fs), under ? "less" : "not less",
                                 under ? bound[d] : 2 * bound[d], bound[d], 2 * bound[d], dn,
                                 bound[d], layer.name, view_note(f))});
  }
  const auto fit = [&](const DimFactors& sp, const DimLines& lines, const char* axis,
                       std::int64_t limit) {
    std::int64_t n = 1;
    std::string parts;
    int line = 0;
    std::string key;
    for (int d = 0; d < kDims; ++d) {
      if (sp[d] == 1) continue;
      n = n > (std::int64_t{1} << 40) ? n : n * sp[d];
      parts += (parts.empty() ? "" : " × ") + dim_name(d) + " " + std::to_string(sp[d]);
      if (key.empty()) {
        key = std::string("spatial.") + axis + "." + dim_name(d);
        line = lines[d];
      }
    }
    if (n > limit)
      out.push_back({file_name, key, line,
                     fmt::format("the spatial {} unroll {} = {} PEs, more than the PE array's {} "
                                 "{} ('{}')",
                                 axis, parts, n, limit, axis, acc.name)});
  };
  fit(m.spatial_rows, ln.spatial_rows, "rows", acc.array.rows);
  fit(m.spatial_cols, ln.spatial_cols, "cols", acc.array.cols);
  return out;
}

}  // namespace loom::dataflow
