// SPDX-License-Identifier: Apache-2.0
#include "core/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>

namespace loom::core {

struct ConfigContext {
  std::string file;
  Diagnostics diagnostics;
};

namespace {

int mark_line(const YAML::Node& n) {
  if (!n.IsDefined()) return 0;
  const auto m = n.Mark();
  return m.line >= 0 ? m.line + 1 : 0;
}

std::string describe(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a map";
  return "'" + n.Scalar() + "'";
}

// Integers are read with from_chars so "3.5", "12abc" and "1e3" are rejected, not truncated.
std::optional<std::int64_t> to_int(const std::string& s) {
  std::int64_t v = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc{} || p != e) return std::nullopt;
  return v;
}

std::optional<double> to_double(const std::string& s) {
  double v = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  // from_chars also reads "inf" and "nan", which YAML spells .inf and .nan: neither is a size.
  if (ec != std::errc{} || p != e || !std::isfinite(v)) return std::nullopt;
  return v;
}

// YAML forbids a key twice in one map, but yaml-cpp keeps both and lookups see the first: a
// later override would be ignored without a word. Collects every repeat in the document.
void find_duplicate_keys(const YAML::Node& n, const std::string& file, Diagnostics& out) {
  if (n.IsSequence())
    for (const auto& e : n) find_duplicate_keys(e, file, out);
  if (!n.IsMap()) return;
  std::set<std::string> seen;
  for (const auto& kv : n) {
    if (kv.first.IsScalar() && !seen.insert(kv.first.Scalar()).second)
      out.add(Diagnostic{file, kv.first.Scalar(), mark_line(kv.first),
                         "duplicate key (YAML allows each key once per map)"});
    find_duplicate_keys(kv.second, file, out);
  }
}

// The offset of the first byte that is not well-formed UTF-8 (Unicode's table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF), or npos.
std::size_t invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + n >= s.size()) return i;  // cut short by the end of the text
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return i;
    }
    i += n + 1;
  }
  return std::string_view::npos;
}

}  // namespace

ConfigNode::ConfigNode(std::shared_ptr<YAML::Node> node, std::string path,
                       std::shared_ptr<ConfigContext> ctx)
    : node_(std::move(node)), path_(std::move(path)), ctx_(std::move(ctx)) {}

ConfigNode ConfigNode::parse(std::string_view text, std::string file_name) {
  auto ctx = std::make_shared<ConfigContext>();
  ctx->file = std::move(file_name);
  // YAML is Unicode text; yaml-cpp passes other bytes through into names, which then cannot be
  // written to summary.json or HDF5's UTF-8 strings.
  if (const std::size_t bad = invalid_utf8(text); bad != std::string_view::npos) {
    const auto line =
        std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
    throw Error(Diagnostic{ctx->file, "", static_cast<int>(line) + 1,
                           "not UTF-8 text: byte " + std::to_string(bad) + " (" + hex +
                               ") starts no valid UTF-8 sequence; save the file as UTF-8"});
  }
  try {
    auto root = std::make_shared<YAML::Node>(YAML::Load(std::string(text)));
    Diagnostics duplicates;
    find_duplicate_keys(*root, ctx->file, duplicates);
    duplicates.throw_if_any();
    return ConfigNode(root, "", ctx);
  } catch (const YAML::Exception& e) {
    throw Error(Diagnostic{ctx->file, "", e.mark.line >= 0 ? e.mark.line + 1 : 0,
                           "malformed YAML: " + e.msg});
  }
}

std::string read_text_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(Diagnostic{path.string(), "", 0, "is a directory (expected a file)"});
  // A device or pipe (/dev/zero, a FIFO) would be read forever or block: only regular files.
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw Error(Diagnostic{path.string(), "", 0, "is not a regular file (a device or pipe)"});
  std::ifstream in(path);
  if (!in) throw Error(Diagnostic{path.string(), "", 0, "cannot open file (does it exist?)"});
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ConfigNode ConfigNode::load_file(const std::filesystem::path& path) {
  return parse(read_text_file(path), path.string());
}

