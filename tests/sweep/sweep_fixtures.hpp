// SPDX-License-Identifier: Apache-2.0
#pragma once
// Small sweep inputs for the sweep tests: a three-layer network, a systolic base accelerator
// with one shared buffer, and a helper that writes them next to a sweep file.
#include <filesystem>
#include <fstream>
#include <string>

namespace sweep_test {

inline constexpr const char* kTinyNet = R"(name: tiny
layers:
  - {name: c1, op: conv, C: 3, M: 16, H: 32, R: 3, stride: 1, padding: 1}
  - {name: c2, op: conv, C: 16, M: 32, H: 32, R: 3, stride: 2, padding: 1}
  - {name: fc, op: fc, C: 8192, M: 10}
)";

inline constexpr const char* kSystolicBase = R"(
  name: base
  clock_mhz: 1000
  technology_nm: 45
  dataflow: ws
  pe_array: {rows: 16, cols: 16}
  pe: {weight_bits: 8, activation_bits: 8, accumulator_bits: 32}
  levels:
    - {name: dram, kind: dram, word_bits: 64, bandwidth_gb_per_s: 12.8}
    - {name: glb, kind: sram, holds: [ifmap, filter, ofmap], size_kib: 128, word_bits: 64, banks: 8}
)";

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// A sweep over the tiny net: `body` holds axes, objectives, strategy, ...
inline std::filesystem::path write_sweep(const std::filesystem::path& dir, const std::string& body,
                                         const std::string& name = "sweep.yaml") {
  write_text(dir / "tiny.yaml", kTinyNet);
  const auto file = dir / name;
  write_text(
      file, std::string("name: test\nworkloads: [tiny.yaml]\naccelerator:") + kSystolicBase + body);
  return file;
}

}  // namespace sweep_test
