// SPDX-License-Identifier: Apache-2.0
// Bad input never crashes Loom: thousands of randomly mutated accelerator and workload files
// either load (and evaluate) or throw loom::Error — never another exception, never a crash
// (run under the asan preset to catch memory errors too).
#include <catch2/catch.hpp>

#include <random>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "dataflow/mapping_io.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_timing.hpp"
#include "explore/evaluate.hpp"
#include "workloads/network.hpp"

using namespace loom;

namespace {

const char* kArch = R"(name: t
clock_mhz: 1000
dataflow: ws
pe_array: {rows: 8, cols: 4}
pe: {weight_bits: 8, activation_bits: 8, accumulator_bits: 32}
levels:
  - {name: dram, kind: dram, bandwidth_gb_per_s: 10}
  - {name: ib, kind: sram, holds: [ifmap], size_kib: 16, banks: 2}
  - {name: fb, kind: sram, holds: [filter], size_kib: 16}
  - {name: ob, kind: sram, holds: [ofmap], size_kib: 16, word_bits: 32}
)";

const char* kNet = R"(name: n
layers:
  - {name: conv1, op: conv, C: 3, M: 16, H: 32, R: 3, stride: 2, padding: 1}
  - {name: pool, op: maxpool, C: 16, H: 16, R: 2, stride: 2}
  - {name: dw, op: conv, C: 16, M: 16, H: 8, R: 3, padding: 1, groups: 16}
  - {name: fc, op: fc, C: 16, H: 8, M: 10}
  - {name: g, op: gemm, gemm: [4, 5, 6]}
)";

std::string mutate(std::string s, std::mt19937_64& rng) {
  static const std::string alphabet = "0123456789-.:,[]{} \nabcxyz_#'\"";
  std::uniform_int_distribution<int> kind(0, 3), count(1, 4);
  for (int i = count(rng); i > 0 && !s.empty(); --i) {
    std::uniform_int_distribution<std::size_t> pos(0, s.size() - 1);
    std::uniform_int_distribution<std::size_t> ch(0, alphabet.size() - 1);
    const std::size_t p = pos(rng);
    switch (kind(rng)) {
      case 0: s.erase(p, 1); break;
      case 1: s.insert(p, 1, alphabet[ch(rng)]); break;
      case 2: s[p] = alphabet[ch(rng)]; break;
      default: s.insert(p, s.substr(pos(rng) % s.size(), 5)); break;
    }
  }
  return s;
}

}  // namespace

TEST_CASE("mutated accelerator and workload files load, or fail with loom::Error only") {
  std::mt19937_64 rng(2026);
  explore::RunOptions opt;
  opt.mapper.budget = 50;  // the mapper runs too, briefly
  const auto good_acc = arch::parse_accelerator_yaml(kArch, "a.yaml");
  const auto good_net = workloads::parse_workload_yaml(kNet, "n.yaml");
  REQUIRE_NOTHROW(explore::evaluate_network(good_net, good_acc, opt));
  int loaded = 0, rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    const bool arch_side = i % 2 == 0;
    const std::string text = mutate(arch_side ? kArch : kNet, rng);
    INFO(text);
    try {
      if (arch_side) {
        const auto acc = arch::parse_accelerator_yaml(text, "a.yaml");
        (void)explore::evaluate_network(good_net, acc, opt);
      } else {
        const auto net = workloads::parse_workload_yaml(text, "n.yaml");
        (void)explore::evaluate_network(net, good_acc, opt);
      }
      ++loaded;
    } catch (const Error& e) {
      REQUIRE(std::string(e.what()).size() > 0);
      ++rejected;
    }
  }
  CHECK(loaded > 20);  // some mutations (comments, values) still load and evaluate
  CHECK(rejected > 100);
}

TEST_CASE("mutated mapping files load and evaluate, or fail with loom::Error only") {
  std::mt19937_64 rng(11);
  const auto acc = arch::parse_accelerator_yaml(kArch, "a.yaml");
  const auto net = workloads::parse_workload_yaml(kNet, "n.yaml");
  const auto& layer = net.layers[0];
  const std::string text = R"(layer: conv1
levels:
  - {name: dram, factors: {}, order: [C, M, P, N, Q, R, S]}
  - {name: ib, factors: {}, order: [N, M, C, P, Q, R, S]}
  - {name: fb, factors: {}, order: [N, M, C, P, Q, R, S]}
  - {name: ob, factors: {C: 4, M: 4, P: 256}, order: [C, M, P, N, Q, R, S]}
spatial: {rows: {C: 8}, cols: {M: 4}}
pe: {factors: {P: 1}, order: [N, M, C, P, Q, R, S], keeps: [filter]}
)";
  const auto p = dataflow::resolve_precision(layer, acc);
  REQUIRE_NOTHROW(dataflow::evaluate_systolic_mapping(
      layer, acc, dataflow::parse_mapping_yaml(text, "m.yaml", acc).mapping, p));
  int loaded = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string t = mutate(text, rng);
    INFO(t);
    try {
      const auto f = dataflow::parse_mapping_yaml(t, "m.yaml", acc);
      (void)dataflow::evaluate_systolic_mapping(layer, acc, f.mapping, p);
      ++loaded;
    } catch (const Error&) {
    }
  }
  CHECK(loaded > 20);
}
