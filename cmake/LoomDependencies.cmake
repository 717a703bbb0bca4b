# Every dependency comes from a Debian 12 package; nothing is downloaded at build time.
find_package(PkgConfig REQUIRED)
find_package(yaml-cpp REQUIRED)          # libyaml-cpp-dev: all YAML input
find_package(Eigen3 3.3 REQUIRED NO_MODULE)  # libeigen3-dev: golden convolutions in tests
find_package(CLI11 CONFIG REQUIRED)      # libcli11-dev: the loom command line
find_package(fmt REQUIRED)               # libfmt-dev: console tables and messages
find_package(nlohmann_json 3 REQUIRED)   # nlohmann-json3-dev: summary.json
find_package(benchmark QUIET)            # libbenchmark-dev: bench/ (optional)
find_package(Threads REQUIRED)

# Optional parts. Each is ON by default when its Debian packages are installed and can be
# turned OFF even then; with all of them OFF, `loom` is the analytical tool alone (the commands it
# lacks name the option that enables them). In the default build they are plugins beside the
# `loom` executable, loaded by the commands that need them (cli/optional_commands.hpp).
#   LOOM_WITH_SIM   loom sim (SystemC: libsystemc-dev)
#   LOOM_WITH_RTL   loom cosim and loom sim --pe rtl (Verilator; needs LOOM_WITH_SIM)
#   LOOM_WITH_ONNX  .onnx workloads and loom import of them (libonnx-dev, libprotobuf-dev)
#   LOOM_WITH_MPI   loom sweep under mpirun (libopenmpi-dev)
#   LOOM_WITH_PYTHON the Python package `loom` (pybind11-dev, python3-dev)
# loom_optional(<option> <doc> <found> <packages>): ON by default when <found>; ON without the
# packages is an error naming them.
macro(loom_optional option doc found packages)
  if(${found})
    option(${option} "${doc}" ON)
  else()
    option(${option} "${doc}" OFF)
  endif()
  if(${option} AND NOT ${found})
    message(FATAL_ERROR "${option}=ON but its packages were not found (apt-get install ${packages})")
  endif()
  message(STATUS "Loom: ${option}=${${option}} (${doc})")
endmacro()

find_package(MPI QUIET COMPONENTS CXX)
loom_optional(LOOM_WITH_MPI "loom sweep under mpirun" MPI_CXX_FOUND libopenmpi-dev)

find_package(Protobuf QUIET)
find_package(ONNX QUIET)
if(Protobuf_FOUND AND ONNX_FOUND)
  set(_loom_onnx_found TRUE)
endif()
loom_optional(LOOM_WITH_ONNX "ONNX workloads" _loom_onnx_found "libonnx-dev libprotobuf-dev")

# SystemC (libsystemc-dev) has no CMake package on Debian: use its pkg-config file.
pkg_check_modules(SYSTEMC QUIET IMPORTED_TARGET systemc)
loom_optional(LOOM_WITH_SIM "loom sim, the SystemC simulator" SYSTEMC_FOUND libsystemc-dev)
if(LOOM_WITH_SIM)
  add_library(loom_systemc INTERFACE)
  add_library(loom::systemc ALIAS loom_systemc)
  target_link_libraries(loom_systemc INTERFACE PkgConfig::SYSTEMC)
  # Debian builds libsystemc as C++17; its link-time API check (sc_api_version_2_3_4_cxx201703L)
  # only matches C++20 translation units that claim the same standard.
  target_compile_definitions(loom_systemc INTERFACE SC_CPLUSPLUS=201703L)

  # Verilator's CMake package looks for SystemC through SYSTEMC_INCLUDE / SYSTEMC_LIBDIR (in
  # 5.006 only verilator_link_systemc() does; loom_verilated_library links loom::systemc
  # instead); set them from pkg-config so a bare `cmake -S . -B build` works without environment
  # variables. Debian's systemc.pc names its library directory `libarchdir`, not `libdir`.
  # Normal variables, not cache entries: pkg_check_modules(SYSTEMC) above already cached an
  # (empty) SYSTEMC_LIBDIR and SYSTEMC_INCLUDEDIR, so a set(... CACHE) of the same names would do
  # nothing.
  pkg_get_variable(_loom_sc_libdir systemc libarchdir)
  if(NOT _loom_sc_libdir)
    pkg_get_variable(_loom_sc_libdir systemc libdir)
  endif()
  pkg_get_variable(_loom_sc_incdir systemc includedir)
  set(ENV{SYSTEMC_INCLUDE} "${_loom_sc_incdir}")
  set(ENV{SYSTEMC_LIBDIR} "${_loom_sc_libdir}")
  set(SYSTEMC_INCLUDE "${_loom_sc_incdir}")
  set(SYSTEMC_LIBDIR "${_loom_sc_libdir}")
  find_package(verilator QUIET HINTS /usr/share/verilator $ENV{VERILATOR_ROOT})
