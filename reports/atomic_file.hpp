// SPDX-License-Identifier: Apache-2.0
#pragma once
// Files appear whole or not at all: every writer in reports/ writes `<path>.tmp`, flushes it to
// disk and renames it over `<path>`, so a crash (or a full disk) mid-write leaves either the old
// file or none, never half a file. A command's several outputs appear together through a
// FileSet. Failures throw loom::Error naming `<path>` and the reason. The parent directory must
// exist; creating it is the caller's choice.
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

namespace loom::reports {

// Writes `content` to `path` atomically.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// One file of a FileSet, or one written by a library that wants a file name: write to `tmp()`
// (or call write()), then `commit()`. If the object is destroyed without commit, the temp file
// is removed.
class TempFile {
 public:
  explicit TempFile(std::filesystem::path target);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  [[nodiscard]] const std::filesystem::path& tmp() const { return tmp_; }
  [[nodiscard]] const std::filesystem::path& target() const { return target_; }
  // Writes `content` to the temp file (not yet visible under the target's name).
  void write(std::string_view content);
  // Flushes the temp file to disk and renames it to the target.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path tmp_;
  bool committed_ = false;
};

// The outputs of one command, which appear together or not at all (`loom run`'s three files,
// `loom sweep`'s four, `loom map`'s one per layer): each is written completely under its
// temporary name, and commit() renames them over their targets only once all are written and no
// target is in the way (a folder under its name), so a failure before commit() -- a full disk,
// an unwritable path, an exception -- leaves every previous file as it was and no temporaries.
// What remains is the moment the renames themselves take (microseconds, no disk space needed).
// The folder itself is not swapped: it may hold the user's other files (a sweep's journal).
class FileSet {
 public:
  // A file of the set, to be written through TempFile::write or a library given tmp(). Throws
  // loom::Error if another file of the set already has this target (one output would be lost).
  TempFile& add(std::filesystem::path target);
  // add(target).write(content).
  void write(std::filesystem::path target, std::string_view content);
  // Checks every target can be replaced, then renames all temporaries into place.
  void commit();

 private:
  std::vector<std::unique_ptr<TempFile>> files_;
};

// Throws loom::Error "<output>: <flag> would overwrite the input <input>; ..." when `output` names
// the same file as `input` (through any path, link or `..`), so no command replaces what it
// reads. `flag` is how the user chose the output (`-o`, or empty for a default name).
void refuse_overwriting_input(const std::filesystem::path& output,
                              const std::filesystem::path& input, std::string_view flag);

// Throws loom::Error "<path>: cannot write (<reason>)".
[[noreturn]] void throw_write_error(const std::filesystem::path& path, std::string_view reason);

}  // namespace loom::reports
