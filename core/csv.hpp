// SPDX-License-Identifier: Apache-2.0
#pragma once
// A small reader for the comma-separated text files tools like SCALE-Sim write: fields are
// trimmed, a trailing comma does not make an extra column, blank lines are skipped. Line numbers
// are kept so importers can point at the offending row.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace loom::core {

struct CsvRow {
  int line = 0;  // 1-based line in the file
  std::vector<std::string> fields;
};

struct CsvTable {
  std::string file;
  CsvRow header;
  std::vector<CsvRow> rows;
};

// Throws loom::Error if the file cannot be read or holds no header row.
CsvTable read_csv(const std::filesystem::path& path);
CsvTable parse_csv(std::string_view text, std::string file_name);

std::string trim(std::string_view s);
std::string to_lower(std::string_view s);

}  // namespace loom::core
