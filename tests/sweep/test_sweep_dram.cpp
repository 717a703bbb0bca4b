// SPDX-License-Identifier: Apache-2.0
// results.h5's /pareto_dram and the report's breakdown of DRAM bytes kept on chip vs spilled
// (sweep/dram_breakdown.hpp, sweep/dram_plot.hpp).
#include <catch2/catch.hpp>
#include <cmath>

#include "common/error_of.hpp"
#include "common/scratch_dir.hpp"
#include "reports/hdf5_writer.hpp"
#include "sweep/comm.hpp"
#include "sweep/html_report.hpp"
#include "sweep/runner.hpp"
#include "sweep_fixtures.hpp"

using namespace loom;

namespace {

// Shared buffers for the tiny net: at 2 MiB every activation stays on chip. (The net is
// dominated by its FC weights, so only the smallest buffer is on the front when both run.)
const std::string kAxis = R"(
axes:
  - {name: glb, set: [levels.glb.size_kib], values: )";
const std::string kBody = R"(}
objectives: [energy, area]
strategy: {kind: grid}
mapper: {search: false}
)";

sweep::SweepOutcome run(const std::filesystem::path& file, const std::filesystem::path& out) {
  auto comm = sweep::make_comm();
  sweep::SweepOptions opt;
  opt.out_dir = out;
  opt.threads = 1;
  opt.log = opt.progress = nullptr;
  return sweep::run_sweep(sweep::load_sweep(file.string()), *comm, opt);
}

double cell(const reports::ResultTable& t, std::size_t r, const char* c) {
  const auto& v = t.at(r, c);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return static_cast<double>(std::get<std::int64_t>(v));
}

std::string text(const reports::ResultTable& t, std::size_t r, const char* c) {
  return std::get<std::string>(t.at(r, c));
}

}  // namespace

TEST_CASE("results.h5 and the report break each Pareto point's DRAM bytes into kept and spilled") {
  ScratchDir dir;
  const auto g =
      run(sweep_test::write_sweep(dir.path(), kAxis + "[2048]" + kBody + "schedule: graph\n"),
          dir / "g");
  const auto lw =
      run(sweep_test::write_sweep(
              dir.path(), kAxis + "[64, 2048]" + kBody + "schedule: layerwise\n", "lw.yaml"),
          dir / "lw");
  for (const auto* o : {&g, &lw}) {
    const bool graph = o == &g;
    INFO((graph ? "graph" : "layerwise"));
    const auto h5 = dir / (graph ? "g" : "lw") / "results.h5";
    const auto t = reports::read_hdf5_table(h5, "pareto_dram");
    REQUIRE(t.row_count() == o->pareto.size());  // one workload
    for (std::size_t r = 0; r < t.row_count(); ++r) {
      CHECK(cell(t, r, "point") == static_cast<double>(o->points[o->pareto[r]].point));
      CHECK(text(t, r, "workload") == "tiny");
      CHECK(text(t, r, "schedule") == (graph ? "graph" : "layerwise"));
      const double dram = cell(t, r, "dram_bytes");
      CHECK(dram == Approx(cell(t, r, "weight_dram_bytes") + cell(t, r, "spilled_dram_bytes")));
      CHECK(cell(t, r, "layerwise_dram_bytes") ==
            Approx(dram + cell(t, r, "resident_saved_bytes") + cell(t, r, "fused_saved_bytes")));
      // The tiny net's weights, each read once: 3x16x9 + 16x32x9 + 8192x10 int8 values.
      CHECK(cell(t, r, "weight_dram_bytes") == 432 + 4608 + 81920);
      if (!graph) {
        CHECK(cell(t, r, "layerwise_dram_bytes") == dram);
        CHECK(cell(t, r, "resident_saved_bytes") == 0);
        CHECK(cell(t, r, "tensors_resident") + cell(t, r, "tensors_spilled") == 0);
      }
    }
  }
  // Under the graph schedule with 2 MiB, both convolutions' outputs stay: only the network
  // input (3x32x32) and the FC's 10 outputs move, and the layerwise traffic of the two
  // intermediate tensors (16x32x32 and 32x16x16, each written and read once) is kept on chip.
  const auto t = reports::read_hdf5_table(dir / "g" / "results.h5", "pareto_dram");
  REQUIRE(t.row_count() == 1);
  const std::size_t big = 0;
  CHECK(cell(t, big, "spilled_dram_bytes") == 3072 + 10);
  CHECK(cell(t, big, "resident_saved_bytes") == 2 * (16384 + 8192));
  CHECK(cell(t, big, "tensors_resident") == 2);
  CHECK(cell(t, big, "tensors_spilled") == 1);
  const std::string html = slurp(dir / "g" / "report.html");
  CHECK(html.find("id='dram-plot'") != std::string::npos);
  CHECK(html.find("Chosen point: DRAM bytes by workload") != std::string::npos);
  CHECK(html.find("kept on chip: resident") != std::string::npos);
  // A results.h5 written before /pareto_dram existed still gives a report, which says why it has
  // no breakdown; a /pareto_dram without the columns is refused by name.
  const auto h5 = dir / "g" / "results.h5";
  const auto points = reports::read_hdf5_table(h5, "points");
  const auto pareto = reports::read_hdf5_table(h5, "pareto");
  const auto layers = reports::read_hdf5_table(h5, "chosen_layers");
  const auto attrs = reports::read_hdf5_attributes(h5);
  const auto old = dir / "old.h5";
  reports::write_hdf5(old, {{"points", points}, {"pareto", pareto}, {"chosen_layers", layers}},
                      attrs);
  const std::string old_html = sweep::sweep_report_html(old);
  CHECK(old_html.find("id='dram-plot'") == std::string::npos);
  CHECK(old_html.find("No DRAM breakdown: this results.h5 has no /pareto_dram table") !=
        std::string::npos);
  CHECK(old_html.find("id='energy-plot'") != std::string::npos);
  // The same for a sweep's results.h5 of the earlier layout (tests/reports/test_hdf5.cpp).
  const std::string compound =
      sweep::sweep_report_html(std::string(LOOM_TEST_DATA) + "/results_h5/sweep_tiny_compound.h5");
  CHECK(compound.find("No DRAM breakdown") != std::string::npos);
  reports::write_hdf5(
      old,
      {{"points", points}, {"pareto", pareto}, {"chosen_layers", layers}, {"pareto_dram", points}},
      attrs);
  CHECK_THAT(error_of([&] { (void)sweep::sweep_report_html(old); }),
             Catch::Contains("pareto_dram: not a results.h5 Loom wrote: no column 'workload'"));
}
