// SPDX-License-Identifier: Apache-2.0
#pragma once
// What every result of the analytical model must satisfy, whatever the input: facts that hold
// for any accelerator, layer and mapping, so a fuzz target can check results it cannot predict.
// A violation is a silently wrong number; check_run() reports it through fuzz::bug().
#include "explore/evaluate.hpp"

namespace loom::fuzz {

// Per layer: no more MACs done than PEs × compute cycles allow; total ≥ compute ≥ 1 cycle;
// utilizations in [0, 100] %; active PEs within the array; access counts and bits ≥ 0; energy
// finite and ≥ 0. For the run: totals are the layers' sums, finite, and summary.json holds no
// null (a NaN or infinity written as JSON).
void check_run(const explore::RunResult& run);

}  // namespace loom::fuzz
