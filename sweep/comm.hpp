// SPDX-License-Identifier: Apache-2.0
#pragma once
// The few collective operations a sweep needs across processes, behind one interface: a serial
// implementation (one rank) and, when Loom is built with OpenMPI (LOOM_WITH_MPI), an MPI one
// (a plugin, core/plugin.hpp).
// Only `loom sweep` creates a Comm, so no other command initializes MPI. MPI is used only when
// the process was started by mpirun (a single process started by hand stays serial and starts
// fast). All calls are collective: every rank calls them in the same order, from one thread.
#include <memory>
#include <string>
#include <vector>

namespace loom::sweep {

class Comm {
 public:
  virtual ~Comm() = default;
  [[nodiscard]] virtual int rank() const = 0;
  [[nodiscard]] virtual int size() const = 0;
  // Every rank's `mine`, in rank order, on every rank.
  [[nodiscard]] virtual std::vector<std::string> allgather(const std::string& mine) = 0;
  // Rank 0's `text` on every rank.
  [[nodiscard]] virtual std::string broadcast(const std::string& text) = 0;
  // Makes every rank agree on failure: true on all ranks if any rank passed true.
  [[nodiscard]] virtual bool any(bool mine) = 0;
  // Ranks started on this machine (threads per rank default to cores / local ranks).
  [[nodiscard]] virtual int local_size() const { return 1; }
};

// Under mpirun: MPI (initializing it here; throws loom::Error naming LOOM_WITH_MPI when this
// build leaves MPI out). Otherwise serial.
std::unique_ptr<Comm> make_comm();
// True when this build can use MPI.
[[nodiscard]] bool built_with_mpi();

}  // namespace loom::sweep
