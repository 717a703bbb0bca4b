// SPDX-License-Identifier: Apache-2.0
#include "dataflow/mapping_io.hpp"

#include <fmt/core.h>

#include <set>

#include "core/config.hpp"

namespace loom::dataflow {
namespace {

std::string dim_name(Dim d) { return std::string(core::enum_name(kDimNames, d)); }

std::string factors_yaml(const DimFactors& f) {
  std::string out = "{";
  for (int d = 0; d < kDims; ++d) {
    if (f[d] == 1) continue;
    if (out.size() > 1) out += ", ";
    out += dim_name(static_cast<Dim>(d)) + ": " + std::to_string(f[d]);
  }
  return out + "}";
}

std::string order_yaml(const std::array<Dim, kDims>& order) {
  std::string out = "[";
  for (int i = 0; i < kDims; ++i) out += (i ? ", " : "") + dim_name(order[i]);
  return out + "]";
}

DimFactors read_factors(const core::ConfigNode& n, DimLines& lines) {
  DimFactors f = kUnitFactors;
  lines.fill(n.line());
  if (!n.is_map()) {
    n.expect_map();
    return f;
  }
  n.allow_keys({"N", "M", "C", "P", "Q", "R", "S"});
  for (int d = 0; d < kDims; ++d) {
    const std::string name = dim_name(static_cast<Dim>(d));
    f[d] = n.get_int(name, 1, 1);
    if (n.has(name) && n.child(name).line() > 0) lines[d] = n.child(name).line();
  }
  return f;
}

std::array<Dim, kDims> read_order(const core::ConfigNode& parent, std::string_view key) {
  std::array<Dim, kDims> order = kCanonicalOrder;
  if (!parent.has(key)) return order;
  const auto names = parent.get_string_list(key);
  std::set<Dim> seen;
  for (const auto& s : names) {
    auto d = core::parse_enum(kDimNames, s);
    if (!d) {
      parent.error_at(key, "unknown dimension '" + s + "' (expected N, M, C, P, Q, R, S)");
      return order;
    }
    seen.insert(*d);
  }
  if (names.size() != kDims || seen.size() != kDims) {
    parent.error_at(key, "expected each of N, M, C, P, Q, R, S exactly once, outermost first");
    return order;
  }
  for (int i = 0; i < kDims; ++i) order[i] = *core::parse_enum(kDimNames, names[i]);
  return order;
}

LevelLoops read_loops(const core::ConfigNode& n, DimLines& lines) {
  LevelLoops l;
  lines.fill(n.line());
  if (n.has("factors")) l.factors = read_factors(n.child("factors"), lines);
  l.order = read_order(n, "order");
  return l;
}

}  // namespace

std::string mapping_to_yaml(const MappingFile& f, const arch::Accelerator& acc) {
  const Mapping& m = f.mapping;
  std::string out = "# Loom mapping: loops per memory level, outermost first (docs/mapping.md).\n";
  out += "layer: \"" + f.layer + "\"\n";
  if (!f.workload.empty()) out += "workload: \"" + f.workload + "\"\n";
  out += "accelerator: \"" + acc.name + "\"\n";
  out += "view: " + f.view + "\n";
  out += "levels:\n";
  for (std::size_t i = 0; i < m.levels.size(); ++i)
    out += "  - {name: " + acc.levels[i].name + ", factors: " + factors_yaml(m.levels[i].factors) +
           ", order: " + order_yaml(m.levels[i].order) + "}\n";
  out += "spatial: {rows: " + factors_yaml(m.spatial_rows) +
         ", cols: " + factors_yaml(m.spatial_cols) + "}\n";
  std::string keeps;
  for (int o = 0; o < arch::kOperands; ++o)
    if (m.pe_keeps[o])
      keeps += (keeps.empty() ? "" : ", ") +
               std::string(core::enum_name(arch::kOperandNames, static_cast<arch::Operand>(o)));
  out += "pe: {factors: " + factors_yaml(m.pe.factors) + ", order: " + order_yaml(m.pe.order) +
         ", keeps: [" + keeps + "]}\n";
  if (const auto& s = f.search) {
    // Shortest exact forms: the bound reads back as the same double, a closed search's gap as 0.
    out +=
        fmt::format("search: {{strategy: {}, objective: {}, evaluated: {}, valid: {}, pruned: {}",
                    s->strategy, s->objective, s->evaluated, s->valid, s->pruned);
    if (s->lower_bound)
      out += fmt::format(", lower_bound: {}{}", *s->lower_bound,
                         s->unit.empty() ? "" : ", unit: \"" + s->unit + "\"");
    if (s->optimality_gap_pct)
      out += fmt::format(", optimality_gap_pct: {}", *s->optimality_gap_pct);
    out += "}\n";
  }
  return out;
}

MappingFile parse_mapping_yaml(std::string_view text, const std::string& file_name,
                               const arch::Accelerator& acc) {
  const auto root = core::ConfigNode::parse(text, file_name);
  MappingFile f;
  if (!root.allow_keys(
          {"layer", "workload", "accelerator", "view", "levels", "spatial", "pe", "search"}))
    root.finish();
  f.layer = root.require_string("layer");
  f.workload = root.get_string("workload", "");
  f.view = root.get_string("view", "gemm");
  if (f.view != "gemm" && f.view != "conv") root.error_at("view", "expected gemm or conv");
  if (!root.has("levels"))
    root.error_at("levels", "missing required key (expected a list)");
  else {
    f.lines.levels = root.child("levels").line();
    const auto items = root.child("levels").items();
    if (items.size() != acc.levels.size())
      root.error_at("levels", "expected " + std::to_string(acc.levels.size()) +
                                  " levels (the accelerator's), got " +
                                  std::to_string(items.size()));
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& n = items[i];
      if (!n.allow_keys({"name", "factors", "order"})) continue;
      const std::string name = n.require_string("name");
      if (i < acc.levels.size() && name != acc.levels[i].name)
        n.error_at("name", "expected level '" + acc.levels[i].name + "' here, got '" + name + "'");
      f.lines.level.emplace_back();
      f.mapping.levels.push_back(read_loops(n, f.lines.level.back()));
    }
  }
  if (root.has("spatial")) {
    const auto sp = root.child("spatial");
    f.lines.spatial_rows.fill(sp.line());
    f.lines.spatial_cols.fill(sp.line());
    if (sp.allow_keys({"rows", "cols"})) {
      if (sp.has("rows"))
        f.mapping.spatial_rows = read_factors(sp.child("rows"), f.lines.spatial_rows);
      if (sp.has("cols"))
        f.mapping.spatial_cols = read_factors(sp.child("cols"), f.lines.spatial_cols);
    }
  }
  if (root.has("pe")) {
    const auto pe = root.child("pe");
    f.lines.pe.fill(pe.line());
    if (pe.allow_keys({"factors", "order", "keeps"})) {
      f.mapping.pe = read_loops(pe, f.lines.pe);
      if (pe.has("keeps")) {
        f.mapping.pe_keeps = {false, false, false};
        for (const auto& k : pe.get_string_list("keeps")) {
          if (auto o = core::parse_enum(arch::kOperandNames, k))
            f.mapping.pe_keeps[static_cast<int>(*o)] = true;
          else
            pe.error_at("keeps", "unknown operand '" + k + "' (expected ifmap, filter, ofmap)");
        }
      }
    }
  }
  root.finish();
  return f;
}

