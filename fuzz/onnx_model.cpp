// SPDX-License-Identifier: Apache-2.0
// Fuzz target: an ONNX model's bytes, imported as `--workload FILE.onnx` is (Loom's validation,
// then ONNX's own checker and shape inference, then the importer), and as `loom import --compact`
// imports it.
#include "fuzz/fuzz_input.hpp"
#include "onnx/onnx_import.hpp"
#include "workloads/graph.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace loom;
  fuzz::refuse_only([&] {
    const auto net = loom::onnx::parse_onnx(fuzz::text_of(data, size), "fuzz.onnx");
    for (const auto& l : net.layers)
      fuzz::require(static_cast<long double>(l.macs()) <= workloads::kMaxLayerMacs,
                    "every layer has at most kMaxLayerMacs MACs");
    // `loom import --compact` only removes: the same layers, no more MACs, no new mismatch.
    const auto small =
        loom::onnx::parse_onnx(fuzz::text_of(data, size), "fuzz.onnx", {.compact = true});
    fuzz::require(small.layers.size() == net.layers.size(), "--compact keeps every layer");
    fuzz::require(small.macs() <= net.macs(), "--compact never adds MACs");
    fuzz::require(
        workloads::channel_problems(small).size() <= workloads::channel_problems(net).size(),
        "--compact leaves the channels consistent");
  });
  return 0;
}
