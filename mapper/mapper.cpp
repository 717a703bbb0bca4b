// SPDX-License-Identifier: Apache-2.0
#include "mapper/mapper.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <thread>

#include "core/error.hpp"
#include "mapper/invalid_reasons.hpp"
#include "mapper/point_memo.hpp"
#include "mapper/worker_pool.hpp"

namespace loom::mapper {
namespace {

void validate(const MapperOptions& o) {
  if (o.budget == 0) throw Error("mapper budget must be >= 1");
  if (o.budget > GenomeTable::kMaxPoints)
    throw Error("mapper budget must be <= " + std::to_string(GenomeTable::kMaxPoints));
  if (o.threads < 0 || o.threads > 1024) throw Error("mapper threads must be in [0, 1024]");
  if (o.batch_size == 0) throw Error("mapper batch_size must be >= 1");
  const auto& wall = o.wall_clock_limit_s;
  if (wall && !(std::isfinite(*wall) && *wall > 0))
    throw Error("mapper wall-clock limit must be a number of seconds > 0");
  o.objective.validate();
  o.genetic.validate();
}

struct NoSearch final : Search {
  void ask(std::size_t, Batch&) override {}
  void tell(const Batch&, std::span<const double>) override {}
  [[nodiscard]] bool done() const override { return true; }
};

}  // namespace

MapperResult search(const SearchSpace& space, const Evaluator& evaluator,
                    const MapperOptions& options) {
  validate(options);
  const Strategy concrete = resolve_strategy(options.strategy, space, options.budget);
  MapperResult r;
  if (space.empty_gene()) {  // nothing to build a strategy for
    NoSearch none;
    r = search(space, evaluator, none, options);
  } else {
    const auto strategy = make_search(space, {.strategy = concrete,
                                              .seed = options.seed,
                                              .budget = options.budget,
                                              .genetic = options.genetic,
                                              .objective = options.objective,
                                              .bounds = evaluator.bounds(),
                                              .exact_warmup = options.exact_warmup});
    r = search(space, evaluator, *strategy, options);
  }
  r.strategy = concrete;
  return r;
}

MapperResult search(const SearchSpace& space, const Evaluator& evaluator, Search& strategy,
                    const MapperOptions& options) {
  validate(options);
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto elapsed_s = [&] {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };

  MapperResult r;
  r.strategy = options.strategy;
  if (const auto g = space.empty_gene()) {
    r.stop = StopReason::space_exhausted;
    r.empty_reason = space.gene_name(*g) + " has no legal value, so the space is empty";
    return r;
  }
  unsigned threads = static_cast<unsigned>(options.threads);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  WorkerPool pool(threads);

  // All per-batch storage lives across batches: after the first rounds the loop allocates
  // only when the memo grows past its reservation.
  const auto space_size = space.exact_size();
  PointMemo memo(space.genes(), std::min(options.budget, space_size.value_or(options.budget)),
                 kMaxDuplicateRun);
  Batch batch(space.genes());
  std::vector<Evaluation> evals;  // by position in memo.fresh()
  std::vector<double> scores;     // by batch position, as told
  ReasonTally reasons;
  double best_secondary = 0;

  const auto stop_reason = [&]() -> std::optional<StopReason> {
    if (r.evaluated >= options.budget) return StopReason::budget;
    if (strategy.done()) return StopReason::strategy_done;
    if (space_size && memo.size() == *space_size) return StopReason::space_exhausted;
    if (memo.stuck()) return StopReason::no_new_points;
    if (options.wall_clock_limit_s && elapsed_s() >= *options.wall_clock_limit_s)
      return StopReason::wall_clock;
    return std::nullopt;
  };

  for (;;) {
    if (const auto stop = stop_reason()) {
      r.stop = *stop;
      break;
    }
    // Repeats cost no budget, so asking for at most the remaining budget keeps
    // evaluated <= budget without ever cutting a batch short.
    const auto ask = static_cast<std::size_t>(
        std::min<std::uint64_t>(options.batch_size, options.budget - r.evaluated));
    batch.clear();
    strategy.ask(ask, batch);
    if (batch.empty()) {
      r.stop = StopReason::strategy_done;
      break;
    }
    if (batch.size() > ask) throw std::logic_error("mapper: strategy proposed too many points");
    for (std::size_t i = 0; i < batch.size(); ++i)
      if (!space.contains(batch[i]))
        throw std::logic_error("mapper: strategy proposed a point outside the space");
    memo.admit(batch);
    const auto& fresh = memo.fresh();

    evals.resize(fresh.size());
    auto evaluate = [&](std::size_t begin, std::size_t end) {
      for (std::size_t k = begin; k < end; ++k) evals[k] = evaluator.evaluate(batch[fresh[k]]);
    };
    pool.run(fresh.size(), evaluate);

    // Sequential, in proposal order: the only place results are combined.
    for (std::size_t k = 0; k < fresh.size(); ++k) {
      const Evaluation& ev = evals[k];
      ++r.evaluated;
      const double score = ev.valid ? options.objective.score(ev.cost) : 0;
      if (!ev.valid || !(std::isfinite(score) && std::isfinite(ev.cost.energy_pj) &&
                         std::isfinite(ev.cost.cycles))) {
        reasons.add(!ev.valid ? (ev.invalid_reason.empty() ? "unspecified" : ev.invalid_reason)
                              : "non-finite cost");
        continue;  // its memo score stays +infinity
      }
      ++r.valid;
      memo.set_score(k, score);
      const double secondary = options.objective.secondary(ev.cost);
      const GenomeView g = batch[fresh[k]];
      if (r.best &&
          (score > r.best_score ||
           (score == r.best_score && (secondary > best_secondary ||
                                      (secondary == best_secondary && !genome_less(g, *r.best))))))
        continue;
      if (!r.best) r.best.emplace();
      r.best->assign(g.begin(), g.end());  // reuses the vector's storage
      r.best_score = score;
      r.best_eval = ev;
      r.best_eval.invalid_reason = {};
      best_secondary = secondary;
    }
    memo.batch_scores(scores);
    r.proposed += batch.size();
    strategy.tell(batch, scores);

    if (options.on_progress) {
      Progress p{.evaluated = r.evaluated,
                 .valid = r.valid,
                 .budget = options.budget,
                 .elapsed_s = elapsed_s()};
      if (r.best) {
        p.best_score = r.best_score;
        p.best_cost = r.best_eval.cost;
      }
      options.on_progress(p);
    }
  }

  r.stopped_by_wall_clock = r.stop == StopReason::wall_clock;
  if (const auto c = strategy.certificate()) {
    r.pruned = c->pruned;
    // A completed search proves its best optimal; the bound then is the best itself (the
    // bounds' own slack must not show as a gap).
    const bool complete = strategy.done() || r.stop == StopReason::space_exhausted;
    r.lower_bound = complete && r.best ? r.best_score : c->lower_bound;
    if (r.best)
      r.optimality_gap_pct =
          complete || r.best_score <= 0
              ? 0.0
              : std::max(0.0, 100.0 * (r.best_score - *r.lower_bound) / r.best_score);
  }
  r.invalid_reasons = reasons.sorted();
  if (!r.best)
    r.empty_reason =
        explain_empty(r.evaluated, r.invalid_reasons, space_size && memo.size() == *space_size,
                      r.stopped_by_wall_clock);
  return r;
}

}  // namespace loom::mapper
