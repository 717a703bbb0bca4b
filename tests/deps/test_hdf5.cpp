// SPDX-License-Identifier: Apache-2.0
// Round-trips datasets through the HDF5 C++ API, the way results.h5 will be written.
#include <H5Cpp.h>
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

// A unique path per process: ctest may run test cases in parallel (-j).
std::filesystem::path temp_h5(const std::string& stem) {
  return std::filesystem::temp_directory_path() /
         (stem + "_" + std::to_string(::getpid()) + ".h5");
}

struct LayerRow {
  int index;
  double cycles;
};

}  // namespace

TEST_CASE("HDF5 double array written to a file reads back unchanged") {
  const auto path = temp_h5("loom_deps_hdf5_array");
  const std::array<double, 6> written = {0.5, 1.0, 2.25, -3.0, 1e9, 0.0};
  const hsize_t dims[2] = {2, 3};
  {
    H5::H5File file(path.string(), H5F_ACC_TRUNC);
    H5::DataSpace space(2, dims);
    H5::DataSet ds = file.createDataSet("energy_pj", H5::PredType::NATIVE_DOUBLE, space);
    ds.write(written.data(), H5::PredType::NATIVE_DOUBLE);
  }
  std::array<double, 6> read{};
  hsize_t read_dims[2] = {0, 0};
  {
    H5::H5File file(path.string(), H5F_ACC_RDONLY);
    H5::DataSet ds = file.openDataSet("energy_pj");
    ds.getSpace().getSimpleExtentDims(read_dims);
    ds.read(read.data(), H5::PredType::NATIVE_DOUBLE);
  }
  std::filesystem::remove(path);
  CHECK(read_dims[0] == 2);
  CHECK(read_dims[1] == 3);
  CHECK(read == written);
}

TEST_CASE("HDF5 compound dataset written to a file reads back unchanged") {
  const auto path = temp_h5("loom_deps_hdf5_compound");
  H5::CompType type(sizeof(LayerRow));
  type.insertMember("index", offsetof(LayerRow, index), H5::PredType::NATIVE_INT);
  type.insertMember("cycles", offsetof(LayerRow, cycles), H5::PredType::NATIVE_DOUBLE);
  const std::array<LayerRow, 3> written = {{{0, 100.0}, {1, 2500.5}, {2, 7.0}}};
  const hsize_t dims[1] = {written.size()};
  {
    H5::H5File file(path.string(), H5F_ACC_TRUNC);
    H5::DataSet ds = file.createDataSet("layers", type, H5::DataSpace(1, dims));
    ds.write(written.data(), type);
  }
  std::array<LayerRow, 3> read{};
  {
    H5::H5File file(path.string(), H5F_ACC_RDONLY);
    file.openDataSet("layers").read(read.data(), type);
  }
  std::filesystem::remove(path);
  for (std::size_t i = 0; i < written.size(); ++i) {
    CHECK(read[i].index == written[i].index);
    CHECK(read[i].cycles == written[i].cycles);
  }
}
