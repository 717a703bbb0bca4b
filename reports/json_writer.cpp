// SPDX-License-Identifier: Apache-2.0
#include "reports/json_writer.hpp"

#include "reports/atomic_file.hpp"

namespace loom::reports {
namespace {

template <class Json>
void write_doc(const Json& doc, const std::filesystem::path& path) {
  // Replace invalid UTF-8 rather than throw: a report with one odd layer name is still useful.
  std::string text = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  write_file_atomically(path, text);
}

}  // namespace

nlohmann::ordered_json to_json(const ResultTable& table) {
  auto out = nlohmann::ordered_json::array();
  const auto& cols = table.columns();
  for (const auto& row : table.rows()) {
    auto obj = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < cols.size(); ++c)
      std::visit([&](const auto& v) { obj[cols[c].name] = v; }, row[c]);
    out.push_back(std::move(obj));
  }
  return out;
}

nlohmann::ordered_json units_json(const ResultTable& table) {
  auto out = nlohmann::ordered_json::object();
  for (const auto& c : table.columns()) out[c.name] = c.unit;
  return out;
}

void write_json(const nlohmann::json& doc, const std::filesystem::path& path) {
  write_doc(doc, path);
}

void write_json(const nlohmann::ordered_json& doc, const std::filesystem::path& path) {
  write_doc(doc, path);
}

}  // namespace loom::reports
