// SPDX-License-Identifier: Apache-2.0
// The MPI Comm: libloom_plugin_mpi.so (LOOM_WITH_MPI), loaded by make_comm under mpirun only,
// so other commands never load OpenMPI. MPI is initialized with MPI_THREAD_FUNNELED: worker
// threads evaluate points, only the main thread calls MPI.
#include <mpi.h>

#include <cstdlib>
#include <memory>
#include <numeric>

#include "core/error.hpp"
#include "sweep/comm.hpp"

namespace loom::sweep {
namespace {

class MpiComm final : public Comm {
 public:
  MpiComm() {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    if (const char* l = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE"))
      local_ = std::max(1, std::atoi(l));
  }
  ~MpiComm() override { MPI_Finalize(); }
  MpiComm(const MpiComm&) = delete;
  MpiComm& operator=(const MpiComm&) = delete;

  [[nodiscard]] int rank() const override { return rank_; }
  [[nodiscard]] int size() const override { return size_; }
  [[nodiscard]] int local_size() const override { return local_; }

  [[nodiscard]] std::vector<std::string> allgather(const std::string& mine) override {
    if (mine.size() > static_cast<std::size_t>(INT32_MAX))
      throw Error("sweep: a batch of results exceeds 2 GiB; use smaller batches");
    int len = static_cast<int>(mine.size());
    std::vector<int> lens(static_cast<std::size_t>(size_)), offsets(lens.size(), 0);
    MPI_Allgather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, MPI_COMM_WORLD);
    // MPI counts and offsets are ints: every rank sees the same lengths, so all refuse alike.
    long long total = 0;
    for (const int l : lens) total += l;
    if (total > INT32_MAX)
      throw Error(
          "sweep: a batch's results from all ranks exceed 2 GiB; use fewer ranks or "
          "threads per rank");
    for (std::size_t i = 1; i < lens.size(); ++i) offsets[i] = offsets[i - 1] + lens[i - 1];
    std::string all(static_cast<std::size_t>(offsets.back() + lens.back()), '\0');
    MPI_Allgatherv(mine.data(), len, MPI_CHAR, all.data(), lens.data(), offsets.data(), MPI_CHAR,
                   MPI_COMM_WORLD);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < lens.size(); ++i)
      out.push_back(
          all.substr(static_cast<std::size_t>(offsets[i]), static_cast<std::size_t>(lens[i])));
    return out;
  }

  [[nodiscard]] std::string broadcast(const std::string& text) override {
    unsigned long long len = text.size();
    MPI_Bcast(&len, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    std::string out = rank_ == 0 ? text : std::string(len, '\0');
    MPI_Bcast(out.data(), static_cast<int>(len), MPI_CHAR, 0, MPI_COMM_WORLD);
    return out;
  }

  [[nodiscard]] bool any(bool mine) override {
    int in = mine ? 1 : 0, out = 0;
    MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return out != 0;
  }

 private:
  int rank_ = 0, size_ = 1, local_ = 1;
};

}  // namespace
}  // namespace loom::sweep

// The plugin's entry point (core/plugin.hpp); the caller owns the Comm.
extern "C" loom::sweep::Comm* loom_make_mpi_comm() { return new loom::sweep::MpiComm(); }
