// SPDX-License-Identifier: Apache-2.0
#pragma once
// One row of `loom validate`: a published figure of one target (a chip or a study) beside what
// Loom computes for the same experiment, with its band and status. Rows are plain values; the
// formatting here (text for the console, Markdown for the README) never computes anything.
// Status: `check` rows gate (exit 1 when one leaves its band); `known_gap` rows are shown with
// their error and the feature Loom lacks (`note`, "needs ..."), never gating; `info` rows carry
// no trusted reference and are printed to the console only.
#include <string>
#include <vector>

namespace loom::validate {

enum class Status { check, known_gap, info };

// Band of a held-out published figure (issue 20: real chips within 25%).
inline constexpr double kDefaultBandPct = 25;

struct Row {
  std::string target;  // suite target name (`loom validate NAME`)
  std::string figure;  // experiment and quantity, e.g. "AlexNet CONV1-5, batch 4: DRAM traffic"
  std::string unit;
  double published = 0;       // 0: no published figure
  double published_high = 0;  // > published: the source gives a range [published, high]
  double loom = 0;
  double band_pct = kDefaultBandPct;
  Status status = Status::check;
  std::string source;  // paper and table/figure/section of `published`
  std::string note;    // known_gap: what Loom needs; otherwise why the row reads as it does

  [[nodiscard]] bool has_reference() const { return published != 0; }
  // Signed error against the figure, or against the nearer end of a published range (0 inside).
  [[nodiscard]] double error_pct() const;
  [[nodiscard]] bool within_band() const;
  [[nodiscard]] bool fails() const { return status == Status::check && !within_band(); }
};

[[nodiscard]] std::string_view status_name(Status s);
[[nodiscard]] bool all_checks_pass(const std::vector<Row>& rows);

// Aligned console table, one block per target, and the closing verdict line.
[[nodiscard]] std::string format_text(const std::vector<Row>& rows);
// The README's validation table: check and known_gap rows only (info rows have no trusted
// reference), one Markdown row each.
[[nodiscard]] std::string format_markdown(const std::vector<Row>& rows);

}  // namespace loom::validate
