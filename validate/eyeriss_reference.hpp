// SPDX-License-Identifier: Apache-2.0
#pragma once
// Published Eyeriss figures that `loom validate eyeriss` compares against (reference figures:
// shared/reference/README.md). None of them is an input to any model constant: they are only
// ever compared with.
#include <array>
#include <string_view>

namespace loom::validate {

// Chen, Krishna, Emer, Sze, JSSC 52(1) 2017, Table / Sec. VI: AlexNet CONV1-CONV5, batch 4,
// 200 MHz, 1.0 V, measured on the chip.
struct EyerissAlexNetTotals {
  double latency_ms = 115.3;             // per batch, as measured
  double processing_latency_ms = 103.5;  // if DRAM transfers were fully overlapped
  double active_pes = 148;               // 88% of 168, averaged over the run
  double dram_mb = 15.4;                 // per batch, 16-bit words, after run-length compression
  double glb_mb = 208.5;                 // per batch
  double power_mw = 278;                 // chip (core) power, DRAM excluded
};
inline constexpr EyerissAlexNetTotals kEyerissAlexNet{};

// Per layer (the primary table is an image; the totals above agree with these rows).
struct EyerissAlexNetLayer {
  std::string_view name;
  double latency_ms, processing_ms, active_pes, power_mw, glb_mb, dram_mb;
};
inline constexpr std::array<EyerissAlexNetLayer, 5> kEyerissAlexNetLayers{{
    {"conv1", 20.9, 16.5, 154, 332, 18.5, 5.0},
    {"conv2", 41.9, 39.2, 135, 288, 77.6, 4.0},
    {"conv3", 23.6, 21.8, 156, 266, 50.2, 3.0},
    {"conv4", 18.4, 16.0, 156, 235, 37.4, 2.1},
    {"conv5", 10.5, 10.0, 156, 236, 24.9, 1.3},
}};

// JSSC 2017: VGG-16 conv layers, batch 3 -- a second measurement, used to check that nothing
// was tuned to AlexNet.
struct EyerissVgg16 {
  double frames_per_s = 0.7;
  double power_mw = 236;
  double dram_mb = 321.1;  // per batch
};
inline constexpr EyerissVgg16 kEyerissVgg16{};

// Chen, Emer, Sze, ISCA 2016, Sec. VI-B: at 256 PEs and equal storage area, on AlexNet's CONV
// layers, row-stationary is 1.4x to 2.5x more energy-efficient than the other dataflows.
inline constexpr double kIsca16RsAdvantageLow = 1.4;
inline constexpr double kIsca16RsAdvantageHigh = 2.5;

}  // namespace loom::validate
