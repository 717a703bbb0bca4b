// SPDX-License-Identifier: Apache-2.0
#include "sweep/commands.hpp"

#include <fmt/core.h>

#include <filesystem>

#include "reports/atomic_file.hpp"
#include "sweep/comm.hpp"
#include "sweep/html_report.hpp"
#include "sweep/runner.hpp"

namespace loom::sweep {

int run_sweep_command(const SweepArgs& args) {
  auto comm = make_comm();
  const SweepSpec spec = load_sweep(args.file);
  SweepOptions opt;
  opt.out_dir = args.out_dir;
  opt.resume = args.resume;
  opt.overwrite = args.force;
  opt.threads = args.threads;
  opt.log = comm->rank() == 0 ? stdout : nullptr;
  opt.progress = comm->rank() == 0 && !args.quiet ? stderr : nullptr;
  const auto outcome = run_sweep(spec, *comm, opt);
  if (comm->rank() == 0) {
    const std::filesystem::path d(args.out_dir);
    fmt::print("wrote {}, {}, {}, {}\n", (d / "points.csv").string(), (d / "pareto.csv").string(),
               (d / "results.h5").string(), (d / "report.html").string());
  }
  (void)outcome;
  return 0;
}

int run_report_command(const ReportArgs& args) {
  reports::refuse_overwriting_input(args.out, args.results_h5, "-o");
  const bool svg = !args.pareto_svg.empty();
  if (svg) {
    reports::refuse_overwriting_input(args.pareto_svg, args.results_h5, "--pareto-svg");
    reports::refuse_overwriting_input(args.pareto_svg, args.out, "--pareto-svg");
  }
  // Both files appear together or neither (reports::FileSet): an unwritable --pareto-svg leaves
  // the previous report.html in place.
  reports::FileSet files;
  files.write(args.out, sweep_report_html(args.results_h5));
  if (svg) files.write(args.pareto_svg, pareto_svg(args.results_h5));
  files.commit();
  fmt::print("wrote {}\n", args.out);
  if (svg) fmt::print("wrote {}\n", args.pareto_svg);
  return 0;
}

}  // namespace loom::sweep
