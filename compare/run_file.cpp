// SPDX-License-Identifier: Apache-2.0
#include "compare/run_file.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "reports/hdf5_writer.hpp"

namespace loom::compare {

std::string RunFile::attribute(const std::string& key) const {
  const auto it = attributes.find(key);
  return it == attributes.end() ? "" : it->second;
}

bool is_sweep_results(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  try {
    const auto tables = reports::list_hdf5_tables(path);
    return std::find(tables.begin(), tables.end(), "points") != tables.end();
  } catch (const Error&) {
    return false;
  }
}

RunFile load_run(const std::string& folder_or_h5) {
  RunFile r;
  r.label = folder_or_h5;
  std::error_code ec;
  r.h5 = std::filesystem::is_directory(folder_or_h5, ec)
             ? std::filesystem::path(folder_or_h5) / "results.h5"
             : std::filesystem::path(folder_or_h5);
  const auto tables = reports::list_hdf5_tables(r.h5);  // names the file if unreadable
  const auto has = [&](const char* t) {
    return std::find(tables.begin(), tables.end(), t) != tables.end();
  };
  if (has("points"))
    throw Error(Diagnostic{r.h5.string(), "", 0,
                           "a sweep's results.h5, not a run's (`loom report` draws a sweep; "
                           "compare the runs of its pareto/point_<id>/ folders instead)"});
  if (!has("layers") || !has("summary"))
    throw Error(Diagnostic{r.h5.string(), "", 0,
                           "not a results.h5 `loom run` wrote (no /layers and /summary tables)"});
  r.layers = reports::read_hdf5_table(r.h5, "layers");
  r.summary = reports::read_hdf5_table(r.h5, "summary");
  r.attributes = reports::read_hdf5_attributes(r.h5);
  const auto need = [&](const reports::ResultTable& t, const char* table, const std::string& c,
                        bool numeric) {
    const auto i = t.find_column(c);
    if (!i || (numeric && t.columns()[*i].type == reports::ColumnType::String))
      throw Error(Diagnostic{r.h5.string(), table, 0,
                             "not a results.h5 `loom run` wrote: no " +
                                 std::string(numeric ? "numeric " : "") + "column '" + c + "'"});
  };
  need(r.layers, "layers", "layer", false);
  for (const char* c : {"macs", "total_cycles", "latency_s", "energy_pj", "overall_util_pct"})
    need(r.layers, "layers", c, true);
  for (const char* c : {"cycles", "latency_s", "energy_pj"}) need(r.summary, "summary", c, true);
  if (r.summary.row_count() != 1)
    throw Error(Diagnostic{r.h5.string(), "summary", 0, "expected one row of totals"});
  return r;
}

}  // namespace loom::compare
