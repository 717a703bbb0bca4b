// SPDX-License-Identifier: Apache-2.0
#include "sim/layer_data_h5.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <vector>

#include "core/error.hpp"

namespace loom::sim {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& key,
                       std::string message) {
  throw Error(Diagnostic{path.string(), key, 0, std::move(message)});
}

// "H5Dwrite failed" style text for the loom::Error message.
std::string reason(const H5::Exception& e) {
  std::string out = "HDF5: " + e.getDetailMsg();
  if (!e.getFuncName().empty()) out += " in " + e.getFuncName();
  return out;
}

void check_layer_name(const std::filesystem::path& path, const std::string& layer) {
  if (layer.empty() || layer == "." || layer.find('/') != std::string::npos)
    fail(path, "", "layer name '" + layer + "': expected a non-empty name without '/'");
}

// HDF5 prints its error stack to stderr by default; errors reach users as loom::Error instead.
H5::H5File open_for_read(const std::filesystem::path& path) {
  H5::Exception::dontPrint();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) fail(path, "", "no such file");
  if (!H5::H5File::isHdf5(path.string())) fail(path, "", "not an HDF5 file");
  return H5::H5File(path.string(), H5F_ACC_RDONLY);
}

H5::H5File open_for_write(const std::filesystem::path& path) {
  H5::Exception::dontPrint();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return H5::H5File(path.string(), H5F_ACC_EXCL);
  if (!std::filesystem::is_regular_file(path, ec) || !H5::H5File::isHdf5(path.string()))
    fail(path, "", "exists and is not an HDF5 file (not overwritten)");
  return H5::H5File(path.string(), H5F_ACC_RDWR);
}

std::string dims_text(const std::vector<hsize_t>& d) {
  std::string out = "(";
  for (std::size_t i = 0; i < d.size(); ++i) out += (i ? ", " : "") + std::to_string(d[i]);
  return out + ")";
}

void write_tensor(H5::Group& group, const std::string& name, const Tensor4& t) {
  const std::vector<hsize_t> dims(t.dims.begin(), t.dims.end());
  const H5::DataSpace space(4, dims.data());
  // Little-endian on disk whatever the host, as numpy's '<i4'.
  H5::DataSet ds = group.createDataSet(name, H5::PredType::STD_I32LE, space);
  if (t.size() > 0) ds.write(t.data.data(), H5::PredType::NATIVE_INT32);
}

// `labels` names the axes for the message, e.g. "N, C, H, W".
Tensor4 read_tensor(const H5::H5File& file, const std::filesystem::path& path,
                    const std::string& layer, const std::string& name,
                    const std::array<std::int64_t, 4>& want, const char* labels) {
  const std::string key = "/" + layer + "/" + name;
  if (!file.nameExists(layer) || file.childObjType(layer) != H5O_TYPE_GROUP)
    fail(path, key, "no such dataset (the file has no group /" + layer + ")");
  const H5::Group group = file.openGroup(layer);
  if (!group.nameExists(name) || group.childObjType(name) != H5O_TYPE_DATASET)
    fail(path, key, "no such dataset");
  const H5::DataSet ds = group.openDataSet(name);
  const H5::DataSpace space = ds.getSpace();
  std::vector<hsize_t> got(static_cast<std::size_t>(space.getSimpleExtentNdims()));
  space.getSimpleExtentDims(got.data());
  const std::vector<hsize_t> expected(want.begin(), want.end());
  if (got != expected)
    fail(path, key,
         "expected dims " + dims_text(expected) + " (" + labels + ") from the layer shape, got " +
             dims_text(got));
  if (ds.getTypeClass() != H5T_INTEGER || ds.getIntType().getSize() > 4)
    fail(path, key, "expected integers of at most 32 bits (e.g. numpy int32)");
  Tensor4 t = Tensor4::zeros(want);
  if (t.size() > 0) ds.read(t.data.data(), H5::PredType::NATIVE_INT32);
  return t;
}

