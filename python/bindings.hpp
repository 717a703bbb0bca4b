// SPDX-License-Identifier: Apache-2.0
#pragma once
// The parts of the extension module loom._core, each defined in its own file.
#include <pybind11/pybind11.h>

namespace loom::python {

namespace py = pybind11;

void bind_run(py::module_& m);    // bind_run.cpp
void bind_map(py::module_& m);    // bind_map.cpp
void bind_sweep(py::module_& m);  // bind_sweep.cpp

}  // namespace loom::python
