// SPDX-License-Identifier: Apache-2.0
#pragma once
// JSON output. `to_json` turns a ResultTable into an array of row objects whose keys follow the
// column order (hence ordered_json; it converts to nlohmann::json, which sorts keys, on
// assignment). Integers stay integers, doubles are written round-trip exact, and NaN or
// infinity become null (JSON has no such numbers). `write_json` writes any document with a
// 2-space indent and a final newline, atomically; failures throw loom::Error naming the path.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "reports/result_table.hpp"

namespace loom::reports {

// [{"layer": "conv1", "macs": 105415200, "energy_pj": 1.5e9}, ...]
[[nodiscard]] nlohmann::ordered_json to_json(const ResultTable& table);
// {"layer": "", "macs": "", "energy_pj": "pJ"}: the unit of each column, in column order.
[[nodiscard]] nlohmann::ordered_json units_json(const ResultTable& table);

void write_json(const nlohmann::json& doc, const std::filesystem::path& path);
void write_json(const nlohmann::ordered_json& doc, const std::filesystem::path& path);

}  // namespace loom::reports
