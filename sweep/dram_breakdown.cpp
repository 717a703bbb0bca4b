// SPDX-License-Identifier: Apache-2.0
#include "sweep/dram_breakdown.hpp"

#include "arch/accelerator.hpp"
#include "workloads/layer.hpp"

namespace loom::sweep {

DramBreakdown dram_breakdown(const explore::RunResult& run) {
  DramBreakdown b;
  b.schedule = run.settings.schedule;
  const int d = run.accelerator.dram_level();
  if (d < 0) return b;  // nothing goes through DRAM
  b.dram_bytes = run.level_bytes[static_cast<std::size_t>(d)];
  if (!run.schedule) {
    // Layerwise: every activation goes through DRAM; the weights' share is each weighted
    // layer's DRAM filter traffic, as schedule::record_tensors books it under `graph`.
    b.layerwise_dram_bytes = b.dram_bytes;
    for (const auto& l : run.layers) {
      if (!workloads::has_weights(l.layer.op)) continue;
      const auto& f = l.counts.access.at(d, arch::Operand::filter);
      b.weight_bytes += static_cast<double>(f.read_bits + f.write_bits) / 8.0;
    }
    b.spilled_bytes = b.dram_bytes - b.weight_bytes;
    return b;
  }
  const auto& s = *run.schedule;
  b.layerwise_dram_bytes = s.layerwise_dram_bytes;
  for (const auto& t : s.tensors) {
    const double moved = t.dram_read_bytes + t.dram_write_bytes + t.dram_psum_bytes;
    if (t.kind == schedule::TensorKind::weights) {
      b.weight_bytes += moved;
      continue;
    }
    b.spilled_bytes += moved;
    if (t.kind != schedule::TensorKind::activation) continue;
    // The same classes as summary.json's `resident`, `spilled` and `fused` lists.
    if (t.group > 0 && t.dram_write_bytes == 0)
      ++b.tensors_fused;
    else if (t.resident_in.empty())
      ++b.tensors_spilled;
    else
      ++b.tensors_resident;
  }
  for (const double saved : s.group_dram_saved_bytes) b.fused_saved_bytes += saved;
  b.fused_groups = static_cast<std::int64_t>(s.groups.size());
  b.resident_saved_bytes = b.layerwise_dram_bytes - b.dram_bytes - b.fused_saved_bytes;
  return b;
}

reports::ResultTable dram_table(const std::vector<PointRuns>& points) {
  using reports::ColumnType;
  reports::ResultTable t;
  t.add_column("point", "", ColumnType::Int64);
  t.add_column("workload", "", ColumnType::String);
  t.add_column("schedule", "", ColumnType::String);
  for (const char* c : {"dram_bytes", "layerwise_dram_bytes", "weight_dram_bytes",
                        "spilled_dram_bytes", "resident_saved_bytes", "fused_saved_bytes"})
    t.add_column(c, "B", ColumnType::Double);
  for (const char* c : {"tensors_resident", "tensors_spilled", "tensors_fused", "fused_groups"})
    t.add_column(c, "", ColumnType::Int64);
  for (const auto& p : points)
    for (const auto& run : *p.runs) {
      const DramBreakdown b = dram_breakdown(run);
      t.add_row()
          .set("point", p.point)
          .set("workload", run.network.name)
          .set("schedule", b.schedule)
          .set("dram_bytes", b.dram_bytes)
          .set("layerwise_dram_bytes", b.layerwise_dram_bytes)
          .set("weight_dram_bytes", b.weight_bytes)
          .set("spilled_dram_bytes", b.spilled_bytes)
          .set("resident_saved_bytes", b.resident_saved_bytes)
          .set("fused_saved_bytes", b.fused_saved_bytes)
          .set("tensors_resident", b.tensors_resident)
          .set("tensors_spilled", b.tensors_spilled)
          .set("tensors_fused", b.tensors_fused)
          .set("fused_groups", b.fused_groups);
    }
  return t;
}

}  // namespace loom::sweep
