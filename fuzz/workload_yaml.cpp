// SPDX-License-Identifier: Apache-2.0
// Fuzz target: Loom workload YAML, read as `--workload FILE.yaml` is (the input is also written
// to that file, so a `base:` naming itself is exercised). A network read without error must
// round-trip: to_workload_yaml either refuses it or writes text that reads back equal.
#include "fuzz/fuzz_input.hpp"
#include "workloads/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace loom;
  const auto text = fuzz::text_of(data, size);
  const auto path = fuzz::scratch_file("fuzz.yaml", text);
  fuzz::refuse_only([&] {
    const auto net = workloads::parse_workload_yaml(text, path.string());
    for (const auto& l : net.layers)
      fuzz::require(static_cast<long double>(l.macs()) <= workloads::kMaxLayerMacs,
                    "every layer has at most kMaxLayerMacs MACs");
    std::string again;
    try {
      again = workloads::to_workload_yaml(net);
    } catch (const Error&) {
      return;  // a layer the format cannot express: a documented refusal
    }
    const auto back = workloads::parse_workload_yaml(again, "roundtrip.yaml");
    fuzz::require(back.layers == net.layers, "to_workload_yaml reads back to equal layers");
  });
  return 0;
}
