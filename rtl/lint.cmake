# SPDX-License-Identifier: Apache-2.0
# rtl_lint (CTest): `verilator --lint-only -Wall` on every top module the build verilates, with
# the same sources and parameters, real and altered. No waiver file: the RTL lints clean.
# Usage: cmake -DVERILATOR=<verilator> -DRTL_DIR=<rtl/> -P lint.cmake
cmake_minimum_required(VERSION 3.25)
set(pe "bitbrick.sv bf_fusion_unit.sv bf_pe.sv")
set(carry "bitbrick.sv bf_fusion_unit.sv faults/carry/bf_pe.sv")
set(split "bitbrick.sv faults/split/bf_fusion_unit.sv bf_pe.sv")
set(tops
  "mac_pe|mac_pe.sv|"
  "mac_pe|mac_pe.sv|-GOP_BITS=8 -GACC_BITS=24"
  "bitbrick|bitbrick.sv|"
  "bf_fusion_unit|bitbrick.sv bf_fusion_unit.sv|"
  "bf_pe|${pe}|"
  "bf_pe|${carry}|"
  "bf_pe|${split}|"
  "systolic_array|systolic_array.sv ${pe}|"
  "systolic_array|systolic_array.sv ${pe}|-GROWS=4 -GCOLS=4"
  "systolic_array|systolic_array.sv ${pe}|-GROWS=3 -GCOLS=5"
  "systolic_array|systolic_array.sv ${carry}|-GROWS=4 -GCOLS=4"
  "systolic_array|systolic_array.sv ${split}|-GROWS=8 -GCOLS=8")
set(failed 0)
foreach(entry IN LISTS tops)
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 top)
  list(GET parts 1 files)
  list(GET parts 2 params)
  string(REPLACE " " ";" files "${files}")
  string(REPLACE " " ";" params "${params}")
  execute_process(
    COMMAND ${VERILATOR} --lint-only -Wall --top-module ${top} ${params} ${files}
    WORKING_DIRECTORY ${RTL_DIR}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  string(REPLACE ";" " " shown "${files} ${params}")
  if(rc EQUAL 0)
    message(STATUS "lint clean: ${top} (${shown})")
  else()
    message(SEND_ERROR "lint failed: ${top} (${shown})\n${out}")
    set(failed 1)
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "rtl_lint: warnings above")
endif()
