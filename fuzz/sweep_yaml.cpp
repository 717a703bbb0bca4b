// SPDX-License-Identifier: Apache-2.0
// Fuzz target: a sweep file, read as `loom sweep FILE` reads it before any point runs (its
// accelerator, workloads, axes, objectives, constraints and strategy), and the accelerators of
// its first and last design points, which `loom sweep` derives by editing the base YAML.
#include "fuzz/fuzz_input.hpp"
#include "sweep/space.hpp"
#include "sweep/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace loom;
  const auto text = fuzz::text_of(data, size);
  const auto path = fuzz::scratch_file("fuzz_sweep.yaml", text);
  fuzz::refuse_only([&] {
    const auto spec = sweep::parse_sweep(text, path.string());
    const std::uint64_t points = spec.point_count();
    fuzz::require(points >= 1, "a sweep read without error has a design point");
    for (const std::uint64_t p : {std::uint64_t{0}, points - 1}) {
      const auto choice = spec.decode(p);
      fuzz::require(spec.encode(choice) == p, "decode and encode of a point agree");
      try {
        (void)sweep::point_accelerator(spec, choice);
      } catch (const Error&) {
        // an infeasible combination: the sweep records it as such
      }
    }
  });
  return 0;
}
