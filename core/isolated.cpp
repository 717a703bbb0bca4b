// SPDX-License-Identifier: Apache-2.0
#include "core/isolated.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <new>

#include "core/error.hpp"

// Present when a sanitizer runtime is linked (weak: absent otherwise).
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace loom::core {
namespace {

// Exit codes of the child, one per IsolatedStatus it can report itself.
constexpr int kOk = 0, kRefused = 3, kOutOfMemory = 4, kFailed = 5;

void write_all(int fd, const std::string& s) {
  for (std::size_t done = 0; done < s.size();) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(kFailed);
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void run_child(const std::function<std::string()>& work, unsigned cpu_seconds,
                            int out) {
  // The host's crash handlers (a test framework's, a sanitizer's) must not report the child's
  // crash, nor glibc's "malloc(): corrupted ..." reach the user's terminal: the parent explains.
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, SIG_DFL);
  if (const int null = ::open("/dev/null", O_WRONLY); null >= 0) ::dup2(null, STDERR_FILENO);
  // Nor a fuzzer's death callback record the parent's input as a crash.
  if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(nullptr);
  // SIGXCPU at the soft limit; the hard limit (SIGKILL) a second later only if it is ignored.
  // Equal limits would send SIGKILL first, which cannot be told from the OOM killer's.
  const rlimit cpu{cpu_seconds, cpu_seconds + 1};
  ::setrlimit(RLIMIT_CPU, &cpu);
  int code = kOk;
  std::string result;
  try {
    result = work();
  } catch (const Error& e) {
    code = kRefused;
    result = e.what();
  } catch (const std::bad_alloc&) {
    code = kOutOfMemory;
    result.clear();
  } catch (const std::exception& e) {
    code = kFailed;
    result = e.what();
  } catch (...) {
    code = kFailed;
    result.clear();
  }
  write_all(out, result);
  _exit(code);
}

}  // namespace

IsolatedResult run_isolated(const std::function<std::string()>& work, unsigned cpu_seconds) {
  std::fflush(nullptr);  // buffered output must not be written twice
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {IsolatedStatus::ok, work()};
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return {IsolatedStatus::ok, work()};
  }
  if (pid == 0) {
    ::close(fds[0]);
    run_child(work, cpu_seconds, fds[1]);
  }
  ::close(fds[1]);
  // Read before waiting: a result larger than the pipe's buffer would block the child.
  IsolatedResult r;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    r.output.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    r.status = WTERMSIG(status) == SIGXCPU ? IsolatedStatus::cpu_limit : IsolatedStatus::crashed;
    r.output.clear();
    return r;
  }
  switch (WIFEXITED(status) ? WEXITSTATUS(status) : -1) {
    case kOk:
      r.status = IsolatedStatus::ok;
      break;
    case kRefused:
      r.status = IsolatedStatus::refused;
      break;
    case kOutOfMemory:
      r.status = IsolatedStatus::out_of_memory;
      break;
    case kFailed:
      r.status = IsolatedStatus::failed;
      break;
    default:
      // A sanitizer's report ends the child with its own exit code: a crash all the same.
      r.status = IsolatedStatus::crashed;
      r.output.clear();
  }
  return r;
}

}  // namespace loom::core
