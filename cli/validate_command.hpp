// SPDX-License-Identifier: Apache-2.0
#pragma once
// `loom validate all|NAME [--markdown]`: the validation suite (validate/targets.hpp) on the
// console, or as the README's Markdown table. Exit 0 when every `check` row is inside its band,
// 1 otherwise; an unknown target is a loom::Error (exit 2).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "validate/common.hpp"

namespace loom::cli {

struct ValidateArgs {
  std::string what;
  std::uint64_t budget = validate::kValidationBudget;
  std::uint64_t seed = 1;
  int threads = 0;
  bool markdown = false;
};

// Adds the `validate` subcommand, filling `args` when parsed.
CLI::App* add_validate_command(CLI::App& app, ValidateArgs& args);
int run_validate_command(const ValidateArgs& args);

}  // namespace loom::cli
