// SPDX-License-Identifier: Apache-2.0
#include "reports/hdf5_writer.hpp"

#include <algorithm>
#include <cstring>
#include <set>
#include <stdexcept>

#include "core/error.hpp"
#include "reports/atomic_file.hpp"
#include "reports/hdf5_internal.hpp"

namespace loom::reports {
namespace {

// Byte layout of one row in the packed compound type: fields back to back in column order,
// which is also what numpy builds from the file, so no padding surprises in pandas.
struct Layout {
  std::vector<std::size_t> offset;
  std::size_t row_size = 0;
};

Layout layout_of(const ResultTable& t) {
  Layout l;
  for (std::size_t c = 0; c < t.column_count(); ++c) {
    // int64 and double; a string is a pointer to its NUL-terminated bytes (variable length)
    const std::size_t w = t.columns()[c].type == ColumnType::String ? sizeof(const char*) : 8;
    l.offset.push_back(l.row_size);
    l.row_size += w;
  }
  return l;
}

H5::CompType compound_of(const ResultTable& t, const Layout& l) {
  H5::CompType type(l.row_size);
  for (std::size_t c = 0; c < t.column_count(); ++c) {
    const Column& col = t.columns()[c];
    switch (col.type) {
      case ColumnType::Int64:
        type.insertMember(col.name, l.offset[c], H5::PredType::NATIVE_INT64);
        break;
      case ColumnType::Double:
        type.insertMember(col.name, l.offset[c], H5::PredType::NATIVE_DOUBLE);
        break;
      case ColumnType::String:
        type.insertMember(col.name, l.offset[c], hdf5::vlen_utf8());
        break;
    }
  }
  return type;
}

std::vector<char> pack_rows(const ResultTable& t, const Layout& l) {
  std::vector<char> buf(t.row_count() * l.row_size, '\0');
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    char* row = buf.data() + r * l.row_size;
    for (std::size_t c = 0; c < t.column_count(); ++c) {
      std::visit(
          [&](const auto& v) {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
              const char* p = v.c_str();  // the table outlives the write
              std::memcpy(row + l.offset[c], &p, sizeof p);
            } else
              std::memcpy(row + l.offset[c], &v, sizeof v);
          },
          t.rows()[r][c]);
    }
  }
  return buf;
}

void write_units(H5::DataSet& ds, const ResultTable& t) {
  std::vector<const char*> units;
  for (const auto& c : t.columns()) units.push_back(c.unit.c_str());
  const hsize_t n = units.size();
  const H5::StrType type = hdf5::vlen_utf8();
  H5::Attribute a = ds.createAttribute("units", type, H5::DataSpace(1, &n));
  a.write(type, units.data());
}

void write_table(H5::H5File& file, const std::string& name, const ResultTable& t) {
  const Layout l = layout_of(t);
  const H5::CompType type = compound_of(t, l);
  const hsize_t rows = t.row_count();
  // No modification times in the object headers: the same results give the same bytes (a
  // sweep's results.h5 is identical across runs and MPI rank counts).
  H5::DSetCreatPropList dcpl;
  H5Pset_obj_track_times(dcpl.getId(), false);
  H5::DataSet ds = file.createDataSet(name, type, H5::DataSpace(1, &rows), dcpl);
  if (rows > 0) ds.write(pack_rows(t, l).data(), type);
  write_units(ds, t);
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
    const H5::StrType str = hdf5::vlen_utf8();
    for (const auto& [key, value] : file_attributes) {
      H5::Attribute a = file.createAttribute(key, str, H5::DataSpace(H5S_SCALAR));
      a.write(str, value);
    }
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
