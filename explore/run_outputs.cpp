// SPDX-License-Identifier: Apache-2.0
#include "explore/run_outputs.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/version.hpp"
#include "energy/static_power.hpp"
#include "reports/atomic_file.hpp"
#include "reports/console_table.hpp"
#include "reports/csv_writer.hpp"
#include "reports/hdf5_writer.hpp"
#include "reports/json_writer.hpp"

namespace loom::explore {
namespace {

using arch::Operand;
using reports::ColumnType;
using reports::ResultTable;

std::string op_name(workloads::OpKind op) {
  return std::string(core::enum_name(workloads::kOpKinds, op));
}

// Sum of a per-level quantity over a group's levels.
template <class PerLevel>
double group_sum(const std::vector<int>& members, PerLevel value) {
  double sum = 0;
  for (int i : members) sum += value(static_cast<std::size_t>(i));
  return sum;
}

// Level groups in order of first appearance, each with the indices of its levels.
std::vector<std::pair<std::string, std::vector<int>>> level_groups(const arch::Accelerator& acc) {
  std::vector<std::pair<std::string, std::vector<int>>> out;
  for (std::size_t i = 0; i < acc.levels.size(); ++i) {
    const auto& g = acc.levels[i].group;
    if (g.empty()) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == g; });
    if (it == out.end()) it = out.insert(out.end(), {g, {}});
    it->second.push_back(static_cast<int>(i));
  }
  return out;
}

// Fused layers by name: their 1-based group number.
std::map<std::string, int> fused_group_numbers(const RunResult& r) {
  std::map<std::string, int> out;
  if (!r.schedule) return out;
  for (std::size_t i = 0; i < r.schedule->group_of.size(); ++i)
    if (r.schedule->group_of[i] >= 0) out[r.network.layers[i].name] = r.schedule->group_of[i] + 1;
  return out;
}

std::string nm_text(const workloads::WeightSparsity& w) {
  return w.nm_m == 0 ? std::string{} : std::to_string(w.nm_n) + ":" + std::to_string(w.nm_m);
}

}  // namespace

