// SPDX-License-Identifier: Apache-2.0
#pragma once
// The parts of reading a sweep that need more than its own text: loading the workloads and base
// accelerators, applying every axis value to every base it meets, resolving algorithm layer
// keys, and checking that user-supplied accuracy covers every variant an objective or a
// constraint needs. Problems are recorded on `root` (file, key, line); the caller finishes.
#include <filesystem>

#include "core/config.hpp"
#include "sweep/spec.hpp"

namespace loom::sweep {

void read_accuracy(const core::ConfigNode& n, SweepSpec& spec);
void check_spec(const core::ConfigNode& root, SweepSpec& spec, const std::filesystem::path& dir);

}  // namespace loom::sweep
