// SPDX-License-Identifier: Apache-2.0
#include "core/csv.hpp"

#include <cctype>
#include <sstream>

#include "core/config.hpp"
#include "core/error.hpp"

namespace loom::core {

std::string trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

CsvTable parse_csv(std::string_view text, std::string file_name) {
  CsvTable t;
  t.file = std::move(file_name);
  int line_no = 0;
  bool have_header = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (trim(line).empty()) {
      if (nl == text.size()) break;
      continue;
    }
    CsvRow row{line_no, {}};
    std::size_t start = 0;
    while (true) {
      std::size_t comma = line.find(',', start);
      std::string_view field =
          line.substr(start, comma == std::string_view::npos ? line.size() - start : comma - start);
      row.fields.push_back(trim(field));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (!row.fields.empty() && row.fields.back().empty()) row.fields.pop_back();
    if (!have_header) {
      t.header = std::move(row);
      have_header = true;
    } else {
      t.rows.push_back(std::move(row));
    }
    if (nl == text.size()) break;
  }
  if (!have_header) throw Error(Diagnostic{t.file, "", 0, "empty file (expected a header row)"});
  return t;
}

CsvTable read_csv(const std::filesystem::path& path) {
  return parse_csv(read_text_file(path), path.string());
}

}  // namespace loom::core
