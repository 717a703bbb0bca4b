// SPDX-License-Identifier: Apache-2.0
// Loom workload YAML → Network. Every problem of the file is collected and thrown at once.
#include <algorithm>
#include <set>
#include <string_view>
#include <vector>

#include "core/checked.hpp"
#include "core/config.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "workloads/graph.hpp"
#include "workloads/network.hpp"
#include "workloads/transforms.hpp"

namespace loom::workloads {
namespace {

using core::ConfigNode;

Precision read_precision(const ConfigNode& n, Precision fallback) {
  if (!n.is_map()) {
    n.expect_map();
    return fallback;
  }
  n.allow_keys({"weight_bits", "activation_bits", "output_bits"});
  Precision p = fallback;
  p.weight_bits = static_cast<int>(n.get_int("weight_bits", p.weight_bits, 1, 32));
  p.activation_bits = static_cast<int>(n.get_int("activation_bits", p.activation_bits, 1, 32));
  p.output_bits = static_cast<int>(n.get_int("output_bits", p.output_bits, 1, 32));
  return p;
}

// GEMM (M×K)·(K×N): rows M become output pixels P, N the filters, K the input channels.
void read_gemm(const ConfigNode& n, LayerShape& s) {
  if (!n.has("gemm")) {
    n.error_at("gemm", "missing required key (expected [M, N, K])");
    return;
  }
  const auto v = n.get_int_list("gemm", 1, kMaxDim);
  if (v.size() != 3) {
    n.error_at("gemm", "expected [M, N, K], a list of three integers > 0");
    return;
  }
  s.H = s.P = v[0];
  s.M = v[1];
  s.C = v[2];
  if (static_cast<long double>(v[0]) * v[1] * v[2] > kMaxLayerMacs)
    n.error_at("gemm", "more than Loom's limit of 1e15 MACs in one layer (check the shape)");
}

// A product of two activations, `heads` independent (M×K)·(K×N) products (attention's Q·Kᵀ and
// A·V per head). Heads are groups (layer.hpp says why): C = heads·K, M = heads·N, rows are P.
// It has no weights, so weight_bits and weight_density are refused rather than ignored.
void read_act_matmul(const ConfigNode& n, Layer& l) {
  n.allow_keys(
      {"name", "op", "inputs", "gemm", "heads", "precision", "ifmap_density", "ofmap_density"});
  LayerShape& s = l.shape;
  read_gemm(n, s);
  const std::int64_t heads = n.get_int("heads", 1, 1, kMaxDim);
  const long double macs = static_cast<long double>(s.P) * s.M * s.C * heads;
  if (macs > kMaxLayerMacs || static_cast<long double>(s.M) * heads > kMaxDim ||
      static_cast<long double>(s.C) * heads > kMaxDim) {
    n.error_at("heads", "heads × the gemm's N or K exceeds Loom's limits (check the shape)");
    return;
  }
  s.groups = heads;
  s.M *= heads;
  s.C *= heads;
  if (n.has("precision") && n.child("precision").is_map() &&
      n.child("precision").has("weight_bits"))
    n.child("precision")
        .error_at("weight_bits",
                  "an act_matmul has no weights: both operands are activations "
                  "(set activation_bits)");
  l.precision.weight_bits = 0;
  // An operand not named is the network input (an ONNX model may feed one of them directly).
  if (n.has("inputs") && l.inputs.size() > 2)
    n.error_at("inputs",
               "an act_matmul reads two activations: expected [first, second] (or "
               "fewer names: the others are network inputs)");
  else if (!n.has("inputs"))
    n.error_at("inputs", "missing required key for an act_matmul (expected [first, second])");
}

// A fraction of nonzero values: a number in (0, 1]. An all-zero tensor is not a layer anyone
// runs, and 0 would make compressed sizes degenerate.
double read_density(const ConfigNode& n, std::string_view key) {
  const double d = n.get_double(key, 1.0, 0.0);
  if (d > 1.0) {
    n.error_at(key,
               "expected a fraction of nonzero values in (0, 1], got " + n.get_string(key, ""));
    return 1.0;
  }
  return d;
}

void read_densities(const ConfigNode& n, Density& d) {
  d.ifmap = read_density(n, "ifmap_density");
  d.weight = read_density(n, "weight_density");
  d.ofmap = read_density(n, "ofmap_density");
}

// A layer's outputs are (nearly) the next MAC layer's inputs, so an unstated ofmap density is
// that layer's stated ifmap density. Assumption: a pooling layer in between changes the
// fraction of zeros little (a max pool can only lower it), so it is ignored.
void default_ofmap_densities(std::vector<Layer>& layers, const std::vector<ConfigNode>& items) {
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (!does_macs(layers[i].op) || items[i].has("ofmap_density")) continue;
    for (std::size_t j = i + 1; j < layers.size(); ++j) {
      if (!does_macs(layers[j].op)) continue;
      if (items[j].has("ifmap_density")) layers[i].density.ofmap = layers[j].density.ifmap;
      break;
    }
  }
}

// `padding`: an integer, [h, w] (per side), or [top, left, bottom, right].
struct Padding {
  std::int64_t top = 0, left = 0, bottom = 0, right = 0;
};

Padding read_padding(const ConfigNode& n) {
  if (n.has("padding") && n.child("padding").is_sequence()) {
    const auto v = n.get_int_list("padding", 0, kMaxDim);
    if (v.size() == 4) return {v[0], v[1], v[2], v[3]};
  }
  const auto [h, w] = n.get_pair("padding", {0, 0}, 0, kMaxDim);
  return {h, w, h, w};
}

// Operators whose output size is stated rather than derived from a window: `M` for those that
// select channels, `P`/`Q` for those that select or resample rows and columns.
bool states_channels(OpKind op) {
  return op == OpKind::slice || op == OpKind::split || op == OpKind::reduce_mean;
}
bool states_size(OpKind op) { return states_channels(op) || op == OpKind::resize; }

void read_inputs(const ConfigNode& n, Layer& l, const std::set<std::string>& earlier,
                 const std::string& previous) {
  if (!n.has("inputs")) {
    if (!previous.empty()) l.inputs = {previous};
    return;
  }
  l.inputs = n.get_string_list("inputs");
  for (const auto& in : l.inputs)
    if (!earlier.contains(in))
      n.error_at("inputs", "'" + in + "' is not the name of a layer listed before '" + l.name +
                               "' (inputs name producer layers; [] is the network input)");
}

// A layer without `inputs:` reads the output of the layer listed before it: that output must be
// the tensor it takes (channels, rows and columns; a flattening layer, its element count), or
// the file has left out a layer or meant another producer. GEMM layers state no tensor shape.
void check_chain(const ConfigNode& n, const Layer& producer, const Layer& l) {
  if (reads_output_of(producer, l)) return;
  const auto& p = producer.shape;
  const auto& s = l.shape;
  const auto tensor = [](std::int64_t c, std::int64_t h, std::int64_t w) {
    return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
  };
  const std::string writes = tensor(producer.out_channels(), p.P, p.Q);
  const std::string advice =
      " (without inputs:, a layer reads the output of the layer listed before it; name its "
      "producers with inputs: [...], or inputs: [] for the network input)";
  const bool flattens = l.op == OpKind::fc || l.op == OpKind::flatten || l.op == OpKind::reshape ||
                        l.op == OpKind::transpose;
  if (flattens) {
    n.error("takes " + std::to_string(s.C * s.H * s.W) + " input elements, but '" + producer.name +
            "' listed before it writes " + writes + advice);
    return;
  }
  n.error("takes a " + tensor(s.C, s.H, s.W) + " (CxHxW) input, but '" + producer.name +
          "' listed before it writes " + writes + advice);
}

// Tensor sizes too: a huge stride makes few MACs of an input whose byte count overflows.
void check_elements(const ConfigNode& n, const LayerShape& s) {
  for (const long double elems :
       {static_cast<long double>(s.C) * s.H * s.W, static_cast<long double>(s.M) * s.P * s.Q})
    if (elems > kMaxLayerMacs) {
      n.error("a tensor of " + std::to_string(static_cast<double>(elems)) +
              " elements per image, more than Loom's limit of 1e15 (check the shape)");
      return;
    }
}

Layer read_layer_shape(const ConfigNode& n, Precision net_precision, std::set<std::string>& names,
                       const std::string& previous) {
  Layer l;
  if (!n.expect_map()) return l;
  l.name = n.require_string("name");
  // Outputs, mappings and `--layer` find a layer by its name: "" would name none of them.
  if (l.name.empty() && n.has("name") && n.child("name").is_scalar())
    n.error_at("name", "expected a non-empty layer name");
  read_inputs(n, l, names, previous);
  if (!l.name.empty() && !names.insert(l.name).second)
    n.error_at("name", "duplicate layer name '" + l.name + "'");
  if (!n.has("op"))
    n.error_at("op",
               "missing required key (expected one of: " + core::enum_choices(kOpKinds) + ")");
  l.op = n.get_enum("op", kOpKinds, OpKind::conv);
  read_densities(n, l.density);
  l.precision =
      n.has("precision") ? read_precision(n.child("precision"), net_precision) : net_precision;
  LayerShape& s = l.shape;

  if (l.op == OpKind::gemm) {
    n.allow_keys({"name", "op", "inputs", "gemm", "precision", "ifmap_density", "weight_density",
                  "ofmap_density", "nm_sparsity", "zero_filters", "zero_channels"});
    read_gemm(n, s);
    return l;
  }
  if (l.op == OpKind::act_matmul) {
    read_act_matmul(n, l);
    return l;
  }
  if (states_size(l.op))
    n.allow_keys({"name", "op", "inputs", "C", "M", "H", "W", "P", "Q", "precision",
                  "ifmap_density", "weight_density", "ofmap_density", "nm_sparsity", "zero_filters",
                  "zero_channels"});
  else
    n.allow_keys({"name",
                  "op",
                  "inputs",
                  "C",
                  "M",
                  "H",
                  "W",
                  "R",
                  "S",
                  "stride",
                  "padding",
                  "dilation",
                  "groups",
                  "precision",
                  "ifmap_density",
                  "weight_density",
                  "ofmap_density",
                  "nm_sparsity",
                  "zero_filters",
                  "zero_channels"});
  const bool mac = does_macs(l.op);
  const bool fc = l.op == OpKind::fc;
  s.C = n.require_int("C", 1, kMaxDim);
  s.M = mac ? n.require_int("M", 1, kMaxDim) : n.get_int("M", s.C, 1, kMaxDim);
  s.H = fc ? n.get_int("H", 1, 1, kMaxDim) : n.require_int("H", 1, kMaxDim);
  s.W = n.get_int("W", s.H, 1, kMaxDim);
  if (states_size(l.op)) {
    if (!states_channels(l.op)) s.M = s.C;
    s.P = n.get_int("P", s.H, 1, kMaxDim);
    s.Q = n.get_int("Q", n.has("P") ? s.P : s.W, 1, kMaxDim);
    check_elements(n, s);
    return l;
  }
  s.R = n.get_int("R", 1, 1, kMaxDim);
  s.S = n.get_int("S", s.R, 1, kMaxDim);
  std::tie(s.stride_h, s.stride_w) = n.get_pair("stride", {1, 1}, 1, kMaxDim);
  const Padding pad = read_padding(n);
  s.pad_h = pad.top;
  s.pad_w = pad.left;
  std::tie(s.dilation_h, s.dilation_w) = n.get_pair("dilation", {1, 1}, 1, kMaxDim);
  s.groups = n.get_int("groups", 1, 1, kMaxDim);
  if (fc) {
    // A fully-connected layer sees its whole input as one window: C·H·W features.
    const auto features = core::checked_product({s.C, s.H, s.W});
    if (!features || *features > kMaxLayerMacs)
      n.error("C·H·W = " +
              std::to_string(static_cast<double>(static_cast<long double>(s.C) * s.H * s.W)) +
              " input features, more than Loom's limit of 1e15 elements (check the shape)");
    s.C = features && *features <= kMaxLayerMacs ? *features : 1;
    s.H = s.W = 1;
    if (s.R != 1 || s.S != 1) n.error_at("R", "a fc layer has no filter window (omit R and S)");
  }
  if (s.C % s.groups != 0)
    n.error_at("groups", "C = " + std::to_string(s.C) +
                             " is not divisible by groups = " + std::to_string(s.groups));
  if (mac && s.M % s.groups != 0)
    n.error_at("groups", "M = " + std::to_string(s.M) +
                             " is not divisible by groups = " + std::to_string(s.groups));
  if (l.op == OpKind::global_avgpool) {
    s.R = s.H;
    s.S = s.W;
  }
  s.P = window_output_size(s.H, s.R, s.stride_h, pad.top, pad.bottom, s.dilation_h);
  s.Q = window_output_size(s.W, s.S, s.stride_w, pad.left, pad.right, s.dilation_w);
  if (s.P < 1 || s.Q < 1)
    n.error("the filter window (R = " + std::to_string(s.R) + ", S = " + std::to_string(s.S) +
            ") does not fit the padded input (H = " + std::to_string(s.H) +
            ", W = " + std::to_string(s.W) + ")");
  if (!mac) s.M = s.C;
  // Counts are 64-bit integers; a shape this large is a typo, and must not overflow silently.
  const long double macs = static_cast<long double>(s.M) * s.P * s.Q * s.C * s.R * s.S;
  if (macs > kMaxLayerMacs)
    n.error("the layer has " + std::to_string(static_cast<double>(macs)) +
            " MACs per image, more than Loom's limit of 1e15 (check the shape)");
  check_elements(n, s);

  // Refine the op so reports name what the layer is; a stated kind must match its shape.
  const bool is_depthwise = s.groups > 1 && s.groups == s.C && s.M % s.C == 0;
  if (l.op == OpKind::conv && is_depthwise)
    l.op = OpKind::depthwise;
  else if (l.op == OpKind::conv && s.R == 1 && s.S == 1 && s.groups == 1)
    l.op = OpKind::pointwise;
  if (l.op == OpKind::depthwise && !is_depthwise)
    n.error_at("groups", "a depthwise layer needs groups = C (and M a multiple of C)");
  if (l.op == OpKind::pointwise && (s.R != 1 || s.S != 1 || s.groups != 1))
    n.error_at("op", "a pointwise layer needs R = S = 1 and groups = 1");
  return l;
}

// The structure of a MAC layer's zero weights (docs/workloads.md): `nm_sparsity: [N, M]` with
// 1 <= N < M, and counts of all-zero filters and input channels, fewer than M and C.
void read_sparsity(const ConfigNode& n, Layer& l) {
  WeightSparsity& w = l.sparsity;
  for (const char* key : {"nm_sparsity", "zero_filters", "zero_channels"})
    if (n.has(key) && !does_macs(l.op)) {
      n.error_at(key, "only layers with MACs have weights");
      return;
    }
  if (n.has("nm_sparsity")) {
    const auto v = n.get_int_list("nm_sparsity", 1, 1024);
    if (v.size() != 2 || v[0] >= v[1])
      n.error_at("nm_sparsity", "expected [N, M] with 1 <= N < M (at most N nonzeros in M)");
    else
      w = {static_cast<int>(v[0]), static_cast<int>(v[1])};
  }
  w.zero_filters = n.get_int("zero_filters", 0, 0, std::max<std::int64_t>(l.shape.M - 1, 0));
  w.zero_channels = n.get_int("zero_channels", 0, 0, std::max<std::int64_t>(l.shape.C - 1, 0));
}

Layer read_layer(const ConfigNode& n, Precision net_precision, std::set<std::string>& names,
                 const std::string& previous) {
  Layer l = read_layer_shape(n, net_precision, names, previous);
  if (n.is_map()) read_sparsity(n, l);
  return l;
}

}  // namespace

