// SPDX-License-Identifier: Apache-2.0
#pragma once
// Internal to loom::onnx: the state of one import. Tensors are tracked by name with their
// static shape, their value when it is a small constant (folded shape arithmetic), the
// initializer that holds them (weights: only dims are read), and the layer that writes them.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "onnx/weight_structure.hpp"
#include "workloads/network.hpp"

namespace loom::onnx::detail {

using Dims = std::vector<std::int64_t>;

struct Tensor {
  Dims shape;
  bool integer = false;                        // integer element type: Div truncates
  std::optional<std::vector<double>> value;    // a folded constant, row-major
  const ::onnx::TensorProto* proto = nullptr;  // an initializer or Constant holding it
  std::string producer;                        // the layer writing it; empty if none
  int bits = 0;  // width of its quantized integer values (int8 → 8); 0 = not quantized
  // Which values of a dequantized constant are nonzero (a value at its zero point is a zero),
  // row-major; null when unknown.
  std::shared_ptr<const std::vector<bool>> nonzero;
  [[nodiscard]] bool constant() const { return value.has_value() || proto != nullptr; }
  [[nodiscard]] std::int64_t elements() const;
};

// Cap on what is decoded for folding: shape vectors and small index tensors, not weights.
inline constexpr std::int64_t kMaxFoldedElements = 1 << 20;
// Cap on weights decoded to count their zeros (64 M elements, 512 MB of doubles at most).
inline constexpr std::int64_t kMaxCountedElements = std::int64_t{1} << 26;
// The values of a TensorProto as doubles; nullopt for types or storage it cannot read, and for
// tensors of more than `max_elements`.
std::optional<std::vector<double>> decode(const ::onnx::TensorProto& t,
                                          std::int64_t max_elements = kMaxFoldedElements);
bool is_integer_type(int onnx_elem_type);
// Bits of an integer element type (INT8 → 8); 0 for floating-point and other types.
int integer_bits(int onnx_elem_type);
// Why a tensor's stored data does not match its dims (negative dims, raw_data shorter or longer
// than dims × element size, typed values of the wrong count); nullopt if it is consistent.
std::optional<std::string> storage_problem(const ::onnx::TensorProto& t);
// Refuses, before ONNX's own shape inference reads the model, what would make that inference
// crash or compute nonsense: a missing or unknown opset, operators Loom does not import, window
// attributes out of range (stride 0), tensors whose data length contradicts their dims, and
// graph input sizes beyond kMaxDim. Throws an Error naming the file and the node or tensor.
void validate_model(const ::onnx::ModelProto& model, const std::string& file);
using workloads::kMaxDim;
// numpy-style broadcast of two shapes; nullopt if incompatible.
std::optional<Dims> broadcast(const Dims& a, const Dims& b);
std::string dims_text(const Dims& d);

// Thrown by Importer::run() when the model turns out to be sequence-first: PyTorch's
// nn.MultiheadAttention (batch_first=False, its default) takes its tokens as [L, B, d], so the
// batch is the token input's second dimension. The caller imports again with batch_axis 1.
struct SequenceFirst {};

class Importer {
 public:
  // `batch_axis`: which dimension of the first graph input is the batch (0, or 1 for a
  // sequence-first model); other graph inputs keep theirs leading.
  Importer(const ::onnx::ModelProto& model, std::string file, int batch_axis = 0);
  workloads::Network run();
  // The weights of the MAC layers run() imported, by layer name (those it could read).
  [[nodiscard]] const std::map<std::string, WeightMask>& weight_masks() const { return masks_; }
  // The layers writing the graph's outputs (after run()).
  [[nodiscard]] std::set<std::string> output_layers() const;

 private:
  using Node = ::onnx::NodeProto;
  [[noreturn]] void fail(const Node& n, const std::string& message) const;
  void node(const Node& n);
  const Tensor& in(const Node& n, int i) const;
  [[nodiscard]] bool has_in(const Node& n, int i) const;
  std::vector<double> values(const Node& n, int i, const char* what) const;
  void out(const Node& n, int i, Tensor t);
  workloads::Layer& layer(const Node& n, workloads::OpKind op, const std::string& suffix = "");
  // A tensor's dims as N, C (every dim between the first and the last two), H, W; a leading
  // dim other than the model's batch folds into C.
  void dims_into(workloads::LayerShape& s, const Dims& d) const;
  // A stated-size op: its input dims, and its output's channels, height and width as M, P, Q.
  void sized_into(workloads::LayerShape& s, const Dims& in, const Dims& out) const;
  std::vector<std::string> producers(const Node& n) const;

