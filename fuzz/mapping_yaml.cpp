// SPDX-License-Identifier: Apache-2.0
// Fuzz target: a mapping file as `loom run --mapping FILE` reads and evaluates it. The first
// byte chooses the accelerator (bit 0: edge_ws_32x32, systolic, or eyeriss, row-stationary)
// and the layer (bit 1: conv1, a 3×3 conv, or fc1); the rest is the file. A mapping read without
// error is evaluated, and its result must satisfy run_invariants.hpp.
#include "arch/accelerator.hpp"
#include "explore/map_network.hpp"
#include "fuzz/fuzz_input.hpp"
#include "fuzz/run_invariants.hpp"
#include "workloads/network.hpp"

namespace {

const char* const kConvNet = R"(name: fuzz_conv
layers:
  - {name: conv1, op: conv, C: 16, M: 32, H: 14, R: 3, padding: 1}
)";
const char* const kFcNet = R"(name: fuzz_fc
layers:
  - {name: fc1, op: fc, C: 64, H: 2, M: 48}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace loom;
  if (size < 1) return 0;
  static const arch::Accelerator systolic = arch::load_accelerator("edge_ws_32x32");
  static const arch::Accelerator spatial = arch::load_accelerator("eyeriss");
  static const workloads::Network conv = workloads::parse_workload_yaml(kConvNet, "conv.yaml");
  static const workloads::Network fc = workloads::parse_workload_yaml(kFcNet, "fc.yaml");
  const auto& acc = (data[0] & 1) != 0 ? spatial : systolic;
  const auto& net = (data[0] & 2) != 0 ? fc : conv;
  const auto path = fuzz::scratch_file("mapping.yaml", fuzz::text_of(data + 1, size - 1));
  fuzz::refuse_only([&] {
    const explore::MappingSet mappings = explore::read_mappings(path, acc, net);
    explore::RunOptions options;
    options.mappings = &mappings;
    options.mapper.threads = 1;
    options.mapper.budget = 1;  // every MAC layer has its mapping; the mapper must not matter
    fuzz::check_run(explore::evaluate_network(net, acc, options));
  });
  return 0;
}
