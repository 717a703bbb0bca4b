// SPDX-License-Identifier: Apache-2.0
#include "fuzz/fuzz_input.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>

namespace loom::fuzz {
namespace {

struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/loom-fuzz-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) bug("cannot create a scratch folder");
    dir = pattern;
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

}  // namespace

std::filesystem::path scratch_dir() {
  static const Scratch scratch;
  return scratch.dir;
}

std::filesystem::path scratch_file(std::string_view name, std::string_view bytes) {
  const std::filesystem::path path = scratch_dir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) bug("cannot write a scratch file");
  return path;
}

void report_refusal(const Error& e) {
  static const bool verbose = std::getenv("LOOM_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
}

void bug(std::string_view what) {
  std::fprintf(stderr, "loom fuzz: BUG: %.*s\n", static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace loom::fuzz
