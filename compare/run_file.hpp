// SPDX-License-Identifier: Apache-2.0
#pragma once
// A finished `loom run` read back from its results.h5 (given as the file or as the run's
// folder): the /layers and /summary tables and the file attributes. What `loom compare` and the
// run report read; a sweep's results.h5 or another program's file is refused by name.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "reports/result_table.hpp"

namespace loom::compare {

struct RunFile {
  std::string label;  // as the user named it (folder or file)
  std::filesystem::path h5;
  reports::ResultTable layers;
  reports::ResultTable summary;  // one row
  std::map<std::string, std::string> attributes;
  [[nodiscard]] std::string attribute(const std::string& key) const;
};

// Throws loom::Error naming the path: missing, not HDF5, a sweep's, or without the columns read.
[[nodiscard]] RunFile load_run(const std::string& folder_or_h5);
// Whether `path` is a sweep's results.h5 (it has a /points table); false for anything else.
[[nodiscard]] bool is_sweep_results(const std::filesystem::path& path);

}  // namespace loom::compare
