// SPDX-License-Identifier: Apache-2.0
// `loom validate eyeriss` as a user runs it: every published comparison printed with Loom, the
// reference and the error, exit 0 when the gated figures are inside their bands.
#include <catch2/catch.hpp>

#include "cli/run_loom.hpp"

TEST_CASE("loom validate eyeriss prints every comparison and passes its bands") {
  const auto p = loom_test::run_loom("validate eyeriss");
  INFO(p.output);
  CHECK(p.exit_code == 0);
  for (const char* line :
       {"Eyeriss chip (JSSC 2017), AlexNet CONV1-CONV5, batch 4", "processing latency",
        "active PEs (time average)", "DRAM traffic", "global-buffer traffic", "chip power",
        "VGG-16 conv layers, batch 3", "ISCA 2016 dataflow study", "NLR / RS energy",
        "Eyeriss-like design at 45 nm", "conv3 (rs) energy", "all gated figures within tolerance"})
    CHECK_THAT(p.output, Catch::Contains(line));
  const auto bad = loom_test::run_loom("validate scalesim");
  CHECK(bad.exit_code == 2);
}
