// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "mapper/worker_pool.hpp"

using loom::mapper::WorkerPool;

namespace {

void spin_for(std::chrono::microseconds d) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
  }
}

}  // namespace

TEST_CASE("worker pool covers every index once and shares slow loops between threads") {
  WorkerPool pool(2);
  std::vector<int> hits(400);
  std::mutex m;
  std::set<std::thread::id> ids;
  auto body = [&](std::size_t begin, std::size_t end) {
    {
      std::lock_guard lock(m);
      ids.insert(std::this_thread::get_id());
    }
    for (std::size_t i = begin; i < end; ++i) {
      ++hits[i];
      spin_for(std::chrono::microseconds(20));
    }
  };
  for (int round = 0; round < 3; ++round) pool.run(hits.size(), body);  // 1st run measures
  for (int h : hits) CHECK(h == 3);
  CHECK(ids.size() == 2);
}

TEST_CASE("worker pool runs cheap loops on the caller and rethrows the lowest failing chunk") {
  WorkerPool pool(3);
  std::atomic<int> sum{0};
  auto cheap = [&](std::size_t begin, std::size_t end) { sum += int(end - begin); };
  pool.run(10, cheap);
  CHECK(sum == 10);
  auto failing = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      spin_for(std::chrono::microseconds(5));
      if (i == 700 || i == 90) throw std::runtime_error("item " + std::to_string(i));
    }
  };
  for (int round = 0; round < 3; ++round) CHECK_THROWS_WITH(pool.run(1000, failing), "item 90");
}
