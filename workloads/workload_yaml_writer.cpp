// SPDX-License-Identifier: Apache-2.0
// Network → Loom workload YAML, one flow-style map per layer, written so that
// parse_workload_yaml reads back an equal Network (checked by tests/workloads).
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/error.hpp"
#include "workloads/graph.hpp"
#include "workloads/network.hpp"

namespace loom::workloads {
namespace {

// A YAML double-quoted scalar. Control characters are escaped (\xHH): written raw, a newline
// in a layer name (an ONNX node may carry one) would be folded into a space when read back.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      constexpr const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Shortest text that reads back as the same double.
std::string number(double v) {
  char buf[32];
  for (int digits = 6; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string pair(std::int64_t h, std::int64_t w) {
  return h == w ? std::to_string(h) : "[" + std::to_string(h) + ", " + std::to_string(w) + "]";
}

bool states_size(OpKind op) {
  return op == OpKind::slice || op == OpKind::split || op == OpKind::reduce_mean ||
         op == OpKind::resize;
}

// The first MAC layer after `i`, whose stated ifmap density the loader would copy into layer
// i's unstated ofmap density.
const Layer* next_mac(const Network& net, std::size_t i) {
  for (std::size_t j = i + 1; j < net.layers.size(); ++j)
    if (does_macs(net.layers[j].op)) return &net.layers[j];
  return nullptr;
}

void window(std::ostringstream& o, const Layer& l) {
  const LayerShape& s = l.shape;
  o << ", H: " << s.H;
  if (s.W != s.H) o << ", W: " << s.W;
  if (l.op != OpKind::global_avgpool) {
    if (s.R != 1 || s.S != 1) o << ", R: " << s.R;
    if (s.S != s.R) o << ", S: " << s.S;
  }
  if (s.stride_h != 1 || s.stride_w != 1) o << ", stride: " << pair(s.stride_h, s.stride_w);
  const std::int64_t bottom = padding_end(s.H, s.R, s.stride_h, s.pad_h, s.dilation_h, s.P);
  const std::int64_t right = padding_end(s.W, s.S, s.stride_w, s.pad_w, s.dilation_w, s.Q);
  const bool symmetric =
      window_output_size(s.H, s.R, s.stride_h, s.pad_h, s.pad_h, s.dilation_h) == s.P &&
      window_output_size(s.W, s.S, s.stride_w, s.pad_w, s.pad_w, s.dilation_w) == s.Q;
  if (symmetric && (s.pad_h != 0 || s.pad_w != 0))
    o << ", padding: " << pair(s.pad_h, s.pad_w);
  else if (!symmetric)
    o << ", padding: [" << s.pad_h << ", " << s.pad_w << ", " << bottom << ", " << right << "]";
  if (s.dilation_h != 1 || s.dilation_w != 1)
    o << ", dilation: " << pair(s.dilation_h, s.dilation_w);
  if (s.groups != 1) o << ", groups: " << s.groups;
  if (window_output_size(s.H, s.R, s.stride_h, s.pad_h, bottom, s.dilation_h) != s.P ||
      window_output_size(s.W, s.S, s.stride_w, s.pad_w, right, s.dilation_w) != s.Q)
    throw Error("layer '" + l.name + "': output " + std::to_string(s.P) + "×" +
                std::to_string(s.Q) + " cannot come from its window over the input");
}

void shape(std::ostringstream& o, const Layer& l) {
  const LayerShape& s = l.shape;
  if (l.op == OpKind::gemm) {
    o << ", gemm: [" << s.P << ", " << s.M << ", " << s.C << "]";
    return;
  }
  if (l.op == OpKind::act_matmul) {
    o << ", gemm: [" << s.P << ", " << s.M / s.groups << ", " << s.C / s.groups << "]";
    if (s.groups != 1) o << ", heads: " << s.groups;
    return;
  }
  o << ", C: " << s.C;
  if (does_macs(l.op) || (states_size(l.op) && s.M != s.C)) o << ", M: " << s.M;
  if (l.op == OpKind::fc) return;
  if (states_size(l.op)) {
    o << ", H: " << s.H;
    if (s.W != s.H) o << ", W: " << s.W;
    o << ", P: " << s.P;
    if (s.Q != s.P) o << ", Q: " << s.Q;
    return;
  }
  window(o, l);
}

}  // namespace

std::string to_workload_yaml(const Network& net) {
  std::ostringstream o;
  o << "name: " << quoted(net.name) << "\n";
  if (!net.source.empty()) o << "source: " << quoted(net.source) << "\n";
  o << "layers:\n";
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    o << "  - {name: " << quoted(l.name) << ", op: " << core::enum_name(kOpKinds, l.op);
    const std::vector<std::string> chain =
        i == 0 ? std::vector<std::string>{} : std::vector<std::string>{net.layers[i - 1].name};
    // An act_matmul's `inputs` is required; a layer that does not take the tensor the one
    // before it writes must name its producer, or the file would be refused.
    if (l.inputs != chain || l.op == OpKind::act_matmul ||
        (i > 0 && !reads_output_of(net.layers[i - 1], l))) {
      o << ", inputs: [";
      for (std::size_t k = 0; k < l.inputs.size(); ++k) o << (k ? ", " : "") << quoted(l.inputs[k]);
      o << "]";
    }
    shape(o, l);
    const Precision& p = l.precision;
    if (p != Precision{}) {
      std::string fields;
      const auto add = [&](const char* key, int bits) {
        if (bits != 0)
          fields += (fields.empty() ? "" : ", ") + std::string(key) + ": " + std::to_string(bits);
      };
      add("weight_bits", p.weight_bits);
      add("activation_bits", p.activation_bits);
      add("output_bits", p.output_bits);
      o << ", precision: {" << fields << "}";
    }
    const Density& d = l.density;
    if (d.ifmap != 1.0) o << ", ifmap_density: " << number(d.ifmap);
    if (d.weight != 1.0) o << ", weight_density: " << number(d.weight);
    const Layer* next = does_macs(l.op) ? next_mac(net, i) : nullptr;
    if (d.ofmap != 1.0 || (next != nullptr && next->density.ifmap != 1.0))
      o << ", ofmap_density: " << number(d.ofmap);
    const WeightSparsity& w = l.sparsity;
    if (w.nm_m != 0) o << ", nm_sparsity: [" << w.nm_n << ", " << w.nm_m << "]";
    if (w.zero_filters != 0) o << ", zero_filters: " << w.zero_filters;
    if (w.zero_channels != 0) o << ", zero_channels: " << w.zero_channels;
    o << "}\n";
  }
  return o.str();
}

}  // namespace loom::workloads
