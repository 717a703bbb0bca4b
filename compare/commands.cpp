// SPDX-License-Identifier: Apache-2.0
#include "compare/commands.hpp"

#include <fmt/core.h>

#include <cstdio>

#include "compare/compare_runs.hpp"
#include "compare/run_report.hpp"
#include "core/error.hpp"
#include "reports/atomic_file.hpp"
#include "reports/csv_writer.hpp"
#include "sweep/commands.hpp"

namespace loom::compare {

int run_compare_command(const CompareArgs& args) {
  if (args.runs.size() < 2)
    throw Error(Diagnostic{"", "loom compare", 0, "expected two or more runs to compare"});
  std::vector<RunFile> runs;
  for (const auto& r : args.runs) runs.push_back(load_run(r));
  std::fputs(format_compare_console(runs).c_str(), stdout);
  if (!args.csv.empty()) {
    for (const auto& r : runs) reports::refuse_overwriting_input(args.csv, r.h5, "--csv");
    reports::write_file_atomically(args.csv, reports::to_csv(compare_table(runs)));
    fmt::print("wrote {}\n", args.csv);
  }
  return 0;
}

int run_report_command(const ReportArgs& args) {
  if (args.results.size() == 1 && is_sweep_results(args.results.front()))
    return sweep::run_report_command({args.results.front(), args.out, args.pareto_svg});
  if (!args.pareto_svg.empty())
    throw Error(Diagnostic{"", "--pareto-svg", 0, "only a sweep's results.h5 has a Pareto front"});
  std::vector<RunFile> runs;
  for (const auto& r : args.results) {
    if (args.results.size() > 1 && is_sweep_results(r))
      throw Error(Diagnostic{r, "", 0, "a sweep's results.h5 is reported alone, not beside runs"});
    runs.push_back(load_run(r));
    reports::refuse_overwriting_input(args.out, runs.back().h5, "-o");
  }
  reports::write_file_atomically(args.out, run_report_html(runs));
  fmt::print("wrote {}\n", args.out);
  return 0;
}

}  // namespace loom::compare
