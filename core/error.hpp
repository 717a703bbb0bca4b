// SPDX-License-Identifier: Apache-2.0
#pragma once
// Errors about user input. A Diagnostic names where the problem is (file, key path, line) and
// what was expected; an Error carries one or more of them so a loader can report every problem
// of a file at once. The CLI turns an Error into exit code 2.
#include <stdexcept>
#include <string>
#include <vector>

namespace loom {

struct Diagnostic {
  std::string file;     // may be empty for command-line input
  std::string key;      // dotted key path, e.g. "pe_array.rows"; may be empty
  int line = 0;         // 1-based; 0 when unknown
  std::string message;  // what was expected and what was found

  // "edge.yaml:12 pe_array.rows: expected an integer > 0, got -4"
  [[nodiscard]] std::string to_string() const;
};

class Error : public std::runtime_error {
 public:
  explicit Error(std::vector<Diagnostic> diagnostics);
  explicit Error(Diagnostic diagnostic);
  // A problem not tied to a file or key (e.g. a command-line value).
  explicit Error(const std::string& message);

  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Collects diagnostics while a file is read, then throws them together.
class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  [[nodiscard]] bool empty() const { return items_.empty(); }
  [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace loom
