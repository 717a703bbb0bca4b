// SPDX-License-Identifier: Apache-2.0
#pragma once
// A dataflow family: everything Loom knows about one kind of PE array, behind one interface.
// Systolic arrays (os, ws, is) and spatial arrays (rs, spatial_ws, spatial_os, nlr, spatial) are
// the two built-in families (systolic_family.cpp, spatial_family.cpp), listed in one table
// (family.cpp). Callers above dataflow/ (explore, simulate, cli, sweep, reports, validate) reach
// a family only through family_of() and never ask which one they hold: what differs between
// families — which mappings are legal, how a mapping is scored, which view a mapping file holds,
// whether a layer can be evaluated without search — is a question to this interface.
//
// Families are stateless singletons (const, thread-safe). A MapSpace belongs to one layer on one
// accelerator and keeps references to neither: it copies what it needs. Units: as LayerCounts.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/fidelity.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "dataflow/mapping_evaluation.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

class Family;

// The legal mappings of one layer on one accelerator, as genes the mapper searches (mapper/ sees
// only domains). A space copies the layer, accelerator and precision it was made for, so it
// outlives its arguments; its const functions are thread-safe.
class MapSpace {
 public:
  virtual ~MapSpace() = default;
  MapSpace(const MapSpace&) = delete;
  MapSpace& operator=(const MapSpace&) = delete;

  [[nodiscard]] virtual const std::vector<std::uint32_t>& domains() const = 0;
  // One name per gene, for the mapper's progress and messages; may be empty.
  [[nodiscard]] virtual std::vector<std::string> gene_names() const = 0;
  // `out` is overwritten whole; reusing one Mapping spares the allocation of its levels.
  virtual void decode(std::span<const std::uint32_t> genes, Mapping& out) const = 0;
  [[nodiscard]] Mapping decode(std::span<const std::uint32_t> genes) const;
  // The decoded point scored by its family at search fidelity, sparsity included: the mapper's
  // inner loop (decodes into a per-thread Mapping).
  [[nodiscard]] MappingEvaluation evaluate(std::span<const std::uint32_t> genes) const;
  // A point the answer must equal (the accelerator pins its mapping: compat: scalesim), or
  // that a search must never be worse than (SCALE-Sim's mapping); none when the family has none.
  [[nodiscard]] virtual std::optional<std::vector<std::uint32_t>> pinned() const {
    return std::nullopt;
  }
  [[nodiscard]] virtual std::optional<std::vector<std::uint32_t>> baseline() const {
    return std::nullopt;
  }

  // For the exact search (mapper/exact.hpp; the contract is mapper/bounds.hpp's): the order
  // genes are assigned in; the values of gene order[depth] worth trying given genes
  // order[0..depth) (one per class of values whose completions all evaluate alike, smallest
  // first); and lower bounds as alternatives: every legal completion is at or above one of them
  // in every priced cell, in MACs performed and in total cycles, so the cheapest bounds its
  // cost (none when no completion is legal). Defaults: gene order, every value, all-zero counts.
  [[nodiscard]] virtual std::vector<std::size_t> search_order() const;
  virtual void search_candidates(std::span<const std::uint32_t> genes, std::size_t depth,
                                 std::vector<std::uint32_t>& out) const;
  virtual void lower_bounds(std::span<const std::uint32_t> genes, std::size_t depth,
                            std::vector<LayerCounts>& out) const;
  // A tighter bound a family keeps off by default (spatial: the refetch bound,
  // spatial_mapspace.hpp); false when the family has none, and then `on` changes nothing.
  virtual bool use_refetch_bound(bool /*on*/) { return false; }

 protected:
  MapSpace(const Family& family, const workloads::Layer& layer, const arch::Accelerator& acc,
           const ResolvedPrecision& p)
      : family_(family), layer_(layer), acc_(acc), p_(p) {}
  [[nodiscard]] const workloads::Layer& layer() const { return layer_; }
  [[nodiscard]] const arch::Accelerator& accelerator() const { return acc_; }
  [[nodiscard]] const ResolvedPrecision& precision() const { return p_; }

 private:
  const Family& family_;
  workloads::Layer layer_;
  arch::Accelerator acc_;
  ResolvedPrecision p_;
};

