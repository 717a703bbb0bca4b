// SPDX-License-Identifier: Apache-2.0
// Fuzz target: a results.h5 as `loom report` and `loom compare` read it — a sweep's (the HTML
// report and the Pareto plot) and a run's (the run report, the comparison table). HDF5 trusts
// its metadata, so Loom reads each file first in a child process (reports/hdf5_reader.cpp);
// this target checks that no damaged file gets past that to crash, hang or throw anything but
// loom::Error in the reading process. Seeds: both table layouts (column groups, and the compound
// datasets of earlier builds).
#include "compare/compare_runs.hpp"
#include "compare/run_file.hpp"
#include "compare/run_report.hpp"
#include "fuzz/fuzz_input.hpp"
#include "sweep/html_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace loom;
  const auto path = fuzz::scratch_file("results.h5", fuzz::text_of(data, size));
  // Each reader refuses the other kind of file after listing its tables.
  fuzz::refuse_only([&] { (void)sweep::sweep_report_html(path); });
  fuzz::refuse_only([&] { (void)sweep::pareto_svg(path); });
  fuzz::refuse_only([&] {
    const std::vector<compare::RunFile> runs{compare::load_run(path.string())};
    (void)compare::run_report_html(runs);
    (void)compare::format_compare_console(runs);
  });
  return 0;
}
