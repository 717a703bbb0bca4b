// SPDX-License-Identifier: Apache-2.0
#pragma once
// A sweep's thread pool for one batch: fn(i) for every i in [0, n) on up to `threads` threads
// (the caller's included). Items are taken in index order; the first exception by index is
// rethrown after all items ran, so which thread failed never changes what the caller sees.
#include <cstddef>
#include <functional>

namespace loom::sweep {

void parallel_for(std::size_t n, int threads, const std::function<void(std::size_t)>& fn);

}  // namespace loom::sweep