  bool fold(const Node& n);  // shape arithmetic on constants; false if not all constant
  void conv(const Node& n, int weight = 1);
  void pool(const Node& n, int weight = 1);
  void gemm(const Node& n);
  void matmul(const Node& n, int b = 1);
  // A MatMul of two run-time tensors (ops_mac.cpp): an act_matmul.
  void act_matmul(const Node& n, int b_index, const Dims& batch, std::int64_t m, std::int64_t k,
                  std::int64_t cols, const Dims& shape);
  // `total` rows of a matrix product as images (the model's batch) × rows per image.
  struct Rows {
    std::int64_t images = 1, per_image = 1;
  };
  [[nodiscard]] Rows rows_of(std::int64_t total) const;
  // Quantized graphs (ops_quant.cpp): Q/DQ pass through with their bits; the integer and
  // QLinear operators become MAC layers with their operands' bits and weight density.
  void quantize(const Node& n);
  void qonnx_quant(const Node& n);  // Quant, BipolarQuant, Trunc
  // Writes output 0 of a quantizing node: `t` at `bits`; a MAC layer writing the quantized
  // tensor gets those output bits.
  void quantized_out(const Node& n, Tensor t, int bits);
  void dequantize(const Node& n);
  void quantized_mac(const Node& n);
  // The MAC layer `l`'s bits and weight density from its activation input `x` and its weight
  // input `w` (when that is a constant): the tensors' quantized widths and nonzero values.
  void quantization_into(workloads::Layer& l, const Node& n, int x, int w);
  // Records the MAC layer `l`'s nonzero weights (`nonzero`, over the weight input `w`'s dims)
  // filter by filter, and the structure found in them.
  void weights_into(workloads::Layer& l, const Node& n, int w, const std::vector<bool>& nonzero);
  void elementwise(const Node& n, workloads::OpKind op);
  void same_shape(const Node& n, workloads::OpKind op);
  void concat(const Node& n);
  void split(const Node& n);
  void slice(const Node& n);
  void gather(const Node& n);  // of a run-time tensor at constant indices: a selection
  void view(const Node& n);    // Reshape, Flatten, Squeeze, Unsqueeze, Transpose
  void pad(const Node& n);
  void resize(const Node& n);
  void reduce_mean(const Node& n);
  // Transformer exports (ops_transformer.cpp): true if `n` was one of their operators.
  bool transformer_op(const Node& n);
  void expand(const Node& n);
  void select(const Node& n);  // Equal, Or, And, Not, Where: folded on constants, else recorded
  void trilu(const Node& n);   // folded on constants, else recorded as a `where`
  // A recorded non-MAC layer writing output 0 of `shape` (at `bits`; 0 = not quantized).
  void recorded(const Node& n, workloads::OpKind op, const Dims& shape, int bits);

  Dims view_shape(const Node& n) const;
  Dims squeeze_axes(const Node& n, bool squeeze) const;

  const ::onnx::ModelProto& model_;
  std::string file_;
  std::map<std::string, Tensor> tensors_;
  std::map<std::string, WeightMask> masks_;
  std::map<std::string, Dims> inferred_;  // ONNX shape inference, fully known shapes only
  std::set<std::string> names_;
  workloads::Network net_;
  std::size_t index_ = 0;                 // of the node being imported, for names and messages
  int batch_axis_ = 0;                    // of the first graph input (SequenceFirst)
  Dims first_input_;                      // the first graph input's dims
  std::int64_t batch_ = 1;                // the first graph input's batch dimension (1 if symbolic)
  std::set<std::int64_t> input_batches_;  // every graph input's batch dimension
};

// Attributes, by name, with defaults.
std::int64_t attr_int(const ::onnx::NodeProto& n, const char* name, std::int64_t fallback);
float attr_float(const ::onnx::NodeProto& n, const char* name, float fallback);
std::string attr_string(const ::onnx::NodeProto& n, const char* name, std::string fallback);
std::optional<Dims> attr_ints(const ::onnx::NodeProto& n, const char* name);
const ::onnx::TensorProto* attr_tensor(const ::onnx::NodeProto& n, const char* name);

}  // namespace loom::onnx::detail
