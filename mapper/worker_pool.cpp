// SPDX-License-Identifier: Apache-2.0
#include "mapper/worker_pool.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace loom::mapper {
namespace {

// About 50-100 us of polling (a pause is 10-140 cycles depending on the CPU): longer than the
// mapper's sequential work between two batches, much shorter than a search.
constexpr int kSpins = 2000;

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

template <class Done>
bool spin_until(Done done) {
  for (int i = 0; i < kSpins; ++i) {
    if (done()) return true;
    cpu_relax();
  }
  return done();
}

}  // namespace

WorkerPool::WorkerPool(unsigned threads) {
  for (unsigned i = 1; i < threads; ++i)
    workers_.emplace_back([this](const std::stop_token& stop) { worker_loop(stop); });
}

WorkerPool::~WorkerPool() {
  for (auto& w : workers_) w.request_stop();
  std::lock_guard lock(mutex_);  // a worker between its check and its sleep must see the stop
  wake_.notify_all();
}

void WorkerPool::worker_loop(const std::stop_token& stop) {
  std::uint64_t seen = 0;
  for (;;) {
    const auto new_job = [&] { return job_.load(std::memory_order_acquire) != seen; };
    if (!spin_until([&] { return new_job() || stop.stop_requested(); })) {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, stop, new_job);
    }
    if (stop.stop_requested()) return;
    seen = job_.load(std::memory_order_acquire);
    work();
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard lock(mutex_);  // the caller may be about to sleep: see run_erased
      finished_.notify_one();
    }
  }
}

void WorkerPool::work() {
  for (;;) {
    const std::size_t c = next_chunk_.fetch_add(1, std::memory_order_relaxed);
    const std::size_t begin = c * chunk_;
    if (begin >= n_) return;
    try {
      fn_(ctx_, begin, std::min(begin + chunk_, n_));
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_ || c < error_chunk_) {
        error_ = std::current_exception();
        error_chunk_ = c;
      }
    }
  }
}

void WorkerPool::run_erased(std::size_t n, Fn fn, void* ctx) {
  if (n == 0) return;
  if (workers_.empty()) {
    fn(ctx, 0, n);
    return;
  }
  // Handing a loop to other threads costs some microseconds, and much more when the machine is
  // busy and a worker is descheduled holding a chunk: loops estimated (from the time per item
  // of earlier loops) to take less than kMinParallelNs run on the calling thread alone. Who
  // runs an item never changes its result, so this timing-based choice is safe.
  constexpr std::size_t kMinChunk = 16;
  constexpr double kMinParallelNs = 30'000;
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto learn = [&](double ns_per_item) {
    ns_per_item_ = ns_per_item_ < 0 ? ns_per_item : 0.75 * ns_per_item_ + 0.25 * ns_per_item;
  };
  const auto elapsed_ns = [&] {
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  };
  if (n < 2 * kMinChunk || ns_per_item_ < 0 ||
      ns_per_item_ * static_cast<double>(n) < kMinParallelNs) {
    fn(ctx, 0, n);
    learn(elapsed_ns() / static_cast<double>(n));
    return;
  }
  fn_ = fn;
  ctx_ = ctx;
  n_ = n;
  // About four chunks per thread balances uneven evaluation times without much contention.
  chunk_ = std::max(kMinChunk, n / (4 * std::size_t{threads()}));
  next_chunk_.store(0, std::memory_order_relaxed);
  pending_.store(static_cast<unsigned>(workers_.size()), std::memory_order_relaxed);
  job_.fetch_add(1, std::memory_order_release);
  {
    // Taking the mutex orders this notify after any worker's check-then-sleep.
    std::lock_guard lock(mutex_);
    wake_.notify_all();
  }
  work();
  const auto all_done = [&] { return pending_.load(std::memory_order_acquire) == 0; };
  if (!spin_until(all_done)) {
    std::unique_lock lock(mutex_);
    finished_.wait(lock, all_done);
  }
  learn(elapsed_ns() * threads() / static_cast<double>(n));
  std::exception_ptr error;
  {
    std::lock_guard lock(mutex_);
    error = std::exchange(error_, nullptr);
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace loom::mapper
