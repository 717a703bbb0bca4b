// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <fstream>

#include "core/error.hpp"
#include "workloads/network.hpp"

using namespace loom::workloads;

TEST_CASE("SCALE-Sim topology rounds partial windows up, as SCALE-Sim does") {
  const auto net = load_scalesim_topology(LOOM_TEST_DATA "/scalesim/scale_os_alexnet/alexnet.csv");
  REQUIRE(net.layers.size() == 5);
  const auto& c1 = net.layers[0].shape;
  CHECK(c1.P == 55);  // ceil((224 − 11 + 4) / 4)
  CHECK(c1.Q == 55);
  CHECK(c1.C == 3);
  CHECK(c1.M == 96);
  CHECK(net.layers[1].shape.P == 23);  // 27 − 5 + 1: no padding in SCALE-Sim topologies
  CHECK(net.layers[0].name == "Conv1");
}

TEST_CASE("SCALE-Sim GEMM topology is told apart by its columns") {
  const auto net =
      load_scalesim_topology(LOOM_TEST_DATA "/scalesim/scale_os_test_mnk_input/test_mnk_input.csv");
  REQUIRE(net.layers.size() == 1);
  CHECK(net.layers[0].op == OpKind::gemm);
  CHECK(net.layers[0].shape.P == 128);
  CHECK(net.layers[0].shape.M == 64);
  CHECK(net.layers[0].shape.C == 256);
}

TEST_CASE("SCALE-Sim topology with missing columns is a clear error") {
  const std::string path = "/tmp/loom_test_bad_topology.csv";
  std::ofstream(path) << "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                         "Channels, Num Filter, Strides,\nConv1, 224, 224, 11, 11, 3,\n";
  CHECK_THROWS_WITH(load_scalesim_topology(path),
                    path + ":2: expected 8 columns, got 6");
  std::ofstream(path) << "Layer name, A, B\nx, 1, 2\n";
  CHECK_THROWS_WITH(load_scalesim_topology(path), Catch::Contains("expected 8 columns"));
  std::ofstream(path) << "Layer, M, N, K,\nx, 1, -2, 3\n";
  CHECK_THROWS_WITH(load_scalesim_topology(path),
                    path + ":2 column 'N': expected an integer > 0 and <= 2147483647, got '-2'");
}

TEST_CASE("SCALE-Sim DP layers are depthwise, one group per channel") {
  const std::string path = "/tmp/loom_test_dp_topology.csv";
  std::ofstream(path) << "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                         "Channels, Num Filter, Strides,\nConvDP1, 10, 10, 3, 3, 16, 16, 1,\n";
  const auto net = load_scalesim_topology(path);
  CHECK(net.layers[0].op == OpKind::depthwise);
  CHECK(net.layers[0].shape.groups == 16);
  CHECK(net.layers[0].macs() == 16 * 8 * 8 * 9);
  std::ofstream(path) << "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                         "Channels, Num Filter, Strides,\nConvDP1, 10, 10, 3, 3, 16, 24, 1,\n";
  CHECK_THROWS_WITH(load_scalesim_topology(path), Catch::Contains("multiple of Channels"));
}

TEST_CASE("SCALE-Sim topology values beyond 2^31 - 1 and extra columns are refused") {
  const std::string path = "/tmp/loom_test_huge_topology.csv";
  std::ofstream(path) << "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                         "Channels, Num Filter, Strides,\nConv1, 224, 224, 11, 11, 3, 96, "
                         "9223372036854775807,\n";
  CHECK_THROWS_WITH(load_scalesim_topology(path),
                    path +
                        ":2 column 'Strides': expected an integer > 0 and <= 2147483647, got "
                        "'9223372036854775807'");
  std::ofstream(path) << "Layer, M, N, K,\nx, 1, 2, 3, 4\n";
  CHECK_THROWS_WITH(load_scalesim_topology(path), path + ":2: expected 4 columns, got 5");
  // Within the per-value range, but the input tensor is beyond 1e15 elements.
  std::ofstream(path) << "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                         "Channels, Num Filter, Strides,\nC, 2000000000, 2000000000, 1, 1, 1, 1, "
                         "2000000000,\n";
  CHECK_THROWS_WITH(load_scalesim_topology(path), Catch::Contains("limit of 1e15"));
}
