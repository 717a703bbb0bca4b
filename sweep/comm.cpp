// SPDX-License-Identifier: Apache-2.0
#include "sweep/comm.hpp"

#include <cstdlib>

namespace loom::sweep {
namespace {

class SerialComm final : public Comm {
 public:
  [[nodiscard]] int rank() const override { return 0; }
  [[nodiscard]] int size() const override { return 1; }
  [[nodiscard]] std::vector<std::string> allgather(const std::string& mine) override {
    return {mine};
  }
  [[nodiscard]] std::string broadcast(const std::string& text) override { return text; }
  [[nodiscard]] bool any(bool mine) override { return mine; }
};

// OpenMPI's mpirun exports these to every rank it starts (Open MPI 4.1 manual, mpirun(1),
// "Environment variables"); PMI_SIZE / PMIX_RANK cover other launchers.
bool started_by_mpirun() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

}  // namespace

#ifdef LOOM_WITH_MPI
std::unique_ptr<Comm> make_mpi_comm();
bool built_with_mpi() { return true; }
#else
bool built_with_mpi() { return false; }
#endif

std::unique_ptr<Comm> make_comm() {
#ifdef LOOM_WITH_MPI
  if (started_by_mpirun()) return make_mpi_comm();
#else
  (void)started_by_mpirun;
#endif
  return std::make_unique<SerialComm>();
}

}  // namespace loom::sweep
