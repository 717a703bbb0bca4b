// SPDX-License-Identifier: Apache-2.0
#pragma once
// `loom compare` and `loom report`, called by the CLI once it has parsed the command line. Both
// throw loom::Error on bad input (the CLI exits 2). `loom report` of one sweep's results.h5
// draws the sweep report (sweep/commands.hpp); of one or more runs' results.h5 (or folders),
// the run report, side by side.
#include <string>
#include <vector>

namespace loom::compare {

struct CompareArgs {
  std::vector<std::string> runs;  // folders or results.h5 files, two or more
  std::string csv;                // also write the table here
};
int run_compare_command(const CompareArgs& args);

struct ReportArgs {
  std::vector<std::string> results;  // one sweep's results.h5, or runs' results.h5 / folders
  std::string out = "report.html";
  std::string pareto_svg;  // sweep only
};
int run_report_command(const ReportArgs& args);

}  // namespace loom::compare
