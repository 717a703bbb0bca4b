// SPDX-License-Identifier: Apache-2.0
#include "core/error.hpp"

namespace loom {
namespace {

std::string join(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) {
    if (!out.empty()) out += '\n';
    out += d.to_string();
  }
  return out;
}

}  // namespace

std::string Diagnostic::to_string() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ':';
      out += std::to_string(line);
    }
  }
  if (!key.empty()) {
    if (!out.empty()) out += ' ';
    out += key;
  }
  if (!out.empty()) out += ": ";
  out += message;
  return out;
}

Error::Error(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

Error::Error(Diagnostic diagnostic) : Error(std::vector<Diagnostic>{std::move(diagnostic)}) {}

Error::Error(const std::string& message) : Error(Diagnostic{{}, {}, 0, message}) {}

void Diagnostics::throw_if_any() const {
  if (!items_.empty()) throw Error(items_);
}

}  // namespace loom
