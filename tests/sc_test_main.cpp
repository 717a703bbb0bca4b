// SPDX-License-Identifier: Apache-2.0
// Catch2 runner for SystemC suites. libsystemc's own main() sets up the kernel and calls
// sc_main, so Catch runs inside it. Elaboration happens once per process: each TEST_CASE must
// run in its own process, which catch_discover_tests arranges (one ctest entry per TEST_CASE).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>

int sc_main(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }
