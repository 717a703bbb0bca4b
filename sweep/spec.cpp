// SPDX-License-Identifier: Apache-2.0
#include "sweep/spec.hpp"

#include <stdexcept>

namespace loom::sweep {

std::string ArchTarget::dotted() const {
  std::string out;
  for (const auto& p : path) out += (out.empty() ? "" : ".") + p;
  return out;
}

std::size_t Axis::size() const {
  switch (kind) {
    case AxisKind::arch:
      return values.size();
    case AxisKind::precision:
      return precision.size();
    case AxisKind::density:
      return density.size();
  }
  return 0;
}

std::string Axis::label(std::size_t i) const {
  switch (kind) {
    case AxisKind::arch:
      return values.at(i);
    case AxisKind::precision:
      return precision.at(i).name;
    case AxisKind::density:
      return density.at(i).name;
  }
  return {};
}

std::uint64_t SweepSpec::point_count() const {
  std::uint64_t n = 1;
  for (const auto& a : axes) n *= a.size();
  return n;
}

std::vector<std::size_t> SweepSpec::decode(std::uint64_t point) const {
  std::vector<std::size_t> choice(axes.size());
  for (std::size_t i = axes.size(); i-- > 0;) {
    const std::uint64_t n = axes[i].size();
    choice[i] = static_cast<std::size_t>(point % n);
    point /= n;
  }
  if (point != 0) throw std::logic_error("sweep point id out of range");
  return choice;
}

std::uint64_t SweepSpec::encode(const std::vector<std::size_t>& choice) const {
  std::uint64_t id = 0;
  for (std::size_t i = 0; i < axes.size(); ++i) id = id * axes[i].size() + choice.at(i);
  return id;
}

}  // namespace loom::sweep
