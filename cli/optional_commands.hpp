// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the `loom` executable takes from Loom's optional parts (core/features.hpp): the SystemC
// simulator (`loom sim`, LOOM_WITH_SIM), the Verilated RTL (`loom cosim`, `loom sim --pe rtl`,
// LOOM_WITH_RTL) and the ONNX importer (.onnx workloads, LOOM_WITH_ONNX). Each part is a plugin
// (core/plugin.hpp) whose table of entry points is below; the accessors load it on first use.
// Asking for a part this build leaves out throws loom::Error naming the CMake option that
// enables it, which the CLI turns into exit code 2. These headers declare plain C++ types only:
// the executable compiles against them without SystemC, Verilator or protobuf.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "rtl/cosim.hpp"
#include "sim/pe_model.hpp"
#include "simulate/simulate_group.hpp"
#include "simulate/simulate_network.hpp"
#include "workloads/network.hpp"

namespace loom::cli {

// libloom_plugin_sim.so: simulate/simulate_network.hpp.
struct SimPlugin {
  void (*check_simulable)(const arch::Accelerator&, const simulate::SimulateOptions&);
  std::vector<simulate::SimulatedLayer> (*simulate_network)(const workloads::Network&,
                                                            const arch::Accelerator&,
                                                            const simulate::SimulateOptions&);
  void (*write_sim_outputs)(const std::vector<simulate::SimulatedLayer>&, const workloads::Network&,
                            const arch::Accelerator&, const std::filesystem::path&,
                            const explore::RunResult*);
  // simulate/simulate_group.hpp: `loom sim --group`.
  simulate::SimulatedGroup (*simulate_group)(const workloads::Network&, const arch::Accelerator&,
                                             const simulate::GroupSimOptions&);
  std::string (*format_group)(const simulate::SimulatedGroup&);
};

// libloom_plugin_rtl.so: rtl/verilated_pe.hpp and rtl/cosim.hpp.
struct RtlPlugin {
  std::unique_ptr<sim::PeModel> (*make_verilated_pe)(const arch::Accelerator&);
  rtl::CosimReport (*run_cosim)(const rtl::CosimOptions&);
  std::string (*format_cosim)(const rtl::CosimOptions&, const rtl::CosimReport&);
};

// libloom_plugin_onnx.so: onnx/onnx_import.hpp.
struct OnnxPlugin {
  workloads::Network (*load_onnx)(const std::filesystem::path&);
  workloads::Network (*load_onnx_compact)(const std::filesystem::path&);  // `import --compact`
};

// `what` names the command or option asking, for the message when the part is left out.
const SimPlugin& sim_plugin(std::string_view what);
const RtlPlugin& rtl_plugin(std::string_view what);

// The importers `loom` passes to workloads::load_workload: .onnx through the ONNX plugin (or,
// without LOOM_WITH_ONNX, an importer that says which option reads it); `compact` removes the
// all-zero filters and channels of an ONNX model's weights (onnx::ImportOptions::compact).
workloads::WorkloadImporters workload_importers(bool compact = false);

}  // namespace loom::cli
