// SPDX-License-Identifier: Apache-2.0
// Golden tests against real SCALE-Sim v2 runs (tests/data/scalesim, copied from the project's
// reference set; see its README). In compat: scalesim mode, Loom's total/compute/stall cycles and
// array-side SRAM counts must equal SCALE-Sim's exactly, and its utilizations to 0.01 points.
#include <catch2/catch.hpp>
#include <string>

#include "arch/accelerator.hpp"
#include "core/csv.hpp"
#include "dataflow/systolic.hpp"
#include "workloads/network.hpp"

using namespace loom;

namespace {

struct Report {
  core::CsvTable table;
  [[nodiscard]] double at(std::size_t row, const std::string& column) const {
    for (std::size_t i = 0; i < table.header.fields.size(); ++i)
      if (table.header.fields[i] == column) return std::stod(table.rows.at(row).fields.at(i));
    FAIL("no column " << column << " in " << table.file);
    return 0;
  }
};

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// SCALE-Sim's compute cycles by its own arithmetic (tests/data/scalesim/README.md), worked from
// the topology row rather than from Loom's layer: a conv row (H, W, R, S, C, M, stride) gives
// Mpx = Eh * Ew with E = ceil((H - R + stride) / stride), N = M, K = R * S * C; a GEMM row (M,
// N, K) gives Mpx = M. The dataflow puts (Mpx, N, K) on (rows, columns, time) as os (Mpx, N, K),
// ws (K, N, Mpx), is (K, Mpx, N); folds run back to back, each T + AR + AC - 2 cycles (os) or
// T + 2 AR + AC - 2 (ws, is), and the run ends one cycle early.
std::int64_t scalesim_compute_cycles(const core::CsvRow& row, bool gemm, std::int64_t ar,
                                     std::int64_t ac, arch::Dataflow df) {
  const auto f = [&](std::size_t i) { return std::stoll(row.fields.at(i)); };
  std::int64_t mpx = 0, n = 0, k = 0;
  if (gemm) {
    mpx = f(1), n = f(2), k = f(3);
  } else {
    const std::int64_t h = f(1), w = f(2), r = f(3), s = f(4), c = f(5), stride = f(7);
    mpx = ceil_div(h - r + stride, stride) * ceil_div(w - s + stride, stride);
    n = f(6);
    k = r * s * c;
  }
  std::int64_t sr = k, sc = n, t = mpx;  // ws
  if (df == arch::Dataflow::os) sr = mpx, t = k;
  if (df == arch::Dataflow::is) sc = mpx, t = n;
  const std::int64_t per_fold = t + (df == arch::Dataflow::os ? ar : 2 * ar) + ac - 2;
  return ceil_div(sr, ar) * ceil_div(sc, ac) * per_fold - 1;
}

void check_run(const std::string& folder, const std::string& cfg, const std::string& topo) {
  const std::string dir = std::string(LOOM_TEST_DATA) + "/scalesim/" + folder + "/";
  const auto acc = arch::load_scalesim_cfg(dir + cfg);
  const auto net = workloads::load_scalesim_topology(dir + topo);
  const auto rows = core::read_csv(dir + topo).rows;
  const bool gemm = rows.at(0).fields.size() < 8;  // name, M, N, K (README: tell by columns)
  const Report compute{core::read_csv(dir + "COMPUTE_REPORT.csv")};
  const Report access{core::read_csv(dir + "DETAILED_ACCESS_REPORT.csv")};
  REQUIRE(compute.table.rows.size() == net.layers.size());
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    INFO(folder << " layer " << net.layers[i].name);
    const auto r = dataflow::analyze_systolic(net.layers[i], acc);
    CHECK(r.total_cycles == static_cast<std::int64_t>(compute.at(i, "Total Cycles")));
    CHECK(r.stall_cycles == static_cast<std::int64_t>(compute.at(i, "Stall Cycles")));
    CHECK(r.compute_cycles ==
          scalesim_compute_cycles(rows.at(i), gemm, acc.array.rows, acc.array.cols, acc.dataflow));
    CHECK(r.overall_util_pct == Approx(compute.at(i, "Overall Util %")).margin(0.01));
    CHECK(r.mapping_efficiency_pct == Approx(compute.at(i, "Mapping Efficiency %")).margin(0.01));
    CHECK(r.compute_util_pct == Approx(compute.at(i, "Compute Util %")).margin(0.01));
    CHECK(r.sram_ifmap_reads == static_cast<std::int64_t>(access.at(i, "SRAM IFMAP Reads")));
    CHECK(r.sram_filter_reads == static_cast<std::int64_t>(access.at(i, "SRAM Filter Reads")));
    CHECK(r.sram_ofmap_writes == static_cast<std::int64_t>(access.at(i, "SRAM OFMAP Writes")));
  }
}

}  // namespace

