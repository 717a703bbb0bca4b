// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "mapper/cache.hpp"

using loom::mapper::ResultCache;

TEST_CASE("result cache computes a key once and returns the stored value after") {
  ResultCache<std::string, int> cache;
  int calls = 0;
  CHECK(cache.get_or_compute("conv3x3/64/int8", [&] { return ++calls * 10; }) == 10);
  CHECK(cache.get_or_compute("conv3x3/64/int8", [&] { return ++calls * 10; }) == 10);
  CHECK(cache.get_or_compute("conv1x1/64/int8", [&] { return ++calls * 10; }) == 20);
  CHECK(calls == 2);
  CHECK(cache.find("conv3x3/64/int8") == 10);
  CHECK_FALSE(cache.find("fc/1000/int8"));
  CHECK(cache.size() == 2);
  CHECK(cache.hits() == 1);
  CHECK(cache.misses() == 2);
}

TEST_CASE("result cache computes once even when threads ask for the same key together") {
  ResultCache<int, int> cache;
  std::atomic<int> calls{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  std::vector<int> got(8);
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      got[t] = cache.get_or_compute(t % 2, [&] {
        ++calls;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return 100 + t % 2;
      });
    });
  for (auto& th : threads) th.join();
  CHECK(calls == 2);
  for (int t = 0; t < 8; ++t) CHECK(got[t] == 100 + t % 2);
}

TEST_CASE("result cache forgets a key whose computation threw") {
  ResultCache<int, int> cache;
  CHECK_THROWS_WITH(cache.get_or_compute(1, []() -> int { throw std::runtime_error("no"); }), "no");
  CHECK(cache.size() == 0);
  CHECK(cache.get_or_compute(1, [] { return 5; }) == 5);
}