ResultTable layers_table(const RunResult& r) {
  const auto& acc = r.accelerator;
  ResultTable t;
  const auto I = ColumnType::Int64;
  const auto D = ColumnType::Double;
  t.add_column("layer", "", ColumnType::String);
  t.add_column("op", "", ColumnType::String);
  t.add_column("macs", "MAC", I);
  t.add_column("total_cycles", "cycles", I);
  t.add_column("compute_cycles", "cycles", I);
  t.add_column("stall_cycles", "cycles", I);
  t.add_column("overall_util_pct", "%", D);
  t.add_column("mapping_efficiency_pct", "%", D);
  t.add_column("compute_util_pct", "%", D);
  t.add_column("active_pes", "PEs", D);
  t.add_column("sram_ifmap_reads", "elements", I);
  t.add_column("sram_filter_reads", "elements", I);
  t.add_column("sram_ofmap_writes", "elements", I);
  t.add_column("dram_ifmap_reads", "elements", I);
  t.add_column("dram_filter_reads", "elements", I);
  t.add_column("dram_ofmap_writes", "elements", I);
  t.add_column("energy_pj", "pJ", D);
  for (const auto& l : acc.levels) {
    t.add_column("bytes_" + l.name, "B", D);
    t.add_column("energy_pj_" + l.name, "pJ", D);
  }
  const auto groups = level_groups(acc);
  for (const auto& [g, members] : groups) {
    t.add_column("bytes_" + g, "B", D);
    t.add_column("energy_pj_" + g, "pJ", D);
  }
  t.add_column("sram_ofmap_reads", "elements", I);
  t.add_column("dram_ofmap_reads", "elements", I);
  t.add_column("folds", "", I);
  t.add_column("weight_bits", "bits", I);
  t.add_column("activation_bits", "bits", I);
  t.add_column("latency_s", "s", D);
  t.add_column("pj_per_mac", "pJ/MAC", D);
  t.add_column("energy_pj_mac", "pJ", D);
  t.add_column("gated_macs", "MAC", I);
  t.add_column("power_w", "W", D);
  t.add_column("effective_macs", "MAC", I);
  t.add_column("skipped_macs", "MAC", I);
  t.add_column("output_bits", "bits", I);
  t.add_column("macs_per_pe_cycle", "MAC", I);
  t.add_column("port_stall_cycles", "cycles", I);
  // The densities the model used (from the workload, its transforms, or an ONNX model's weights):
  // a fraction of nonzero values, 1 = dense.
  t.add_column("weight_density", "", D);
  t.add_column("ifmap_density", "", D);
  // The structure of the zero weights (workloads::WeightSparsity): "N:M" or empty, and the
  // all-zero filters and input channels.
  t.add_column("nm_sparsity", "", ColumnType::String);
  t.add_column("zero_filters", "filters", I);
  t.add_column("zero_channels", "channels", I);
  // The layer's shape (workloads/layer.hpp: C is all input channels, M all filters; per group
  // they are C/groups and M/groups), so a table is readable without the workload file.
  for (const char* dim : {"N", "M", "C", "P", "Q", "R", "S"}) t.add_column(dim, "", I);
  t.add_column("stride_h", "", I);
  t.add_column("stride_w", "", I);
  t.add_column("groups", "", I);
  // The exact search's certificate (docs/mapping.md): a number, 0 when proven optimal; empty
  // when no strategy proved a bound (random, genetic, a fixed or given mapping).
  t.add_column("optimality_gap_pct", "%", ColumnType::String);
  // Leakage and clock energy over the layer's cycles (docs/energy.md); energy_pj is dynamic.
  t.add_column("static_energy_pj", "pJ", D);
  t.add_column("total_energy_pj", "pJ", D);
  // The fused group the layer ran in (1-based, summary.json's schedule.groups), 0: none.
  t.add_column("group", "", I);
  const auto fused = fused_group_numbers(r);

  const energy::StaticPower static_power = energy::static_power(acc);
  const int d = acc.dram_level();
  for (const auto& lr : r.layers) {
    const auto& c = lr.counts;
    auto row = t.add_row();
    row.set("layer", lr.layer.name)
        .set("op", op_name(lr.layer.op))
        .set("macs", c.macs)
        .set("total_cycles", c.total_cycles)
        .set("compute_cycles", c.compute_cycles)
        .set("stall_cycles", c.stall_cycles)
        .set("overall_util_pct", c.overall_util_pct)
        .set("mapping_efficiency_pct", c.mapping_efficiency_pct)
        .set("compute_util_pct", c.compute_util_pct)
        .set("active_pes", c.active_pes)
        .set("sram_ifmap_reads", c.sram_ifmap_reads)
        .set("sram_filter_reads", c.sram_filter_reads)
        .set("sram_ofmap_writes", c.sram_ofmap_writes)
        .set("dram_ifmap_reads", c.access.at(d, Operand::ifmap).reads)
        .set("dram_filter_reads", c.access.at(d, Operand::filter).reads)
        .set("dram_ofmap_writes", c.access.at(d, Operand::ofmap).writes)
        .set("energy_pj", lr.energy.total_pj)
        .set("sram_ofmap_reads", c.sram_ofmap_reads)
        .set("dram_ofmap_reads", c.access.at(d, Operand::ofmap).reads)
        .set("folds", c.folds)
        .set("activation_bits", c.precision.activation_bits)
        .set("latency_s", static_cast<double>(c.total_cycles) / acc.clock_hz)
        .set("pj_per_mac", lr.energy.total_pj / static_cast<double>(c.macs))
        .set("energy_pj_mac", lr.energy.mac_pj)
        .set("gated_macs", c.gated_macs)
        .set("power_w",
             lr.energy.total_pj * 1e-12 / (static_cast<double>(c.total_cycles) / acc.clock_hz))
        .set("effective_macs", dataflow::performed_macs(c))
        .set("skipped_macs", c.skipped_macs)
        .set("port_stall_cycles", c.port_stall_cycles)
        .set("output_bits", c.precision.output_bits)
        .set("macs_per_pe_cycle", static_cast<std::int64_t>(c.macs_per_pe_cycle))
        .set("ifmap_density", lr.layer.density.ifmap)
        .set("nm_sparsity", nm_text(lr.layer.sparsity))
        .set("zero_filters", lr.layer.sparsity.zero_filters)
        .set("zero_channels", lr.layer.sparsity.zero_channels);
    // An act_matmul has no weights (its filter slot is an activation, priced at activation
    // bits): its weight columns stay 0, which reads as "none".
    if (workloads::has_weights(lr.layer.op))
      row.set("weight_bits", c.precision.weight_bits)
          .set("weight_density", lr.layer.density.weight);
    const auto& sh = lr.layer.shape;
    row.set("N", sh.N)
        .set("M", sh.M)
        .set("C", sh.C)
        .set("P", sh.P)
        .set("Q", sh.Q)
        .set("R", sh.R)
        .set("S", sh.S)
        .set("stride_h", sh.stride_h)
        .set("stride_w", sh.stride_w)
        .set("groups", sh.groups)
        .set("optimality_gap_pct",
             lr.optimality_gap_pct ? fmt::format("{}", *lr.optimality_gap_pct) : "");
    const double static_pj = static_power.energy_pj(c.total_cycles, acc.clock_hz);
    row.set("static_energy_pj", static_pj).set("total_energy_pj", lr.energy.total_pj + static_pj);
    const auto in_group = fused.find(lr.layer.name);
    row.set("group", std::int64_t{in_group == fused.end() ? 0 : in_group->second});
    for (std::size_t i = 0; i < acc.levels.size(); ++i) {
      row.set("bytes_" + acc.levels[i].name, c.access.bytes(static_cast<int>(i)));
      row.set("energy_pj_" + acc.levels[i].name, lr.energy.level_pj[i]);
    }
    for (const auto& [g, members] : groups) {
      row.set("bytes_" + g, group_sum(members, [&](std::size_t i) {
                return c.access.bytes(static_cast<int>(i));
              }));
      row.set("energy_pj_" + g,
              group_sum(members, [&](std::size_t i) { return lr.energy.level_pj[i]; }));
    }
  }
  return t;
}

