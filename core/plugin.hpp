// SPDX-License-Identifier: Apache-2.0
#pragma once
// Plugins: the optional parts of Loom (core/features.hpp) as shared libraries beside the `loom`
// executable, lib<name>.so, loaded the first time a command needs one. So the analytical
// commands start without SystemC, Verilator, protobuf or MPI in the process, and one `loom`
// command still offers everything the build has. A plugin comes from the same build as the
// executable (its types are Loom's own, same layout); it exports one C function returning its
// table of entry points. Loaded plugins stay loaded until the process ends.
#include <string_view>

#include "core/features.hpp"

namespace loom::core {

// The address of `entry` in plugin `name` (lib<name>.so in the executable's folder). Throws
// loom::Error naming the file and the loader's reason when it cannot be loaded.
[[nodiscard]] void* plugin_entry(std::string_view name, const char* entry);

// Throws loom::Error when this build left `part` out: "<what> needs <option>, which this build of
// Loom leaves out: reconfigure with -D<option>=ON (Debian packages: ...)". The CLI exits 2.
void require(const features::Part& part, std::string_view what);

}  // namespace loom::core
