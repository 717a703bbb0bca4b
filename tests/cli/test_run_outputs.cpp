// SPDX-License-Identifier: Apache-2.0
// `loom run` output files: the names and columns DESIGN.md fixes, consistent with each other.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/run_loom.hpp"
#include "core/csv.hpp"
#include "reports/hdf5_writer.hpp"

TEST_CASE("loom run writes layers.csv, summary.json and results.h5 that agree") {
  const auto out = loom_test::scratch("outputs");
  const auto p = loom_test::run_loom("run --workload resnet18 --batch 2 -o " + out.string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  CHECK_THAT(p.output, Catch::Contains("total") && Catch::Contains("pJ/MAC"));

  const auto csv = loom::core::read_csv(out / "layers.csv");
  const std::vector<std::string> required = {"layer",
                                             "op",
                                             "macs",
                                             "total_cycles",
                                             "compute_cycles",
                                             "stall_cycles",
                                             "overall_util_pct",
                                             "mapping_efficiency_pct",
                                             "compute_util_pct",
                                             "active_pes",
                                             "sram_ifmap_reads",
                                             "sram_filter_reads",
                                             "sram_ofmap_writes",
                                             "dram_ifmap_reads",
                                             "dram_filter_reads",
                                             "dram_ofmap_writes",
                                             "energy_pj",
                                             "bytes_dram",
                                             "energy_pj_dram",
                                             "bytes_ifmap_sram",
                                             "energy_pj_ifmap_sram",
                                             "bytes_filter_sram",
                                             "energy_pj_filter_sram",
                                             "bytes_ofmap_sram",
                                             "energy_pj_ofmap_sram"};
  REQUIRE(csv.header.fields.size() >= required.size());
  for (std::size_t i = 0; i < required.size(); ++i) CHECK(csv.header.fields[i] == required[i]);
  REQUIRE(csv.rows.size() == 21);  // ResNet-18: 20 convolutions and the fc layer
  CHECK(csv.rows[0].fields[0] == "conv1");

  std::int64_t macs = 0;
  double energy = 0;
  for (const auto& r : csv.rows) {
    macs += std::stoll(r.fields[2]);
    energy += std::stod(r.fields[16]);
  }
  CHECK(macs == 2 * 1814073344LL);  // the batch multiplies every count

  std::ifstream in(out / "summary.json");
  const auto j = nlohmann::json::parse(in);
  CHECK(j["accelerator"] == "edge_ws_32x32");
  CHECK(j["workload"] == "resnet18");
  CHECK(j["batch"] == 2);
  const auto& t = j["totals"];
  for (const char* k :
       {"macs", "cycles", "latency_s", "inferences_per_s", "effective_tops", "energy_pj",
        "pj_per_mac", "power_w", "area_mm2", "edp_js", "utilization_pct", "active_pes_avg"})
    CHECK(t.contains(k));
  CHECK(t["macs"] == macs);
  CHECK(t["energy_pj"].get<double>() == Approx(energy).epsilon(1e-12));
  CHECK(t["pj_per_mac"].get<double>() == Approx(energy / static_cast<double>(macs)));
  CHECK(t["latency_s"].get<double>() == Approx(t["cycles"].get<double>() / 1e9));
  CHECK(t["edp_js"].get<double>() ==
        Approx(t["energy_pj"].get<double>() * 1e-12 * t["latency_s"].get<double>()));
  double level_energy = 0;
  for (const auto& [name, lvl] : j["levels"].items())
    level_energy += lvl["energy_pj"].get<double>();
  CHECK(level_energy + j["energy_breakdown_pj"]["mac"].get<double>() ==
        Approx(t["energy_pj"].get<double>()).epsilon(1e-9));

  const auto h5 = loom::reports::read_hdf5_table(out / "results.h5", "layers");
  REQUIRE(h5.row_count() == csv.rows.size());
  CHECK(h5.get_string(0, "layer") == "conv1");
  CHECK(h5.get_int(5, "total_cycles") == std::stoll(csv.rows[5].fields[3]));
  const auto sum = loom::reports::read_hdf5_table(out / "results.h5", "summary");
  CHECK(sum.get_int(0, "macs") == macs);
}

TEST_CASE("loom run is deterministic: two runs write identical files") {
  const auto a = loom_test::scratch("det_a");
  const auto b = loom_test::scratch("det_b");
  REQUIRE(loom_test::run_loom("run -q --workload mobilenet_v2 -o " + a.string()).exit_code == 0);
  REQUIRE(loom_test::run_loom("run -q --workload mobilenet_v2 -o " + b.string()).exit_code == 0);
  for (const char* f : {"layers.csv", "summary.json"}) {
    std::ifstream fa(a / f), fb(b / f);
    const std::string sa((std::istreambuf_iterator<char>(fa)), {});
    const std::string sb((std::istreambuf_iterator<char>(fb)), {});
    CHECK(sa == sb);
  }
}

TEST_CASE("loom run reports bits per operand, MACs per PE cycle and effective MACs") {
  const auto out = loom_test::scratch("compressed");
  std::filesystem::create_directories(out);
  // A Bit Fusion-style, zero-skipping 8x8 ws array with bitmask-coded DRAM transfers, and a
  // 4-bit network whose second layer's inputs are 30% nonzero.
  std::ofstream(out / "arch.yaml") << R"(name: fused
clock_mhz: 1000
dataflow: ws
pe_array: {rows: 8, cols: 8}
pe: {precision_scalable: true, zero_skipping: true}
levels:
  - {name: dram, kind: dram, word_bits: 64, bandwidth_gb_per_s: 100, compression: bitmask}
  - {name: sram, kind: sram, size_kib: 256, word_bits: 64}
)";
  std::ofstream(out / "net.yaml") << R"(name: small
precision: {weight_bits: 4, activation_bits: 4}
layers:
  - {name: c1, op: conv, C: 16, M: 32, H: 16, R: 3, padding: 1}
  - {name: c2, op: conv, C: 32, M: 32, H: 16, R: 3, padding: 1, ifmap_density: 0.3}
)";
  const auto p =
      loom_test::run_loom("run --arch " + (out / "arch.yaml").string() + " --workload " +
                          (out / "net.yaml").string() + " --budget 500 -o " + out.string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  const auto csv = loom::core::read_csv(out / "layers.csv");
  const auto col = [&](const std::string& name) {
    const auto& h = csv.header.fields;
    const auto it = std::find(h.begin(), h.end(), name);
    REQUIRE(it != h.end());
    return static_cast<std::size_t>(it - h.begin());
  };
  REQUIRE(csv.rows.size() == 2);
  std::int64_t effective = 0;
  for (const auto& r : csv.rows) {
    CHECK(r.fields[col("weight_bits")] == "4");
    CHECK(r.fields[col("activation_bits")] == "4");
    CHECK(r.fields[col("output_bits")] == "4");
    CHECK(r.fields[col("macs_per_pe_cycle")] == "4");  // 2 x 2 splits of the 8x8 bricks
    effective += std::stoll(r.fields[col("effective_macs")]);
  }
  // c1: dense inputs, nothing skipped. c2: 16x16x32 outputs x 32x9 MACs, 70% of them skipped.
  const std::int64_t c2_macs = 16LL * 16 * 32 * 32 * 9;
  CHECK(csv.rows[0].fields[col("effective_macs")] == csv.rows[0].fields[col("macs")]);
  CHECK(std::stoll(csv.rows[1].fields[col("skipped_macs")]) == std::llround(0.7 * c2_macs));
  CHECK(std::stoll(csv.rows[1].fields[col("effective_macs")]) == std::llround(0.3 * c2_macs));
  std::ifstream in(out / "summary.json");
  const auto j = nlohmann::json::parse(in);
  CHECK(j["totals"]["effective_macs"] == effective);
  const auto h5 = loom::reports::read_hdf5_table(out / "results.h5", "layers");
  CHECK(h5.get_int(1, "effective_macs") == std::llround(0.3 * c2_macs));
  CHECK(h5.get_int(0, "output_bits") == 4);
}

