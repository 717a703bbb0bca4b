// SPDX-License-Identifier: Apache-2.0
#pragma once
// One mapping of one layer scored by its family's model. Not valid: a tile overflows its buffer
// (invalid_level names the level when the model knows it) or the mapping breaks the family's
// rules; `invalid_reason` is static text, and `counts` are then incomplete.
#include <string_view>

#include "dataflow/layer_counts.hpp"

namespace loom::dataflow {

struct MappingEvaluation {
  LayerCounts counts;
  bool valid = true;
  std::string_view invalid_reason;
  int invalid_level = -1;
};

}  // namespace loom::dataflow