void check_size(const std::filesystem::path& path, const std::string& key, const Tensor4& t) {
  if (t.size() != t.dims[0] * t.dims[1] * t.dims[2] * t.dims[3])
    fail(path, key,
         "tensor dims " + dims_to_string(t.dims) + " do not match its " + std::to_string(t.size()) +
             " values");
}

H5::Group fresh_group(H5::H5File& file, const std::string& layer) {
  if (file.nameExists(layer)) file.unlink(layer);
  return file.createGroup(layer);
}

H5::Group open_or_create_group(H5::H5File& file, const std::string& layer) {
  return file.nameExists(layer) ? file.openGroup(layer) : file.createGroup(layer);
}

}  // namespace

LayerData load_layer_data(const std::filesystem::path& path, const std::string& layer,
                          const workloads::LayerShape& s) {
  check_layer_name(path, layer);
  check_layer_shape(s);
  try {
    const H5::H5File file = open_for_read(path);
    return {read_tensor(file, path, layer, "ifmap", ifmap_dims(s), "N, C, H, W"),
            read_tensor(file, path, layer, "weights", weight_dims(s), "M, C/groups, R, S")};
  } catch (const H5::Exception& e) {
    fail(path, "/" + layer, "cannot read (" + reason(e) + ")");
  }
}

void check_data_bits(const std::filesystem::path& path, const std::string& layer,
                     const LayerData& d, int activation_bits, int weight_bits) {
  const auto check = [&](const char* name, const Tensor4& t, int bits) {
    const std::int64_t hi = (std::int64_t{1} << (bits - 1)) - 1, lo = -hi - 1;
    const auto bad = std::find_if(t.data.begin(), t.data.end(),
                                  [&](std::int32_t v) { return v < lo || v > hi; });
    if (bad != t.data.end())
      fail(path, "/" + layer + "/" + name,
           "value " + std::to_string(*bad) + " at index " + std::to_string(bad - t.data.begin()) +
               " does not fit the layer's " + std::to_string(bits) + " bits (expected " +
               std::to_string(lo) + " to " + std::to_string(hi) + ")");
  };
  check("ifmap", d.ifmap, activation_bits);
  check("weights", d.weights, weight_bits);
}

Tensor4 load_ofmap(const std::filesystem::path& path, const std::string& layer,
                   const workloads::LayerShape& s) {
  check_layer_name(path, layer);
  check_layer_shape(s);
  try {
    return read_tensor(open_for_read(path), path, layer, "ofmap", ofmap_dims(s), "N, M, P, Q");
  } catch (const H5::Exception& e) {
    fail(path, "/" + layer + "/ofmap", "cannot read (" + reason(e) + ")");
  }
}

void save_layer_data(const std::filesystem::path& path, const std::string& layer,
                     const LayerData& d) {
  check_layer_name(path, layer);
  check_size(path, "/" + layer + "/ifmap", d.ifmap);
  check_size(path, "/" + layer + "/weights", d.weights);
  try {
    H5::H5File file = open_for_write(path);
    H5::Group group = fresh_group(file, layer);
    write_tensor(group, "ifmap", d.ifmap);
    write_tensor(group, "weights", d.weights);
  } catch (const H5::Exception& e) {
    fail(path, "/" + layer, "cannot write (" + reason(e) + ")");
  }
}

void save_ofmap(const std::filesystem::path& path, const std::string& layer, const Tensor4& ofmap) {
  const std::string key = "/" + layer + "/ofmap";
  check_layer_name(path, layer);
  check_size(path, key, ofmap);
  try {
    H5::H5File file = open_for_write(path);
    H5::Group group = open_or_create_group(file, layer);
    if (group.nameExists("ofmap")) group.unlink("ofmap");
    write_tensor(group, "ofmap", ofmap);
  } catch (const H5::Exception& e) {
    fail(path, key, "cannot write (" + reason(e) + ")");
  }
}

}  // namespace loom::sim