TEST_CASE("loom run records each layer's shape and the settings that repeat the run") {
  const auto out = loom_test::scratch("settings");
  const auto p = loom_test::run_loom(
      "run -q --workload resnet18 --budget 300 --seed 3 --objective energy --strategy random "
      "-o " +
      out.string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  const auto csv = loom::core::read_csv(out / "layers.csv");
  const auto& h = csv.header.fields;
  const std::vector<std::string> shape{"N", "M", "C",        "P",        "Q",
                                       "R", "S", "stride_h", "stride_w", "groups"};
  // The shape, then optimality_gap_pct (empty here), static_energy_pj and total_energy_pj (then
  // later appended columns: group).
  REQUIRE(h.size() > shape.size() + 3);
  const auto end = std::find(h.begin(), h.end(), "total_energy_pj") - h.begin() + 1;
  REQUIRE(end >= 13);
  CHECK(std::vector<std::string>(h.begin() + end - 3, h.begin() + end) ==
        std::vector<std::string>{"optimality_gap_pct", "static_energy_pj", "total_energy_pj"});
  CHECK(std::vector<std::string>(h.begin() + end - 13, h.begin() + end - 3) == shape);
  // conv1 of ResNet-18: 64 filters of 7x7 over 3 channels, stride 2, 112x112 outputs.
  const auto& f = csv.rows[0].fields;
  REQUIRE(f.size() == h.size());
  CHECK(std::vector<std::string>(f.begin() + end - 13, f.begin() + end - 3) ==
        std::vector<std::string>{"1", "64", "3", "112", "112", "7", "7", "2", "2", "1"});
  CHECK(f[static_cast<std::size_t>(end - 3)].empty());
  const auto cell = [&](const char* name) {
    return std::stod(f[static_cast<std::size_t>(std::find(h.begin(), h.end(), name) - h.begin())]);
  };
  CHECK(cell("static_energy_pj") > 0);
  CHECK(cell("total_energy_pj") == Approx(cell("energy_pj") + cell("static_energy_pj")));
  std::ifstream in(out / "summary.json");
  const auto j = nlohmann::ordered_json::parse(in);
  CHECK(j.items().begin().key() == "accelerator");
  CHECK(std::prev(j.end()).key() == "settings");  // appended: earlier keys keep their places
  CHECK(j["settings"] == nlohmann::ordered_json::parse(
                             R"({"loom_version": "0.1.0", "search": true, "mapping_files": false,
                                 "budget": 300, "seed": 3, "objective": "energy",
                                 "strategy": "random", "schedule": "graph"})"));
  auto attrs = loom::reports::read_hdf5_attributes(out / "results.h5");
  for (const char* report_key :
       {"clock_hz", "peak_macs_per_cycle", "levels", "dram_level", "dram_bytes_per_cycle"})
    CHECK(attrs.erase(report_key) == 1);
  CHECK(attrs == std::map<std::string, std::string>{{"accelerator", "edge_ws_32x32"},
                                                    {"batch", "1"},
                                                    {"budget", "300"},
                                                    {"loom_version", "0.1.0"},
                                                    {"mapping_files", "false"},
                                                    {"objective", "energy"},
                                                    {"schedule", "graph"},
                                                    {"search", "true"},
                                                    {"seed", "3"},
                                                    {"strategy", "random"},
                                                    {"workload", "resnet18"}});
  // Rerun with those settings alone: the same totals.
  const auto again = loom_test::scratch("settings_again");
  REQUIRE(loom_test::run_loom("run -q --workload resnet18 --budget 300 --seed 3 --objective "
                              "energy --strategy random --threads 1 -o " +
                              again.string())
              .exit_code == 0);
  std::ifstream in2(again / "summary.json");
  CHECK(nlohmann::ordered_json::parse(in2)["totals"] == j["totals"]);
}

// Reads each results.h5 as a Python user would: every table a group of columns in the order of
// its `columns` attribute, every string column `.asstr()`-readable, every table a pandas
// DataFrame (when Debian's python3-pandas is installed; h5py alone otherwise).
constexpr const char* kH5pyCheck = R"(import h5py, sys
try:
    import pandas
except ImportError:
    pandas = None
strings = 0
for path in sys.argv[1:]:
    f = h5py.File(path, "r")
    assert isinstance(f.attrs["loom_version"], str)
    for name, g in f.items():
        cols = list(g.attrs["columns"])
        assert cols and all(isinstance(c, str) for c in cols), (name, cols)
        data = {}
        for c in cols:
            d = g[c]
            assert d.ndim == 1 and len(d) == len(g[cols[0]]), (name, c)
            assert isinstance(d.attrs["unit"], str), (name, c)
            if d.dtype.kind == "O":
                info = h5py.check_string_dtype(d.dtype)
                assert info.encoding == "utf-8" and info.length is None, (name, c, info)
                data[c] = d.asstr()[:]
                assert all(isinstance(v, str) for v in data[c]), (name, c)
                strings += 1
            else:
                assert d.dtype.kind in "if", (name, c, d.dtype)
                data[c] = d[:]
        if pandas is not None:
            df = pandas.DataFrame(data, columns=cols)
            assert list(df.columns) == cols and len(df) == len(g[cols[0]]), name
            if "layers" in f and name == "summary":
                assert abs(df["energy_pj"][0] / f["layers/energy_pj"][:].sum() - 1) < 1e-12
print("h5py ok", strings, "string columns,", "pandas" if pandas else "no pandas")
)";

