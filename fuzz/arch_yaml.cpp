// SPDX-License-Identifier: Apache-2.0
// Fuzz target: Loom accelerator YAML, read as `loom run --arch FILE` does (parse, then the check
// that the hardware can run its dataflow).
#include "arch/accelerator.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace loom;
  fuzz::refuse_only([&] {
    const auto acc = arch::parse_accelerator_yaml(fuzz::text_of(data, size), "fuzz.yaml");
    arch::check_dataflow_fits(acc);
  });
  return 0;
}
