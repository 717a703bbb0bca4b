// SPDX-License-Identifier: Apache-2.0
#pragma once
// Runs the built `loom` executable as a user would and captures its exit code and output.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

namespace loom_test {

struct Process {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// `env` ("NAME=value ..."), when not empty, is set for this run only.
inline Process run_loom_env(const std::string& env, const std::string& args) {
  const std::string cmd =
      (env.empty() ? "" : "env " + env + " ") + std::string(LOOM_BIN) + " " + args + " 2>&1";
  Process p;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return p;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) p.output.append(buf.data(), n);
  const int status = pclose(pipe);
  p.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return p;
}

inline Process run_loom(const std::string& args) { return run_loom_env("", args); }

// A fresh folder under the system temp dir, named after the test and the build that runs it
// (so that two checkouts' suites running at once on one machine never share a folder; a rerun
// of the same build reuses it).
inline std::filesystem::path scratch(const std::string& name) {
  const auto build = std::hash<std::string>{}(std::string(LOOM_BIN)) % 1000000;
  auto dir =
      std::filesystem::temp_directory_path() / ("loom_test_" + name + "_" + std::to_string(build));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace loom_test
