// SPDX-License-Identifier: Apache-2.0
#pragma once
// A fixed set of threads that runs one parallel loop at a time: run(n, body) calls
// body(begin, end) on disjoint chunks covering [0, n), on the worker threads and the calling
// thread together, and returns when every chunk is done. Chunks are claimed with one atomic
// increment, so there is no lock per point; body writes results by index, which is what keeps
// the mapper's result independent of which thread evaluated which point.
//
// Between loops a worker spins briefly before it sleeps, and so does the caller waiting for
// the last chunk: the mapper hands over a batch every few tens of microseconds, and waking a
// sleeping thread takes about as long as the batch itself (OpenMP runtimes spin for the same
// reason). A spinning thread only ever waits for this pool's own work.
//
// Loops too small to be worth sharing (judged by the measured time per item of earlier loops)
// run on the calling thread alone.
//
// If body throws, the remaining chunks still run and run() rethrows the exception of the
// lowest-numbered failing chunk — the same one whatever the thread count.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace loom::mapper {

class WorkerPool {
 public:
  // `threads` counts the calling thread: 1 means no worker threads at all.
  explicit WorkerPool(unsigned threads);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool();

  [[nodiscard]] unsigned threads() const { return static_cast<unsigned>(workers_.size()) + 1; }

  template <class Body>
  void run(std::size_t n, Body& body) {
    run_erased(
        n,
        [](void* b, std::size_t begin, std::size_t end) { (*static_cast<Body*>(b))(begin, end); },
        &body);
  }

 private:
  using Fn = void (*)(void*, std::size_t, std::size_t);
  void run_erased(std::size_t n, Fn fn, void* ctx);
  void work();
  void worker_loop(const std::stop_token& stop);

  std::mutex mutex_;  // guards sleeping and error_; the job itself is published by job_
  std::condition_variable_any wake_;
  std::condition_variable finished_;
  // The current job: written by the caller before it bumps job_ (release), read by workers
  // after they see the new job_ (acquire).
  Fn fn_ = nullptr;
  void* ctx_ = nullptr;
  std::size_t n_ = 0, chunk_ = 1;
  std::atomic<std::size_t> next_chunk_{0};
  std::atomic<std::uint64_t> job_{0};
  std::atomic<unsigned> pending_{0};  // workers that have not finished the current job
  std::exception_ptr error_;
  std::size_t error_chunk_ = 0;
  double ns_per_item_ = -1;  // running estimate of the cost of one item; < 0 until measured
  std::vector<std::jthread> workers_;  // last: joined before the members they use die
};

}  // namespace loom::mapper
