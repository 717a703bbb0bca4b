// SPDX-License-Identifier: Apache-2.0
#pragma once
// The checkpoint of a sweep: one text line per finished point, appended and fsync'ed as points
// finish, so an interrupted sweep (Ctrl-C, kill -9, power loss) loses no finished point. The
// first line names the sweep (a hash of its file) so a journal is never resumed against another
// spec. Numbers are written in their shortest exact form, so a point read back is bit-identical
// to the point written. A torn last line (a crash mid-write) is dropped on resume.
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sweep/point.hpp"

namespace loom::sweep {

[[nodiscard]] std::string to_journal_line(const PointResult& p);  // ends in '\n'
// Throws loom::Error naming `where` for a malformed line.
[[nodiscard]] PointResult from_journal_line(std::string_view line, std::size_t workloads,
                                            const std::string& where);

class Journal {
 public:
  // Opens `path` for appending. Without `resume` the file starts afresh; with it, finished()
  // holds the points already there (a torn last line is cut off). Throws loom::Error if the
  // journal belongs to another sweep or cannot be opened.
  Journal(std::filesystem::path path, const std::string& fingerprint, std::size_t workloads,
          bool resume);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  [[nodiscard]] const std::vector<PointResult>& finished() const { return finished_; }
  // Appends the points and flushes them to disk (fsync) before returning.
  void append(const std::vector<PointResult>& points);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<PointResult> finished_;
};

}  // namespace loom::sweep
