// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "dataflow/mapping_io.hpp"
#include "dataflow/systolic_mapping.hpp"
#include "workloads/network.hpp"

using namespace loom;

TEST_CASE("a mapping written as YAML reads back identical") {
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  const auto net = workloads::zoo_load("resnet18");
  for (const auto& layer : net.layers) {
    if (!workloads::does_macs(layer.op)) continue;
    dataflow::MappingFile f{layer.name, net.name, "gemm",
                            dataflow::scalesim_mapping(dataflow::gemm_view(layer), acc)};
    std::shuffle(f.mapping.levels[0].order.begin(), f.mapping.levels[0].order.end(),
                 std::mt19937(static_cast<unsigned>(layer.name.size())));
    const std::string text = dataflow::mapping_to_yaml(f, acc);
    const auto back = dataflow::parse_mapping_yaml(text, "m.yaml", acc);
    CHECK(back.mapping == f.mapping);
    CHECK(back.layer == layer.name);
    CHECK(dataflow::mapping_to_yaml(back, acc) == text);  // byte-identical
  }
}

TEST_CASE("a mapping file that does not match the accelerator is rejected with every problem") {
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  const std::string text = R"(layer: conv1
levels:
  - {name: dram, factors: {}, order: [N, M, C, P, Q, R, S]}
  - {name: glb, factors: {C: 0}}
  - {name: filter_sram, order: [N, M, C, P, Q, R]}
spatial: {rows: {X: 3}}
pe: {keeps: [weights]}
)";
  try {
    (void)dataflow::parse_mapping_yaml(text, "m.yaml", acc);
    FAIL("expected an error");
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK_THAT(msg, Catch::Contains("m.yaml:3 levels: expected 4 levels (the accelerator's), got 3"));
    CHECK_THAT(msg, Catch::Contains("levels[1].name: expected level 'ifmap_sram' here, got 'glb'"));
    CHECK_THAT(msg, Catch::Contains("levels[1].factors.C: expected an integer > 0, got 0"));
    CHECK_THAT(msg, Catch::Contains("levels[2].order: expected each of N, M, C, P, Q, R, S exactly once"));
    CHECK_THAT(msg, Catch::Contains("spatial.rows.X: unknown key"));
    CHECK_THAT(msg, Catch::Contains("pe.keeps: unknown operand 'weights'"));
  }
}

TEST_CASE("the loop nest prints one line per level with its non-unit loops") {
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  workloads::Layer l;
  l.name = "g";
  l.op = workloads::OpKind::gemm;
  l.shape.P = l.shape.H = 100;
  l.shape.M = 40;
  l.shape.C = 70;
  const auto m = dataflow::scalesim_mapping(dataflow::gemm_view(l), acc);
  const std::string text = dataflow::format_loop_nest(m, acc);
  CHECK_THAT(text, Catch::Contains("ofmap_sram   for C in 0..3  for M in 0..2"));
  CHECK_THAT(text, Catch::Contains("spatial      rows Cx32, cols Mx32"));
  CHECK_THAT(text, Catch::Contains("pe           for P in 0..100"));
}
