// SPDX-License-Identifier: Apache-2.0
#include "reports/hdf5_writer.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "core/error.hpp"
#include "reports/atomic_file.hpp"
#include "reports/hdf5_internal.hpp"

namespace loom::reports {
namespace {

// No modification times in the object headers: the same results give the same bytes (a
// sweep's results.h5 is identical across runs and MPI rank counts).
template <class PropList>
PropList untimed() {
  PropList p;
  H5Pset_obj_track_times(p.getId(), false);
  return p;
}

void write_string_attribute(H5::H5Object& on, const std::string& key, const std::string& value) {
  const H5::StrType str = hdf5::vlen_utf8();
  H5::Attribute a = on.createAttribute(key, str, H5::DataSpace(H5S_SCALAR));
  a.write(str, value);
}

void write_string_array(H5::H5Object& on, const std::string& key,
                        const std::vector<const char*>& values) {
  const hsize_t n = values.size();
  const H5::StrType str = hdf5::vlen_utf8();
  H5::Attribute a = on.createAttribute(key, str, H5::DataSpace(1, &n));
  a.write(str, values.data());
}

// One column as a 1-D dataset of `rows` elements: int64 and double as native numbers, strings
// as variable-length UTF-8 (pointers to the table's own NUL-terminated bytes).
void write_column(H5::Group& group, const ResultTable& t, std::size_t c) {
  const Column& col = t.columns()[c];
  const hsize_t rows = t.row_count();
  const auto cells = [&]<class T>(std::type_identity<T>) {
    std::vector<T> v;
    v.reserve(t.row_count());
    for (const auto& row : t.rows()) {
      if constexpr (std::is_same_v<T, const char*>)
        v.push_back(std::get<std::string>(row[c]).c_str());
      else
        v.push_back(std::get<T>(row[c]));
    }
    return v;
  };
  const auto make = [&](const H5::DataType& type) {
    return group.createDataSet(hdf5::column_link(col.name), type, H5::DataSpace(1, &rows),
                               untimed<H5::DSetCreatPropList>());
  };
  H5::DataSet ds;
  switch (col.type) {
    case ColumnType::Int64:
      ds = make(H5::PredType::NATIVE_INT64);
      if (rows > 0)
        ds.write(cells(std::type_identity<std::int64_t>{}).data(), H5::PredType::NATIVE_INT64);
      break;
    case ColumnType::Double:
      ds = make(H5::PredType::NATIVE_DOUBLE);
      if (rows > 0)
        ds.write(cells(std::type_identity<double>{}).data(), H5::PredType::NATIVE_DOUBLE);
      break;
    case ColumnType::String:
      ds = make(hdf5::vlen_utf8());
      if (rows > 0) ds.write(cells(std::type_identity<const char*>{}).data(), hdf5::vlen_utf8());
      break;
  }
  write_string_attribute(ds, "unit", col.unit);
}

void write_table(H5::H5File& file, const std::string& name, const ResultTable& t) {
  // The C++ API takes no group creation properties: create untimed through C, then open.
  const hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
  H5Pset_obj_track_times(gcpl, false);
  const hid_t created = H5Gcreate2(file.getId(), name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT);
  H5Pclose(gcpl);
  if (created < 0) throw H5::GroupIException("H5Gcreate2", "cannot create the table's group");
  H5Gclose(created);
  H5::Group group = file.openGroup(name);
  std::vector<const char*> names;
  for (std::size_t c = 0; c < t.column_count(); ++c) {
    names.push_back(t.columns()[c].name.c_str());
    write_column(group, t, c);
  }
  write_string_array(group, "columns", names);
}

void check_names(const std::vector<Hdf5Dataset>& datasets) {
  std::set<std::string> seen;
  for (const auto& d : datasets) {
    if (d.name.empty() || d.name == "." || d.name.find('/') != std::string::npos)
      throw std::logic_error("write_hdf5: bad dataset name '" + d.name + "'");
    if (!seen.insert(d.name).second)
      throw std::logic_error("write_hdf5: duplicate dataset name '" + d.name + "'");
    if (d.table.get().column_count() == 0)
      throw std::logic_error("write_hdf5: table '" + d.name + "' has no columns");
  }
}

}  // namespace

std::string hdf5_image(const std::vector<Hdf5Dataset>& datasets,
                       const std::map<std::string, std::string>& file_attributes,
                       const std::string& name) {
  check_names(datasets);
  hdf5::silence_errors();
  std::string where;  // dataset being written, for the error message
  try {
    // The core driver without a backing store keeps the file in memory: HDF5 never writes to
    // disk, where a full disk made a failed close leave a handle whose second close crashed.
    H5::FileAccPropList fapl;
    fapl.setCore(1 << 20, false);
    H5::H5File file(name, H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, fapl);
    for (const auto& [key, value] : file_attributes) write_string_attribute(file, key, value);
    for (const auto& d : datasets) {
      where = d.name;
      write_table(file, d.name, d.table.get());
    }
    where.clear();
    file.flush(H5F_SCOPE_GLOBAL);
    const ssize_t size = H5Fget_file_image(file.getId(), nullptr, 0);
    std::string image(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
    if (size <= 0 || H5Fget_file_image(file.getId(), image.data(), image.size()) != size)
      throw Error(Diagnostic{name, "", 0, "cannot write (HDF5 gave no file image)"});
    file.close();
    return image;
  } catch (const H5::Exception& e) {
    throw Error(Diagnostic{name, where, 0, "cannot write (" + hdf5::reason(e) + ")"});
  }
}

void write_hdf5(const std::filesystem::path& path, const std::vector<Hdf5Dataset>& datasets,
                const std::map<std::string, std::string>& file_attributes) {
  write_file_atomically(path, hdf5_image(datasets, file_attributes, path.string()));
}

}  // namespace loom::reports