TEST_CASE("results.h5 of a run and a sweep: string columns are UTF-8 that .asstr() reads") {
  if (std::system("/usr/bin/python3 -c 'import h5py' 2>/dev/null") != 0) {
    WARN("SKIP: Debian's python3-h5py is not installed");
    std::exit(77);
  }
  const auto out = loom_test::scratch("h5py");
  REQUIRE(loom_test::run_loom("run -q --workload alexnet --no-search -o " + (out / "run").string())
              .exit_code == 0);
  std::ofstream(out / "tiny.yaml")
      << "name: tiny\nlayers:\n"
         "  - {name: c1, op: conv, C: 3, M: 16, H: 32, R: 3, padding: 1}\n"
         "  - {name: fc, op: fc, C: 16384, M: 10}\n";
  std::ofstream(out / "sweep.yaml")
      << "name: tiny\nworkloads: [tiny.yaml]\naccelerator: edge_ws_32x32\naxes:\n"
         "  - {name: array, set: [pe_array.rows, pe_array.cols], values: [8, 16]}\n"
         "  - {name: dataflow, set: [dataflow], values: [os, ws]}\n"
         "objectives: [energy, latency]\nstrategy: {kind: grid}\n";
  const auto sweep = loom_test::run_loom("sweep -q " + (out / "sweep.yaml").string() + " -o " +
                                         (out / "sweep").string());
  INFO(sweep.output);
  REQUIRE(sweep.exit_code == 0);
  std::ofstream(out / "check.py") << kH5pyCheck
                                  << "f = h5py.File(sys.argv[1])\n"
                                     "assert f['layers/layer'].asstr()[0] == 'conv1'\n"
                                     "assert f['summary/workload'].asstr()[0] == 'alexnet'\n"
                                     "assert f.attrs['workload'] == 'alexnet'\n"
                                     "assert isinstance(f.attrs['budget'], str)\n"
                                     "s = h5py.File(sys.argv[2])\n"
                                     "assert sorted(s['points/dataflow'].asstr()[:]) == "
                                     "['os', 'os', 'ws', 'ws']\n"
                                     "assert s['points/energy_pj'].attrs['unit'] == 'pJ'\n"
                                     "print('checked')\n";
  const auto cmd = "/usr/bin/python3 " + (out / "check.py").string() + " " +
                   (out / "run" / "results.h5").string() + " " +
                   (out / "sweep" / "results.h5").string() + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string text(4096, '\0');
  text.resize(fread(text.data(), 1, text.size(), pipe));
  const int status = pclose(pipe);
  INFO(text);
  CHECK(status == 0);
  CHECK_THAT(text, Catch::Contains("h5py ok") && Catch::Contains("checked"));
}

