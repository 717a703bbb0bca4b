// SPDX-License-Identifier: Apache-2.0
#pragma once
// Accelerator variants as edits of a base accelerator's YAML text: each (target, value) sets one
// key, then the text goes through the ordinary accelerator loader, so every value a sweep tries
// meets exactly the checks a hand-written file would. The edited text is canonical (emitted by
// one YAML emitter), so equal texts mean equal accelerators: it doubles as a cache key.
#include <string>
#include <utility>
#include <vector>

#include "arch/accelerator.hpp"
#include "sweep/spec.hpp"

namespace loom::sweep {

using ArchEdit = std::pair<const ArchTarget*, std::string>;

// The base text with every edit applied. Throws loom::Error (naming the target) when a target
// does not exist in the base: an unknown level name, or a path through a non-map.
std::string patch_accelerator(const std::string& base_text, const std::vector<ArchEdit>& edits);

// The text of a preset, a .yaml file, or an inline YAML map; `file` names it in messages.
BaseArch read_base_arch(const std::string& name_or_path);

}  // namespace loom::sweep
