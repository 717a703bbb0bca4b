// SPDX-License-Identifier: Apache-2.0
#include "sweep/runner.hpp"

#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "sweep/evaluate_point.hpp"
#include "sweep/journal.hpp"
#include "sweep/outputs.hpp"
#include "sweep/parallel_for.hpp"
#include "sweep/pareto.hpp"
#include "sweep/progress.hpp"
#include "sweep/proposer.hpp"

namespace loom::sweep {
namespace {

using Clock = std::chrono::steady_clock;

int thread_count(const SweepOptions& o, const Comm& comm) {
  if (o.threads > 0) return o.threads;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, cores / std::max(1, comm.local_size()));
}

// A sweep started afresh truncates the journal and replaces the outputs, so a folder holding an
// earlier sweep (or anything else) is kept unless the user said which of the two they mean.
void refuse_earlier_sweep(const SweepOptions& o) {
  if (o.resume || o.overwrite) return;
  std::error_code ec;
  if (!std::filesystem::is_directory(o.out_dir, ec)) return;
  if (std::filesystem::directory_iterator(o.out_dir, ec) == std::filesystem::directory_iterator())
    return;
  throw Error(Diagnostic{o.out_dir.string(), "-o", 0,
                         "output folder is not empty (an earlier sweep's files?): pass --resume to "
                         "continue the sweep journalled there, --force to replace its files, or "
                         "choose another folder with -o"});
}

}  // namespace

