// SPDX-License-Identifier: Apache-2.0
#pragma once
// How exactly a mapping is evaluated. Both fidelities give the same compute cycles, MAC counts
// and on-chip array traffic for a mapping; they differ in how the raw ifmap and DRAM are counted:
// - search: the ifmap's traffic between memory levels is the im2col traffic scaled by
//   raw / im2col size, DRAM traffic is the nest analysis's closed form, and timing assumes the
//   double-buffered transfers overlap compute perfectly except the first and last tile. Fast;
//   this is what the mapper ranks mappings on.
// - final: every tile's raw ifmap footprint is counted exactly, DRAM accounting follows the
//   tiles the controller visits and timing schedules them through the double-buffered
//   pipeline, as the simulator's DMA moves them. This is what `loom run` reports for a layer.
// Families without a separate exact model (and compat: scalesim) evaluate both alike.

namespace loom::dataflow {

enum class Fidelity { search, final };

}  // namespace loom::dataflow
