// SPDX-License-Identifier: Apache-2.0
#include "dataflow/spatial_rules.hpp"

namespace loom::dataflow {
namespace {

constexpr std::uint8_t bits(std::initializer_list<Dim> ds) {
  std::uint8_t b = 0;
  for (Dim d : ds) b |= dim_bit(d);
  return b;
}

}  // namespace

SpatialRules spatial_rules(arch::Dataflow d) {
  SpatialRules r;
  switch (d) {
    case arch::Dataflow::rs:
      // Row-stationary (Chen, Emer, Sze, ISCA 2016, Sec. IV; JSSC 2017, Sec. III): a PE runs a
      // 1-D convolution of one filter row over one ifmap row (the filter row, S, whole in its
      // scratchpad); a logical PE set puts the R filter rows down the array's rows and the
      // output rows (P) across its columns, so psums add up vertically. Sets are folded
      // (output rows split across rows and columns, CONV2 of AlexNet) and replicated over
      // channels, filters or images to fill the array.
      r.rows = {SpatialSlot{dim_bit(Dim::R), true},
                SpatialSlot{bits({Dim::P, Dim::C, Dim::M, Dim::N}), false}};
      r.cols = {SpatialSlot{dim_bit(Dim::P), false},
                SpatialSlot{bits({Dim::C, Dim::M, Dim::N}), false}};
      r.whole_in_pe = dim_bit(Dim::S);
      break;
    case arch::Dataflow::spatial_ws:
      // Weight-stationary (ISCA 2016, Sec. V-A, after NeuFlow and nn-X): every PE holds distinct
      // weights, so only dimensions that index the filter are unrolled.
      r.rows = {SpatialSlot{bits({Dim::M, Dim::C, Dim::R, Dim::S}), false},
                SpatialSlot{bits({Dim::M, Dim::C, Dim::R, Dim::S}), false}};
      r.cols = r.rows;
      break;
    case arch::Dataflow::spatial_os:
      // Output-stationary (ISCA 2016, Sec. V-A, after ShiDianNao): every PE accumulates
      // distinct outputs, so only dimensions that index the ofmap are unrolled.
      r.rows = {SpatialSlot{bits({Dim::N, Dim::M, Dim::P, Dim::Q}), false},
                SpatialSlot{bits({Dim::N, Dim::M, Dim::P, Dim::Q}), false}};
      r.cols = r.rows;
      break;
    case arch::Dataflow::nlr:
      // No local reuse (ISCA 2016, Sec. V-A, after DianNao): input channels and filters across
      // the array, psums reduced spatially over C; PEs keep nothing (no per-PE levels).
      r.rows = {SpatialSlot{bits({Dim::C, Dim::M}), false}, SpatialSlot{}};
      r.cols = r.rows;
      break;
    default:
      // `spatial`: any one dimension per axis.
      r.rows = {SpatialSlot{kAllDims, false}, SpatialSlot{}};
      r.cols = r.rows;
      break;
  }
  return r;
}

}  // namespace loom::dataflow
