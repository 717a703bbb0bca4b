// SPDX-License-Identifier: Apache-2.0
// Speed of the Verilated RTL (issue 6): array cycles per second of the Verilated 8x8 (and 4x4)
// systolic array alone and in lockstep co-simulation with the array engine, and PE vectors per
// second of the Verilated Bit Fusion PE alone and against sim::CppPe.
#include <benchmark/benchmark.h>
#include <systemc>  // declares sc_main extern "C"

#include <random>
#include <vector>

#include "rtl/array_cosim.hpp"
#include "rtl/pe_cosim.hpp"
#include "rtl/verilated_array.hpp"
#include "rtl/verilated_pe.hpp"

namespace {

using namespace loom;

// Random edge stimulus, drawn once: what the array sees is irrelevant to its speed.
std::vector<sim::PeIn> random_inputs(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<sim::PeIn> in(n);
  for (auto& x : in) {
    x.a = static_cast<std::int32_t>(rng());
    x.b = static_cast<std::int32_t>(rng());
    x.psum = static_cast<std::int32_t>(rng());
    x.mac = rng() % 4 != 0;
    x.last = rng() % 8 == 0;
  }
  return in;
}

void BM_VerilatedArray(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  rtl::VerilatedArray array(n, n);
  array.reset({.mode = sim::PeMode::output_stationary, .accumulator_bits = 32});
  const auto in = random_inputs(static_cast<std::size_t>(n * n), 1);
  std::vector<sim::PeOut> out(in.size());
  std::int64_t cycles = 0;
  for (auto _ : state) {
    array.clock(in);
    array.read(out);
    ++cycles;
  }
  benchmark::DoNotOptimize(out.data());
  state.counters["cycles_per_s"] =
      benchmark::Counter(static_cast<double>(cycles), benchmark::Counter::kIsRate);
  state.SetLabel(std::to_string(n) + "x" + std::to_string(n) + " Verilated array, clock + read");
}
BENCHMARK(BM_VerilatedArray)->Arg(4)->Arg(8);

void BM_ArrayCosim(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  std::int64_t cycles = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    const auto r = rtl::run_array_cosim(
        {.rows = n, .cols = n, .gemms = 20, .seed = seed++, .systemc = false});
    cycles += r.counts.vectors;
  }
  state.counters["cycles_per_s"] =
      benchmark::Counter(static_cast<double>(cycles), benchmark::Counter::kIsRate);
  state.SetLabel(std::to_string(n) + "x" + std::to_string(n) +
                 " os 8-bit, RTL + engine in lockstep, every register compared");
}
BENCHMARK(BM_ArrayCosim)->Arg(4)->Arg(8)->Unit(benchmark::kMillisecond);

void BM_VerilatedPe(benchmark::State& state) {
  rtl::VerilatedPe pe({});
  pe.reset(1, {.mode = sim::PeMode::output_stationary, .accumulator_bits = 32,
               .operand_bits = 4});
  const auto in = random_inputs(1024, 2);
  sim::PeOut out;
  std::int64_t vectors = 0;
  for (auto _ : state) {
    for (const auto& x : in) pe.clock({&x, 1}, {&out, 1});
    vectors += static_cast<std::int64_t>(in.size());
  }
  benchmark::DoNotOptimize(out);
  state.counters["vectors_per_s"] =
      benchmark::Counter(static_cast<double>(vectors), benchmark::Counter::kIsRate);
  state.SetLabel("Bit Fusion PE, 4-bit, Verilated alone");
}
BENCHMARK(BM_VerilatedPe);

void BM_PeCosim(benchmark::State& state) {
  std::int64_t vectors = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    const auto r = rtl::run_pe_cosim(
        {.operand_bits = 4, .vectors = 100000, .seed = seed++, .corners = false});
    vectors += r.vectors;
  }
  state.counters["vectors_per_s"] =
      benchmark::Counter(static_cast<double>(vectors), benchmark::Counter::kIsRate);
  state.SetLabel("Bit Fusion PE, 4-bit, RTL + CppPe, every register compared");
}
BENCHMARK(BM_PeCosim)->Unit(benchmark::kMillisecond);

}  // namespace

// libsystemc provides main() and calls sc_main (loom::rtl links the SystemC array engine).
int sc_main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
