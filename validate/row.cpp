// SPDX-License-Identifier: Apache-2.0
#include "validate/row.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace loom::validate {
namespace {

std::string number(double v) { return fmt::format("{:.4g}", v); }

std::string published_text(const Row& r) {
  if (!r.has_reference()) return "-";
  if (r.published_high > r.published) return number(r.published) + "–" + number(r.published_high);
  return number(r.published);
}

std::string error_text(const Row& r) {
  return r.has_reference() ? fmt::format("{:+.1f}%", r.error_pct()) : "-";
}

std::string band_text(const Row& r) {
  if (r.status == Status::info || !r.has_reference()) return "-";
  return fmt::format("±{:.0f}% {}", r.band_pct, r.within_band() ? "in" : "out");
}

}  // namespace

double Row::error_pct() const {
  if (published_high > published && loom >= published && loom <= published_high) return 0;
  const double ref =
      published_high > published && loom > published_high ? published_high : published;
  return 100.0 * (loom - ref) / ref;
}

bool Row::within_band() const { return std::abs(error_pct()) <= band_pct + 1e-9; }

std::string_view status_name(Status s) {
  switch (s) {
    case Status::check:
      return "check";
    case Status::known_gap:
      return "known-gap";
    case Status::info:
      return "info";
  }
  return "?";
}

bool all_checks_pass(const std::vector<Row>& rows) {
  return std::none_of(rows.begin(), rows.end(), [](const Row& r) { return r.fails(); });
}

std::string format_text(const std::vector<Row>& rows) {
  std::string out;
  std::size_t w = 6;
  for (const auto& r : rows) w = std::max(w, r.figure.size());
  std::string target;
  for (const auto& r : rows) {
    if (r.target != target) {
      target = r.target;
      out +=
          fmt::format("\n{}\n  {:<{}}  {:>13}  {:>11}  {:>8}  {:>9}  {:<9}  {}\n", target, "figure",
                      w, "published", "loom", "error", "band", "status", "unit / source / note");
    }
    std::string tail = r.unit;
    for (const auto* part : {&r.source, &r.note})
      if (!part->empty()) tail += " -- " + *part;
    out += fmt::format("  {:<{}}  {:>13}  {:>11}  {:>8}  {:>9}  {:<9}  {}\n", r.figure, w,
                       published_text(r), number(r.loom), error_text(r), band_text(r),
                       status_name(r.status), tail);
  }
  const bool ok = all_checks_pass(rows);
  out += fmt::format("\n{}\n", ok ? "every check row within its band"
                                  : "some check rows are outside their band (\"out\" above)");
  return out;
}

std::string format_markdown(const std::vector<Row>& rows) {
  std::string out =
      "| target | figure | published | Loom | error | band | status | source |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    if (r.status == Status::info || !r.has_reference()) continue;
    std::string status(status_name(r.status));
    if (r.status == Status::known_gap && !r.note.empty()) status += ": " + r.note;
    out += fmt::format("| {} | {} ({}) | {} | {} | {} | ±{:.0f}% {} | {} | {} |\n", r.target,
                       r.figure, r.unit, published_text(r), number(r.loom), error_text(r),
                       r.band_pct, r.within_band() ? "in" : "out", status, r.source);
  }
  return out;
}

}  // namespace loom::validate