endif()
if(LOOM_WITH_RTL AND NOT LOOM_WITH_SIM)
  message(FATAL_ERROR "LOOM_WITH_RTL=ON needs LOOM_WITH_SIM=ON (the RTL runs in the simulator)")
endif()
loom_optional(LOOM_WITH_RTL "loom cosim and loom sim --pe rtl (Verilator)" verilator_FOUND
              "verilator libsystemc-dev")
if(LOOM_WITH_RTL)
  include(${CMAKE_CURRENT_LIST_DIR}/LoomVerilate.cmake)
endif()

# The Python package (python/): pybind11 over Debian's /usr/bin/python3 (the interpreter its
# python3-pybind11, python3-pytest and python3-numpy packages serve), not whichever python3 is
# first on PATH; -DPython3_EXECUTABLE=... chooses another.
if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python3_EXECUTABLE /usr/bin/python3)
endif()
find_package(Python3 QUIET COMPONENTS Interpreter Development.Module)
if(Python3_FOUND)
  set(PYBIND11_FINDPYTHON ON)
  set(Python_EXECUTABLE ${Python3_EXECUTABLE})  # pybind11 looks for `Python`: the same one
  find_package(pybind11 CONFIG QUIET)
endif()
if(Python3_FOUND AND pybind11_FOUND)
  set(_loom_python_found TRUE)
endif()
loom_optional(LOOM_WITH_PYTHON "the Python package loom (docs/python.md)" _loom_python_found
              "pybind11-dev python3-dev")

# The plugins and the Python extension (MODULE libraries) carry copies of the static Loom libraries they use, which must
# then be position-independent. -fno-semantic-interposition keeps the code as fast as the
# position-independent executable code it replaces: calls within a library stay direct and
# inlinable, as nothing interposes Loom's own functions.
if(LOOM_WITH_SIM OR LOOM_WITH_RTL OR LOOM_WITH_ONNX OR LOOM_WITH_MPI OR LOOM_WITH_PYTHON)
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  add_compile_options(-fno-semantic-interposition)
endif()

# HDF5 C++ API as one target, linked from Debian's static archives (libhdf5-dev ships them):
# the shared libhdf5 pulls in about 30 libraries (libcurl and its TLS, Kerberos and LDAP
# stack, for a remote-file driver Loom never uses) whose loading took most of a `loom run`'s
# start-up; the archives need only szip (libaec, also static) and zlib. FindHDF5 still gives the
# include directory and definitions; the archives are looked up here, under names of our own,
# so that a build directory configured against the shared libraries switches too. The C++
# headers' H5F_ACC_* macros call the C library's H5check_version/H5open, so both archives come
# together, C++ first.
find_package(HDF5 REQUIRED COMPONENTS CXX)   # libhdf5-dev: results.h5
find_library(LOOM_HDF5_CPP_ARCHIVE NAMES libhdf5_serial_cpp.a libhdf5_cpp.a
             PATH_SUFFIXES hdf5/serial REQUIRED)
find_library(LOOM_HDF5_C_ARCHIVE NAMES libhdf5_serial.a libhdf5.a PATH_SUFFIXES hdf5/serial
             REQUIRED)
find_library(LOOM_SZ_ARCHIVE NAMES libsz.a REQUIRED)    # libaec-dev, with libhdf5-dev
find_library(LOOM_AEC_ARCHIVE NAMES libaec.a REQUIRED)
find_package(ZLIB REQUIRED)
# Debian builds these archives without -fPIC, so a plugin (a MODULE library, cmake/LoomTarget's
# loom_plugin) links the shared libraries instead: it is loaded only by the command that needs
# it, where their start-up cost does not matter.
set(_loom_hdf5_static ${LOOM_HDF5_CPP_ARCHIVE} ${LOOM_HDF5_C_ARCHIVE} ${LOOM_SZ_ARCHIVE}
                      ${LOOM_AEC_ARCHIVE} ZLIB::ZLIB ${CMAKE_DL_LIBS} m)
set(_loom_in_plugin "$<STREQUAL:$<TARGET_PROPERTY:TYPE>,MODULE_LIBRARY>")
add_library(loom_hdf5 INTERFACE)
add_library(loom::hdf5 ALIAS loom_hdf5)
target_link_libraries(loom_hdf5 INTERFACE
  "$<${_loom_in_plugin}:${HDF5_CXX_LIBRARIES}>"
  "$<$<NOT:${_loom_in_plugin}>:${_loom_hdf5_static}>")
target_include_directories(loom_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
target_compile_definitions(loom_hdf5 INTERFACE ${HDF5_DEFINITIONS})
