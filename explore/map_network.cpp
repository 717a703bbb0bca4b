// SPDX-License-Identifier: Apache-2.0
#include "explore/map_network.hpp"

#include <algorithm>
#include <map>

#include "core/config.hpp"
#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "dataflow/mapping_check.hpp"
#include "dataflow/mapping_io.hpp"
#include "energy/energy_table.hpp"
#include "explore/mapped_schedule.hpp"
#include "reports/atomic_file.hpp"

namespace loom::explore {

std::vector<LayerMappingResult> map_network(const workloads::Network& net,
                                            const arch::Accelerator& acc,
                                            const MapNetworkOptions& options) {
  const energy::EnergyTable table = energy::make_energy_table(acc);
  std::map<std::string, MappedLayer> by_shape;
  std::vector<LayerMappingResult> out;
  bool found = options.only_layer.empty();
  for (const auto& layer : net.layers) {
    if (!workloads::does_macs(layer.op)) continue;
    if (!options.only_layer.empty() && layer.name != options.only_layer) continue;
    found = true;
    const std::string key = layer_key(layer);
    if (auto it = by_shape.find(key); it != by_shape.end()) {
      out.push_back({layer, it->second, true});
      continue;
    }
    mapper::MapperOptions mo = options.mapper;
    if (options.on_progress)
      mo.on_progress = [&](const mapper::Progress& p) { options.on_progress(layer.name, p); };
    MappedLayer ml = map_layer(layer, acc, table, mo);
    by_shape.emplace(key, ml);
    out.push_back({layer, std::move(ml), false});
  }
  if (!found) {
    std::string names;
    for (const auto& l : net.layers)
      if (workloads::does_macs(l.op)) names += (names.empty() ? "" : ", ") + l.name;
    throw Error(Diagnostic{"", "--layer", 0,
                           "no MAC layer named '" + options.only_layer + "' in " + net.name +
                               " (layers: " + names + ")"});
  }
  return out;
}

namespace {

std::optional<dataflow::SearchRecord> search_record(const MappedLayer& m,
                                                    const mapper::Objective& objective) {
  if (!m.searched) return std::nullopt;
  dataflow::SearchRecord s;
  s.strategy = std::string(core::enum_name(mapper::kStrategies, m.strategy));
  s.objective = std::string(core::enum_name(mapper::kObjectiveKinds, objective.kind));
  switch (objective.kind) {
    case mapper::ObjectiveKind::energy:
    case mapper::ObjectiveKind::total_energy:
      s.unit = "pJ";
      break;
    case mapper::ObjectiveKind::latency:
      s.unit = "cycles";
      break;
    case mapper::ObjectiveKind::edp:
    case mapper::ObjectiveKind::total_edp:
      s.unit = "pJ x cycles";
      break;
    case mapper::ObjectiveKind::weighted:
      break;  // pJ^we x cycles^wc: no one unit
  }
  s.evaluated = m.evaluated;
  s.valid = m.valid;
  s.pruned = m.pruned;
  s.lower_bound = m.lower_bound;
  s.optimality_gap_pct = m.optimality_gap_pct;
  return s;
}

}  // namespace

void write_mappings(const std::vector<LayerMappingResult>& results, const std::string& workload,
                    const mapper::Objective& objective, const arch::Accelerator& acc,
                    const std::filesystem::path& dir, const RunResult* scheduled) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(Diagnostic{dir.string(), "-o", 0, "cannot create folder: " + ec.message()});
  // One file per layer, all appearing together (reports::FileSet): a failure part-way leaves
  // the folder's previous mappings, never some layers from this search and some from the last.
  reports::FileSet files;
  for (const auto& r : results) {
    std::string file = r.layer.name;
    std::replace(file.begin(), file.end(), '/', '_');
    const dataflow::MappingFile f{r.layer.name, workload,
                                  std::string(dataflow::family_of(acc).mapping_view()),
                                  r.mapped.mapping, search_record(r.mapped, objective)};
    if (scheduled && file + ".yaml" == kScheduleFileName)
      throw Error(Diagnostic{"", "layer", 0,
                             "layer '" + r.layer.name + "': its mapping file would be " +
                                 kScheduleFileName +
                                 ", the graph schedule's file; map with --schedule layerwise"});
    files.write(dir / (file + ".yaml"), dataflow::mapping_to_yaml(f, acc));
  }
  if (scheduled)
    files.write(dir / kScheduleFileName,
                schedule_to_yaml(mapped_schedule(*scheduled), workload, acc.name));
  files.commit();
  // A layerwise folder keeps no plan of an earlier graph-schedule search.
  if (!scheduled) std::filesystem::remove(dir / kScheduleFileName, ec);
}

MappingSet read_mappings(const std::filesystem::path& file_or_dir, const arch::Accelerator& acc,
                         const workloads::Network& net) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  if (std::filesystem::is_directory(file_or_dir, ec)) {
    for (std::filesystem::directory_iterator it(file_or_dir, ec), end; !ec && it != end;
         it.increment(ec))
      if (it->path().extension() == ".yaml" && it->path().filename() != kScheduleFileName)
        files.push_back(it->path());
    if (ec)
      throw Error(Diagnostic{file_or_dir.string(), "--mapping", 0,
                             "cannot read the folder (" + ec.message() + ")"});
    std::sort(files.begin(), files.end());
    if (files.empty())
      throw Error(Diagnostic{file_or_dir.string(), "--mapping", 0, "no .yaml mapping files here"});
  } else {
    files.push_back(file_or_dir);
  }
  const dataflow::Family& family = dataflow::family_of(acc);
  const std::string want(family.mapping_view());
  std::string views;  // "systolic arrays: gemm; spatial arrays: conv"
  for (const dataflow::Family* f : dataflow::families())
    views += (views.empty() ? "" : "; ") + std::string(f->name()) +
             " arrays: " + std::string(f->mapping_view());
  MappingSet out;
  std::map<std::string, std::filesystem::path> source;  // layer -> the file that mapped it
  for (const auto& f : files) {
    auto mf = dataflow::parse_mapping_yaml(core::read_text_file(f), f.string(), acc);
    if (mf.view != want)
      throw Error(Diagnostic{f.string(), "view", 0,
                             "this accelerator evaluates " + want + "-view mappings (" + views +
                                 "); got '" + mf.view + "'"});
    // A mapping nothing uses was ignored without a word, and of two for one layer the later won.
    const auto layer = std::find_if(net.layers.begin(), net.layers.end(),
                                    [&](const workloads::Layer& l) { return l.name == mf.layer; });
    if (layer == net.layers.end())
      throw Error(Diagnostic{f.string(), "layer", 0,
                             "network '" + net.name + "' has no layer '" + mf.layer + "'"});
    if (!workloads::does_macs(layer->op))
      throw Error(Diagnostic{f.string(), "layer", 0,
                             "layer '" + mf.layer + "' does no MACs, so it has no mapping"});
    if (const auto problems = dataflow::check_mapping_file(mf, *layer, acc, f.string());
        !problems.empty())
      throw Error(problems);
    if (const auto [it, fresh] = source.emplace(mf.layer, f); !fresh)
      throw Error(Diagnostic{f.string(), "layer", 0,
                             "layer '" + mf.layer + "' is already mapped by " +
                                 it->second.string() + "; keep one of the two files"});
    out[mf.layer] = mf.mapping;
  }
  return out;
}

}  // namespace loom::explore
