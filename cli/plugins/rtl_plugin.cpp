// SPDX-License-Identifier: Apache-2.0
// libloom_plugin_rtl.so (LOOM_WITH_RTL): the Verilated PE for `loom sim --pe rtl` and the
// co-simulation behind `loom cosim` (cli/optional_commands.hpp).
#include "cli/optional_commands.hpp"
#include "rtl/cosim.hpp"
#include "rtl/verilated_pe.hpp"

// As in sim_plugin.cpp: libsystemc.so's main() needs an sc_main, never called.
extern "C" int sc_main(int, char**) { return 1; }

extern "C" const loom::cli::RtlPlugin* loom_rtl_plugin() {
  static const loom::cli::RtlPlugin table{&loom::rtl::make_verilated_pe, &loom::rtl::run_cosim,
                                          &loom::rtl::format_cosim};
  return &table;
}
