// SPDX-License-Identifier: Apache-2.0
// run_isolated: the child's result comes back through the pipe whatever its size; a crash, a
// loop and an exception in the child are told apart, and none of them reaches this process.
#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <new>
#include <stdexcept>

#include "core/error.hpp"
#include "core/isolated.hpp"

using namespace loom;
using core::IsolatedStatus;

TEST_CASE("run_isolated returns the child's result, larger than a pipe's buffer too") {
  const auto small = core::run_isolated([] { return std::string("shapes"); }, 5);
  CHECK(small.status == IsolatedStatus::ok);
  CHECK(small.output == "shapes");
  // 1 MiB: sixteen times Linux's default pipe buffer, so the parent must read while it waits.
  const auto large = core::run_isolated([] { return std::string(1 << 20, 'x'); }, 5);
  CHECK(large.status == IsolatedStatus::ok);
  CHECK(large.output.size() == (1u << 20));
}

TEST_CASE("run_isolated tells a refusal, a crash, a loop and other failures apart") {
  const auto refused = core::run_isolated(
      []() -> std::string {
        throw Error(Diagnostic{"f.h5", "points", 0, "no such table"});
      },
      5);
  CHECK(refused.status == IsolatedStatus::refused);
  CHECK(refused.output == "f.h5 points: no such table");

  const auto crashed = core::run_isolated(
      []() -> std::string {
        std::raise(SIGSEGV);
        return "unreachable";
      },
      5);
  CHECK(crashed.status == IsolatedStatus::crashed);

  // Spins on the CPU: the 1 s cap ends it (a wall-clock limit would not be deterministic).
  const auto looped = core::run_isolated(
      []() -> std::string {
        std::atomic<unsigned long> spins{0};  // atomic: the loop cannot be optimised away
        for (;;) spins.fetch_add(1, std::memory_order_relaxed);
      },
      1);
  CHECK(looped.status == IsolatedStatus::cpu_limit);

  const auto oom = core::run_isolated([]() -> std::string { throw std::bad_alloc(); }, 5);
  CHECK(oom.status == IsolatedStatus::out_of_memory);

  const auto failed =
      core::run_isolated([]() -> std::string { throw std::logic_error("stod"); }, 5);
  CHECK(failed.status == IsolatedStatus::failed);
  CHECK(failed.output == "stod");
}