ResultTable summary_table(const RunResult& r) {
  const auto& s = r.totals;
  ResultTable t;
  t.add_column("accelerator", "", ColumnType::String);
  t.add_column("workload", "", ColumnType::String);
  t.add_column("batch", "", ColumnType::Int64);
  t.add_column("macs", "MAC", ColumnType::Int64);
  t.add_column("cycles", "cycles", ColumnType::Int64);
  t.add_column("effective_macs", "MAC", ColumnType::Int64);
  const std::pair<const char*, const char*> doubles[] = {
      {"latency_s", "s"},        {"inferences_per_s", "1/s"}, {"effective_tops", "TOPS"},
      {"energy_pj", "pJ"},       {"pj_per_mac", "pJ/MAC"},    {"power_w", "W"},
      {"area_mm2", "mm2"},       {"edp_js", "J*s"},           {"utilization_pct", "%"},
      {"active_pes_avg", "PEs"}, {"static_energy_pj", "pJ"},  {"total_energy_pj", "pJ"},
      {"total_power_w", "W"}};
  for (const auto& [name, unit] : doubles) t.add_column(name, unit, ColumnType::Double);
  t.add_row()
      .set("accelerator", r.accelerator.name)
      .set("workload", r.network.name)
      .set("batch", r.batch)
      .set("macs", s.macs)
      .set("cycles", s.cycles)
      .set("effective_macs", s.effective_macs)
      .set("latency_s", s.latency_s)
      .set("inferences_per_s", s.inferences_per_s)
      .set("effective_tops", s.effective_tops)
      .set("energy_pj", s.energy_pj)
      .set("pj_per_mac", s.pj_per_mac)
      .set("power_w", s.power_w)
      .set("area_mm2", s.area_mm2)
      .set("edp_js", s.edp_js)
      .set("utilization_pct", s.utilization_pct)
      .set("active_pes_avg", s.active_pes_avg)
      .set("static_energy_pj", s.static_energy_pj)
      .set("total_energy_pj", s.total_energy_pj)
      .set("total_power_w", s.total_power_w);
  return t;
}

