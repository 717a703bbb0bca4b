// SPDX-License-Identifier: Apache-2.0
// A build without some optional parts (LOOM_WITH_SIM, _RTL, _ONNX, _MPI off): each command of a
// missing part exits 2 naming the CMake option that enables it. Built only when some part is
// off (tests/cli/CMakeLists.txt), so every build runs at least one of these commands.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli/run_loom.hpp"
#include "core/features.hpp"

namespace {

struct Case {
  const loom::features::Part* part;
  std::string command;  // loom's arguments
};

}  // namespace

TEST_CASE("each command of a part this build leaves out exits 2 naming its CMake option") {
  const std::string onnx = LOOM_TEST_DATA "/onnx/squeezenet1_1.onnx";
  const std::vector<Case> cases{
      {&loom::features::kSim, "sim --workload alexnet --arch edge_ws_32x32"},
      {&loom::features::kRtl, "cosim"},
      {&loom::features::kOnnx, "run -q --workload " + onnx + " -o /dev/null/x"},
      {&loom::features::kOnnx, "import " + onnx + " -o /dev/null/x.yaml"},
      // What mpirun exports to each rank (sweep/comm.cpp); the sweep file is read after.
      {&loom::features::kMpi, "sweep /no/such/sweep.yaml"},
  };
  int checked = 0;
  for (const auto& c : cases) {
    if (c.part->built) continue;
    const auto p = c.part == &loom::features::kMpi
                       ? loom_test::run_loom_env("OMPI_COMM_WORLD_SIZE=2", c.command)
                       : loom_test::run_loom(c.command);
    INFO(c.command << "\n" << p.output);
    CHECK(p.exit_code == 2);
    CHECK_THAT(p.output, Catch::Contains("-D" + std::string(c.part->option) + "=ON"));
    ++checked;
  }
  CHECK(checked > 0);
}
