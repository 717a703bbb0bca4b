# loom_verilated_library(<name> [SYSTEMC] SOURCES <file.sv>... [TOP_MODULE <m>] [PREFIX <V...>]
#                        [VERILATOR_ARGS <arg>...])
# Verilates RTL into its own static library so that:
#  - Verilator's generated code and runtime are compiled without Loom's warning flags (it is
#    not ours to fix, and -Werror in the dev preset would reject it);
#  - its headers reach consumers as SYSTEM includes, for the same reason;
#  - SystemC output is compiled with SC_CPLUSPLUS=201703L (via loom::systemc), which Debian's
#    C++17 libsystemc requires of every C++20 translation unit including systemc.h.
# Each library contains its own copy of the Verilator runtime: link at most one per executable.
# Calling it again with the same <name> (and a different PREFIX) adds another model to the same
# library, so one executable can hold several models over a single runtime.
function(loom_verilated_library name)
  cmake_parse_arguments(ARG "SYSTEMC" "TOP_MODULE;PREFIX" "SOURCES;VERILATOR_ARGS" ${ARGN})
  if(NOT TARGET ${name})
    add_library(${name} STATIC)
  endif()
  set(mode)
  if(ARG_SYSTEMC)
    set(mode SYSTEMC)
    target_link_libraries(${name} PUBLIC loom::systemc)
  endif()
  set(extra)
  if(ARG_TOP_MODULE)
    list(APPEND extra TOP_MODULE ${ARG_TOP_MODULE})
  endif()
  if(ARG_PREFIX)
    list(APPEND extra PREFIX ${ARG_PREFIX})
  endif()
  if(ARG_VERILATOR_ARGS)
    list(APPEND extra VERILATOR_ARGS ${ARG_VERILATOR_ARGS})
  endif()
  verilate(${name} ${mode} SOURCES ${ARG_SOURCES} ${extra})
  get_target_property(incs ${name} INTERFACE_INCLUDE_DIRECTORIES)
  get_target_property(sys ${name} INTERFACE_SYSTEM_INCLUDE_DIRECTORIES)
  if(NOT sys)
    set(sys)
  endif()
  foreach(inc IN LISTS incs)
    if(NOT inc IN_LIST sys)
      set_property(TARGET ${name} APPEND PROPERTY INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${inc})
    endif()
  endforeach()
endfunction()
