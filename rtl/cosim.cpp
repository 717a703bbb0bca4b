// SPDX-License-Identifier: Apache-2.0
#include "rtl/cosim.hpp"

#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "dataflow/systolic_axes.hpp"
#include "rtl/pe_cosim.hpp"
#include "rtl/verilated_array.hpp"

namespace loom::rtl {

CosimReport run_cosim(const CosimOptions& o) {
  Diagnostics diags;
  if (o.bits != 8 && o.bits != 4 && o.bits != 2)
    diags.add({"", "--bits", 0, "expected 8, 4 or 2, got " + std::to_string(o.bits)});
  if (!arch::is_systolic(o.dataflow))
    diags.add({"", "--dataflow", 0,
               "expected os, ws or is (the RTL array is systolic), got '" +
                   std::string(arch::dataflow_info(o.dataflow).name) + "'"});
  if (o.vectors < 1)
    diags.add({"", "--vectors", 0, "expected an integer >= 1, got " + std::to_string(o.vectors)});
  bool size_ok = false;
  for (const auto& [r, c] : VerilatedArray::sizes()) size_ok = size_ok || (r == o.rows && c == o.cols);
  if (!size_ok)
    diags.add({"", "--rows/--cols", 0,
               "the RTL array is verilated at 4x4 and 8x8, got " + std::to_string(o.rows) + "x" +
                   std::to_string(o.cols)});
  diags.throw_if_any();

  CosimReport rep;
  const bool os = dataflow::systolic_axes(o.dataflow).outputs_stay();
  rep.pe = run_pe_cosim({.kind = RtlPe::bitfusion,
                         .fault = o.fault,
                         .mode = os ? sim::PeMode::output_stationary
                                    : sim::PeMode::stationary_operand,
                         .operand_bits = o.bits,
                         .vectors = o.vectors,
                         .seed = o.seed});
  rep.array = run_array_cosim({.rows = o.rows,
                               .cols = o.cols,
                               .dataflow = o.dataflow,
                               .operand_bits = o.bits,
                               .fault = o.fault,
                               .gemms = 1,
                               .min_cycles = o.vectors,
                               .seed = o.seed,
                               .systemc = true});
  rep.vectors = rep.pe.vectors + rep.array.counts.vectors;
  rep.mismatches = rep.pe.mismatches + rep.array.counts.mismatches + rep.array.output_errors;
  const double s = rep.pe.seconds + rep.array.counts.seconds;
  rep.cycles_per_s = s > 0 ? static_cast<double>(rep.vectors) / s : 0;
  return rep;
}

std::string format_cosim(const CosimOptions& o, const CosimReport& r) {
  std::string s;
  const auto line = [&](const std::string& text) { s += text + "\n"; };
  const char* df = arch::dataflow_info(o.dataflow).name.data();
  char buf[256];
  std::snprintf(buf, sizeof buf, "pe: %s %d-bit, %lld vectors, %lld mismatches, %.3g vectors/s",
                df, o.bits, static_cast<long long>(r.pe.vectors),
                static_cast<long long>(r.pe.mismatches),
                r.pe.seconds > 0 ? static_cast<double>(r.pe.vectors) / r.pe.seconds : 0.0);
  line(buf);
  if (r.pe.first) line("pe: first mismatch: " + describe(*r.pe.first));
  const auto& a = r.array;
  std::snprintf(buf, sizeof buf,
                "array: %lldx%lld %s %d-bit, %lld GEMMs, %lld cycles, %lld mismatches, "
                "%lld of %lld outputs off the golden GEMM, %.3g cycles/s",
                static_cast<long long>(o.rows), static_cast<long long>(o.cols), df, o.bits,
                static_cast<long long>(a.gemms), static_cast<long long>(a.counts.vectors),
                static_cast<long long>(a.counts.mismatches),
                static_cast<long long>(a.output_errors),
                static_cast<long long>(a.outputs_checked),
                a.counts.seconds > 0 ? static_cast<double>(a.counts.vectors) / a.counts.seconds
                                     : 0.0);
  line(buf);
  if (a.counts.first) line("array: first mismatch: " + describe(*a.counts.first));
  std::snprintf(buf, sizeof buf, "vectors: %lld mismatches: %lld cycles_per_s: %.0f",
                static_cast<long long>(r.vectors), static_cast<long long>(r.mismatches),
                std::round(r.cycles_per_s));
  line(buf);
  return s;
}

}  // namespace loom::rtl
