// SPDX-License-Identifier: Apache-2.0
// The systolic family (os, ws, is): the dataflow fixes the spatial unrolling
// (systolic_mapping.hpp), mappings are of the layer's GEMM view, the mapspace is SystolicMapSpace's
// temporal genes, a closed form exists (systolic.hpp), and compat: scalesim pins each layer to
// SCALE-Sim's mapping.
#include <iomanip>
#include <sstream>

#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_axes.hpp"
#include "dataflow/systolic_mapping.hpp"
#include "dataflow/systolic_mapspace.hpp"
#include "dataflow/systolic_timing.hpp"

namespace loom::dataflow {
namespace {

class SystolicSpace final : public MapSpace {
 public:
  SystolicSpace(const Family& family, const workloads::Layer& layer, const arch::Accelerator& acc,
                const ResolvedPrecision& p)
      : MapSpace(family, layer, acc, p), space_(layer, acc) {}

  [[nodiscard]] const std::vector<std::uint32_t>& domains() const override {
    return space_.domains();
  }
  [[nodiscard]] std::vector<std::string> gene_names() const override {
    return {"dram row folds",  "dram column folds",  "time per fold", "chunks at dram",
            "dram loop order", "on-chip loop order", "on-chip level"};
  }
  void decode(std::span<const std::uint32_t> genes, Mapping& out) const override {
    space_.decode(genes, out);
  }
  [[nodiscard]] std::vector<std::size_t> search_order() const override {
    return space_.search_order();
  }
  void search_candidates(std::span<const std::uint32_t> genes, std::size_t depth,
                         std::vector<std::uint32_t>& out) const override {
    space_.search_candidates(genes, depth, out);
  }
  [[nodiscard]] std::optional<std::vector<std::uint32_t>> pinned() const override {
    if (accelerator().compat == arch::Compat::scalesim) return space_.scalesim_genes();
    return std::nullopt;
  }
  [[nodiscard]] std::optional<std::vector<std::uint32_t>> baseline() const override {
    return space_.scalesim_genes();
  }

 private:
  SystolicMapSpace space_;
};

// A mapping's evaluation walks the layer's folds one by one (the final fidelity's timing, the
// ifmap footprint of every tile), so time and memory grow with the fold count, not the MACs: a
// fc layer of 2^31 filters on a 32x32 array ran for minutes in 8 GB while the closed form
// answers at once. 2^22 folds take about 2 s and 1 GB (1M folds measured at 0.56 s, 213 MB).
constexpr long double kMaxSearchFolds = 1 << 22;

void check_searchable(const workloads::Layer& layer, const arch::Accelerator& acc) {
  const auto b = problem_bounds(gemm_view(layer).shape);
  const auto ax = systolic_axes(acc.dataflow);
  const auto fold = [](std::int64_t n, std::int64_t k) {
    return static_cast<long double>((n + k - 1) / k);
  };
  const long double folds = fold(b[static_cast<int>(ax.row)], acc.array.rows) *
                            fold(b[static_cast<int>(ax.col)], acc.array.cols) *
                            static_cast<long double>(layer.shape.groups);
  if (folds > kMaxSearchFolds) {
    std::ostringstream msg;
    msg << std::fixed << std::setprecision(0) << "layer '" << layer.name << "': at least " << folds
        << " folds on the " << acc.array.rows << "x" << acc.array.cols
        << " array, more than the mapper's search limit of " << kMaxSearchFolds
        << "; evaluate it with --no-search (the closed-form model; in a sweep, `search: false` "
           "under `mapper:`)";
    throw Error(msg.str());
  }
}

class SystolicFamily final : public Family {
 public:
  SystolicFamily()
      : Family({.name = "systolic",
                .runs = arch::DataflowFamily::systolic,
                .mapping_view = "gemm",
                .has_closed_form = true,
                // Closes every zoo space on the presets (at most about 520,000 points).
                .exact_budget = 1'000'000,
                .exact_warmup = 50'000}) {}
  [[nodiscard]] MappingSource mapping_source(const arch::Accelerator& acc,
                                             bool search_allowed) const override;
  [[nodiscard]] std::unique_ptr<MapSpace> mapspace(const workloads::Layer& layer,
                                                   const arch::Accelerator& acc,
                                                   const ResolvedPrecision& p) const override;

 protected:
  [[nodiscard]] MappingEvaluation evaluate_dense(const workloads::Layer& layer,
                                                 const arch::Accelerator& acc, const Mapping& m,
                                                 const ResolvedPrecision& p,
                                                 Fidelity fidelity) const override;
  [[nodiscard]] LayerCounts closed_form_dense(const workloads::Layer& layer,
                                              const arch::Accelerator& acc) const override;
};

}  // namespace

MappingSource SystolicFamily::mapping_source(const arch::Accelerator& acc,
                                             bool search_allowed) const {
  // compat: scalesim is SCALE-Sim's fixed mapping, which the closed form evaluates exactly.
  return search_allowed && acc.compat == arch::Compat::none ? MappingSource::search
                                                            : MappingSource::closed_form;
}

std::unique_ptr<MapSpace> SystolicFamily::mapspace(const workloads::Layer& layer,
                                                   const arch::Accelerator& acc,
                                                   const ResolvedPrecision& p) const {
  check_searchable(layer, acc);
  // A search needs the fold tiles to fit; SCALE-Sim's pinned mapping reports its own misfit.
  if (acc.compat == arch::Compat::none) check_systolic_fit(acc, p);
  return std::make_unique<SystolicSpace>(*this, layer, acc, p);
}

MappingEvaluation SystolicFamily::evaluate_dense(const workloads::Layer& layer,
                                                 const arch::Accelerator& acc, const Mapping& m,
                                                 const ResolvedPrecision& p,
                                                 Fidelity fidelity) const {
  auto ev = evaluate_systolic_mapping(layer, acc, m, p, fidelity);
  return {std::move(ev.counts), ev.valid, ev.invalid_reason, ev.invalid_level};
}

LayerCounts SystolicFamily::closed_form_dense(const workloads::Layer& layer,
                                              const arch::Accelerator& acc) const {
  return analyze_systolic(layer, acc);
}

const Family& systolic_family() {
  static const SystolicFamily family;
  return family;
}

}  // namespace loom::dataflow
