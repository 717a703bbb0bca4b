// SPDX-License-Identifier: Apache-2.0
#include "sweep/layer_wire.hpp"

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/error.hpp"

namespace loom::sweep {
namespace {

template <class T>
void put(std::string& out, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  [[nodiscard]] bool done() const { return pos_ == bytes_.size(); }
  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    std::memcpy(&v, take(sizeof v).data(), sizeof v);
    return v;
  }
  std::string_view take(std::size_t n) {
    if (bytes_.size() - pos_ < n)
      throw Error("sweep: a mapped layer received from another rank is truncated");
    const auto s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

template <class T>
void put_optional(std::string& out, const std::optional<T>& v) {
  put(out, v.has_value());
  if (v) put(out, *v);
}

template <class T>
std::optional<T> get_optional(Reader& r) {
  if (!r.get<bool>()) return std::nullopt;
  return r.get<T>();
}

}  // namespace

void append_mapped_layer(std::string& out, const std::string& key,
                         const explore::MappedLayer& layer) {
  put(out, static_cast<std::uint64_t>(key.size()));
  out += key;
  const auto& m = layer.mapping;
  put(out, static_cast<std::uint64_t>(m.levels.size()));
  for (const auto& l : m.levels) put(out, l);
  put(out, m.spatial_rows);
  put(out, m.spatial_cols);
  put(out, m.pe);
  put(out, m.pe_keeps);
  put(out, layer.counts);
  put(out, layer.energy);
  put(out, layer.evaluated);
  put(out, layer.valid);
  put(out, layer.searched);
  put(out, layer.strategy);
  put(out, layer.pruned);
  put_optional(out, layer.lower_bound);
  put_optional(out, layer.optimality_gap_pct);
}

std::vector<std::pair<std::string, explore::MappedLayer>> read_mapped_layers(
    std::string_view bytes) {
  std::vector<std::pair<std::string, explore::MappedLayer>> out;
  Reader r(bytes);
  while (!r.done()) {
    std::string key(r.take(r.get<std::uint64_t>()));
    explore::MappedLayer layer;
    auto& m = layer.mapping;
    const auto levels = r.get<std::uint64_t>();
    if (levels > arch::kMaxLevels)
      throw Error("sweep: a mapped layer from another rank is damaged");
    for (std::uint64_t i = 0; i < levels; ++i) m.levels.push_back(r.get<dataflow::LevelLoops>());
    m.spatial_rows = r.get<dataflow::DimFactors>();
    m.spatial_cols = r.get<dataflow::DimFactors>();
    m.pe = r.get<dataflow::LevelLoops>();
    m.pe_keeps = r.get<std::array<bool, 3>>();
    layer.counts = r.get<dataflow::LayerCounts>();
    layer.energy = r.get<energy::EnergyBreakdown>();
    layer.evaluated = r.get<std::uint64_t>();
    layer.valid = r.get<std::uint64_t>();
    layer.searched = r.get<bool>();
    layer.strategy = r.get<mapper::Strategy>();
    layer.pruned = r.get<std::uint64_t>();
    layer.lower_bound = get_optional<double>(r);
    layer.optimality_gap_pct = get_optional<double>(r);
    out.emplace_back(std::move(key), std::move(layer));
  }
  return out;
}

}  // namespace loom::sweep
