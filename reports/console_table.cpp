// SPDX-License-Identifier: Apache-2.0
#include "reports/console_table.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace loom::reports {
namespace {

// Inserts ',' every three digits of the leading run of digits (after an optional '-').
std::string group_thousands(std::string s) {
  const std::size_t begin = (!s.empty() && s[0] == '-') ? 1 : 0;
  std::size_t end = begin;
  while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
  for (std::size_t i = end; i > begin + 3; i -= 3) s.insert(i - 3, 1, ',');
  return s;
}

// Terminal columns taken by a UTF-8 string: code points, not bytes, so "µs" aligns.
std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void pad(std::string& line, const std::string& text, std::size_t width, bool right) {
  const std::size_t fill = width - std::min(width, display_width(text));
  if (right) line.append(fill, ' ');
  line += text;
  if (!right) line.append(fill, ' ');
}

void end_line(std::string& out, std::string& line) {
  line.erase(line.find_last_not_of(' ') + 1);  // npos + 1 == 0 clears an all-blank line
  out += line;
  out += '\n';
  line.clear();
}

}  // namespace

std::string format_cell(const Cell& cell, int precision, bool thousands) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  std::string text;
  if (const auto* i = std::get_if<std::int64_t>(&cell)) {
    text = fmt::format("{}", *i);
  } else {
    const double d = std::get<double>(cell);
    if (!std::isfinite(d)) return fmt::format("{}", d);  // "nan", "inf", "-inf"
    text = fmt::format("{:.{}f}", d, std::max(precision, 0));
  }
  return thousands ? group_thousands(std::move(text)) : text;
}

std::string format_console_table(const ResultTable& table, const std::vector<std::string>& columns,
                                 const ConsoleTableOptions& options) {
  std::vector<std::size_t> shown;
  if (columns.empty()) {
    for (std::size_t c = 0; c < table.column_count(); ++c) shown.push_back(c);
  } else {
    for (const auto& name : columns) shown.push_back(table.column_index(name));
  }

  // Render every cell first: widths depend on the formatted text.
  std::vector<std::string> header;
  std::vector<bool> right;
  std::vector<std::size_t> width;
  for (std::size_t c : shown) {
    const Column& col = table.columns()[c];
    const auto l = options.labels.find(col.name);
    const std::string& label = l != options.labels.end() ? l->second : col.name;
    header.push_back(col.unit.empty() ? label : label + " [" + col.unit + "]");
    right.push_back(col.type != ColumnType::String);
    width.push_back(display_width(header.back()));
  }
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : table.rows()) {
    auto& out = cells.emplace_back();
    for (std::size_t k = 0; k < shown.size(); ++k) {
      const Column& col = table.columns()[shown[k]];
      const auto p = options.precisions.find(col.name);
      const int precision = p != options.precisions.end() ? p->second : options.precision;
      out.push_back(format_cell(row[shown[k]], precision, options.thousands));
      width[k] = std::max(width[k], display_width(out.back()));
    }
  }

  std::string out;
  std::string line;
  auto emit = [&](const std::vector<std::string>& texts) {
    for (std::size_t k = 0; k < texts.size(); ++k) {
      if (k > 0) line += "  ";
      pad(line, texts[k], width[k], right[k]);
    }
    end_line(out, line);
  };
  std::vector<std::string> rule;
  for (std::size_t w : width) rule.emplace_back(w, '-');
  emit(header);
  emit(rule);
  const std::size_t footer_start = cells.size() - std::min(options.footer_rows, cells.size());
  for (std::size_t r = 0; r < cells.size(); ++r) {
    if (r == footer_start && options.footer_rows > 0) emit(rule);
    emit(cells[r]);
  }
  return out;
}

}  // namespace loom::reports
