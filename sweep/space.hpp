// SPDX-License-Identifier: Apache-2.0
#pragma once
// From a point's axis choices to the accelerator it describes: the base accelerator (the one
// `dataflow_bases` names for the point's dataflow, else `accelerator`) with every architecture
// axis's value written into its YAML, loaded by the ordinary accelerator loader.
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "sweep/spec.hpp"

namespace loom::sweep {

// The dataflow value the point sets, if an axis targets `dataflow`.
std::string point_dataflow(const SweepSpec& spec, const std::vector<std::size_t>& choice);
const BaseArch& base_for_dataflow(const SweepSpec& spec, const std::string& dataflow);

// The edited accelerator YAML (canonical: equal texts are equal accelerators).
std::string point_arch_text(const SweepSpec& spec, const std::vector<std::size_t>& choice);
// Throws loom::Error if the combination of values is not a valid accelerator.
arch::Accelerator point_accelerator(const SweepSpec& spec, const std::vector<std::size_t>& choice);

}  // namespace loom::sweep
