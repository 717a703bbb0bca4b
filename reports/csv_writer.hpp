// SPDX-License-Identifier: Apache-2.0
#pragma once
// ResultTable → CSV (RFC 4180 quoting, "\n" line ends). The header row holds the column names
// only (units belong in the names, e.g. `energy_pj`, so other tools read the file unchanged).
// Integers are written as plain integers; doubles in the shortest form that reads back to the
// same double (fmt's "{}", so 0.1 → "0.1", 2.0 → "2", 1e21 → "1e+21", NaN → "nan"). A string is
// quoted only if it holds a comma, a quote or a line break. The file is written atomically
// (see atomic_file.hpp); failures throw loom::Error naming the path.
#include <filesystem>
#include <string>

#include "reports/result_table.hpp"

namespace loom::reports {

[[nodiscard]] std::string to_csv(const ResultTable& table);
void write_csv(const ResultTable& table, const std::filesystem::path& path);

// One CSV field, quoted if needed: `a,b` → `"a,b"`, `say "hi"` → `"say ""hi"""`.
[[nodiscard]] std::string csv_field(std::string_view s);

}  // namespace loom::reports
