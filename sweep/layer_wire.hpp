// SPDX-License-Identifier: Apache-2.0
#pragma once
// Mapped layers in a byte form, for passing them between the ranks of one MPI sweep. The form
// is the values' own bytes (exact: doubles are not printed and parsed), so it is meant only for
// ranks of one job running the same build on one kind of machine, never for files.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "explore/layer_mapper.hpp"

namespace loom::sweep {

// Appends one (cache key, mapped layer) record to `out`.
void append_mapped_layer(std::string& out, const std::string& key,
                         const explore::MappedLayer& layer);

// Every record of `bytes` (records appended one after another). Throws loom::Error if the bytes
// end inside a record.
[[nodiscard]] std::vector<std::pair<std::string, explore::MappedLayer>> read_mapped_layers(
    std::string_view bytes);

}  // namespace loom::sweep
