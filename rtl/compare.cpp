// SPDX-License-Identifier: Apache-2.0
#include "rtl/compare.hpp"

namespace loom::rtl {

std::string describe(const Mismatch& m) {
  std::string s;
  if (m.gemm >= 0) s += "gemm " + std::to_string(m.gemm) + " ";
  s += "cycle " + std::to_string(m.cycle) + " PE (" + std::to_string(m.row) + ", " +
       std::to_string(m.col) + ") " + m.field + ": rtl " + std::to_string(m.rtl) + " model " +
       std::to_string(m.model);
  return s;
}

void compare_pe(const sim::PeOut& rtl, const sim::PeOut& model, sim::PeMode mode,
                const Mismatch& where, CosimCounts& counts) {
  const auto check = [&](const char* field, std::int64_t r, std::int64_t m) {
    if (r == m) return;
    ++counts.mismatches;
    if (counts.first) return;
    Mismatch x = where;
    x.field = field;
    x.rtl = r;
    x.model = m;
    counts.first = x;
  };
  check("a", rtl.a, model.a);
  check("b", rtl.b, model.b);
  if (mode == sim::PeMode::output_stationary) check("hold", rtl.hold, model.hold);
  else check("psum", rtl.psum, model.psum);
}

}  // namespace loom::rtl
