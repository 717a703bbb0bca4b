// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "workloads/network.hpp"

using namespace loom::workloads;

// ResNet-18: 1.814 G MACs (conv + fc, one 224×224 image) — the figure torchvision profilers and
// the ResNet paper's "1.8 × 10^9 FLOPs" (multiply-adds) report.
TEST_CASE("zoo resnet18 has the published MAC count") {
  const auto net = zoo_load("resnet18");
  CHECK(net.macs() == 1814073344);
  for (const auto& l : net.layers)
    if (l.op == OpKind::conv || l.op == OpKind::pointwise) CHECK_THAT(l.name, Catch::Contains("conv"));
}
