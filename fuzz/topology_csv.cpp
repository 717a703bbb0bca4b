// SPDX-License-Identifier: Apache-2.0
// Fuzz target: a SCALE-Sim topology .csv (conv or GEMM rows), read as `--workload FILE.csv` is.
// Every layer read must have positive sizes and a MAC count within Loom's limits.
#include "fuzz/fuzz_input.hpp"
#include "workloads/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace loom;
  const auto path = fuzz::scratch_file("fuzz.csv", fuzz::text_of(data, size));
  fuzz::refuse_only([&] {
    const auto net = workloads::load_scalesim_topology(path);
    fuzz::require(!net.layers.empty(), "a topology read without error has layers");
    for (const auto& l : net.layers)
      fuzz::require(l.macs() >= 1 && static_cast<long double>(l.macs()) <= workloads::kMaxLayerMacs,
                    "every layer has 1 .. kMaxLayerMacs MACs");
  });
  return 0;
}
