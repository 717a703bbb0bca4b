// SPDX-License-Identifier: Apache-2.0
#include "reports/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include "core/error.hpp"

namespace loom::reports {
namespace {

std::filesystem::path temp_path(const std::filesystem::path& p) {
  std::filesystem::path t = p;
  t += ".tmp";
  return t;
}

std::string errno_text() { return std::strerror(errno); }

// fsync before rename: without it a power loss after the rename can leave an empty file on
// filesystems that reorder data and metadata writes.
bool sync_file(const std::filesystem::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

void rename_into_place(const std::filesystem::path& tmp, const std::filesystem::path& target) {
  if (!sync_file(tmp) || std::rename(tmp.c_str(), target.c_str()) != 0) {
    const std::string reason = errno_text();
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw_write_error(target, reason);
  }
}

}  // namespace

void throw_write_error(const std::filesystem::path& path, std::string_view reason) {
  throw Error(Diagnostic{path.string(), {}, 0, "cannot write (" + std::string(reason) + ")"});
}

void refuse_overwriting_input(const std::filesystem::path& output,
                              const std::filesystem::path& input, std::string_view flag) {
  std::error_code ec;
  const bool same = std::filesystem::exists(output, ec) && std::filesystem::exists(input, ec)
                        ? std::filesystem::equivalent(output, input, ec)
                        : std::filesystem::weakly_canonical(output, ec) ==
                              std::filesystem::weakly_canonical(input, ec);
  if (!same) return;
  const std::string how =
      flag.empty() ? "the default output" : "the output given with " + std::string(flag);
  throw Error(Diagnostic{
      output.string(),
      {},
      0,
      how + " is the input " + input.string() + ", which would be overwritten; " +
          (flag.empty() ? "name an output file with -o" : "choose another output file")});
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  TempFile file(path);
  file.write(content);
  file.commit();
}

TempFile::TempFile(std::filesystem::path target)
    : target_(std::move(target)), tmp_(temp_path(target_)) {}

TempFile::~TempFile() {
  if (committed_) return;
  std::error_code ignored;
  std::filesystem::remove(tmp_, ignored);
}

void TempFile::write(std::string_view content) {
  const int fd = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw_write_error(target_, errno_text());
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string reason = errno_text();
      ::close(fd);
      throw_write_error(target_, reason);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw_write_error(target_, errno_text());
}

void TempFile::commit() {
  rename_into_place(tmp_, target_);
  committed_ = true;
}

TempFile& FileSet::add(std::filesystem::path target) {
  for (const auto& f : files_)
    if (f->target() == target)
      throw_write_error(target, "two outputs of this command would have this name");
  files_.push_back(std::make_unique<TempFile>(std::move(target)));
  return *files_.back();
}

void FileSet::write(std::filesystem::path target, std::string_view content) {
  add(std::move(target)).write(content);
}

void FileSet::commit() {
  // rename() cannot put a file where a folder is; found now, before any file is renamed, it
  // leaves the previous outputs whole instead of half replaced.
  for (const auto& f : files_) {
    std::error_code ec;  // rename() replaces a link itself, whatever it points to
    if (std::filesystem::is_directory(std::filesystem::symlink_status(f->target(), ec)))
      throw_write_error(f->target(), "a folder has this name");
  }
  for (const auto& f : files_) f->commit();
}

}  // namespace loom::reports
