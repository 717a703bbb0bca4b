// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "schedule/liveness.hpp"
#include "workloads/network.hpp"

using namespace loom;

namespace {

workloads::Network residual() {
  return workloads::parse_workload_yaml(R"(
name: residual
layers:
  - {name: c1, op: conv, C: 3, M: 8, H: 8, R: 3, padding: 1}
  - {name: c2, op: conv, C: 8, M: 8, H: 8}
  - {name: add, op: add, inputs: [c2, c1], C: 8, H: 8}
  - {name: c3, op: conv, C: 8, M: 4, H: 8}
)",
                                        "residual.yaml");
}

}  // namespace

TEST_CASE("a residual branch lives from its producer through the add that reads it") {
  const auto net = residual();
  const auto live = schedule::compute_liveness(net, {8, 8, 8, 8});
  REQUIRE(live.tensors.size() == 4);
  const auto& c1 = live.tensors[0];
  CHECK(c1.first == 0);
  CHECK(c1.last == 2);  // read by c2 (step 1) and by the add (step 2)
  CHECK(c1.consumers == std::vector<std::size_t>{1, 2});
  CHECK(c1.bits == 8 * 8 * 8 * 8);
  CHECK(live.tensors[1].last == 2);
  CHECK(live.tensors[2].consumers == std::vector<std::size_t>{3});  // the add's tensor
  CHECK(live.tensors[3].network_output());
  CHECK(live.producers[0].empty());  // c1 reads the network input
  CHECK(live.producers[2] == std::vector<std::size_t>{1, 0});
}

TEST_CASE("a concat reads every branch, and its tensor is as wide as their sum") {
  const auto net = workloads::parse_workload_yaml(R"(
name: cat
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8}
  - {name: b, op: conv, inputs: [], C: 3, M: 4, H: 8}
  - {name: cat, op: concat, inputs: [a, b], C: 12, H: 8}
)",
                                                  "cat.yaml");
  const auto live = schedule::compute_liveness(net, {8, 8, 8});
  CHECK(live.tensors[0].last == 2);
  CHECK(live.tensors[1].last == 2);
  CHECK(live.tensors[2].bits == 12 * 64 * 8);
  CHECK(live.tensors[2].network_output());
}
