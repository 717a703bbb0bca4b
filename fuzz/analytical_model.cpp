// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the analytical model on parsed inputs, as `loom run` evaluates them. The input is
// an accelerator YAML, a line `%%`, and a workload YAML. Every MAC layer is mapped by a brief
// search (16 mappings, seed 1, one thread) and, where the family has one, by the closed form;
// both results must satisfy run_invariants.hpp, and the search must be deterministic.
#include "arch/accelerator.hpp"
#include "dataflow/family.hpp"
#include "explore/evaluate.hpp"
#include "fuzz/fuzz_input.hpp"
#include "fuzz/run_invariants.hpp"
#include "workloads/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace loom;
  const auto text = fuzz::text_of(data, size);
  const auto split = text.find("\n%%\n");
  if (split == std::string_view::npos) return 0;
  fuzz::refuse_only([&] {
    const auto acc = arch::parse_accelerator_yaml(text.substr(0, split), "fuzz_arch.yaml");
    arch::check_dataflow_fits(acc);
    const auto net = workloads::parse_workload_yaml(text.substr(split + 4), "fuzz_net.yaml");
    explore::RunOptions searched;
    searched.mapper.budget = 16;
    searched.mapper.threads = 1;
    const auto run = explore::evaluate_network(net, acc, searched);
    fuzz::check_run(run);
    fuzz::require(
        explore::evaluate_network(net, acc, searched).totals.energy_pj == run.totals.energy_pj,
        "the same search twice gives the same energy");
    if (dataflow::family_of(acc).has_closed_form()) {
      explore::RunOptions closed = searched;
      closed.search = false;
      fuzz::check_run(explore::evaluate_network(net, acc, closed));
    }
  });
  return 0;
}