SweepOutcome run_sweep(const SweepSpec& spec, Comm& comm, const SweepOptions& options) {
  const auto start = Clock::now();
  const bool root = comm.rank() == 0;
  const int threads = thread_count(options, comm);
  const std::size_t nw = spec.networks.size();
  if (root && options.log) fmt::print(options.log, "ranks: {}\n", comm.size());

  // Rank 0 owns the journal; the finished points it holds go to every rank.
  std::unique_ptr<Journal> journal;
  std::string finished_text;
  bool failed = false;
  std::string failure;
  if (root) {
    try {
      refuse_earlier_sweep(options);
      std::error_code ec;
      std::filesystem::create_directories(options.out_dir, ec);
      if (ec)
        throw Error(
            Diagnostic{options.out_dir.string(), "-o", 0, "cannot create folder: " + ec.message()});
      journal = std::make_unique<Journal>(options.out_dir / "journal.tsv", spec.fingerprint, nw,
                                          options.resume);
      // The fingerprint matched, so an id beyond the space means the journal was damaged.
      const auto& finished = journal->finished();
      for (std::size_t i = 0; i < finished.size(); ++i)
        if (finished[i].point >= spec.point_count())
          throw Error(Diagnostic{(options.out_dir / "journal.tsv").string(), "--resume",
                                 static_cast<int>(i) + 2,
                                 fmt::format("point id {} is outside this sweep's {} points; "
                                             "remove the journal to start the sweep afresh",
                                             finished[i].point, spec.point_count())});
      for (const auto& p : finished) finished_text += to_journal_line(p);
    } catch (const Error& e) {
      failed = true;
      failure = e.what();
    }
  }
  if (comm.any(failed)) throw Error(root ? failure : "rank 0 could not open the journal");
  finished_text = comm.broadcast(finished_text);

  std::map<std::uint64_t, PointResult> done;
  for (std::size_t b = 0, e; (e = finished_text.find('\n', b)) != std::string::npos; b = e + 1) {
    auto p = from_journal_line(std::string_view(finished_text).substr(b, e - b), nw, "journal");
    done.emplace(p.point, std::move(p));
  }
  SweepOutcome out;
  out.skipped = done.size();
  if (root && options.resume && options.log)
    fmt::print(options.log, "resumed: skipped {} finished points\n", out.skipped);

  const PointEvaluator evaluator(spec);
  // Under MPI, ranks meet once per batch: 16 points per thread balance slow and fast points
  // and keep the journal steady (one process journals every point as it finishes).
  const auto batch =
      static_cast<std::uint64_t>(comm.size()) * static_cast<std::uint64_t>(threads) * 16;
  auto proposer = make_proposer(spec, comm.size() == 1 ? 256 : batch);
  Progress progress(spec, proposer->planned(), root ? options.progress : nullptr);
  progress.resumed(done);
  std::mutex journal_mutex;
  for (;;) {
    const auto ids = proposer->next();
    if (ids.empty()) break;
    std::vector<std::uint64_t> todo;
    for (auto id : ids)
      if (!done.count(id) && std::find(todo.begin(), todo.end(), id) == todo.end())
        todo.push_back(id);
    // Static partition in contiguous shares: neighbouring ids differ in the last axes only
    // (often algorithm variants of one accelerator), so a rank's cache serves its share.
    const auto share = [&](int r) {
      return todo.size() * static_cast<std::size_t>(r) / static_cast<std::size_t>(comm.size());
    };
    const std::vector<std::uint64_t> mine(
        todo.begin() + static_cast<std::ptrdiff_t>(share(comm.rank())),
        todo.begin() + static_cast<std::ptrdiff_t>(share(comm.rank() + 1)));
    std::vector<std::string> lines(mine.size());
    failed = false;
    try {
      // Across ranks, each distinct layer of the batch is searched once, then shared.
      if (comm.size() > 1) (void)evaluator.share_mappings(todo, comm, threads);
      parallel_for(mine.size(), threads, [&](std::size_t i) {
        // Through the journal's text form, so fresh and resumed points are bit-identical.
        lines[i] = to_journal_line(evaluator.evaluate(mine[i]));
        if (comm.size() == 1) {  // one process: journal each point as it finishes
          const auto p = from_journal_line(lines[i].substr(0, lines[i].size() - 1), nw, "");
          std::lock_guard lock(journal_mutex);
          journal->append({p});
          progress.point_done(p);
        }
      });
    } catch (const Error& e) {
      failed = true;
      failure = e.what();
    }
    if (comm.any(failed)) throw Error(failed ? failure : "another rank failed (see its message)");
    std::string text;
    for (const auto& l : lines) text += l;
    std::vector<PointResult> fresh;
    for (const auto& part : comm.allgather(text))
      for (std::size_t b = 0, e; (e = part.find('\n', b)) != std::string::npos; b = e + 1)
        fresh.push_back(from_journal_line(std::string_view(part).substr(b, e - b), nw, "gather"));
    if (comm.size() > 1) {
      // Every rank learns whether rank 0 could journal the batch, so none waits for it alone.
      failed = false;
      if (root) {
        try {
          journal->append(fresh);
          for (const auto& p : fresh) progress.point_done(p);
        } catch (const Error& e) {
          failed = true;
          failure = e.what();
        }
      }
      if (comm.any(failed)) throw Error(root ? failure : "rank 0 could not write the journal");
    }
    out.evaluated += fresh.size();
    for (auto& p : fresh) done.emplace(p.point, std::move(p));
    std::vector<const PointResult*> results;
    for (auto id : ids) results.push_back(&done.at(id));
    proposer->told(results);
  }
  progress.finish();
  for (auto& [id, p] : done) out.points.push_back(std::move(p));
  out.pareto = pareto_front(out.points, spec.objectives);
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // Layers searched by all ranks (under MPI, each distinct layer on one rank only).
  std::size_t searched = evaluator.cache_misses();
  if (comm.size() > 1) {
    searched = 0;
    for (const auto& n : comm.allgather(std::to_string(evaluator.cache_misses())))
      searched += std::stoull(n);
  }
  if (root && options.write_outputs) write_sweep_outputs(spec, out, evaluator, options.out_dir);
  if (root && options.log)
    fmt::print(options.log,
               "{} points ({} evaluated now, {} from the journal), {} on the Pareto front, "
               "{:.1f} s; mapped layers reused {} times, searched {}\n",
               out.points.size(), out.evaluated, out.skipped, out.pareto.size(), out.seconds,
               evaluator.cache_hits(), searched);
  return out;
}

}  // namespace loom::sweep
