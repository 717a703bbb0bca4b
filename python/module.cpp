// SPDX-License-Identifier: Apache-2.0
// The extension module loom._core; the package's Python face is loom/__init__.py.
#include "python/bindings.hpp"
#include "python/convert.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "Loom's analytical model, mapper and sweeps (use the `loom` package)";
  loom::python::register_errors(m);
  loom::python::bind_run(m);
  loom::python::bind_map(m);
  loom::python::bind_sweep(m);
}
