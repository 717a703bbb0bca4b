// SPDX-License-Identifier: Apache-2.0
#pragma once
// From Loom's C++ values to Python's: result tables as lists of dicts (one per row, keyed by
// the column names the CSV and HDF5 writers use, so they cannot drift apart), and loom::Error as
// the Python exception loom.Error carrying file, key and line. Call with the GIL held.
#include <pybind11/pybind11.h>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "explore/mapped_schedule.hpp"
#include "reports/result_table.hpp"
#include "workloads/network.hpp"

namespace loom::python {

namespace py = pybind11;

// One row as {column: value}: int64 cells as int, double cells as float, strings as str.
py::dict table_row(const reports::ResultTable& t, std::size_t row,
                   std::initializer_list<std::string_view> skip = {});
py::list table_rows(const reports::ResultTable& t);

// Every layer of `net` as a dict: name, op, macs, shape (N M C H W P Q R S, strides, groups),
// bit widths and densities.
py::list layer_dicts(const workloads::Network& net);

// A graph schedule as the dict yaml.safe_load gives for the schedule.yaml `loom map` writes:
// workload, accelerator, schedule ("graph"), objective, resident, groups (each with layers
// [first, last], tile_rows, halo, weights), dram_bytes, cycles, energy_pj.
py::dict schedule_dict(const explore::MappedSchedule& s, const std::string& workload,
                       const std::string& accelerator);

// Defines loom.Error (an Exception subclass with attributes message, file, key, line and
// diagnostics — every problem, as dicts) and translates loom::Error to it.
void register_errors(py::module_& m);

}  // namespace loom::python
