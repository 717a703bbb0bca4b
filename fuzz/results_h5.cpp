// SPDX-License-Identifier: Apache-2.0
// Fuzz target: a sweep's results.h5 as `loom report` reads it (the HTML report and the Pareto
// plot). HDF5 trusts its metadata, so Loom reads each file first in a child process (reports/
// hdf5_reader.cpp); this target checks that no damaged file gets past that to crash, hang or
// throw anything but loom::Error in the reading process.
#include "fuzz/fuzz_input.hpp"
#include "sweep/html_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace loom;
  const auto path = fuzz::scratch_file("results.h5", fuzz::text_of(data, size));
  fuzz::refuse_only([&] { (void)sweep::sweep_report_html(path); });
  fuzz::refuse_only([&] { (void)sweep::pareto_svg(path); });
  return 0;
}
