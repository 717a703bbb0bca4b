// SPDX-License-Identifier: Apache-2.0
#include "core/plugin.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "core/error.hpp"

namespace loom::core {
namespace {

// Plugins sit beside the executable, wherever it was copied or called from.
std::filesystem::path executable_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path(".") : exe.parent_path();
}

}  // namespace

void* plugin_entry(std::string_view name, const char* entry) {
  const auto path = executable_dir() / ("lib" + std::string(name) + ".so");
  // RTLD_LOCAL: each plugin keeps its own copies of Loom's static libraries to itself.
  // dlopen counts references, so a second call returns the same handle.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr)
    throw Error(Diagnostic{path.string(), "", 0,
                           std::string("cannot load this part of Loom: ") + dlerror()});
  void* symbol = dlsym(handle, entry);
  if (symbol == nullptr)
    throw Error(
        Diagnostic{path.string(), "", 0, std::string("not a Loom plugin (no ") + entry + ")"});
  return symbol;
}

void require(const features::Part& part, std::string_view what) {
  if (part.built) return;
  throw Error(std::string(what) + " needs " + std::string(part.option) +
              ", which this build of Loom leaves out: reconfigure with -D" +
              std::string(part.option) + "=ON (Debian packages: " + std::string(part.packages) +
              ")");
}

}  // namespace loom::core