bool ConfigNode::is_map() const { return node_->IsMap(); }
bool ConfigNode::is_sequence() const { return node_->IsSequence(); }
bool ConfigNode::is_scalar() const { return node_->IsScalar(); }
bool ConfigNode::has(std::string_view key) const {
  return node_->IsMap() && (*node_)[std::string(key)].IsDefined();
}
int ConfigNode::line() const { return mark_line(*node_); }
const std::string& ConfigNode::file() const { return ctx_->file; }

std::string ConfigNode::key_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  if (key.empty()) return path_;
  return path_ + "." + std::string(key);
}

void ConfigNode::error(std::string message) const {
  ctx_->diagnostics.add(Diagnostic{ctx_->file, path_, line(), std::move(message)});
}

void ConfigNode::error_at(std::string_view key, std::string message) const {
  int ln = line();
  if (has(key)) ln = mark_line((*node_)[std::string(key)]);
  ctx_->diagnostics.add(Diagnostic{ctx_->file, key_path(key), ln, std::move(message)});
}

bool ConfigNode::ok() const { return ctx_->diagnostics.empty(); }
void ConfigNode::finish() const { ctx_->diagnostics.throw_if_any(); }

bool ConfigNode::expect_map() const {
  if (node_->IsMap()) return true;
  error("expected a map of keys, got " + describe(*node_));
  return false;
}

bool ConfigNode::allow_keys(std::initializer_list<std::string_view> allowed) const {
  if (!expect_map()) return false;
  for (const auto& kv : *node_) {
    const std::string k = kv.first.Scalar();
    bool found = false;
    for (auto a : allowed) found = found || a == k;
    if (found) continue;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    ctx_->diagnostics.add(Diagnostic{ctx_->file, key_path(k), mark_line(kv.first),
                                     "unknown key (expected one of: " + list + ")"});
  }
  return true;
}

ConfigNode ConfigNode::child(std::string_view key) const {
  auto n = std::make_shared<YAML::Node>();
  if (node_->IsMap()) *n = (*node_)[std::string(key)];
  return ConfigNode(n, key_path(key), ctx_);
}

std::vector<ConfigNode> ConfigNode::items() const {
  std::vector<ConfigNode> out;
  if (!node_->IsSequence()) {
    error("expected a list, got " + describe(*node_));
    return out;
  }
  for (std::size_t i = 0; i < node_->size(); ++i)
    out.push_back(ConfigNode(std::make_shared<YAML::Node>((*node_)[i]),
                             path_ + "[" + std::to_string(i) + "]", ctx_));
  return out;
}

std::string ConfigNode::yaml_text() const {
  YAML::Emitter out;
  out << *node_;
  return out.c_str();
}

std::vector<std::string> ConfigNode::keys() const {
  std::vector<std::string> out;
  if (!node_->IsMap()) return out;
  for (const auto& kv : *node_) out.push_back(kv.first.Scalar());
  return out;
}

std::optional<ConfigNode> ConfigNode::scalar_at(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  ConfigNode c = child(key);
  if (!c.node_->IsScalar()) {
    c.error("expected a single value, got " + describe(*c.node_));
    return std::nullopt;
  }
  return c;
}

std::int64_t ConfigNode::get_int(std::string_view key, std::int64_t fallback, std::int64_t min,
                                 std::int64_t max) const {
  auto c = scalar_at(key);
  if (!c) return fallback;
  auto v = to_int(c->node_->Scalar());
  std::string range = "an integer >= " + std::to_string(min);
  if (min == 1) range = "an integer > 0";
  if (max != INT64_MAX) range += " and <= " + std::to_string(max);
  if (!v) {
    c->error("expected " + range + ", got " + describe(*c->node_));
    return fallback;
  }
  if (*v < min || *v > max) {
    c->error("expected " + range + ", got " + std::to_string(*v));
    return fallback;
  }
  return *v;
}

std::int64_t ConfigNode::require_int(std::string_view key, std::int64_t min,
                                     std::int64_t max) const {
  if (!has(key)) {
    error_at(key, "missing required key (expected an integer)");
    return min > 0 ? min : 1;
  }
  return get_int(key, min > 0 ? min : 1, min, max);
}