std::string format_loop_nest(const Mapping& m, const arch::Accelerator& acc) {
  std::size_t width = 7;
  for (const auto& l : acc.levels) width = std::max(width, l.name.size());
  const auto pad = [&](const std::string& s) { return s + std::string(width + 2 - s.size(), ' '); };
  const auto loops = [](const LevelLoops& l) {
    std::string out;
    for (Dim d : l.order) {
      const auto f = l.factors[static_cast<int>(d)];
      if (f > 1) out += "for " + dim_name(d) + " in 0.." + std::to_string(f) + "  ";
    }
    return out.empty() ? std::string("-") : out.substr(0, out.size() - 2);
  };
  std::string out;
  for (std::size_t i = 0; i < m.levels.size(); ++i)
    out += pad(acc.levels[i].name) + loops(m.levels[i]) + "\n";
  const auto spatial = [](const DimFactors& f) {
    std::string s;
    for (int d = 0; d < kDims; ++d)
      if (f[d] > 1)
        s += (s.empty() ? "" : " ") + dim_name(static_cast<Dim>(d)) + "x" + std::to_string(f[d]);
    return s.empty() ? std::string("-") : s;
  };
  out += pad("spatial") + "rows " + spatial(m.spatial_rows) + ", cols " + spatial(m.spatial_cols) +
         "\n";
  out += pad("pe") + loops(m.pe) + "\n";
  return out;
}

}  // namespace loom::dataflow
