// SPDX-License-Identifier: Apache-2.0
#include "sweep/comm.hpp"

#include <cstdlib>

#include "core/plugin.hpp"

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

bool built_with_mpi() { return features::kMpi.built; }

std::unique_ptr<Comm> make_comm() {
  if (started_by_mpirun()) {
    // Serial ranks would each run the whole sweep into the same folder.
    core::require(features::kMpi, "loom sweep under mpirun");
    // sweep/comm_mpi.cpp, in its plugin so that no other command loads OpenMPI.
    using Make = Comm* (*)();
    return std::unique_ptr<Comm>(
        reinterpret_cast<Make>(core::plugin_entry("loom_plugin_mpi", "loom_make_mpi_comm"))());
  }
  return std::make_unique<SerialComm>();
}

}  // namespace loom::sweep