TEST_CASE("scalesim compat matches SCALE-Sim os on AlexNet, 32x32") {
  check_run("scale_os_alexnet", "scale.cfg", "alexnet.csv");
}
TEST_CASE("scalesim compat matches SCALE-Sim ws on AlexNet, 32x32") {
  check_run("scale_ws_alexnet", "scale.cfg", "alexnet.csv");
}
TEST_CASE("scalesim compat matches SCALE-Sim is on AlexNet, 32x32") {
  check_run("scale_is_alexnet", "scale.cfg", "alexnet.csv");
}
TEST_CASE("scalesim compat matches SCALE-Sim os on AlexNet, 256x256 (google.cfg)") {
  check_run("google_os_alexnet", "google.cfg", "alexnet.csv");
}
TEST_CASE("scalesim compat matches SCALE-Sim ws on an AlexNet part") {
  check_run("scale_ws_alexnet_part", "scale.cfg", "alexnet_part.csv");
}
TEST_CASE("scalesim compat matches SCALE-Sim on GEMM topologies, each dataflow") {
  check_run("scale_os_test_mnk_input", "scale.cfg", "test_mnk_input.csv");
  check_run("scale_ws_test_mnk_input", "scale.cfg", "test_mnk_input.csv");
  check_run("scale_is_test_mnk_input", "scale.cfg", "test_mnk_input.csv");
}

#include "dataflow/nest_analysis.hpp"
#include "dataflow/systolic_mapping.hpp"

namespace {

// The generic loop-nest analysis, given SCALE-Sim's fixed mapping of the GEMM view, must count
// the array-side SRAM traffic SCALE-Sim reports (its os ofmap count adds AR + AC bookkeeping
// writes per fold, a compat quirk outside the nest).
void check_nest(const std::string& folder, const std::string& cfg, const std::string& topo) {
  const std::string dir = std::string(LOOM_TEST_DATA) + "/scalesim/" + folder + "/";
  const auto acc = arch::load_scalesim_cfg(dir + cfg);
  const auto net = workloads::load_scalesim_topology(dir + topo);
  const Report access{core::read_csv(dir + "DETAILED_ACCESS_REPORT.csv")};
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    INFO(folder << " layer " << net.layers[i].name);
    const auto gemm = dataflow::gemm_view(net.layers[i]);
    const auto m = dataflow::scalesim_mapping(gemm, acc);
    REQUIRE(dataflow::check_mapping_shape(gemm, acc, m).empty());
    const auto p = dataflow::resolve_precision(gemm, acc);
    dataflow::NestOptions unbounded;
    unbounded.check_capacity = false;  // SCALE-Sim does not bound its tiles by its buffers
    const auto r = dataflow::analyze_nest(gemm, acc, m, p, unbounded);
    const int li = acc.sram_level(arch::Operand::ifmap);
    const int lf = acc.sram_level(arch::Operand::filter);
    const int lo = acc.sram_level(arch::Operand::ofmap);
    CHECK(r.access.at(li, arch::Operand::ifmap).reads ==
          static_cast<std::int64_t>(access.at(i, "SRAM IFMAP Reads")));
    CHECK(r.access.at(lf, arch::Operand::filter).reads ==
          static_cast<std::int64_t>(access.at(i, "SRAM Filter Reads")));
    std::int64_t bookkeeping = 0;
    if (acc.dataflow == arch::Dataflow::os)
      bookkeeping = r.compute_steps / gemm.shape.C * (acc.array.rows + acc.array.cols);
    // Array-side ofmap writes: everything written into the ofmap SRAM minus DRAM refills.
    const auto& of = r.access.at(lo, arch::Operand::ofmap);
    const auto& dram_of = r.access.at(0, arch::Operand::ofmap);
    CHECK(of.writes - dram_of.reads + bookkeeping ==
          static_cast<std::int64_t>(access.at(i, "SRAM OFMAP Writes")));
    CHECK(r.compute_steps * r.pes_used >= net.layers[i].macs());
  }
}

}  // namespace