namespace {

// The graph schedule: where tensors stayed and each tensor's DRAM bytes (docs/schedule.md).
nlohmann::ordered_json schedule_json(const schedule::GraphSchedule& s,
                                     const workloads::Network& net, double dram_bytes) {
  nlohmann::ordered_json j;
  j["kind"] = "graph";
  if (!s.level.empty()) j["residency_level"] = s.level;  // absent: no level holds ifmaps
  j["dram_bytes"] = dram_bytes;
  j["layerwise_dram_bytes"] = s.layerwise_dram_bytes;
  // The memory plan's search (schedule/residency_search.hpp): optimal when the gap is 0.
  j["residency_search"] = {{"nodes", s.search.nodes},
                           {"complete", s.search.complete},
                           {"optimality_gap_pct", s.search.optimality_gap_pct}};
  // Fused groups (schedule/fusion.hpp): DRAM bytes saved against the same layers run whole
  // under the same residency.
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  for (std::size_t g = 0; g < s.groups.size(); ++g) {
    const auto& plan = s.groups[g];
    nlohmann::ordered_json o;
    nlohmann::ordered_json names = nlohmann::ordered_json::array();
    for (std::size_t k = plan.first; k <= plan.last; ++k) names.push_back(net.layers[k].name);
    o["group"] = g + 1;
    o["layers"] = names;
    o["tile_rows"] = plan.tile_rows;
    o["tiles"] = plan.tiles;
    o["halo"] = core::enum_name(schedule::kHaloPolicies, plan.halo);
    o["weights"] = plan.weights_resident ? "resident" : "refetched_per_tile";
    o["buffer_bytes"] = (plan.buffer_bits + plan.input_tile_bits) / 8;
    o["extra_macs"] = s.group_extra_macs[g];
    o["dram_bytes_saved"] = s.group_dram_saved_bytes[g];
    groups.push_back(std::move(o));
  }
  j["fusion_search"] = {{"groupings", s.fusion.groupings},
                        {"exhaustive", s.fusion.exhaustive},
                        {"rounds", s.fusion.rounds}};
  j["groups"] = groups;
  nlohmann::ordered_json resident = nlohmann::ordered_json::array();
  nlohmann::ordered_json spilled = nlohmann::ordered_json::array();
  nlohmann::ordered_json fused = nlohmann::ordered_json::array();
  nlohmann::ordered_json tensors = nlohmann::ordered_json::array();
  for (const auto& t : s.tensors) {
    const bool activation = t.kind == schedule::TensorKind::activation;
    if (activation && t.group > 0 && t.dram_write_bytes == 0)
      fused.push_back(t.name);  // lived on chip as tiles only
    else if (activation)
      (t.resident_in.empty() ? spilled : resident).push_back(t.name);
    nlohmann::ordered_json o;
    o["name"] = t.name;
    o["kind"] = core::enum_name(schedule::kTensorKinds, t.kind);
    o["bytes"] = t.bytes;
    if (!t.resident_in.empty()) o["resident_in"] = t.resident_in;  // absent: through DRAM
    if (t.group > 0) o["fused_in_group"] = t.group;
    if (activation) {
      o["first"] = t.first;
      o["last"] = t.last;
    }
    o["dram_read_bytes"] = t.dram_read_bytes;
    o["dram_write_bytes"] = t.dram_write_bytes;
    o["dram_psum_bytes"] = t.dram_psum_bytes;
    tensors.push_back(std::move(o));
  }
  j["resident"] = resident;
  j["spilled"] = spilled;
  j["fused"] = fused;
  j["tensors"] = tensors;
  return j;
}

// What the run was evaluated with; `loom run` with these, the accelerator and the workload
// repeats it (the mapper's result does not depend on its thread count).
nlohmann::ordered_json settings_json(const RunResult& r) {
  const auto& st = r.settings;
  nlohmann::ordered_json j;
  j["loom_version"] = kLoomVersion;
  j["search"] = st.search;
  j["mapping_files"] = st.given_mappings;
  j["budget"] = st.budget;
  j["seed"] = st.seed;
  j["objective"] = st.objective;
  j["strategy"] = st.strategy;
  j["schedule"] = st.schedule;
  return j;
}

}  // namespace

