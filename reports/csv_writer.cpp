// SPDX-License-Identifier: Apache-2.0
#include "reports/csv_writer.hpp"

#include <fmt/format.h>

#include "reports/atomic_file.hpp"

namespace loom::reports {
namespace {

void append_cell(std::string& out, const Cell& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) {
    out += csv_field(*s);
  } else if (const auto* i = std::get_if<std::int64_t>(&cell)) {
    fmt::format_to(std::back_inserter(out), "{}", *i);
  } else {
    // fmt 9's "{}" is the shortest round-trip representation (Dragonbox).
    fmt::format_to(std::back_inserter(out), "{}", std::get<double>(cell));
  }
}

}  // namespace

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string to_csv(const ResultTable& table) {
  std::string out;
  const auto& cols = table.columns();
  for (std::size_t c = 0; c < cols.size(); ++c) {
    if (c > 0) out += ',';
    out += csv_field(cols[c].name);
  }
  out += '\n';
  for (const auto& row : table.rows()) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += ',';
      append_cell(out, row[c]);
    }
    out += '\n';
  }
  return out;
}

void write_csv(const ResultTable& table, const std::filesystem::path& path) {
  write_file_atomically(path, to_csv(table));
}

}  // namespace loom::reports