double ConfigNode::get_double(std::string_view key, double fallback, double min_exclusive) const {
  auto c = scalar_at(key);
  if (!c) return fallback;
  auto v = to_double(c->node_->Scalar());
  std::ostringstream want;
  want << "a number > " << min_exclusive;
  if (!v) {
    c->error("expected " + want.str() + ", got " + describe(*c->node_));
    return fallback;
  }
  if (!(*v > min_exclusive)) {
    c->error("expected " + want.str() + ", got " + c->node_->Scalar());
    return fallback;
  }
  return *v;
}

double ConfigNode::get_number(std::string_view key, double fallback, double lo, double hi) const {
  auto c = scalar_at(key);
  if (!c) return fallback;
  auto v = to_double(c->node_->Scalar());
  std::ostringstream want;
  want << std::setprecision(15) << "a number from " << lo << " to " << hi;
  if (!v || *v < lo || *v > hi) {
    c->error("expected " + want.str() + ", got " + describe(*c->node_));
    return fallback;
  }
  return *v;
}

double ConfigNode::require_double(std::string_view key, double min_exclusive) const {
  if (!has(key)) {
    error_at(key, "missing required key (expected a number)");
    return min_exclusive + 1.0;
  }
  return get_double(key, min_exclusive + 1.0, min_exclusive);
}

std::string ConfigNode::get_string(std::string_view key, std::string fallback) const {
  auto c = scalar_at(key);
  if (!c) return fallback;
  return c->node_->Scalar();
}

std::string ConfigNode::require_string(std::string_view key) const {
  if (!has(key)) {
    error_at(key, "missing required key (expected a string)");
    return {};
  }
  return get_string(key, {});
}

bool ConfigNode::get_bool(std::string_view key, bool fallback) const {
  auto c = scalar_at(key);
  if (!c) return fallback;
  const std::string& s = c->node_->Scalar();
  if (s == "true") return true;
  if (s == "false") return false;
  c->error("expected true or false, got " + describe(*c->node_));
  return fallback;
}

namespace {
std::string int_range(std::int64_t min, std::int64_t max) {
  std::string r = "integers >= " + std::to_string(min);
  if (max != INT64_MAX) r += " and <= " + std::to_string(max);
  return r;
}
}  // namespace

std::pair<std::int64_t, std::int64_t> ConfigNode::get_pair(
    std::string_view key, std::pair<std::int64_t, std::int64_t> fallback, std::int64_t min,
    std::int64_t max) const {
  if (!has(key)) return fallback;
  ConfigNode c = child(key);
  if (c.node_->IsScalar()) {
    const std::int64_t v = get_int(key, fallback.first, min, max);
    return {v, v};
  }
  if (!c.node_->IsSequence() || c.node_->size() != 2) {
    c.error("expected an integer or a list [h, w], got " + describe(*c.node_));
    return fallback;
  }
  std::int64_t hw[2] = {fallback.first, fallback.second};
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string s = (*c.node_)[i].Scalar();
    auto v = to_int(s);
    if (!v || *v < min || *v > max) {
      c.error("expected " + int_range(min, max) + " in [h, w], got '" + s + "'");
      return fallback;
    }
    hw[i] = *v;
  }
  return {hw[0], hw[1]};
}

std::vector<std::string> ConfigNode::get_string_list(std::string_view key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  ConfigNode c = child(key);
  if (!c.node_->IsSequence()) {
    c.error("expected a list, got " + describe(*c.node_));
    return out;
  }
  for (const auto& e : *c.node_) {
    if (!e.IsScalar()) {
      c.error("expected a list of names, got " + describe(e));
      continue;
    }
    out.push_back(e.Scalar());
  }
  return out;
}

}  // namespace loom::core

namespace loom::core {

std::vector<std::int64_t> ConfigNode::get_int_list(std::string_view key, std::int64_t min,
                                                   std::int64_t max) const {
  std::vector<std::int64_t> out;
  if (!has(key)) return out;
  ConfigNode c = child(key);
  if (!c.node_->IsSequence()) {
    c.error("expected a list of integers, got " + describe(*c.node_));
    return out;
  }
  for (const auto& e : *c.node_) {
    auto v = e.IsScalar() ? to_int(e.Scalar()) : std::nullopt;
    if (!v || *v < min || *v > max) {
      c.error("expected " + int_range(min, max) + ", got " + describe(e));
      return {};
    }
    out.push_back(*v);
  }
  return out;
}

}  // namespace loom::core