namespace {

// A workload file may derive from another network (`base:`) instead of listing layers. Bases
// may chain; a depth limit turns a cycle into an error instead of a stack overflow.
constexpr int kMaxBaseDepth = 8;

Network parse(std::string_view text, const std::string& file_name,
              const WorkloadImporters& importers, int depth) {
  const ConfigNode root = ConfigNode::parse(text, file_name);
  Network net;
  if (!root.allow_keys(
          {"name", "description", "source", "precision", "layers", "base", "transforms"}))
    root.finish();
  net.name = root.require_string("name");
  net.source = root.get_string("source", "");
  const Transforms transforms =
      root.has("transforms") ? read_transforms(root.child("transforms")) : Transforms{};
  if (root.has("base")) {
    if (root.has("layers")) root.error_at("base", "give either base or layers, not both");
    if (root.has("precision"))
      root.error_at("precision", "with base, set precision through transforms.precision");
    const std::string base = root.get_string("base", "");
    root.finish();
    if (depth >= kMaxBaseDepth)
      throw Error(Diagnostic{
          file_name, "base", root.child("base").line(),
          "more than " + std::to_string(kMaxBaseDepth) + " nested bases (is there a cycle?)"});
    Network b;
    if (zoo_has(base)) {
      b = zoo_load(base);
    } else {
      const auto path = std::filesystem::path(file_name).parent_path() / base;
      const std::string ext = core::to_lower(path.extension().string());
      if (ext == ".yaml" || ext == ".yml")
        b = parse(core::read_text_file(path), path.string(), importers, depth + 1);
      else
        b = load_workload(path.string(), importers);
    }
    b.name = net.name;
    if (!net.source.empty()) b.source = net.source;
    return apply_transforms(b, transforms);
  }
  Precision p;
  if (root.has("precision")) p = read_precision(root.child("precision"), p);
  if (!root.has("layers")) root.error_at("layers", "missing required key (expected a list)");
  std::set<std::string> names;
  const std::vector<ConfigNode> items =
      root.has("layers") ? root.child("layers").items() : std::vector<ConfigNode>{};
  for (const auto& item : items)
    net.layers.push_back(
        read_layer(item, p, names, net.layers.empty() ? "" : net.layers.back().name));
  default_ofmap_densities(net.layers, items);
  for (std::size_t i = 1; i < net.layers.size(); ++i)
    if (!items[i].has("inputs")) check_chain(items[i], net.layers[i - 1], net.layers[i]);
  if (root.has("layers") && net.layers.empty())
    root.error_at("layers", "expected at least one layer");
  root.finish();
  return apply_transforms(net, transforms);
}

}  // namespace

Network parse_workload_yaml(std::string_view text, const std::string& file_name,
                            const WorkloadImporters& importers) {
  return parse(text, file_name, importers, 0);
}

Network load_workload_yaml(const std::filesystem::path& path, const WorkloadImporters& importers) {
  return parse_workload_yaml(core::read_text_file(path), path.string(), importers);
}

}  // namespace loom::workloads
