// SPDX-License-Identifier: Apache-2.0
#pragma once
// The reports tests' scratch directory plus a sample table they share.
#include "common/scratch_dir.hpp"
#include "reports/result_table.hpp"

// Two layers of a small network, with a string needing quotes and doubles needing 17 digits.
inline loom::reports::ResultTable sample_table() {
  using loom::reports::ColumnType;
  loom::reports::ResultTable t;
  t.add_column("layer", "", ColumnType::String);
  t.add_column("macs", "", ColumnType::Int64);
  t.add_column("energy_pj", "pJ", ColumnType::Double);
  t.add_row().set("layer", "conv1").set("macs", std::int64_t{105415200}).set("energy_pj", 0.1);
  t.add_row().set("layer", "fc,\"big\"").set("macs", 4096).set("energy_pj", 1.0 / 3.0);
  return t;
}
