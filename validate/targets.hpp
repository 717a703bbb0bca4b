// SPDX-License-Identifier: Apache-2.0
#pragma once
// The validation targets, one file each (validate/<target>.cpp), and the suite that lists them.
// A target runs Loom on a published experiment and returns its rows (validate/row.hpp): each
// published figure quoted with its source, Loom's value for the same experiment, band and
// status. Targets either use the validation search (the mapper options given, budget
// kValidationBudget unless changed) or exactly what a plain `loom run` uses (stated per target).
#include <string>
#include <string_view>
#include <vector>

#include "explore/evaluate.hpp"
#include "mapper/mapper.hpp"
#include "validate/row.hpp"
#include "workloads/network.hpp"

namespace loom::validate {

// The Eyeriss v1 chip (JSSC 2017) on AlexNet and VGG-16; the 45 nm design (info only).
std::vector<Row> eyeriss_rows(const mapper::MapperOptions& options);
// Its AlexNet rows alone (the chip's gated figures), on preset `preset` (eyeriss_micro: the
// chip's array microarchitecture).
std::vector<Row> eyeriss_alexnet_rows(const mapper::MapperOptions& options,
                                      std::string_view preset = "eyeriss");
// Its AlexNet rows with the chip's own mappings (JSSC 2017 Table III, as
// configs/mappings/eyeriss_alexnet_chip/) on preset `preset`: the model checked apart from the
// search. Every total is a check row; each layer is an info row.
std::vector<Row> eyeriss_chip_mapping_rows(std::string_view preset = "eyeriss_micro");
// Those mappings, parsed and checked against `net` (AlexNet's conv layers) on `acc`.
explore::MappingSet eyeriss_alexnet_chip_mappings(const arch::Accelerator& acc,
                                                  const workloads::Network& net);
// Its VGG-16 rows alone: conv layers at batch 3 with the chip's measured ifmap densities.
std::vector<Row> eyeriss_vgg16_rows(const mapper::MapperOptions& options,
                                    std::string_view preset = "eyeriss");
// VGG-16's conv layers at `batch` with the ifmap (and next-layer ofmap) densities Eyeriss
// measured (JSSC 2017, Table VI), as configs/workloads/eyeriss_vgg16.yaml states them.
workloads::Network eyeriss_vgg16(std::int64_t batch);
// ISCA 2016's dataflow comparison at 256 PEs.
std::vector<Row> isca16_rows(const mapper::MapperOptions& options);
// TPU v1 (ISCA 2017) on its production MLPs and LSTMs, as a plain `loom run`.
std::vector<Row> tpu_v1_rows(const mapper::MapperOptions& options);
// TPU v1's app `name` (mlp0, mlp1, lstm0, lstm1) at batch 1, as
// configs/workloads/tpu_v1_<name>.yaml; loom::Error for another name.
workloads::Network tpu_v1_app(const std::string& name);
// NVDLA at three sizes of the NVDLA Primer's table on ResNet-50, as a plain `loom run`.
std::vector<Row> nvdla_rows(const mapper::MapperOptions& options);
// Zhang et al.'s FPGA accelerator (FPGA 2015) on AlexNet's conv layers, as a plain `loom run`.
std::vector<Row> zhang_fpga15_rows(const mapper::MapperOptions& options);

struct Target {
  std::string_view name;
  std::string_view what;  // one line for `loom validate --help` and the console
  std::vector<Row> (*rows)(const mapper::MapperOptions& options);
};

// Every target, in the order `loom validate all` runs them.
const std::vector<Target>& targets();
// The target called `name`; loom::Error listing the valid names otherwise.
const Target& find_target(std::string_view name);

}  // namespace loom::validate
