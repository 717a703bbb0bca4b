// SPDX-License-Identifier: Apache-2.0
#include "sweep/ask_tell.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "core/error.hpp"
#include "sweep/outputs.hpp"
#include "sweep/pareto.hpp"

namespace loom::sweep {
namespace {

// As the single-process `loom sweep` batches grid and random sweeps (runner.cpp); the points a
// sweep evaluates do not depend on it.
constexpr std::uint64_t kBatch = 256;

}  // namespace

AskTellSweep::AskTellSweep(const SweepSpec& spec, const AskTellOptions& options)
    : spec_(spec), options_(options), evaluator_(spec), proposer_(make_proposer(spec, kBatch)) {
  if (options.out_dir.empty()) {
    if (options.resume) throw Error(Diagnostic{"", "resume", 0, "resuming needs an output folder"});
    return;
  }
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec)
    throw Error(
        Diagnostic{options.out_dir.string(), "out", 0, "cannot create folder: " + ec.message()});
  journal_ = std::make_unique<Journal>(options.out_dir / "journal.tsv", spec.fingerprint,
                                       spec.networks.size(), options.resume);
  for (const auto& p : journal_->finished()) {
    if (p.point >= spec.point_count())
      throw Error(Diagnostic{(options.out_dir / "journal.tsv").string(), "resume", 0,
                             fmt::format("point id {} is outside this sweep's {} points", p.point,
                                         spec.point_count())});
    done_.emplace(p.point, p);
  }
  resumed_ = done_.size();
}

AskTellSweep::~AskTellSweep() = default;

void AskTellSweep::advance() {
  while (!exhausted_) {
    if (!batch_.empty()) {
      if (!std::all_of(batch_.begin(), batch_.end(),
                       [&](std::uint64_t id) { return done_.count(id) > 0; }))
        return;
      std::vector<const PointResult*> results;
      for (auto id : batch_) results.push_back(&done_.at(id));
      proposer_->told(results);
    }
    batch_ = proposer_->next();
    handed_out_.clear();
    exhausted_ = batch_.empty();
  }
}

std::vector<std::uint64_t> AskTellSweep::ask(std::size_t n) {
  advance();
  std::vector<std::uint64_t> out;
  for (auto id : batch_) {
    if (out.size() >= n) break;
    if (done_.count(id) || handed_out_.count(id)) continue;
    handed_out_.insert(id);
    out.push_back(id);
  }
  return out;
}

const PointResult& AskTellSweep::tell(std::uint64_t point,
                                      const std::vector<std::optional<double>>& accuracy) {
  if (!handed_out_.count(point))
    throw Error(Diagnostic{"", "point", 0,
                           fmt::format("point {} was not asked in the current batch", point)});
  if (done_.count(point))
    throw Error(Diagnostic{"", "point", 0, fmt::format("point {} was told already", point)});
  // Through the journal's text form, as runner.cpp does, so told and resumed points are
  // bit-identical.
  const std::string line = to_journal_line(evaluator_.evaluate_told(point, accuracy));
  auto p = from_journal_line(std::string_view(line).substr(0, line.size() - 1),
                             spec_.networks.size(), "tell");
  if (journal_) journal_->append({p});
  return done_.emplace(point, std::move(p)).first->second;
}

bool AskTellSweep::finished() {
  advance();
  return exhausted_;
}

SweepOutcome AskTellSweep::finish() {
  SweepOutcome out;
  for (const auto& [id, p] : done_) out.points.push_back(p);
  out.pareto = pareto_front(out.points, spec_.objectives);
  out.skipped = resumed_;
  out.evaluated = done_.size() - resumed_;
  if (!options_.out_dir.empty()) write_sweep_outputs(spec_, out, evaluator_, options_.out_dir);
  return out;
}

}  // namespace loom::sweep
