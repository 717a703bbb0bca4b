// SPDX-License-Identifier: Apache-2.0
#include "sim/systolic_layer.hpp"

#include "core/error.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_axes.hpp"
#include "dataflow/systolic_mapping.hpp"
#include "sim/golden.hpp"

namespace loom::sim {
namespace {

// The GEMMs of all groups: A = im2col of the ifmap (rows n, p, q; columns c, r, s of the
// group's channels, zero outside the padded input), B = the group's filters as K x M.
void unfold(const workloads::LayerShape& s, const LayerData& d, std::vector<std::int32_t>& a,
            std::vector<std::int32_t>& b) {
  const std::int64_t g = s.groups, cg = s.C / g, mg = s.M / g;
  const std::int64_t mpx = s.N * s.P * s.Q, k = cg * s.R * s.S;
  a.assign(static_cast<std::size_t>(g * mpx * k), 0);
  b.assign(static_cast<std::size_t>(g * k * mg), 0);
  for (std::int64_t gi = 0; gi < g; ++gi) {
    std::int32_t* ag = a.data() + gi * mpx * k;
    for (std::int64_t n = 0; n < s.N; ++n)
      for (std::int64_t p = 0; p < s.P; ++p)
        for (std::int64_t q = 0; q < s.Q; ++q) {
          std::int32_t* row = ag + ((n * s.P + p) * s.Q + q) * k;
          for (std::int64_t c = 0; c < cg; ++c)
            for (std::int64_t r = 0; r < s.R; ++r) {
              const std::int64_t h = p * s.stride_h - s.pad_h + r * s.dilation_h;
              for (std::int64_t t = 0; t < s.S; ++t) {
                const std::int64_t w = q * s.stride_w - s.pad_w + t * s.dilation_w;
                if (h >= 0 && h < s.H && w >= 0 && w < s.W)
                  row[(c * s.R + r) * s.S + t] = d.ifmap.at(n, gi * cg + c, h, w);
              }
            }
        }
    std::int32_t* bg = b.data() + gi * k * mg;
    for (std::int64_t m = 0; m < mg; ++m)
      for (std::int64_t c = 0; c < cg; ++c)
        for (std::int64_t r = 0; r < s.R; ++r)
          for (std::int64_t t = 0; t < s.S; ++t)
            bg[((c * s.R + r) * s.S + t) * mg + m] = d.weights.at(gi * mg + m, c, r, t);
  }
}

}  // namespace

namespace {

// The access counts of a layer as the simulation moved them, booked as the analytical model
// books its own (dataflow::systolic_access): the transfers are the ones the memory system
// counted, the array-side traffic the one the array counted.
arch::AccessCounts access_of(const arch::Accelerator& acc, const dataflow::ResolvedPrecision& p,
                             const TilePlan& plan, const SystolicLayerResult& r,
                             std::int64_t outputs) {
  const auto& mem = r.memory;
  const dataflow::TileTransfers moved{.ifmap_reads = mem.dram_reads[0] + mem.on_chip_reads[0],
                                      .filter_reads = mem.dram_reads[1] + mem.on_chip_reads[1],
                                      .psum_reads = mem.dram_reads[2],
                                      .psum_writes = mem.psum_writes,
                                      .final_writes = mem.final_writes + mem.on_chip_final_writes};
  arch::AccessCounts a = dataflow::systolic_access(
      acc, p, plan, moved,
      {r.sram_ifmap_reads, r.sram_filter_reads, r.sram_ofmap_writes, r.sram_ofmap_reads}, outputs);
  // What stayed on chip was booked at the buffers above; its DRAM side did not happen.
  const int d = acc.dram_level();
  if (plan.on_chip[0]) a.at(d, arch::Operand::ifmap) = {};
  if (plan.on_chip[1]) a.at(d, arch::Operand::filter) = {};
  if (plan.on_chip[2]) {
    auto& o = a.at(d, arch::Operand::ofmap);
    o.writes -= mem.on_chip_final_writes;
    o.write_bits -= mem.on_chip_final_writes * p.output_bits;
  }
  return a;
}

}  // namespace

SystolicLayerResult simulate_systolic_layer(const workloads::Layer& layer,
                                            const arch::Accelerator& acc,
                                            const dataflow::Mapping& m, const LayerData& data,
                                            ArrayRunner& array,
                                            const SystolicLayerOptions& options) {
  const auto& s = layer.shape;
  const std::int64_t g = s.groups, mg = s.M / g;
  const std::int64_t mpx = s.N * s.P * s.Q, k = (s.C / g) * s.R * s.S;
  std::vector<std::int32_t> a, b;
  unfold(s, data, a, b);
  const std::vector<Fold> folds = dataflow::layer_folds(layer, acc, m);
  std::vector<std::int64_t> y(static_cast<std::size_t>(g * mpx * mg), 0);
  std::vector<std::int64_t> dram_ofmap;
  SystolicLayerResult out;
  out.folds = static_cast<std::int64_t>(folds.size());
  const GemmOperands gemm{mpx, k, mg, a, b, y, g};
  const auto p = dataflow::resolve_precision(layer, acc);
  const dataflow::EdgeStrides strides = dataflow::edge_strides(acc, p);
  array.set_strides(strides);
  TilePlan plan;
  if (options.memory) {
    plan = dataflow::plan_tiles(layer, acc, m, folds);
    plan.on_chip = options.on_chip;
    dram_ofmap.assign(y.size(), 0);
    SystolicMemory memory(layer, acc, p, folds, plan, data, y, dram_ofmap);
    out.array = array.run(gemm, folds, &memory);
    out.memory = memory.stats();
    out.with_memory = true;
  } else {
    out.array = array.run(gemm, folds);
  }
  const std::vector<std::int64_t>& result = options.memory ? dram_ofmap : y;

  out.ofmap = Tensor4::zeros(ofmap_dims(s));
  for (std::int64_t gi = 0; gi < g; ++gi)
    for (std::int64_t px = 0; px < mpx; ++px)
      for (std::int64_t j = 0; j < mg; ++j) {
        const std::int64_t n = px / (s.P * s.Q), pp = px / s.Q % s.P, q = px % s.Q;
        out.ofmap.at(n, gi * mg + j, pp, q) =
            static_cast<std::int32_t>(result[static_cast<std::size_t>((gi * mpx + px) * mg + j)]);
      }
  OutputFormat format;
  format.accumulator_bits = acc.array.pe.accumulator_bits;
  const Tensor4 golden = golden_conv(s, data, format);
  out.elements_checked = golden.size();
  for (std::size_t i = 0; i < golden.data.size(); ++i)
    out.mismatches += golden.data[i] != out.ofmap.data[i] ? 1 : 0;

  const bool ifmap_left = dataflow::systolic_axes(acc.dataflow).left == arch::Operand::ifmap;
  out.sram_ifmap_reads = ifmap_left ? out.array.left_reads : out.array.top_reads;
  out.sram_filter_reads = ifmap_left ? out.array.top_reads : out.array.left_reads;
  out.sram_ofmap_writes = out.array.output_writes;
  out.sram_ofmap_reads = out.array.output_reads;
  // The array alone (no waiting) for compute cycles, its run plus the last write-back for all.
  const auto& arr = acc.array;
  out.compute_cycles =
      SystolicArray::schedule_cycles(folds, arr.rows, arr.cols, acc.dataflow, strides);
  // The ports' share: the same schedule at full width (the preload stalls of an array
  // without shadow registers are not the ports').
  dataflow::EdgeStrides wide;
  wide.stall = strides.stall;
  out.port_stall_cycles = out.compute_cycles - SystolicArray::schedule_cycles(
                                                   folds, arr.rows, arr.cols, acc.dataflow, wide);
  out.total_cycles = std::max(out.array.cycles, out.memory.end_cycle);
  if (options.memory) out.access = access_of(acc, p, plan, out, s.ofmap_elems());
  return out;
}

}  // namespace loom::sim
