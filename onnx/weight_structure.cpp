// SPDX-License-Identifier: Apache-2.0
// The structure of a layer's zero weights. N:M sparsity (NVIDIA's 2:4 of the Ampere sparse
// tensor cores, Mishra et al., "Accelerating Sparse Deep Neural Networks", arXiv 2104.08378,
// Sec. 3) groups consecutive weights along the reduction dimension, the input channels, at a
// fixed filter and window position; M in 4, 8, 16 covers the patterns hardware and pruning
// libraries use.
#include "onnx/weight_structure.hpp"

#include <algorithm>
#include <array>

namespace loom::onnx::detail {

double WeightMask::density() const {
  const auto n = std::count(nonzero.begin(), nonzero.end(), true);
  return nonzero.empty() ? 1.0 : static_cast<double>(n) / static_cast<double>(nonzero.size());
}

std::vector<bool> zero_filters(const WeightMask& w) {
  std::vector<bool> zero(static_cast<std::size_t>(w.filters), true);
  for (std::int64_t f = 0; f < w.filters; ++f)
    for (std::int64_t i = 0; i < w.channels * w.window && zero[static_cast<std::size_t>(f)]; ++i)
      if (w.nonzero[static_cast<std::size_t>(f * w.channels * w.window + i)])
        zero[static_cast<std::size_t>(f)] = false;
  return zero;
}

std::vector<bool> zero_channels(const WeightMask& w) {
  // Input channel g·channels + c is read only by the filters of group g.
  std::vector<bool> zero(static_cast<std::size_t>(w.channels * w.groups), true);
  const std::int64_t per_group = w.filters / w.groups;
  for (std::int64_t f = 0; f < w.filters; ++f)
    for (std::int64_t c = 0; c < w.channels; ++c)
      for (std::int64_t k = 0; k < w.window; ++k)
        if (w.at(f, c, k)) zero[static_cast<std::size_t>(f / per_group * w.channels + c)] = false;
  return zero;
}

workloads::WeightSparsity weight_sparsity(const WeightMask& w) {
  workloads::WeightSparsity s;
  for (bool z : zero_filters(w)) s.zero_filters += z ? 1 : 0;
  for (bool z : zero_channels(w)) s.zero_channels += z ? 1 : 0;
  // The tightest pattern has the smallest N/M; among equal ones (2:4, 4:8) the smallest M,
  // which every larger one follows from.
  for (const int m : std::array{4, 8, 16}) {
    if (w.channels % m != 0) continue;
    int most = 0;
    for (std::int64_t f = 0; f < w.filters; ++f)
      for (std::int64_t k = 0; k < w.window; ++k)
        for (std::int64_t c0 = 0; c0 < w.channels; c0 += m) {
          int n = 0;
          for (std::int64_t c = c0; c < c0 + m; ++c) n += w.at(f, c, k) ? 1 : 0;
          most = std::max(most, n);
        }
    if (most < m && (s.nm_m == 0 || most * s.nm_m < s.nm_n * m)) {
      s.nm_n = most;
      s.nm_m = m;
    }
  }
  if (s.nm_n == 0) s.nm_m = 0;  // no nonzero weight at all: no pattern to report
  return s;
}

}  // namespace loom::onnx::detail
