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

// JSSC 2017, Table VI: VGG-16 conv layers, batch 3 -- a second measurement, used to check that
// nothing was tuned to AlexNet.
struct EyerissVgg16 {
  double frames_per_s = 0.7;
  double latency_ms = 4309.5;             // per batch
  double processing_latency_ms = 3755.2;  // if DRAM transfers were fully overlapped
  double power_mw = 236;
  double dram_mb = 321.1;   // per batch
  double glb_mb = 11035.8;  // per batch
};
inline constexpr EyerissVgg16 kEyerissVgg16{};

// Per layer (unverified: the primary table is an image, here as transcribed by FODLAM,
// github.com/cucapra/fodlam data/eyeriss-vgg16.csv, checked against its OCR text; CONV2-2's
// processing latency reads 1110.3 ms, above its total, and is taken as 810.3 like CONV1-2's).
// ifmap_zeros_pct is the measured fraction of zero ifmap values: Loom's ifmap densities.
struct EyerissVgg16Layer {
  std::string_view name;
  double latency_ms, processing_ms, active_pes, power_mw, glb_mb, dram_mb, ifmap_zeros_pct;
};
inline constexpr std::array<EyerissVgg16Layer, 13> kEyerissVgg16Layers{{
    {"conv1_1", 76.2, 38.0, 156, 247, 112.5, 15.4, 16.0},
    {"conv1_2", 910.3, 810.6, 156, 218, 2402.8, 54.0, 47.7},
    {"conv2_1", 470.3, 405.3, 150, 242, 1201.4, 33.4, 24.8},
    {"conv2_2", 894.3, 810.3, 156, 231, 2402.3, 48.5, 38.7},
    {"conv3_1", 241.1, 204.0, 156, 254, 607.4, 20.2, 39.7},
    {"conv3_2", 460.9, 408.1, 156, 235, 1214.8, 32.2, 58.1},
    {"conv3_3", 457.7, 408.1, 156, 233, 1214.8, 30.8, 58.7},
    {"conv4_1", 135.3, 105.1, 168, 278, 321.3, 17.8, 64.3},
    {"conv4_2", 254.8, 210.0, 168, 261, 643.7, 20.6, 74.7},
    {"conv4_3", 246.3, 210.0, 168, 240, 643.7, 22.8, 85.4},
    {"conv5_1", 54.3, 48.3, 168, 258, 90.0, 6.3, 79.4},
    {"conv5_2", 53.7, 48.5, 168, 236, 90.0, 5.7, 87.4},
    {"conv5_3", 53.7, 48.5, 168, 230, 90.0, 5.6, 88.5},
}};

// Chen, Emer, Sze, ISCA 2016, Sec. VI-B: at 256 PEs and equal storage area, on AlexNet's CONV
// layers, row-stationary is 1.4x to 2.5x more energy-efficient than the other dataflows.
inline constexpr double kIsca16RsAdvantageLow = 1.4;
inline constexpr double kIsca16RsAdvantageHigh = 2.5;

}  // namespace loom::validate