std::string summary_json_text(const RunResult& r) {
  const auto& acc = r.accelerator;
  nlohmann::ordered_json j;
  j["accelerator"] = acc.name;
  j["workload"] = r.network.name;
  j["batch"] = r.batch;
  j["dataflow"] = core::enum_name(arch::kDataflows, acc.dataflow);
  j["compat"] = core::enum_name(arch::kCompats, acc.compat);
  const auto totals = reports::to_json(summary_table(r));
  j["totals"] = totals.at(0);
  for (const char* k : {"accelerator", "workload", "batch"}) j["totals"].erase(k);
  nlohmann::ordered_json levels = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < acc.levels.size(); ++i)
    levels[acc.levels[i].name] = {{"bytes", r.level_bytes[i]}, {"energy_pj", r.energy.level_pj[i]}};
  for (const auto& [g, members] : level_groups(acc))
    levels[g] = {
        {"bytes", group_sum(members, [&](std::size_t i) { return r.level_bytes[i]; })},
        {"energy_pj", group_sum(members, [&](std::size_t i) { return r.energy.level_pj[i]; })},
        {"group_of", members.size()}};
  j["levels"] = levels;
  nlohmann::ordered_json eb = nlohmann::ordered_json::object();
  eb["mac"] = r.energy.mac_pj;
  for (int o = 0; o < arch::kOperands; ++o)
    eb[std::string(core::enum_name(arch::kOperandNames, static_cast<Operand>(o)))] =
        r.energy.operand_pj[o];
  j["energy_breakdown_pj"] = eb;
  nlohmann::ordered_json area = {{"pe_array", r.area.pe_array_mm2}};
  for (std::size_t i = 0; i < acc.levels.size(); ++i)
    if (acc.levels[i].kind == arch::LevelKind::sram) area[acc.levels[i].name] = r.area.level_mm2[i];
  j["area_breakdown_mm2"] = area;
  j["unmapped_layers"] = r.unmapped;
  if (r.schedule)
    j["schedule"] = schedule_json(*r.schedule, r.network, r.level_bytes[acc.dram_level()]);
  j["settings"] = settings_json(r);
  // Names from ONNX or CSV files may hold bytes that are not UTF-8: replaced, not thrown.
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

void write_run_outputs(const RunResult& r, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(Diagnostic{dir.string(), "-o", 0, "cannot create folder: " + ec.message()});
  const ResultTable layers = layers_table(r);
  const ResultTable summary = summary_table(r);
  // The three files appear together or not at all (reports::FileSet).
  reports::FileSet files;
  files.write(dir / "layers.csv", reports::to_csv(layers));
  files.write(dir / "summary.json", summary_json_text(r));
  const auto h5 = dir / "results.h5";
  // The run's metadata as file attributes (strings, as summary.json writes them).
  std::map<std::string, std::string> attributes{{"accelerator", r.accelerator.name},
                                                {"workload", r.network.name},
                                                {"batch", std::to_string(r.batch)}};
  // What a report of this run draws with (as a sweep's results.h5 has for its chosen point).
  const auto& acc = r.accelerator;
  attributes["clock_hz"] = fmt::format("{}", acc.clock_hz);
  attributes["peak_macs_per_cycle"] = std::to_string(acc.array.pes());
  std::string levels;
  for (const auto& l : acc.levels) levels += (levels.empty() ? "" : ",") + l.name;
  attributes["levels"] = levels;
  if (const int dram = acc.dram_level(); dram >= 0) {
    const auto& l = acc.levels[static_cast<std::size_t>(dram)];
    attributes["dram_level"] = l.name;
    attributes["dram_bytes_per_cycle"] = fmt::format("{}", l.bandwidth_bytes_per_cycle);
  }
  const auto settings = settings_json(r);
  for (const auto& [key, value] : settings.items())
    attributes[key] = value.is_string() ? value.get<std::string>() : value.dump();
  files.write(
      h5, reports::hdf5_image({{"layers", layers}, {"summary", summary}}, attributes, h5.string()));
  files.commit();
}

