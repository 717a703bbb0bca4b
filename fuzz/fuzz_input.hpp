// SPDX-License-Identifier: Apache-2.0
#pragma once
// What every fuzz target shares. A target hands one input to a reader (or to the analytical
// model) the way the `loom` command would. The one acceptable failure is loom::Error, Loom's
// refusal of bad input (the command's exit 2). Anything else is a bug: another exception (the
// command's "internal error"), a crash, a sanitizer report, a hang, or a result that breaks a
// stated invariant. refuse_only() and require() turn the first two into an abort with a message,
// so that libFuzzer (or the replay driver under CTest) records the input.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace loom::fuzz {

[[nodiscard]] inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Writes `bytes` to `name` inside this process's scratch folder (created on first use under
// $TMPDIR, removed at exit) and returns the file's path: for readers that take a path.
std::filesystem::path scratch_file(std::string_view name, std::string_view bytes);
[[nodiscard]] std::filesystem::path scratch_dir();

[[noreturn]] void bug(std::string_view what);
// Prints the refusal when LOOM_FUZZ_VERBOSE is set (to see why a seed is refused).
void report_refusal(const Error& e);

inline void require(bool holds, std::string_view invariant) {
  if (!holds) bug(invariant);
}

template <class Work>
void refuse_only(Work&& work) {
  try {
    work();
  } catch (const Error& e) {
    report_refusal(e);  // a clean refusal: what bad input should get
  } catch (const std::exception& e) {
    bug(std::string("an exception other than loom::Error (the CLI's internal error): ") + e.what());
  } catch (...) {
    bug("an exception that is not a std::exception");
  }
}

}  // namespace loom::fuzz
