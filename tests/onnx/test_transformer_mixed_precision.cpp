// SPDX-License-Identifier: Apache-2.0
// Mixed precision in a transformer works as in CNNs: per-layer `transforms.precision` on the
// 4-layer encoder (tests/data/workloads/encoder_4l.yaml), priced by `loom run` on edge_ws_32x32
// with a Bit Fusion PE (precision_scalable, 2-bit BitBricks, 8×8 native), and a per_layer_bits
// grid through `loom sweep`. An act_matmul multiplies two activations, so both its operands take
// the activation width: 2-bit activations give (8/2)·(8/2) = 16 MACs per PE per cycle, where a
// 4-bit × 4-bit weight GEMM gives 4 and an untouched 8-bit layer 1. (In this test binary because
// it has LOOM_BIN.)
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/run_loom.hpp"
#include "workloads/network.hpp"

using namespace loom;
using workloads::OpKind;

namespace {

const std::string kEncoder = LOOM_TEST_DATA "/workloads/encoder_4l.yaml";

// edge_ws_32x32 with its fixed int8 PE replaced by a Bit Fusion one.
std::filesystem::path write_bitfusion_arch(const std::filesystem::path& dir) {
  std::ifstream in(LOOM_SOURCE_DIR "/configs/arch/edge_ws_32x32.yaml");
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  const std::string pe = "pe: {weight_bits: 8, activation_bits: 8, accumulator_bits: 32";
  const auto at = text.find(pe);
  REQUIRE(at != std::string::npos);
  text.insert(at + pe.size(), ", precision_scalable: true, fusion_bits: 2");
  const auto path = dir / "bitfusion.yaml";
  std::ofstream(path) << text;
  return path;
}

std::filesystem::path write_mixed(const std::filesystem::path& dir) {
  const auto path = dir / "encoder_mixed.yaml";
  std::ofstream(path) << "name: encoder_4l_mixed\nbase: " << kEncoder << R"(
transforms:
  precision:
    - {layers: ["*.qkv", "*.out_proj"], weight_bits: 4, activation_bits: 4}
    - {layers: ["*.qk", "*.av"], weight_bits: 4, activation_bits: 2}
)";
  return path;
}

using Rows = std::map<std::string, std::map<std::string, std::string>>;

Rows read_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::string line;
  REQUIRE(std::getline(in, line));
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string c; std::getline(hs, c, ',');) header.push_back(c);
  Rows rows;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::map<std::string, std::string> row;
    std::size_t i = 0;
    for (std::string c; std::getline(ls, c, ',') && i < header.size(); ++i) row[header[i]] = c;
    rows[row[header[0]]] = row;
  }
  return rows;
}

Rows run(const std::filesystem::path& dir, const std::filesystem::path& arch,
         const std::string& workload, const std::string& out) {
  const auto p = loom_test::run_loom("run -q --arch " + arch.string() + " --workload " + workload +
                                     " -o " + (dir / out).string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  return read_csv(dir / out / "layers.csv");
}

}  // namespace

TEST_CASE("per-layer precision on a transformer: act_matmuls take activation bits") {
  const auto dir = loom_test::scratch("transformer_precision_load");
  const auto net = workloads::load_workload(write_mixed(dir).string());
  std::int64_t acts = 0;
  for (const auto& l : net.layers) {
    INFO(l.name);
    if (l.op == OpKind::act_matmul) {
      ++acts;
      // The rule's weight width passes over an operator without weights.
      CHECK(l.precision.weight_bits == 0);
      CHECK(l.precision.activation_bits == 2);
    } else if (l.name.ends_with(".qkv") || l.name.ends_with(".out_proj")) {
      CHECK(l.precision.weight_bits == 4);
      CHECK(l.precision.activation_bits == 4);
    } else if (l.op == OpKind::gemm) {
      CHECK(l.precision.weight_bits == 0);  // the FFN keeps the PE's width
    }
  }
  CHECK(acts == 8);
  CHECK(net.macs() == 436'207'616);
}

TEST_CASE("a mixed-precision encoder on a Bit Fusion PE: MACs per PE-cycle scale with the bits") {
  const auto dir = loom_test::scratch("transformer_precision_run");
  const auto arch = write_bitfusion_arch(dir);
  const auto base = run(dir, arch, kEncoder, "base");
  const auto mixed = run(dir, arch, write_mixed(dir).string(), "mixed");
  for (int i = 0; i < 4; ++i) {
    const std::string p = "layers." + std::to_string(i);
    for (const char* n : {".attention.qk", ".attention.av"}) {
      const auto& b = base.at(p + n);
      const auto& m = mixed.at(p + n);
      INFO(p + n);
      CHECK(b.at("op") == "act_matmul");
      CHECK(b.at("macs_per_pe_cycle") == "1");
      CHECK(m.at("activation_bits") == "2");
      CHECK(m.at("macs_per_pe_cycle") == "16");  // both operands at 2 bits: 4 × 4
      CHECK(std::stoll(m.at("compute_cycles")) < std::stoll(b.at("compute_cycles")));
      CHECK(std::stod(m.at("energy_pj")) < std::stod(b.at("energy_pj")));
    }
    for (const char* n : {".attention.qkv", ".attention.out_proj"}) {
      INFO(p + n);
      CHECK(mixed.at(p + n).at("weight_bits") == "4");
      CHECK(mixed.at(p + n).at("macs_per_pe_cycle") == "4");
      CHECK(std::stoll(mixed.at(p + n).at("compute_cycles")) <
            std::stoll(base.at(p + n).at("compute_cycles")));
    }
    for (const char* n : {".ffn.fc1", ".ffn.fc2"}) {
      INFO(p + n);
      CHECK(mixed.at(p + n).at("macs_per_pe_cycle") == "1");
      CHECK(mixed.at(p + n).at("compute_cycles") == base.at(p + n).at("compute_cycles"));
    }
  }
}

TEST_CASE("loom sweep: a per_layer_bits grid on the encoder writes points.csv") {
  const auto dir = loom_test::scratch("transformer_precision_sweep");
  const auto arch = write_bitfusion_arch(dir);
  const auto spec = dir / "sweep.yaml";
  std::ofstream(spec) << "name: encoder_bits\nworkloads: [" << kEncoder
                      << "]\naccelerator: " << arch.string() << R"(
axes:
  - {name: bits, per_layer_bits: {layers: [layers.0.attention.qk, layers.0.ffn.fc1], bits: [4, 8]}}
objectives: [energy, latency]
strategy: {kind: grid}
mapper: {budget: 50}
)";
  const auto p = loom_test::run_loom("sweep " + spec.string() + " -o " + (dir / "out").string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  const auto points = read_csv(dir / "out" / "points.csv");
  REQUIRE(points.size() == 4);
  std::map<std::string, double> energy;  // by "<qk bits>/<fc1 bits>"
  for (const auto& [id, row] : points) {
    CHECK(row.at("feasible") == "1");
    energy[row.at("bits.layers.0.attention.qk") + "/" + row.at("bits.layers.0.ffn.fc1")] =
        std::stod(row.at("energy_pj"));
  }
  REQUIRE(energy.size() == 4);
  // Narrower operands never cost more energy, in either layer.
  CHECK(energy.at("4/4") < energy.at("4/8"));
  CHECK(energy.at("4/4") < energy.at("8/4"));
  CHECK(energy.at("4/8") < energy.at("8/8"));
  CHECK(energy.at("8/4") < energy.at("8/8"));
}
