# Every dependency comes from a Debian 12 package; nothing is downloaded at build time.
find_package(PkgConfig REQUIRED)
find_package(yaml-cpp REQUIRED)          # libyaml-cpp-dev: all YAML input
find_package(Eigen3 3.3 REQUIRED NO_MODULE)  # libeigen3-dev: golden convolutions in tests
find_package(HDF5 REQUIRED COMPONENTS CXX)   # libhdf5-dev: results.h5
find_package(CLI11 CONFIG REQUIRED)      # libcli11-dev: the loom command line
find_package(fmt REQUIRED)               # libfmt-dev: console tables and messages
find_package(nlohmann_json 3 REQUIRED)   # nlohmann-json3-dev: summary.json
find_package(benchmark QUIET)            # libbenchmark-dev: bench/ (optional)

# SystemC (libsystemc-dev) has no CMake package on Debian: use its pkg-config file.
pkg_check_modules(SYSTEMC REQUIRED IMPORTED_TARGET systemc)
add_library(loom_systemc INTERFACE)
add_library(loom::systemc ALIAS loom_systemc)
target_link_libraries(loom_systemc INTERFACE PkgConfig::SYSTEMC)
# Debian builds libsystemc as C++17; its link-time API check (sc_api_version_2_3_4_cxx201703L)
# only matches C++20 translation units that claim the same standard.
target_compile_definitions(loom_systemc INTERFACE SC_CPLUSPLUS=201703L)

# Verilator's CMake package needs SYSTEMC_INCLUDE / SYSTEMC_LIBDIR for SystemC output; set them
# from pkg-config so a bare `cmake -S . -B build` works without environment variables.
pkg_get_variable(_loom_sc_libdir systemc libdir)
pkg_get_variable(_loom_sc_incdir systemc includedir)
set(ENV{SYSTEMC_INCLUDE} "${_loom_sc_incdir}")
set(ENV{SYSTEMC_LIBDIR} "${_loom_sc_libdir}")
set(SYSTEMC_INCLUDE "${_loom_sc_incdir}" CACHE PATH "SystemC headers (from pkg-config)")
set(SYSTEMC_LIBDIR "${_loom_sc_libdir}" CACHE PATH "SystemC library dir (from pkg-config)")
find_package(verilator REQUIRED HINTS /usr/share/verilator $ENV{VERILATOR_ROOT})

find_package(Threads REQUIRED)
