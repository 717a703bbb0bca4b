// SPDX-License-Identifier: Apache-2.0
#pragma once
// A typed view of one YAML document for loaders. Every getter checks type and range and, on a
// problem, records a Diagnostic (file, dotted key path, line, what was expected) and returns the
// default, so one pass reports every problem of a file; the loader calls `finish()` to throw
// them together. `allow_keys` turns an unknown (mistyped) key into an error. ConfigNode never
// leaves a loader: loaders return plain value structs.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/enum_table.hpp"
#include "core/error.hpp"

namespace YAML {
class Node;
}

namespace loom::core {

struct ConfigContext;

// The whole file as text; throws an Error naming the file if it cannot be read.
std::string read_text_file(const std::filesystem::path& path);

class ConfigNode {
 public:
  // Parses `text` as YAML; a syntax error throws at once (with file and line).
  static ConfigNode parse(std::string_view text, std::string file_name);
  // Reads and parses a file; a missing file throws an Error naming it.
  static ConfigNode load_file(const std::filesystem::path& path);

  [[nodiscard]] bool is_map() const;
  [[nodiscard]] bool is_sequence() const;
  [[nodiscard]] bool is_scalar() const;
  [[nodiscard]] bool has(std::string_view key) const;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] int line() const;  // 1-based, 0 if unknown
  [[nodiscard]] const std::string& file() const;

  // Reports every key of this map not in `allowed`; returns false if this is not a map.
  bool allow_keys(std::initializer_list<std::string_view> allowed) const;
  bool expect_map() const;

  [[nodiscard]] ConfigNode child(std::string_view key) const;  // undefined node if absent
  [[nodiscard]] std::vector<ConfigNode> items() const;         // elements of a sequence
  [[nodiscard]] std::vector<std::string> keys() const;         // keys of a map, in order
  [[nodiscard]] std::string yaml_text() const;                 // this subtree, re-emitted

  // Scalar getters on a key of this map. `required` variants record "missing required key".
  std::int64_t get_int(std::string_view key, std::int64_t fallback, std::int64_t min,
                       std::int64_t max = INT64_MAX) const;
  std::int64_t require_int(std::string_view key, std::int64_t min,
                           std::int64_t max = INT64_MAX) const;
  double get_double(std::string_view key, double fallback, double min_exclusive) const;
  double require_double(std::string_view key, double min_exclusive) const;
  // A finite number in [lo, hi] (the documented range of a physical quantity).
  double get_number(std::string_view key, double fallback, double lo, double hi) const;
  std::string get_string(std::string_view key, std::string fallback) const;
  std::string require_string(std::string_view key) const;
  bool get_bool(std::string_view key, bool fallback) const;
  // An integer, or a two-element list [h, w]; a single integer applies to both.
  std::pair<std::int64_t, std::int64_t> get_pair(std::string_view key,
                                                 std::pair<std::int64_t, std::int64_t> fallback,
                                                 std::int64_t min,
                                                 std::int64_t max = INT64_MAX) const;
  std::vector<std::string> get_string_list(std::string_view key) const;
  std::vector<std::int64_t> get_int_list(std::string_view key, std::int64_t min,
                                         std::int64_t max = INT64_MAX) const;

  template <class E, std::size_t N>
  E get_enum(std::string_view key, const std::array<EnumName<E>, N>& table, E fallback) const {
    if (!has(key)) return fallback;
    const std::string s = get_string(key, "");
    if (auto v = parse_enum(table, s)) return *v;
    error_at(key, "unknown value '" + s + "' (expected one of: " + enum_choices(table) + ")");
    return fallback;
  }

  // Records a problem at this node, or at one of its keys.
  void error(std::string message) const;
  void error_at(std::string_view key, std::string message) const;
  [[nodiscard]] bool ok() const;  // no problem recorded so far in this document
  void finish() const;            // throws every recorded problem at once

 private:
  ConfigNode(std::shared_ptr<YAML::Node> node, std::string path,
             std::shared_ptr<ConfigContext> ctx);
  [[nodiscard]] std::optional<ConfigNode> scalar_at(std::string_view key) const;
  [[nodiscard]] std::string key_path(std::string_view key) const;

  std::shared_ptr<YAML::Node> node_;
  std::string path_;
  std::shared_ptr<ConfigContext> ctx_;
};

}  // namespace loom::core
