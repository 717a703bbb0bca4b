// SPDX-License-Identifier: Apache-2.0
#include "cli/validate_command.hpp"

#include <fmt/core.h>

#include <cstdio>

#include "cli/flag_checks.hpp"
#include "cli/progress_line.hpp"
#include "validate/targets.hpp"

namespace loom::cli {

CLI::App* add_validate_command(CLI::App& app, ValidateArgs& args) {
  std::string names = "all";
  for (const auto& t : validate::targets()) names += ", " + std::string(t.name);
  auto* cmd = app.add_subcommand(
      "validate", "Run published experiments and print Loom beside each figure, with its error");
  cmd->add_option("what", args.what, "Target: " + names)->required();
  cmd->add_option("--budget", args.budget,
                  "Mappings the mapper evaluates per layer in the searched comparisons (targets "
                  "checked as a plain loom run keep its defaults)")
      ->capture_default_str()
      ->check(integer_in<std::uint64_t>(1));
  cmd->add_option("--seed", args.seed, "Mapper seed of the searched comparisons")
      ->capture_default_str()
      ->check(integer_in<std::uint64_t>(0));
  cmd->add_option("--threads", args.threads, "Mapper threads (0: all cores)")
      ->check(integer_in<int>(0));
  cmd->add_flag("--markdown", args.markdown,
                "Print the README's validation table (check and known-gap rows) instead");
  return cmd;
}

int run_validate_command(const ValidateArgs& args) {
  std::vector<const validate::Target*> chosen;
  if (args.what == "all")
    for (const auto& t : validate::targets()) chosen.push_back(&t);
  else
    chosen.push_back(&validate::find_target(args.what));
  mapper::MapperOptions opt;
  opt.budget = args.budget;
  opt.seed = args.seed;
  opt.threads = args.threads;
  ProgressLine progress;
  std::string section;
  if (progress.on())
    opt.on_progress = [&](const mapper::Progress& p) {
      progress.show(
          fmt::format("{}: mapping, {} evaluated, {} valid", section, p.evaluated, p.valid));
    };
  std::vector<validate::Row> rows;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    section = fmt::format("[{}/{}] {}", i + 1, chosen.size(), chosen[i]->name);
    progress.show(section, true);
    auto part = chosen[i]->rows(opt);
    rows.insert(rows.end(), part.begin(), part.end());
  }
  progress.clear();
  const auto text = args.markdown ? validate::format_markdown(rows) : validate::format_text(rows);
  std::fputs(text.c_str(), stdout);
  return validate::all_checks_pass(rows) ? 0 : 1;
}

}  // namespace loom::cli