std::string format_run_console(const RunResult& r, bool layer_table) {
  const auto& acc = r.accelerator;
  ResultTable t;
  t.add_column("layer", "", ColumnType::String);
  t.add_column("op", "", ColumnType::String);
  t.add_column("macs", "M", ColumnType::Double);
  t.add_column("cycles", "", ColumnType::Int64);
  t.add_column("util", "%", ColumnType::Double);
  t.add_column("active_pes", "", ColumnType::Double);
  t.add_column("dram", "KiB", ColumnType::Double);
  t.add_column("energy", "uJ", ColumnType::Double);
  t.add_column("pj_per_mac", "pJ", ColumnType::Double);
  const int d = acc.dram_level();
  for (const auto& lr : r.layers)
    t.add_row()
        .set("layer", lr.layer.name)
        .set("op", op_name(lr.layer.op))
        .set("macs", static_cast<double>(lr.counts.macs) / 1e6)
        .set("cycles", lr.counts.total_cycles)
        .set("util", lr.counts.overall_util_pct)
        .set("active_pes", lr.counts.active_pes)
        .set("dram", lr.counts.access.bytes(d) / 1024.0)
        .set("energy", lr.energy.total_pj / 1e6)
        .set("pj_per_mac", lr.energy.total_pj / static_cast<double>(lr.counts.macs));
  const auto& s = r.totals;
  t.add_row()
      .set("layer", "total")
      .set("macs", static_cast<double>(s.macs) / 1e6)
      .set("cycles", s.cycles)
      .set("util", s.utilization_pct)
      .set("active_pes", s.active_pes_avg)
      .set("dram", r.level_bytes[d] / 1024.0)
      .set("energy", s.energy_pj / 1e6)
      .set("pj_per_mac", s.pj_per_mac);
  reports::ConsoleTableOptions opt;
  opt.precisions = {{"macs", 1}, {"util", 1}, {"active_pes", 0}, {"dram", 0}, {"energy", 1}};
  opt.footer_rows = 1;
  std::string out = fmt::format(
      "{} on {} ({} {}x{}, {}{} MHz), batch {}\n", r.network.name, acc.name,
      core::enum_name(arch::kDataflows, acc.dataflow), acc.array.rows, acc.array.cols,
      acc.compat == arch::Compat::scalesim ? "compat scalesim, " : "", acc.clock_hz / 1e6, r.batch);
  if (layer_table) out += reports::format_console_table(t, {}, opt);
  out += fmt::format(
      "latency {:.4g} ms | {:.4g} inferences/s | {:.4g} effective TOPS | energy {:.4g} mJ "
      "({:.3g} pJ/MAC) | power {:.4g} W | area {:.4g} mm2 | EDP {:.4g} J*s\n",
      s.latency_s * 1e3, s.inferences_per_s, s.effective_tops, s.energy_pj * 1e-9, s.pj_per_mac,
      s.power_w, s.area_mm2, s.edp_js);
  out += "energy by level:";
  const auto groups = level_groups(acc);
  for (std::size_t i = 0; i < acc.levels.size(); ++i) {
    const auto& g = acc.levels[i].group;
    if (!g.empty()) {
      const auto it =
          std::find_if(groups.begin(), groups.end(), [&](const auto& e) { return e.first == g; });
      if (it->second.front() != static_cast<int>(i)) continue;  // the group prints once
      const double pj = group_sum(it->second, [&](std::size_t k) { return r.energy.level_pj[k]; });
      out += fmt::format(" {} {:.4g} mJ |", g, pj * 1e-9);
      continue;
    }
    out += fmt::format(" {} {:.4g} mJ |", acc.levels[i].name, r.energy.level_pj[i] * 1e-9);
  }
  out += fmt::format(" mac {:.4g} mJ\n", r.energy.mac_pj * 1e-9);
  if (!r.unmapped.empty())
    out += fmt::format("{} non-MAC layers recorded, not mapped\n", r.unmapped.size());
  if (r.schedule) {
    const auto& g = *r.schedule;
    std::size_t resident = 0, activations = 0;
    for (const auto& tensor : g.tensors) {
      if (tensor.kind != schedule::TensorKind::activation) continue;
      ++activations;
      resident += tensor.resident_in.empty() ? 0 : 1;
    }
    out += fmt::format(
        "schedule graph: {} of {} tensors stay in {} | DRAM {:.0f} KiB (layerwise {:.0f} KiB)\n",
        resident, activations, g.level.empty() ? "no level" : g.level, r.level_bytes[d] / 1024.0,
        g.layerwise_dram_bytes / 1024.0);
    // Fused groups by their first and last layer (summary.json lists every layer).
    if (!g.groups.empty()) {
      out += fmt::format("schedule graph: {} fused groups:", g.groups.size());
      for (std::size_t k = 0; k < g.groups.size(); ++k) {
        const auto& plan = g.groups[k];
        out += fmt::format("{}{}..{} ({} rows, {})", k == 0 ? " " : "; ",
                           r.network.layers[plan.first].name, r.network.layers[plan.last].name,
                           plan.tile_rows, core::enum_name(schedule::kHaloPolicies, plan.halo));
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace loom::explore
