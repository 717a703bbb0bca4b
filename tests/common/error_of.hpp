// SPDX-License-Identifier: Apache-2.0
#pragma once
// The message of the loom::Error that `f` throws, or "" if it throws none: lets a test compare
// whole error texts.
#include <functional>
#include <string>

#include "core/error.hpp"

inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const loom::Error& e) {
    return e.what();
  }
  return "";
}