TEST_CASE("loom run -q leaves out only the per-layer table, and a terminal shows progress") {
  const auto out = loom_test::scratch("quiet");
  const auto q = loom_test::run_loom("run -q --workload resnet18 --no-search -o " + out.string());
  INFO(q.output);
  REQUIRE(q.exit_code == 0);
  CHECK_THAT(q.output, Catch::Contains("resnet18 on edge_ws_32x32"));
  CHECK_THAT(q.output, Catch::Contains("latency ") && Catch::Contains(" inferences/s"));
  CHECK_THAT(q.output, Catch::Contains("energy by level:"));
  // A layer of the table that no fused group (named on the schedule line) starts or ends with.
  CHECK_THAT(q.output, !Catch::Contains("layer2.0.downsample.conv"));
  CHECK_THAT(q.output, !Catch::Contains("\r"));  // not a terminal: no progress line
  // Under a pseudo-terminal (util-linux `script`), the layers count up on stderr.
  if (std::system("command -v script >/dev/null 2>&1") != 0) return;
  const std::string cmd = "script -qc \"" + std::string(LOOM_BIN) +
                          " run -q --workload resnet18 --budget 2000 -o " + out.string() +
                          "\" /dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) text.append(buf, n);
  CHECK(pclose(pipe) == 0);
  CHECK_THAT(text, Catch::Contains("\r[1/21] conv1"));
  CHECK_THAT(text, Catch::Contains("\r[21/21] fc"));
  CHECK_THAT(text, Catch::Contains("energy by level:"));
}

TEST_CASE("loom report and loom compare read results.h5 files of the earlier compound layout") {
  // tests/data/results_h5: an alexnet run and a 4-point sweep written before issue 19.
  const std::filesystem::path data = LOOM_TEST_DATA "/results_h5";
  const auto out = loom_test::scratch("h5_compound");
  REQUIRE(loom_test::run_loom("run -q --workload alexnet --no-search -o " + (out / "run").string())
              .exit_code == 0);
  const auto compare = loom_test::run_loom(
      "compare " + (data / "run_alexnet_compound.h5").string() + " " + (out / "run").string());
  INFO(compare.output);
  CHECK(compare.exit_code == 0);
  CHECK_THAT(compare.output, Catch::Contains("conv1") && Catch::Contains("fc8"));
  const auto run = loom_test::run_loom("report " + (data / "run_alexnet_compound.h5").string() +
                                       " -o " + (out / "run.html").string());
  INFO(run.output);
  CHECK(run.exit_code == 0);
  const auto sweep = loom_test::run_loom("report " + (data / "sweep_tiny_compound.h5").string() +
                                         " -o " + (out / "sweep.html").string());
  INFO(sweep.output);
  CHECK(sweep.exit_code == 0);
  CHECK(std::filesystem::file_size(out / "sweep.html") > 1000);
}
