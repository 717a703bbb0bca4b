// SPDX-License-Identifier: Apache-2.0
#pragma once
// A mapping read from a file, checked against the layer it names before anything evaluates it:
// every dimension's loops cover the dimension at least once and less than twice (the bound that
// keeps counts in 64 bits), the spatial loops fit the PE array, and a network level holds no
// loops — the shape rules of check_mapping_shape (nest_analysis.hpp), each violation reported as
// one Diagnostic with the file, the line of the factor concerned, the dimension and the limit.
// Capacity (does a tile fit its buffer) depends on the precision and is checked when evaluated.
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "dataflow/mapping_io.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

// `layer` as the network holds it; the file's view ("gemm" or "conv") says which coordinates
// its factors are in. Empty when the mapping's shape is legal.
[[nodiscard]] std::vector<Diagnostic> check_mapping_file(const MappingFile& f,
                                                         const workloads::Layer& layer,
                                                         const arch::Accelerator& acc,
                                                         const std::string& file_name);

}  // namespace loom::dataflow
