// SPDX-License-Identifier: Apache-2.0
#pragma once
// Running third-party code that trusts its input in a child process. HDF5 follows a damaged
// file's metadata and ONNX's shape inference indexes by a malformed graph's attributes: either
// can crash (SIGSEGV, SIGFPE) or loop forever on bad input, and no check Loom makes beforehand
// can rule that out. run_isolated() forks; the child runs `work` under a CPU-time cap (CPU, not
// wall time, so a loaded machine does not trip it) and sends back the string `work` returns.
// The parent never runs the untrusted code itself, so the worst a bad input can do is be refused.
#include <functional>
#include <string>

namespace loom::core {

enum class IsolatedStatus {
  ok,             // output holds work's result
  refused,        // work threw loom::Error; output holds its message
  crashed,        // killed by a signal other than the CPU cap
  cpu_limit,      // killed at the CPU-time cap
  out_of_memory,  // std::bad_alloc
  failed,         // another exception; output holds its what()
};

struct IsolatedResult {
  IsolatedStatus status = IsolatedStatus::ok;
  std::string output;
};

// If the process cannot fork, `work` runs in this process (a crash then ends it, as it would
// without isolation). The child's stderr goes to /dev/null: the caller explains the failure.
[[nodiscard]] IsolatedResult run_isolated(const std::function<std::string()>& work,
                                          unsigned cpu_seconds);

}  // namespace loom::core
