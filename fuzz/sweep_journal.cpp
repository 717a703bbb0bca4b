// SPDX-License-Identifier: Apache-2.0
// Fuzz target: a sweep's journal.tsv as `loom sweep --resume` reads it. The first line must
// name the sweep ("fuzz", one workload here); the points after it are parsed, a torn last line
// cut off. Every point read back must write back to the same line.
#include "fuzz/fuzz_input.hpp"
#include "sweep/journal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace loom;
  const auto path = fuzz::scratch_file("journal.tsv", fuzz::text_of(data, size));
  fuzz::refuse_only([&] {
    const sweep::Journal journal(path, "fuzz", 1, /*resume=*/true);
    for (const auto& p : journal.finished()) {
      const std::string line = sweep::to_journal_line(p);
      const auto again =
          sweep::from_journal_line(std::string_view(line).substr(0, line.size() - 1), 1, "again");
      fuzz::require(sweep::to_journal_line(again) == line, "a journal line reads back exactly");
    }
  });
  return 0;
}
