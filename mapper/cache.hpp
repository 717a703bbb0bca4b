// SPDX-License-Identifier: Apache-2.0
#pragma once
// A thread-safe memo for whole searches, so a network's repeated layer shapes are mapped once.
// The caller builds the key from everything the result depends on (layer shape, precision,
// accelerator, objective, budget, seed); the cache cannot check that the key is complete.
//
// get_or_compute() runs `make` at most once per key, even when several threads ask for the
// same key at the same time: the first caller computes, the others wait for its value. Because
// the mapper is deterministic, which caller computes never changes the value. If `make`
// throws, every waiting caller gets the exception and the key is forgotten, so a later call
// tries again. The mutex is held only to look up or insert, never while computing.
#include <cstddef>
#include <cstdint>
#include <future>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

namespace loom::mapper {

template <class Key, class Value, class Hash = std::hash<Key>>
class ResultCache {
 public:
  // `make` must not ask this cache for the same key (it would wait for itself).
  template <class Make>
  Value get_or_compute(const Key& key, Make&& make) {
    std::promise<Value> promise;
    std::shared_future<Value> future;
    std::uint64_t ticket = 0;
    {
      std::lock_guard lock(mutex_);
      auto [it, inserted] = entries_.try_emplace(key);
      if (!inserted) {
        ++hits_;
        future = it->second.future;
      } else {
        ++misses_;
        ticket = ++tickets_;
        future = promise.get_future().share();
        it->second = {future, ticket};
      }
    }
    if (ticket == 0) return future.get();  // computed, or being computed, elsewhere
    try {
      promise.set_value(std::forward<Make>(make)());
    } catch (...) {
      promise.set_exception(std::current_exception());
      std::lock_guard lock(mutex_);
      // Forget the failure, unless clear() and a new computation replaced our entry.
      const auto it = entries_.find(key);
      if (it != entries_.end() && it->second.ticket == ticket) entries_.erase(it);
      throw;
    }
    return future.get();
  }

  // Whether `key` is computed or being computed.
  [[nodiscard]] bool contains(const Key& key) const {
    std::lock_guard lock(mutex_);
    return entries_.count(key) > 0;
  }

  // Adds a value computed elsewhere (another process), unless `key` is already present; counts
  // neither a hit nor a miss.
  void insert(const Key& key, Value value) {
    std::promise<Value> promise;
    promise.set_value(std::move(value));
    std::lock_guard lock(mutex_);
    entries_.try_emplace(key, Entry{promise.get_future().share(), 0});
  }

  // The value if it is computed (or being computed: then this waits for it).
  [[nodiscard]] std::optional<Value> find(const Key& key) const {
    std::shared_future<Value> future;
    {
      std::lock_guard lock(mutex_);
      const auto it = entries_.find(key);
      if (it == entries_.end()) return std::nullopt;
      future = it->second.future;
    }
    return future.get();
  }

  [[nodiscard]] std::size_t size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }
  [[nodiscard]] std::size_t hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
  }
  [[nodiscard]] std::size_t misses() const {
    std::lock_guard lock(mutex_);
    return misses_;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
  }

 private:
  struct Entry {
    std::shared_future<Value> future;
    std::uint64_t ticket = 0;  // which computation filled it
  };
  mutable std::mutex mutex_;
  std::unordered_map<Key, Entry, Hash> entries_;
  std::size_t hits_ = 0, misses_ = 0;
  std::uint64_t tickets_ = 0;
};

}  // namespace loom::mapper
