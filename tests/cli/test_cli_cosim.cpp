// SPDX-License-Identifier: Apache-2.0
// `loom cosim` and `loom sim --pe rtl` as a user runs them.
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>

#include "cli/run_loom.hpp"

namespace {

struct Summary {
  long long vectors = -1, mismatches = -1;
  double cycles_per_s = -1;
};

// The last line must be exactly `vectors: N mismatches: M cycles_per_s: X`.
Summary last_line(const std::string& out) {
  auto end = out.find_last_not_of('\n');
  const auto start = out.rfind('\n', end);
  const std::string line = out.substr(start == std::string::npos ? 0 : start + 1,
                                      end - (start == std::string::npos ? 0 : start + 1) + 1);
  static const std::regex re(R"(^vectors: (\d+) mismatches: (\d+) cycles_per_s: (\d+)$)");
  std::smatch m;
  Summary s;
  if (!std::regex_match(line, m, re)) return s;
  s.vectors = std::stoll(m[1]);
  s.mismatches = std::stoll(m[2]);
  s.cycles_per_s = std::stod(m[3]);
  return s;
}

}  // namespace

TEST_CASE("loom cosim: the RTL equals the models, summary line last, exit 0") {
  for (const char* args : {"--rows 4 --cols 4 --vectors 20000",
                           "--rows 8 --cols 8 --dataflow ws --bits 2 --vectors 20000 --seed 5"}) {
    const auto p = loom_test::run_loom(std::string("cosim ") + args);
    INFO(args << "\n" << p.output);
    CHECK(p.exit_code == 0);
    const auto s = last_line(p.output);
    CHECK(s.vectors >= 40000);  // 20,000 PE vectors (+ corners) and >= 20,000 array cycles
    CHECK(s.mismatches == 0);
    CHECK(s.cycles_per_s > 0);
    CHECK_THAT(p.output, !Catch::Contains("first mismatch"));
  }
}

TEST_CASE("loom cosim --fault: every altered PE is caught with its cycle, PE and values, exit 1") {
  for (const char* args : {"--fault carry", "--fault carry --dataflow is --bits 4",
                           "--fault split --bits 4", "--fault split --bits 2 --dataflow ws"}) {
    const auto p =
        loom_test::run_loom(std::string("cosim --rows 4 --cols 4 --vectors 5000 ") + args);
    INFO(args << "\n" << p.output);
    CHECK(p.exit_code == 1);
    const auto s = last_line(p.output);
    CHECK(s.mismatches > 0);
    static const std::regex first(R"(first mismatch: (gemm \d+ )?cycle \d+ PE \(\d+, \d+\) )"
                                  R"((a|b|psum|hold): rtl -?\d+ model -?\d+)");
    CHECK(std::regex_search(p.output, first));
  }
}

TEST_CASE("loom cosim names a bad option, exit 2") {
  for (const char* args :
       {"--bits 3", "--rows 5", "--dataflow rs", "--fault nope", "--vectors 0"}) {
    const auto p = loom_test::run_loom(std::string("cosim ") + args);
    INFO(args << "\n" << p.output);
    CHECK(p.exit_code == 2);
    CHECK_THAT(p.output, Catch::Contains("loom: error:"));
  }
}

TEST_CASE("loom sim --pe rtl runs layers with the Verilated PE, every output checked") {
  const auto dir = loom_test::scratch("sim_rtl");
  const auto arch = [&](const char* name, const char* pe) {
    std::ofstream(dir / name) << "name: small\nclock_mhz: 1000\ntechnology_nm: 45\n"
                                 "dataflow: os\npe_array: {rows: 4, cols: 4}\npe: "
                              << pe << R"(
levels:
  - {name: dram, kind: dram, word_bits: 64, bandwidth_gb_per_s: 12.8}
  - {name: ifmap_sram, kind: sram, holds: [ifmap], size_kib: 64, word_bits: 8}
  - {name: filter_sram, kind: sram, holds: [filter], size_kib: 64, word_bits: 8}
  - {name: ofmap_sram, kind: sram, holds: [ofmap], size_kib: 64, word_bits: 32}
)";
    return (dir / name).string();
  };
  const auto int8 = arch("int8.yaml", "{weight_bits: 8, activation_bits: 8, accumulator_bits: 32}");
  const auto int16 =
      arch("int16.yaml", "{weight_bits: 16, activation_bits: 16, accumulator_bits: 32}");
  const auto acc24 =
      arch("acc24.yaml", "{weight_bits: 8, activation_bits: 8, accumulator_bits: 24}");
  std::ofstream(dir / "net.yaml") << R"(name: tiny
layers:
  - {name: c1, op: conv, C: 3, M: 6, H: 8, R: 3, padding: 1}
  - {name: fc, op: fc, inputs: [], C: 6, H: 4, M: 5}
)";
  // int8 operands run on the Bit Fusion PE (8-bit mode), int16 on the 16-bit MAC PE.
  for (const auto& a : {int8, int16})
    for (const char* df : {"os", "ws", "is"}) {
      const auto p = loom_test::run_loom("sim --pe rtl --arch " + a + " --workload " +
                                         (dir / "net.yaml").string() + " --dataflow " + df +
                                         " --budget 500 -o " + (dir / df).string());
      INFO(a << " " << df << "\n" << p.output);
      CHECK(p.exit_code == 0);
      CHECK_THAT(p.output, Catch::Contains("2 layers: 0 mismatches"));
    }
  // An accumulator the RTL was not built with: file and key named, exit 2.
  const auto p = loom_test::run_loom("sim --pe rtl --arch " + acc24 + " --workload " +
                                     (dir / "net.yaml").string());
  INFO(p.output);
  CHECK(p.exit_code == 2);
  CHECK_THAT(p.output, Catch::Contains("acc24.yaml"));
  CHECK_THAT(p.output, Catch::Contains("pe.accumulator_bits"));
  // A spatial array has no PeModel to replace: named, exit 2.
  const auto q =
      loom_test::run_loom("sim --pe rtl --arch eyeriss --workload " + (dir / "net.yaml").string());
  INFO(q.output);
  CHECK(q.exit_code == 2);
  CHECK_THAT(q.output, Catch::Contains("--pe rtl"));
}

TEST_CASE("loom sim --pe rtl has a lower default size limit: the Verilated PE is ~30x slower") {
  const auto dir = loom_test::scratch("sim_rtl_limit");
  // 6.0e8 MACs: within the C++ PE's default limit (1e10), above the RTL PE's (5e8).
  std::ofstream(dir / "w.yaml")
      << "name: w\nlayers:\n  - {name: c1, op: conv, C: 64, M: 64, H: 128, R: 3, padding: 1}\n";
  const auto p = loom_test::run_loom("sim --pe rtl --workload " + (dir / "w.yaml").string());
  INFO(p.output);
  CHECK(p.exit_code == 2);
  CHECK(p.output ==
        "loom: error: layer 'c1': simulating it would take at least 6.04e+08 PE-cycles (its "
        "603979776 MACs), more than the limit of 500000000 PE-cycles per layer (the simulator "
        "clocks about 1.3 million a second with the RTL PE); raise the limit with "
        "--max-pe-cycles N\n");
}
