// SPDX-License-Identifier: Apache-2.0
// libloom_plugin_sim.so (LOOM_WITH_SIM): the SystemC simulator behind `loom sim`
// (cli/optional_commands.hpp).
#include "cli/optional_commands.hpp"
#include "simulate/simulate_group.hpp"
#include "simulate/simulate_network.hpp"

// libsystemc.so brings its own main() calling sc_main; loom keeps its own main (the simulator
// starts the SystemC kernel itself), so sc_main exists for the loader and is never called.
// C linkage, as libsystemc declares and calls it.
extern "C" int sc_main(int, char**) { return 1; }

extern "C" const loom::cli::SimPlugin* loom_sim_plugin() {
  static const loom::cli::SimPlugin table{
      &loom::simulate::check_simulable, &loom::simulate::simulate_network,
      &loom::simulate::write_sim_outputs, &loom::simulate::simulate_group,
      &loom::simulate::format_group};
  return &table;
}
