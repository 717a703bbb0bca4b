// SPDX-License-Identifier: Apache-2.0
#pragma once
// Systolic dataflows as loop-nest mappings. A systolic array computes a convolution as a GEMM
// (im2col): output pixels Mpx = N·P·Q, filters M, window K = C·R·S (per group). In the GEMM
// view of a layer, P carries Mpx, C carries K and M the filters (N = Q = R = S = 1), and the
// array's rows and columns unroll two of them while the third runs in time inside the PEs:
// os (P, M | C), ws (C, M | P), is (C, P | M). The PEs keep only the stationary operand; the
// other two stream through. SCALE-Sim's fixed mapping puts the row and column folds at the
// innermost memory level, row folds outer.
#include "arch/accelerator.hpp"
#include "dataflow/mapping.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

// The GEMM view of a MAC layer (groups kept: each group is one GEMM).
[[nodiscard]] workloads::Layer gemm_view(const workloads::Layer& layer);
// Its shape alone; and the view without the layer's name and producer list, which the models
// do not read: built without allocating, for the mapper's inner loop.
[[nodiscard]] workloads::LayerShape gemm_shape(const workloads::LayerShape& s);
[[nodiscard]] workloads::Layer gemm_model(const workloads::Layer& layer);

// SCALE-Sim v2's mapping of `gemm` (a gemm_view) on `acc` under `acc.dataflow`.
[[nodiscard]] Mapping scalesim_mapping(const workloads::Layer& gemm, const arch::Accelerator& acc);

}  // namespace loom::dataflow
