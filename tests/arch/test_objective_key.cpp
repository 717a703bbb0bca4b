// SPDX-License-Identifier: Apache-2.0
// An accelerator's `objective:` key: the mapping objective runs use when the user names none
// (`loom run`/`map`/`sim` without --objective, the Python package with objective=None, a sweep
// without mapper.objective), as `schedule:` names the default schedule.
#include <catch2/catch.hpp>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "explore/run_request.hpp"
#include "sweep/spec.hpp"

using namespace loom;

namespace {

std::string arch_yaml(const std::string& objective_line) {
  return "name: t\nclock_mhz: 200\ndataflow: os\n" + objective_line +
         "pe_array: {rows: 4, cols: 4}\nlevels:\n  - {name: dram, kind: dram}\n"
         "  - {name: glb, kind: sram, size_kib: 64}\n";
}

std::string error_of(const std::string& yaml) {
  try {
    (void)arch::parse_accelerator_yaml(yaml, "a.yaml");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("an accelerator's objective is the one runs minimize when the user names none") {
  const auto plain = arch::parse_accelerator_yaml(arch_yaml(""), "a.yaml");
  CHECK(plain.objective == mapper::ObjectiveKind::edp);  // as before the key existed
  const auto acc = arch::parse_accelerator_yaml(arch_yaml("objective: total_energy\n"), "a.yaml");
  CHECK(acc.objective == mapper::ObjectiveKind::total_energy);

  explore::RunRequest request;  // what `loom run` and loom.run() send without --objective
  CHECK(request.objective.empty());
  CHECK(explore::objective_of(request, acc).kind == mapper::ObjectiveKind::total_energy);
  CHECK(explore::run_options(request, acc).mapper.objective.kind ==
        mapper::ObjectiveKind::total_energy);
  CHECK(explore::objective_of(request, plain).kind == mapper::ObjectiveKind::edp);
  request.objective = "latency";  // a named objective wins over the accelerator's
  CHECK(explore::objective_of(request, acc).kind == mapper::ObjectiveKind::latency);
  CHECK(explore::run_options(request, acc).mapper.objective.kind == mapper::ObjectiveKind::latency);
}

TEST_CASE("no shipped preset names an objective, so every preset's numbers stay as recorded") {
  for (const auto& preset : arch::preset_list()) {
    CAPTURE(preset.name);
    CHECK(arch::load_accelerator(preset.name).objective == mapper::ObjectiveKind::edp);
  }
}

TEST_CASE("a bad objective is refused with its file, key, line and the valid names") {
  CHECK(error_of(arch_yaml("objective: fastest\n")) ==
        "a.yaml:4 objective: unknown value 'fastest' (expected one of: energy, latency, edp, "
        "total_energy, total_edp)");
  // `weighted` needs weights, which an accelerator file does not state.
  CHECK(error_of(arch_yaml("objective: weighted\n")) ==
        "a.yaml:4 objective: weighted needs weights, which an accelerator does not state "
        "(expected one of: energy, latency, edp, total_energy, total_edp)");
  CHECK_THAT(error_of(arch_yaml("objective: [edp]\n")), Catch::Contains("a.yaml:4 objective"));
}

TEST_CASE("a sweep without mapper.objective maps for its base accelerator's objective") {
  const std::string spec = R"(name: s
workloads: [alexnet]
accelerator:
  name: base
  clock_mhz: 1000
  dataflow: ws
  objective: total_energy
  pe_array: {rows: 16, cols: 16}
  levels:
    - {name: dram, kind: dram}
    - {name: glb, kind: sram, holds: [ifmap, filter, ofmap], size_kib: 128}
axes:
  - {name: rows, set: [pe_array.rows], values: [8, 16]}
objectives: [energy]
strategy: {kind: grid}
)";
  CHECK(sweep::parse_sweep(spec, "s.yaml").mapper.objective.kind ==
        mapper::ObjectiveKind::total_energy);
  CHECK(
      sweep::parse_sweep(spec + "mapper: {objective: latency}\n", "s.yaml").mapper.objective.kind ==
      mapper::ObjectiveKind::latency);
}
