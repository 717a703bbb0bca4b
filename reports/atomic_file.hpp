// SPDX-License-Identifier: Apache-2.0
#pragma once
// Files appear whole or not at all: every writer in reports/ writes `<path>.tmp`, flushes it to
// disk and renames it over `<path>`, so a crash (or a full disk) mid-write leaves either the old
// file or none, never half a file. Failures throw loom::Error naming `<path>` and the reason.
// The parent directory must exist; creating it is the caller's choice.
#include <filesystem>
#include <string_view>

namespace loom::reports {

// Writes `content` to `path` atomically.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// For files written by a library that wants a file name (HDF5), or several files that must
// appear together: write to `tmp()` (or call write()), then `commit()`. If the object is destroyed
// without commit, the temp file is removed.
class TempFile {
 public:
  explicit TempFile(std::filesystem::path target);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  [[nodiscard]] const std::filesystem::path& tmp() const { return tmp_; }
  [[nodiscard]] const std::filesystem::path& target() const { return target_; }
  // Creates the temp file empty; throws loom::Error with the OS's reason if it cannot.
  void create();
  // Writes `content` to the temp file (not yet visible under the target's name).
  void write(std::string_view content);
  // Flushes the temp file to disk and renames it to the target.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path tmp_;
  bool committed_ = false;
};

// Throws loom::Error "<output>: <flag> would overwrite the input <input>; ..." when `output` names
// the same file as `input` (through any path, link or `..`), so no command replaces what it
// reads. `flag` is how the user chose the output (`-o`, or empty for a default name).
void refuse_overwriting_input(const std::filesystem::path& output,
                              const std::filesystem::path& input, std::string_view flag);

// Throws loom::Error "<path>: cannot write (<reason>)".
[[noreturn]] void throw_write_error(const std::filesystem::path& path, std::string_view reason);

}  // namespace loom::reports
