// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a spatial array's microarchitecture adds to a layer's MAC steps, from counts of what the
// layer's run does (the nest analysis counts them in closed form, the simulator event by
// event; both hand them to array_overheads, so the two agree on the same mapping):
//  - a processing pass is one iteration of the shared levels' loops (the PEs run their own
//    loops to the end, then take new tiles). Each pass costs the controller's set-up
//    (noc.pass_setup_cycles), the MAC pipeline's fill and drain (pe.pipeline_stages - 1) and
//    the walk of its last partial sums along the chain of PEs that add them
//    (noc.psum_hop_cycles per hop); each layer loads its multicast tags/IDs once
//    (noc.layer_setup_cycles);
//  - every partial sum a PE receives (from its neighbour on the local psum link, or read back
//    from the buffer) takes its datapath noc.psum_accumulate_cycles, and every word written
//    into a single-port scratchpad takes its PE a cycle; the PEs run in lockstep, so the array
//    waits the per-PE average of these;
//  - each operand crosses its own bus (noc.<operand>_bus_bits), a multicast word once;
//    partial sums have one each way (drained out on the output network, read back in on the
//    input network, as Eyeriss's GON and GIN). The PEs' FIFOs let the buses run beside
//    compute, so the busiest bus bounds the layer's cycles instead of adding to them;
//  - a shared level whose banks are given whole to one operand (bank_layout: blocked, as
//    Eyeriss's GLB) serves each operand's stream to and from the PEs from one bank at a time:
//    its reads out, and for partial sums their writes in and read-backs, which conflict on
//    the bank's ports (a read-modify-write of one tile), move ports x word_bits bits a cycle.
//    Refills from DRAM and write-backs go to the other half of a double-buffered tile, other
//    banks. The busiest bank bounds the layer's cycles like a bus.
// Every default is ideal: zero cost, no bound. Costs only ever add cycles (the exact mapper's
// lower bounds stay admissible). Units: cycles, bits.
#include <array>
#include <cstdint>

#include "arch/accelerator.hpp"
#include "dataflow/mapping.hpp"

namespace loom::dataflow {

struct ArrayEvents {
  std::int64_t passes = 0;      // processing passes, all groups
  std::int64_t psum_chain = 1;  // PEs whose partial sums add into one output
  std::int64_t pes_used = 1;
  // Per operand, over its bus; for partial sums those drained out of the array (the output
  // network), with the ones read back in (the input network's psum bus) apart.
  std::array<double, arch::kOperands> bus_bits{};
  double psum_in_bits = 0;
  double psums_received = 0;      // partial sums PEs receive and add, all PEs
  double single_port_writes = 0;  // words written into single-port per-PE levels, all PEs
};

struct ArrayOverheads {
  double serial_cycles = 0;  // added to the MAC steps
  double bus_cycles = 0;     // the busiest bus's (or blocked bank's) time: a floor under the cycles
  friend bool operator==(const ArrayOverheads&, const ArrayOverheads&) = default;
};

// The noc level (the last one of kind noc), or -1.
[[nodiscard]] int noc_level(const arch::Accelerator& acc);
// PEs whose partial sums add into one output: the spatial factors of C, R and S.
[[nodiscard]] std::int64_t psum_chain(const Mapping& m);
// Cycles one pass costs beyond its MAC steps.
[[nodiscard]] std::int64_t pass_overhead_cycles(const arch::Accelerator& acc,
                                                std::int64_t psum_chain);
// Cycles a layer's configuration costs once, before its first pass.
[[nodiscard]] std::int64_t layer_setup_cycles(const arch::Accelerator& acc);
// Lockstep stall per PE for the per-word costs.
[[nodiscard]] double word_stall_cycles(const arch::Accelerator& acc, const ArrayEvents& e);
// Cycles the busiest operand's stream takes through its bank when its level is blocked.
[[nodiscard]] double blocked_bank_cycles(const arch::Accelerator& acc, const ArrayEvents& e);
[[nodiscard]] ArrayOverheads array_overheads(const arch::Accelerator& acc, const ArrayEvents& e);

}  // namespace loom::dataflow
