// SPDX-License-Identifier: Apache-2.0
#pragma once
// How much of the raw ifmap a tile of a systolic array's GEMM operand needs. The array reads
// im2col rows (output pixels n, p, q) by columns (taps c, r, s), but buffers and DRAM hold the
// raw N x C x H x W tensor: a tile of pixels [px0, px0 + px_len) by taps [k0, k0 + k_len) needs
// every distinct in-bounds input element one of its entries reads (zero padding is generated,
// never stored). Counted exactly, per group (channels of one group), without enumerating the
// tile: the pixel range splits into at most three row runs per image and the tap range into at
// most three filter-row runs per channel; images and channels wholly inside the ranges repeat
// the same geometry, so at most nine (image, channel) cases are counted, each row by row with
// bitsets. Cost O(H · W / 64) per case, no allocation beyond two small bitsets per call.
#include <cstdint>

#include "workloads/layer.hpp"

namespace loom::dataflow {

// Distinct raw ifmap elements (one group) read by im2col pixels [px0, px0 + px_len) and taps
// [k0, k0 + k_len). Ranges are clipped to N·P·Q and (C/groups)·R·S.
[[nodiscard]] std::int64_t raw_ifmap_elems(const workloads::LayerShape& s, std::int64_t px0,
                                           std::int64_t px_len, std::int64_t k0,
                                           std::int64_t k_len);

// Sum of raw_ifmap_elems over the tiles of u_px pixels by u_k taps that cover one group's GEMM
// (the tiles a buffer holding such tiles is filled with, each once).
[[nodiscard]] std::int64_t raw_ifmap_tile_sum(const workloads::LayerShape& s, std::int64_t u_px,
                                              std::int64_t u_k);

}  // namespace loom::dataflow
