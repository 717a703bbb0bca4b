// SPDX-License-Identifier: Apache-2.0
// The spatial family (rs, spatial_ws, spatial_os, nlr, spatial): PEs with their own register
// files behind a multicast network; the mapper chooses the spatial unrolling within the
// dataflow's rules (spatial_rules.hpp), mappings are of the 7-dim conv nest, and there is no
// closed form: every layer's mapping comes from the mapper.
#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "dataflow/spatial_mapspace.hpp"

namespace loom::dataflow {
namespace {

Error no_closed_form(const arch::Accelerator& acc) {
  return Error(Diagnostic{acc.source, "--no-search", 0,
                          "a spatial array's mappings come from the mapper; the closed form "
                          "covers systolic dataflows (os, ws, is)"});
}

class SpatialSpace final : public MapSpace {
 public:
  SpatialSpace(const Family& family, const workloads::Layer& layer, const arch::Accelerator& acc,
               const ResolvedPrecision& p)
      : MapSpace(family, layer, acc, p), space_(this->layer(), accelerator(), p) {}

  [[nodiscard]] const std::vector<std::uint32_t>& domains() const override {
    return space_.domains();
  }
  [[nodiscard]] std::vector<std::string> gene_names() const override { return {}; }
  void decode(std::span<const std::uint32_t> genes, Mapping& out) const override {
    out = space_.decode(genes);
  }
  [[nodiscard]] std::vector<std::size_t> search_order() const override {
    return space_.search_order();
  }
  void search_candidates(std::span<const std::uint32_t> genes, std::size_t depth,
                         std::vector<std::uint32_t>& out) const override {
    space_.search_candidates(genes, depth, out);
  }
  void lower_bounds(std::span<const std::uint32_t> genes, std::size_t depth,
                    std::vector<LayerCounts>& out) const override {
    space_.lower_bounds(layer(), genes, depth, out);
  }
  bool use_refetch_bound(bool on) override {
    space_.use_refetch_bound(on);
    return true;
  }

 private:
  SpatialMapSpace space_;  // keeps a pointer to the base's accelerator copy
};

// The mapspace indexes candidate factors by every value a loop bound can take, so its memory
// grows with the largest bound: 2^31 took about 8 GB. 2^24 keeps it under a second and ~100 MB.
constexpr std::int64_t kMaxSearchExtent = 1 << 24;

// Spatial arrays have no closed-form model to fall back on (--no-search is refused), so the way
// out is a smaller layer: the dimension split into layers within the limit.
void check_searchable(const workloads::Layer& layer) {
  const auto b = problem_bounds(layer.shape);
  for (int d = 0; d < kDims; ++d)
    if (b[d] > kMaxSearchExtent) {
      const std::string dim(kDimNames[static_cast<std::size_t>(d)].name);
      const std::string limit = std::to_string(kMaxSearchExtent);
      throw Error("layer '" + layer.name + "': a loop bound of " + std::to_string(b[d]) + " (" +
                  dim + "), more than the mapper's search limit of " + limit +
                  " on a spatial array, which has no closed-form model to use instead; split "
                  "the layer into layers with " +
                  dim + " at most " + limit);
    }
}

class SpatialFamily final : public Family {
 public:
  SpatialFamily()
      : Family({.name = "spatial",
                .runs = arch::DataflowFamily::spatial,
                .mapping_view = "conv",
                .has_closed_form = false,
                // Its spaces do not close at any budget a default can afford (docs/mapping.md):
                // the answer is the warm-up's (the genetic search the Eyeriss chip comparison
                // is validated with) or better, with the certified gap, in a few seconds.
                .exact_budget = 450'000,
                .exact_warmup = 400'000}) {}
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

MappingSource SpatialFamily::mapping_source(const arch::Accelerator& acc,
                                            bool search_allowed) const {
  if (!search_allowed) throw no_closed_form(acc);
  return MappingSource::search;
}

std::unique_ptr<MapSpace> SpatialFamily::mapspace(const workloads::Layer& layer,
                                                  const arch::Accelerator& acc,
                                                  const ResolvedPrecision& p) const {
  check_searchable(layer);
  return std::make_unique<SpatialSpace>(*this, layer, acc, p);
}

MappingEvaluation SpatialFamily::evaluate_dense(const workloads::Layer& layer,
                                                const arch::Accelerator& acc, const Mapping& m,
                                                const ResolvedPrecision& p,
                                                Fidelity /*fidelity*/) const {
  // The nest analysis counts every tile's footprint exactly at any fidelity.
  auto ev = evaluate_spatial_mapping(layer, acc, m, p);
  return {std::move(ev.counts), ev.valid, ev.invalid_reason, -1};
}

LayerCounts SpatialFamily::closed_form_dense(const workloads::Layer& /*layer*/,
                                             const arch::Accelerator& acc) const {
  throw no_closed_form(acc);
}

const Family& spatial_family() {
  static const SpatialFamily family;
  return family;
}

}  // namespace loom::dataflow
