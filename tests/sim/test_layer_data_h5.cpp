// SPDX-License-Identifier: Apache-2.0
#include <H5Cpp.h>

#include <catch2/catch.hpp>

#include "common/error_of.hpp"
#include "common/scratch_dir.hpp"
#include "core/error.hpp"
#include "sim/golden.hpp"
#include "sim/layer_data_h5.hpp"

using loom::sim::LayerData;
using loom::sim::load_layer_data;
using loom::sim::load_ofmap;
using loom::sim::random_layer_data;
using loom::sim::save_layer_data;
using loom::sim::save_ofmap;
using loom::sim::Tensor4;
using loom::workloads::LayerShape;

namespace {

// 3×3 conv with 2 groups and batch 2: ifmap (2, 4, 6, 5), weights (6, 2, 3, 3).
const LayerShape kConv{
    .N = 2, .M = 6, .C = 4, .H = 6, .W = 5, .P = 4, .Q = 3, .R = 3, .S = 3, .groups = 2};

// A dataset written the way another tool (h5py, numpy) might write it: `file_type` on disk,
// converted by HDF5 from `data` in `memory_type`.
void write_raw(const std::filesystem::path& path, const std::string& name,
               const std::vector<hsize_t>& dims, const H5::PredType& file_type,
               const H5::PredType& memory_type, const void* data) {
  H5::H5File file(path.string(), H5F_ACC_RDWR);
  H5::DataSet ds = file.createDataSet(name, file_type,
                                      H5::DataSpace(static_cast<int>(dims.size()), dims.data()));
  ds.write(data, memory_type);
}

}  // namespace

TEST_CASE("layer data survives an HDF5 round trip, ofmap included") {
  const ScratchDir dir;
  const auto file = dir / "data.h5";
  const LayerData d = random_layer_data(kConv, 8, 8, 11);
  const LayerData other = random_layer_data(kConv, 16, 4, 12);
  save_layer_data(file, "layer1.0.conv1", d);
  save_layer_data(file, "fc", other);  // a second layer in the same file
  CHECK(load_layer_data(file, "layer1.0.conv1", kConv) == d);
  CHECK(load_layer_data(file, "fc", kConv) == other);

  const Tensor4 out = loom::sim::golden_conv(kConv, d);
  save_ofmap(file, "layer1.0.conv1", out);
  CHECK(load_ofmap(file, "layer1.0.conv1", kConv) == out);
  save_ofmap(file, "new_layer", out);  // creates the group
  CHECK(load_ofmap(file, "new_layer", kConv) == out);
}

TEST_CASE("saving layer data replaces the layer's group, dropping a stale ofmap") {
  const ScratchDir dir;
  const auto file = dir / "data.h5";
  save_layer_data(file, "conv", random_layer_data(kConv, 8, 8, 1));
  save_ofmap(file, "conv", Tensor4::zeros({2, 6, 4, 3}));
  const LayerData newer = random_layer_data(kConv, 8, 8, 2);
  save_layer_data(file, "conv", newer);
  CHECK(load_layer_data(file, "conv", kConv) == newer);
  CHECK_THAT(error_of([&] { (void)load_ofmap(file, "conv", kConv); }),
             Catch::Contains("/conv/ofmap: no such dataset"));
}

TEST_CASE("loading layer data names the file, dataset and expected and actual dims") {
  const ScratchDir dir;
  const auto file = dir / "data.h5";
  save_layer_data(file, "conv", random_layer_data(kConv, 8, 8, 1));
  LayerShape wider = kConv;
  wider.W = 7;
  wider.Q = 5;
  CHECK(error_of([&] { (void)load_layer_data(file, "conv", wider); }) ==
        file.string() +
            " /conv/ifmap: expected dims (2, 4, 6, 7) (N, C, H, W) from the layer shape, got "
            "(2, 4, 6, 5)");
  LayerShape more_filters = kConv;
  more_filters.M = 8;
  CHECK(error_of([&] { (void)load_layer_data(file, "conv", more_filters); }) ==
        file.string() +
            " /conv/weights: expected dims (8, 2, 3, 3) (M, C/groups, R, S) from the layer "
            "shape, got (6, 2, 3, 3)");
}

TEST_CASE("loading layer data reports a missing file, layer, dataset or a non-HDF5 file") {
  const ScratchDir dir;
  const auto file = dir / "data.h5";
  CHECK(error_of([&] { (void)load_layer_data(file, "conv", kConv); }) ==
        file.string() + ": no such file");
  save_layer_data(file, "conv", random_layer_data(kConv, 8, 8, 1));
  CHECK(error_of([&] { (void)load_layer_data(file, "conv2", kConv); }) ==
        file.string() + " /conv2/ifmap: no such dataset (the file has no group /conv2)");
  {
    H5::H5File f(file.string(), H5F_ACC_RDWR);
    f.unlink("/conv/weights");
  }
  CHECK(error_of([&] { (void)load_layer_data(file, "conv", kConv); }) ==
        file.string() + " /conv/weights: no such dataset");
  std::ofstream(dir / "text.h5") << "not hdf5";
  CHECK(error_of([&] { (void)load_layer_data(dir / "text.h5", "conv", kConv); }) ==
        (dir / "text.h5").string() + ": not an HDF5 file");
  CHECK_THAT(error_of([&] { save_layer_data(dir / "text.h5", "conv", LayerData{}); }),
             Catch::Contains("exists and is not an HDF5 file (not overwritten)"));
  CHECK_THAT(error_of([&] { save_layer_data(file, "a/b", LayerData{}); }),
             Catch::Contains("layer name 'a/b': expected a non-empty name without '/'"));
}

TEST_CASE("layer data written by other tools loads from small integers, not from int64") {
  const ScratchDir dir;
  const auto file = dir / "data.h5";
  const LayerShape fc{.M = 2, .C = 3};
  {
    H5::H5File f(file.string(), H5F_ACC_TRUNC);
    f.createGroup("fc");
  }
  const std::vector<std::int16_t> in{-300, 5, 7};
  const std::vector<std::int8_t> w{1, -2, 3, -128, 127, 0};
  write_raw(file, "/fc/ifmap", {1, 3, 1, 1}, H5::PredType::STD_I16BE, H5::PredType::NATIVE_INT16,
            in.data());
  write_raw(file, "/fc/weights", {2, 3, 1, 1}, H5::PredType::STD_I8LE, H5::PredType::NATIVE_INT8,
            w.data());
  const LayerData d = load_layer_data(file, "fc", fc);
  CHECK(d.ifmap.data == std::vector<std::int32_t>{-300, 5, 7});
  CHECK(d.weights.data == std::vector<std::int32_t>{1, -2, 3, -128, 127, 0});

  const std::vector<std::int64_t> wide{1, 2, 3, 4, 5, 6};
  {
    H5::H5File f(file.string(), H5F_ACC_RDWR);
    f.unlink("/fc/weights");
  }
  write_raw(file, "/fc/weights", {2, 3, 1, 1}, H5::PredType::STD_I64LE, H5::PredType::NATIVE_INT64,
            wide.data());
  CHECK(error_of([&] { (void)load_layer_data(file, "fc", fc); }) ==
        file.string() + " /fc/weights: expected integers of at most 32 bits (e.g. numpy int32)");
}