// Where a layer's mapping comes from.
enum class MappingSource {
  search,       // the mapper searches the family's mapspace
  closed_form,  // the family's own schedule, evaluated in closed form (no mapping object)
};

// What a family is, as data: its name, the dataflows it runs (arch's family of each dataflow),
// the view its mappings are written in, and whether it has a closed form.
struct FamilyTraits {
  std::string_view name;  // "systolic", "spatial": in messages and mapping files' comments
  arch::DataflowFamily runs;
  // The coordinates a mapping of this family is written in: "gemm" (the layer's GEMM view,
  // systolic_mapping.hpp) or "conv" (the 7-dim nest as it is). Mapping files carry it.
  std::string_view mapping_view;
  bool has_closed_form = false;
  // The exact search's point budget when the user gives none, and its warm-up (docs/mapping.md,
  // "Exact search").
  std::uint64_t exact_budget = 0;
  std::uint64_t exact_warmup = 0;
};

class Family {
 public:
  virtual ~Family() = default;
  [[nodiscard]] std::string_view name() const { return traits_.name; }
  [[nodiscard]] bool runs(arch::Dataflow d) const {
    return arch::dataflow_info(d).family == traits_.runs;
  }
  [[nodiscard]] std::string_view mapping_view() const { return traits_.mapping_view; }

  // Whether the family can evaluate a layer without a search (a closed form), and, given that
  // the user allows search, where `acc`'s layers take their mapping from. Throws loom::Error
  // (key --no-search) when search is not allowed and the family has no closed form.
  [[nodiscard]] bool has_closed_form() const { return traits_.has_closed_form; }
  [[nodiscard]] std::uint64_t exact_default_budget() const { return traits_.exact_budget; }
  [[nodiscard]] std::uint64_t exact_warmup() const { return traits_.exact_warmup; }
  [[nodiscard]] virtual MappingSource mapping_source(const arch::Accelerator& acc,
                                                     bool search_allowed) const = 0;

  // The layer's mapspace on `acc` at the resolved precision `p`. Throws loom::Error when no
  // mapping can be legal (e.g. a systolic fold tile that fits no buffer).
  [[nodiscard]] virtual std::unique_ptr<MapSpace> mapspace(const workloads::Layer& layer,
                                                           const arch::Accelerator& acc,
                                                           const ResolvedPrecision& p) const = 0;

  // One mapping of `layer` (in this family's view) scored at `fidelity`, sparsity included.
  // Throws loom::Error only for a mapping malformed for this accelerator (wrong level count).
  [[nodiscard]] MappingEvaluation evaluate(const workloads::Layer& layer,
                                           const arch::Accelerator& acc, const Mapping& m,
                                           const ResolvedPrecision& p, Fidelity fidelity) const;
  // The layer under the family's closed form (has_closed_form), sparsity included. Throws
  // loom::Error naming the constraint for a layer the accelerator cannot run.
  [[nodiscard]] LayerCounts closed_form(const workloads::Layer& layer,
                                        const arch::Accelerator& acc) const;

 protected:
  explicit Family(const FamilyTraits& traits) : traits_(traits) {}
  // Dense evaluations; the public functions add sparsity.
  [[nodiscard]] virtual MappingEvaluation evaluate_dense(const workloads::Layer& layer,
                                                         const arch::Accelerator& acc,
                                                         const Mapping& m,
                                                         const ResolvedPrecision& p,
                                                         Fidelity fidelity) const = 0;
  [[nodiscard]] virtual LayerCounts closed_form_dense(const workloads::Layer& layer,
                                                      const arch::Accelerator& acc) const = 0;

 private:
  FamilyTraits traits_;
};

// The built-in families (systolic_family.cpp, spatial_family.cpp).
[[nodiscard]] const Family& systolic_family();
[[nodiscard]] const Family& spatial_family();

// The registered families, in registration order (family.cpp holds the one table).
[[nodiscard]] std::span<const Family* const> families();
// The family that runs `d` (every arch::Dataflow has exactly one; a test checks it).
[[nodiscard]] const Family& family_of(arch::Dataflow d);
[[nodiscard]] inline const Family& family_of(const arch::Accelerator& acc) {
  return family_of(acc.dataflow);
}

}  // namespace loom::dataflow
