// SPDX-License-Identifier: Apache-2.0
#include "sim/fused_group.hpp"

#include "core/error.hpp"
#include "dataflow/systolic.hpp"
#include "sim/systolic_layer.hpp"

namespace loom::sim {
namespace {

// Rows [row0, row0 + rows) of t (dims N, C, H, W).
Tensor4 slice_rows(const Tensor4& t, std::int64_t row0, std::int64_t rows) {
  Tensor4 out = Tensor4::zeros({t.dims[0], t.dims[1], rows, t.dims[3]});
  for (std::int64_t n = 0; n < t.dims[0]; ++n)
    for (std::int64_t c = 0; c < t.dims[1]; ++c)
      for (std::int64_t h = 0; h < rows; ++h)
        for (std::int64_t w = 0; w < t.dims[3]; ++w) out.at(n, c, h, w) = t.at(n, c, row0 + h, w);
  return out;
}

void put_rows(Tensor4& t, const Tensor4& part, std::int64_t row0) {
  for (std::int64_t n = 0; n < part.dims[0]; ++n)
    for (std::int64_t c = 0; c < part.dims[1]; ++c)
      for (std::int64_t h = 0; h < part.dims[2]; ++h)
        for (std::int64_t w = 0; w < part.dims[3]; ++w)
          t.at(n, c, row0 + h, w) = part.at(n, c, h, w);
}

Tensor4 requantize(Tensor4 t, const OutputFormat& f) {
  for (auto& v : t.data) v = format_output(v, f);
  return t;
}

void check_dims(const char* what, const Tensor4& t, const std::array<std::int64_t, 4>& want) {
  if (t.dims != want)
    throw Error(Diagnostic{"", what, 0,
                           "expected " + dims_to_string(want) + ", got " + dims_to_string(t.dims)});
}

}  // namespace

FusedGroupResult simulate_fused_group(const schedule::FusedExecution& e,
                                      const arch::Accelerator& acc, const Tensor4& input,
                                      const std::vector<Tensor4>& weights,
                                      const OutputFormat& between, ArrayRunner& array) {
  const std::size_t n = e.layers.size();
  if (weights.size() != n) throw Error(Diagnostic{"", "weights", 0, "one tensor per layer"});
  check_dims("input", input, ifmap_dims(e.layers.front().shape));
  for (std::size_t i = 0; i < n; ++i)
    check_dims("weights", weights[i], weight_dims(e.layers[i].shape));
  check_output_format(between);

  // The golden chain, whole layers.
  OutputFormat acc_format;
  acc_format.accumulator_bits = acc.array.pe.accumulator_bits;
  std::vector<Tensor4> golden;
  Tensor4 x = input;
  for (std::size_t i = 0; i < n; ++i) {
    golden.push_back(golden_conv(e.layers[i].shape, {x, weights[i]}, acc_format));
    x = requantize(golden.back(), between);
  }

  // The layers' outputs as the steps produce them, and the next layers' activations.
  std::vector<Tensor4> out, act;
  for (const auto& l : e.layers) {
    out.push_back(Tensor4::zeros(ofmap_dims(l.shape)));
    act.push_back(out.back());
  }
  FusedGroupResult r;
  for (const auto& tile : e.tiles) {
    const auto load = schedule::input_row_load(e.layers.front(), acc, tile.load);
    r.cycles += load.cycles;
    r.dram_bits += load.bits;
    r.loads.push_back(load);
    for (const auto& st : tile.steps) {
      const Tensor4& source = st.pos == 0 ? input : act[st.pos - 1];
      const LayerData data{slice_rows(source, st.in_row0, st.layer.shape.H), weights[st.pos]};
      auto s = simulate_systolic_layer(st.layer, acc, st.mapping, data, array,
                                       {.memory = true, .on_chip = st.on_chip});
      put_rows(out[st.pos], s.ofmap, st.out_row0);
      put_rows(act[st.pos], requantize(s.ofmap, between), st.out_row0);
      const auto p = dataflow::resolve_precision(st.layer, acc);
      const auto& m = s.memory;
      r.dram_bits += m.dram_reads[0] * p.activation_bits + m.dram_reads[1] * p.weight_bits +
                     (m.dram_reads[2] + m.psum_writes) * p.psum_bits +
                     m.final_writes * p.output_bits;
      r.cycles += s.total_cycles;
      r.step_cycles.push_back(s.total_cycles);
      r.macs += s.array.macs;
      r.step_mismatches += s.mismatches;
      r.misses += m.misses;
      s.ofmap = {};
      r.step_pos.push_back(st.pos);
      r.steps.push_back(std::move(s));
    }
  }
  r.layer_checked.assign(n, 0);
  r.layer_mismatches.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    r.layer_checked[i] = golden[i].size();
    for (std::size_t j = 0; j < golden[i].data.size(); ++j)
      r.layer_mismatches[i] += golden[i].data[j] != out[i].data[j] ? 1 : 0;
    r.elements_checked += r.layer_checked[i];
    r.mismatches += r.layer_mismatches[i];
  }
  r.ofmap = std::move(out.back());
  return r;
}

}  // namespace loom::sim
