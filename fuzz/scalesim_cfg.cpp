// SPDX-License-Identifier: Apache-2.0
// Fuzz target: a SCALE-Sim v2 .cfg file, read as `loom run --arch FILE.cfg` does.
#include "arch/accelerator.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace loom;
  const auto path = fuzz::scratch_file("fuzz.cfg", fuzz::text_of(data, size));
  fuzz::refuse_only([&] {
    const auto acc = arch::load_scalesim_cfg(path);
    arch::check_dataflow_fits(acc);
  });
  return 0;
}
