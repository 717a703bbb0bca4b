// SPDX-License-Identifier: Apache-2.0
#pragma once
// The values behind loom.Accelerator, loom.Workload and a run's result, and how a source (a
// preset or zoo name, a file path, or YAML text) becomes one. Loading goes through the same
// loaders as the CLI, so validation and error messages are the CLI's.
#include <string>

#include "arch/accelerator.hpp"
#include "explore/evaluate.hpp"
#include "workloads/network.hpp"

namespace loom::python {

struct Accelerator {
  arch::Accelerator acc;
  // Everything the accelerator was read from (its YAML text, or the file's), naming it in the
  // per-layer cache: equal identities are equal accelerators.
  std::string identity;
};

struct Workload {
  workloads::Network net;
};

struct RunOutput {
  explore::RunResult run;
};

// `text`: `source` is YAML (or JSON) text, reported as file `text_name` in errors; otherwise a
// preset/zoo name or a file path. Throw loom::Error as the CLI's loaders do.
Accelerator load_accelerator(const std::string& source, bool text, const std::string& text_name);
Workload load_workload(const std::string& source, bool text, const std::string& text_name);

}  // namespace loom::python