TEST_CASE("the nest analysis of SCALE-Sim's mapping counts SCALE-Sim's SRAM traffic, every run") {
  check_nest("scale_os_alexnet", "scale.cfg", "alexnet.csv");
  check_nest("scale_ws_alexnet", "scale.cfg", "alexnet.csv");
  check_nest("scale_is_alexnet", "scale.cfg", "alexnet.csv");
  check_nest("google_os_alexnet", "google.cfg", "alexnet.csv");
  check_nest("scale_os_test_mnk_input", "scale.cfg", "test_mnk_input.csv");
  check_nest("scale_ws_test_mnk_input", "scale.cfg", "test_mnk_input.csv");
  check_nest("scale_is_test_mnk_input", "scale.cfg", "test_mnk_input.csv");
}

#include "dataflow/systolic_timing.hpp"

TEST_CASE("SCALE-Sim's mapping evaluated through the loop nest equals the closed form, every run") {
  for (const auto& [folder, cfg, topo] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"scale_os_alexnet", "scale.cfg", "alexnet.csv"},
           {"scale_ws_alexnet", "scale.cfg", "alexnet.csv"},
           {"scale_is_alexnet", "scale.cfg", "alexnet.csv"},
           {"google_os_alexnet", "google.cfg", "alexnet.csv"},
           {"scaleUSERbw10_ws_alexnet_part", "scaleUSERbw10.cfg", "alexnet_part.csv"},
           {"scale_ws_test_mnk_input", "scale.cfg", "test_mnk_input.csv"}}) {
    const std::string dir = std::string(LOOM_TEST_DATA) + "/scalesim/" + folder + "/";
    const auto acc = arch::load_scalesim_cfg(dir + cfg);
    for (const auto& layer : workloads::load_scalesim_topology(dir + topo).layers) {
      INFO(folder << " " << layer.name);
      const auto closed = dataflow::analyze_systolic(layer, acc);
      const auto m = dataflow::scalesim_mapping(dataflow::gemm_view(layer), acc);
      const auto ev = dataflow::evaluate_systolic_mapping(layer, acc, m, closed.precision);
      const auto& n = ev.counts;
      CHECK(n.compute_cycles == closed.compute_cycles);
      CHECK(n.folds == closed.folds);
      CHECK(n.mapping_efficiency_pct == Approx(closed.mapping_efficiency_pct).epsilon(1e-12));
      CHECK(n.compute_util_pct == Approx(closed.compute_util_pct).epsilon(1e-12));
      CHECK(n.sram_ifmap_reads == closed.sram_ifmap_reads);
      CHECK(n.sram_filter_reads == closed.sram_filter_reads);
      CHECK(n.sram_ofmap_writes == closed.sram_ofmap_writes);
      CHECK(n.sram_ofmap_reads == closed.sram_ofmap_reads);
      if (acc.levels[0].bandwidth_bytes_per_cycle == 0.0)
        CHECK(n.total_cycles == closed.total_cycles);
    }
  }
}
