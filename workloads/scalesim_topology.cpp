// SPDX-License-Identifier: Apache-2.0
// SCALE-Sim v2 topology CSV import. Its conventions (see tests/data/scalesim/README.md):
// inputs are given pre-padded, outputs are ceil((H − R + stride) / stride) so partial windows
// count, batch is 1, a name containing "DP" marks a depthwise layer, and GEMM topologies carry
// "name, M, N, K" rows. Header text varies between its files, so the format is told apart by
// the number of columns only.
#include <charconv>

#include "core/csv.hpp"
#include "core/error.hpp"
#include "workloads/network.hpp"

namespace loom::workloads {
namespace {

std::int64_t field_int(const core::CsvTable& t, const core::CsvRow& row, std::size_t i) {
  const std::string& s = row.fields[i];
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v < 1 || v > kMaxDim)
    throw Error(Diagnostic{
        t.file, "column '" + t.header.fields[i] + "'", row.line,
        "expected an integer > 0 and <= " + std::to_string(kMaxDim) + ", got '" + s + "'"});
  return v;
}

std::int64_t ceil_window(std::int64_t in, std::int64_t k, std::int64_t stride) {
  return (in - k + stride + stride - 1) / stride;
}

}  // namespace

Network load_scalesim_topology(const std::filesystem::path& path) {
  const core::CsvTable t = core::read_csv(path);
  const std::size_t cols = t.header.fields.size();
  const bool gemm = cols == 4;
  if (!gemm && cols != 8)
    throw Error(Diagnostic{
        t.file, "header", t.header.line,
        "expected 8 columns (Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter "
        "Width, Channels, Num Filter, Strides) or 4 columns (Layer name, M, N, K), got " +
            std::to_string(cols)});
  Network net;
  net.name = path.stem().string();
  net.source = "SCALE-Sim topology " + path.filename().string();
  for (const auto& row : t.rows) {
    // More fields than the header names would be dropped silently: refuse them too.
    if (row.fields.size() != cols)
      throw Error(Diagnostic{t.file, "", row.line,
                             "expected " + std::to_string(cols) + " columns, got " +
                                 std::to_string(row.fields.size())});
    Layer l;
    l.name = row.fields[0];
    if (l.name.empty())
      throw Error(Diagnostic{t.file, "Layer name", row.line, "expected a non-empty layer name"});
    LayerShape& s = l.shape;
    if (gemm) {
      l.op = OpKind::gemm;
      s.H = s.P = field_int(t, row, 1);
      s.M = field_int(t, row, 2);
      s.C = field_int(t, row, 3);
    } else {
      s.H = field_int(t, row, 1);
      s.W = field_int(t, row, 2);
      s.R = field_int(t, row, 3);
      s.S = field_int(t, row, 4);
      s.C = field_int(t, row, 5);
      s.M = field_int(t, row, 6);
      s.stride_h = s.stride_w = field_int(t, row, 7);
      if (s.R > s.H || s.S > s.W)
        throw Error(Diagnostic{t.file, l.name, row.line,
                               "filter " + std::to_string(s.R) + "x" + std::to_string(s.S) +
                                   " is larger than the ifmap " + std::to_string(s.H) + "x" +
                                   std::to_string(s.W)});
      s.P = ceil_window(s.H, s.R, s.stride_h);
      s.Q = ceil_window(s.W, s.S, s.stride_w);
      const bool fc = s.H == 1 && s.W == 1 && s.R == 1 && s.S == 1;
      if (l.name.find("DP") != std::string::npos) {
        l.op = OpKind::depthwise;
        s.groups = s.C;
        if (s.M % s.C != 0)
          throw Error(Diagnostic{t.file, l.name, row.line,
                                 "a depthwise (DP) layer needs Num Filter a multiple of Channels, "
                                 "got " +
                                     std::to_string(s.M) + " and " + std::to_string(s.C)});
      } else {
        l.op = fc ? OpKind::fc : (s.R == 1 && s.S == 1 ? OpKind::pointwise : OpKind::conv);
      }
    }
    if (static_cast<long double>(s.M) * s.P * s.Q * s.C * s.R * s.S > kMaxLayerMacs ||
        static_cast<long double>(s.C) * s.H * s.W > kMaxLayerMacs)
      throw Error(Diagnostic{t.file, l.name, row.line,
                             "more than Loom's limit of 1e15 MACs or input elements in one layer "
                             "(check the shape)"});
    if (!net.layers.empty()) l.inputs = {net.layers.back().name};  // a chain, in file order
    net.layers.push_back(l);
  }
  if (net.layers.empty())
    throw Error(Diagnostic{t.file, "", t.header.line, "no layer rows after the header"});
  return net;
}

}  // namespace loom::workloads
