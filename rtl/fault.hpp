// SPDX-License-Identifier: Apache-2.0
#pragma once
// The deliberately altered PEs built beside the real one (rtl/faults/), which co-simulation must
// catch: `carry` (the accumulator drops the carry from bit 15 into bit 16) and `split` (the
// Fusion Unit's precision split swaps lanes 0 and 1 of `a` in 4- and 2-bit modes).
#include <array>
#include <cstdint>

#include "core/enum_table.hpp"

namespace loom::rtl {

enum class Fault : std::uint8_t { none, carry, split };

// Names `--fault` accepts.
inline constexpr std::array<core::EnumName<Fault>, 2> kFaults{{
    {Fault::carry, "carry"},
    {Fault::split, "split"},
}};

}  // namespace loom::rtl
