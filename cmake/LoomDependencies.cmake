# Every dependency comes from a Debian 12 package; nothing is downloaded at build time.
find_package(PkgConfig REQUIRED)
find_package(yaml-cpp REQUIRED)          # libyaml-cpp-dev: all YAML input
find_package(Eigen3 3.3 REQUIRED NO_MODULE)  # libeigen3-dev: golden convolutions in tests
find_package(HDF5 REQUIRED COMPONENTS CXX)   # libhdf5-dev: results.h5
find_package(CLI11 CONFIG REQUIRED)      # libcli11-dev: the loom command line
find_package(fmt REQUIRED)               # libfmt-dev: console tables and messages
find_package(nlohmann_json 3 REQUIRED)   # nlohmann-json3-dev: summary.json
find_package(Protobuf REQUIRED)           # libprotobuf-dev: reading ONNX models (loom::onnx)
find_package(ONNX REQUIRED)              # libonnx-dev 1.12: ONNX protobuf types, shape inference
find_package(benchmark QUIET)            # libbenchmark-dev: bench/ (optional)
# libopenmpi-dev: `loom sweep` under mpirun (optional). Auto-detected; -DLOOM_WITH_MPI=OFF
# builds without it even when installed.
find_package(MPI QUIET COMPONENTS CXX)
if(MPI_CXX_FOUND)
  set(_loom_mpi_default ON)
else()
  set(_loom_mpi_default OFF)
endif()
option(LOOM_WITH_MPI "Build `loom sweep` with MPI (OpenMPI)" ${_loom_mpi_default})
if(LOOM_WITH_MPI AND NOT MPI_CXX_FOUND)
  message(FATAL_ERROR "LOOM_WITH_MPI=ON but no MPI was found (apt-get install libopenmpi-dev)")
endif()
message(STATUS "Loom: MPI for loom sweep: ${LOOM_WITH_MPI}")

# SystemC (libsystemc-dev) has no CMake package on Debian: use its pkg-config file.
pkg_check_modules(SYSTEMC REQUIRED IMPORTED_TARGET systemc)
add_library(loom_systemc INTERFACE)
add_library(loom::systemc ALIAS loom_systemc)
target_link_libraries(loom_systemc INTERFACE PkgConfig::SYSTEMC)
# Debian builds libsystemc as C++17; its link-time API check (sc_api_version_2_3_4_cxx201703L)
# only matches C++20 translation units that claim the same standard.
target_compile_definitions(loom_systemc INTERFACE SC_CPLUSPLUS=201703L)

# Verilator's CMake package looks for SystemC through SYSTEMC_INCLUDE / SYSTEMC_LIBDIR (in 5.006
# only verilator_link_systemc() does; loom_verilated_library links loom::systemc instead); set
# them from pkg-config so a bare `cmake -S . -B build` works without environment variables.
# Debian's systemc.pc names its library directory `libarchdir`, not `libdir`. Normal variables,
# not cache entries: pkg_check_modules(SYSTEMC) above already cached an (empty) SYSTEMC_LIBDIR
# and SYSTEMC_INCLUDEDIR, so a set(... CACHE) of the same names would do nothing.
pkg_get_variable(_loom_sc_libdir systemc libarchdir)
if(NOT _loom_sc_libdir)
  pkg_get_variable(_loom_sc_libdir systemc libdir)
endif()
pkg_get_variable(_loom_sc_incdir systemc includedir)
set(ENV{SYSTEMC_INCLUDE} "${_loom_sc_incdir}")
set(ENV{SYSTEMC_LIBDIR} "${_loom_sc_libdir}")
set(SYSTEMC_INCLUDE "${_loom_sc_incdir}")
set(SYSTEMC_LIBDIR "${_loom_sc_libdir}")
find_package(verilator REQUIRED HINTS /usr/share/verilator $ENV{VERILATOR_ROOT})
include(${CMAKE_CURRENT_LIST_DIR}/LoomVerilate.cmake)

# HDF5 C++ API as one target. CMake 3.25's FindHDF5 gives hdf5::hdf5_cpp without the C library
# (no hdf5::hdf5 target on Debian), yet the C++ headers' H5F_ACC_* macros call the C functions
# H5check_version/H5open directly, so linking it alone fails ("DSO missing from command line").
# HDF5::HDF5 carries libhdf5_cpp, libhdf5 and the include directory.
add_library(loom_hdf5 INTERFACE)
add_library(loom::hdf5 ALIAS loom_hdf5)
if(TARGET HDF5::HDF5)
  target_link_libraries(loom_hdf5 INTERFACE HDF5::HDF5)
else()
  target_link_libraries(loom_hdf5 INTERFACE ${HDF5_CXX_LIBRARIES} ${HDF5_LIBRARIES})
  target_include_directories(loom_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
endif()

find_package(Threads REQUIRED)
