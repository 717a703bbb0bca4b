// SPDX-License-Identifier: Apache-2.0
#include "sweep/journal.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "core/config.hpp"
#include "core/error.hpp"

namespace loom::sweep {
namespace {

constexpr std::string_view kMagic = "# loom sweep journal v1 ";

std::string num(double v) { return fmt::format("{}", v); }
std::string opt(const std::optional<double>& v) { return v ? num(*v) : ""; }

// Tabs and line breaks cannot occur inside a field.
std::string clean(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t b = 0;
  for (std::size_t e; (e = line.find('\t', b)) != std::string_view::npos; b = e + 1)
    out.push_back(line.substr(b, e - b));
  out.push_back(line.substr(b));
  return out;
}

[[noreturn]] void fail(const std::string& where, const std::string& why) {
  throw Error(Diagnostic{where, "", 0,
                         "malformed journal line (" + why +
                             "); remove the "
                             "journal to start the sweep afresh"});
}

double parse_num(std::string_view s, const std::string& where) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size())
    fail(where, "bad number '" + std::string(s) + "'");
  return v;
}

std::optional<double> parse_opt(std::string_view s, const std::string& where) {
  if (s.empty()) return std::nullopt;
  return parse_num(s, where);
}

std::string header(const std::string& fingerprint, std::size_t workloads) {
  return std::string(kMagic) + fingerprint + " " + std::to_string(workloads) + "\n";
}

}  // namespace

std::string to_journal_line(const PointResult& p) {
  std::string s =
      fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", p.point, p.feasible ? 1 : 0,
                  num(p.energy_pj), num(p.latency_s), num(p.edp_js), num(p.area_mm2),
                  num(p.power_w), num(p.buffer_kib), opt(p.accuracy_pct), opt(p.accuracy_drop_pp));
  for (const auto& w : p.workloads)
    s += fmt::format("\t{}\t{}\t{}\t{}", num(w.energy_pj), num(w.latency_s), num(w.power_w),
                     opt(w.accuracy_pct));
  return s + "\t" + clean(p.reason) + "\n";
}

PointResult from_journal_line(std::string_view line, std::size_t workloads,
                              const std::string& where) {
  const auto f = split_tabs(line);
  if (f.size() != 11 + 4 * workloads) fail(where, fmt::format("{} fields", f.size()));
  PointResult p;
  std::uint64_t id = 0;
  auto [ptr, ec] = std::from_chars(f[0].data(), f[0].data() + f[0].size(), id);
  if (ec != std::errc{} || ptr != f[0].data() + f[0].size()) fail(where, "bad point id");
  p.point = id;
  if (f[1] != "0" && f[1] != "1") fail(where, "bad feasible flag");
  p.feasible = f[1] == "1";
  p.energy_pj = parse_num(f[2], where);
  p.latency_s = parse_num(f[3], where);
  p.edp_js = parse_num(f[4], where);
  p.area_mm2 = parse_num(f[5], where);
  p.power_w = parse_num(f[6], where);
  p.buffer_kib = parse_num(f[7], where);
  p.accuracy_pct = parse_opt(f[8], where);
  p.accuracy_drop_pp = parse_opt(f[9], where);
  for (std::size_t w = 0; w < workloads; ++w) {
    WorkloadMetrics m;
    m.energy_pj = parse_num(f[10 + 4 * w], where);
    m.latency_s = parse_num(f[11 + 4 * w], where);
    m.power_w = parse_num(f[12 + 4 * w], where);
    m.accuracy_pct = parse_opt(f[13 + 4 * w], where);
    p.workloads.push_back(m);
  }
  p.reason = std::string(f.back());
  return p;
}

Journal::Journal(std::filesystem::path path, const std::string& fingerprint, std::size_t workloads,
                 bool resume)
    : path_(std::move(path)) {
  const std::string head = header(fingerprint, workloads);
  std::size_t keep = 0;  // bytes of the existing file to keep
  std::error_code ec;
  if (resume && std::filesystem::exists(path_, ec)) {
    const std::string text = core::read_text_file(path_);
    const bool torn_header = head.compare(0, text.size(), text) == 0 && text.size() < head.size();
    if (!torn_header && text.compare(0, head.size(), head) != 0)
      throw Error(Diagnostic{path_.string(), "--resume", 0,
                             "this journal belongs to another sweep (or another version of this "
                             "sweep file); remove it or write to another folder"});
    keep = torn_header ? 0 : head.size();
    if (!torn_header)
      for (std::size_t b = keep, e; (e = text.find('\n', b)) != std::string::npos; b = e + 1) {
        finished_.push_back(
            from_journal_line(std::string_view(text).substr(b, e - b), workloads, path_.string()));
        keep = e + 1;
      }
  }
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw Error(Diagnostic{path_.string(), "", 0,
                           std::string("cannot open journal: ") + std::strerror(errno)});
  // Cut a torn last line (or start afresh), then append after what is kept.
  if (::ftruncate(fd_, static_cast<off_t>(keep)) != 0 ||
      ::lseek(fd_, static_cast<off_t>(keep), SEEK_SET) < 0)
    throw Error(Diagnostic{path_.string(), "", 0,
                           std::string("cannot reset journal: ") + std::strerror(errno)});
  if (keep == 0) {
    if (::write(fd_, head.data(), head.size()) != static_cast<ssize_t>(head.size()) ||
        ::fsync(fd_) != 0)
      throw Error(Diagnostic{path_.string(), "", 0,
                             std::string("cannot write journal: ") + std::strerror(errno)});
  }
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(const std::vector<PointResult>& points) {
  std::string text;
  for (const auto& p : points) text += to_journal_line(p);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw Error(Diagnostic{path_.string(), "", 0,
                             std::string("cannot write journal: ") + std::strerror(errno)});
    done += static_cast<std::size_t>(n);
  }
  if (!text.empty() && ::fsync(fd_) != 0)
    throw Error(Diagnostic{path_.string(), "", 0,
                           std::string("cannot sync journal: ") + std::strerror(errno)});
}

}  // namespace loom::sweep
