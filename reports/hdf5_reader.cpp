// SPDX-License-Identifier: Apache-2.0
// The reading half of hdf5_writer.hpp: used by tests and by `loom report`.
#include <cstring>
#include <memory>
#include <new>

#include "core/error.hpp"
#include "core/isolated.hpp"
#include "reports/hdf5_internal.hpp"
#include "reports/hdf5_writer.hpp"

namespace loom::reports {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& key,
                       std::string message) {
  throw Error(Diagnostic{path.string(), key, 0, std::move(message)});
}

// HDF5 trusts a file's metadata: one flipped bit in a B-tree or object header can make it
// dereference garbage (SIGSEGV) or walk a cycle forever. So each read runs first in a child
// process (core/isolated.hpp); only if the child finishes (successfully, or with the loom::Error
// the parent will then raise itself) does the parent read. A child killed by a signal or by the
// CPU cap means a damaged file.
constexpr unsigned kProbeCpuSeconds = 10;  // Loom's own files read in well under 1 s

template <class Work>
void probe(const std::filesystem::path& path, const std::string& key, const Work& work) {
  const auto r = core::run_isolated(
      [&] {
        work();
        return std::string();
      },
      kProbeCpuSeconds);
  if (r.status == core::IsolatedStatus::ok || r.status == core::IsolatedStatus::refused) return;
  fail(path, key,
       "damaged file: HDF5 could not read it " +
           std::string(r.status == core::IsolatedStatus::cpu_limit
                           ? "within " + std::to_string(kProbeCpuSeconds) + " s of CPU time"
                           : "without crashing") +
           " (a corrupted or truncated copy, or not a file Loom wrote)");
}

// Checked before HDF5 sees the file, so the common mistakes get plain messages.
H5::H5File open_for_read(const std::filesystem::path& path) {
  hdf5::silence_errors();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) fail(path, "", "no such file");
  if (!H5::H5File::isHdf5(path.string())) fail(path, "", "not an HDF5 file");
  return H5::H5File(path.string(), H5F_ACC_RDONLY);
}

// One field of the file's compound type as we read it into memory.
struct Field {
  ColumnType type;
  bool vlen = false;  // variable-length string: memory holds a char* to free
  std::size_t offset = 0;
  std::size_t width = 0;
};

Field field_of(const H5::CompType& ftype, unsigned i, std::size_t offset) {
  switch (ftype.getMemberClass(i)) {
    case H5T_INTEGER:
      return {ColumnType::Int64, false, offset, 8};
    case H5T_FLOAT:
      return {ColumnType::Double, false, offset, 8};
    case H5T_STRING: {
      const H5::StrType st = ftype.getMemberStrType(i);
      if (st.isVariableStr()) return {ColumnType::String, true, offset, sizeof(char*)};
      return {ColumnType::String, false, offset, st.getSize()};
    }
    default:
      return {ColumnType::String, false, 0, 0};  // width 0 marks "unsupported"
  }
}

std::vector<std::string> read_units(const H5::DataSet& ds, std::size_t columns) {
  std::vector<std::string> units(columns);
  if (!ds.attrExists("units")) return units;
  const H5::Attribute a = ds.openAttribute("units");
  // HDF5 cannot convert fixed-length strings to variable-length ones; other writers' units in
  // another shape are ignored rather than fatal.
  if (a.getTypeClass() != H5T_STRING || !a.getStrType().isVariableStr()) return units;
  std::vector<char*> raw(static_cast<std::size_t>(a.getSpace().getSimpleExtentNpoints()));
  if (raw.size() != columns) return units;
  a.read(hdf5::vlen_utf8(), raw.data());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != nullptr) units[i] = raw[i];
    H5free_memory(raw[i]);
  }
  return units;
}

std::string decode_string(const char* p, const Field& f) {
  if (f.vlen) {
    const char* s = nullptr;
    std::memcpy(&s, p, sizeof s);
    return s != nullptr ? std::string(s) : std::string();
  }
  return std::string(p, strnlen(p, f.width));
}

ResultTable read_table(const H5::H5File& file, const std::filesystem::path& path,
                       const std::string& name) {
  if (!file.nameExists(name) || file.childObjType(name) != H5O_TYPE_DATASET) {
    std::string found;
    for (const auto& t : list_hdf5_tables(path)) found += (found.empty() ? "" : ", ") + t;
    fail(path, name, "no such table (found: " + (found.empty() ? "none" : found) + ")");
  }
  const H5::DataSet ds = file.openDataSet(name);
  const H5::DataSpace space = ds.getSpace();
  if (ds.getTypeClass() != H5T_COMPOUND || space.getSimpleExtentNdims() != 1)
    fail(path, name, "not a table (expected a one-dimensional compound dataset)");
  const H5::CompType ftype = ds.getCompType();
  const auto n = static_cast<unsigned>(ftype.getNmembers());
  const std::vector<std::string> units = read_units(ds, n);

  ResultTable t;
  std::vector<Field> fields;
  std::size_t row_size = 0;
  for (unsigned i = 0; i < n; ++i) {
    const Field f = field_of(ftype, i, row_size);
    if (f.width == 0)
      fail(path, name, "field '" + ftype.getMemberName(i) + "' is neither a number nor a string");
    t.add_column(ftype.getMemberName(i), units[i], f.type);
    fields.push_back(f);
    row_size += f.width;
  }
  // The memory type asks HDF5 to convert each field to the native type we decode.
  H5::CompType mtype(row_size);
  for (unsigned i = 0; i < n; ++i) {
    const Field& f = fields[i];
    const std::string& field_name = t.columns()[i].name;
    if (f.type == ColumnType::Int64)
      mtype.insertMember(field_name, f.offset, H5::PredType::NATIVE_INT64);
    else if (f.type == ColumnType::Double)
      mtype.insertMember(field_name, f.offset, H5::PredType::NATIVE_DOUBLE);
    else
      mtype.insertMember(field_name, f.offset,
                         f.vlen ? hdf5::vlen_utf8() : hdf5::fixed_utf8(f.width));
  }
  const auto rows = static_cast<std::size_t>(space.getSimpleExtentNpoints());
  if (rows == 0) return t;
  // A corrupted extent must not become a wrapped allocation size.
  if (row_size == 0 || rows > (std::size_t{1} << 40) / row_size)
    fail(path, name,
         "claims " + std::to_string(rows) + " rows of " + std::to_string(row_size) +
             " bytes, more than a results file holds (damaged file?)");
  std::vector<char> buf(rows * row_size, '\0');
  ds.read(buf.data(), mtype);
  for (std::size_t r = 0; r < rows; ++r) {
    t.add_row();
    const char* row = buf.data() + r * row_size;
    for (unsigned i = 0; i < n; ++i) {
      const Field& f = fields[i];
      const char* p = row + f.offset;
      if (f.type == ColumnType::String) {
        t.set(r, i, decode_string(p, f));
      } else if (f.type == ColumnType::Int64) {
        std::int64_t v = 0;
        std::memcpy(&v, p, sizeof v);
        t.set(r, i, v);
      } else {
        double v = 0;
        std::memcpy(&v, p, sizeof v);
        t.set(r, i, v);
      }
    }
  }
  // Variable-length strings were allocated by HDF5 during the read.
  H5Dvlen_reclaim(mtype.getId(), space.getId(), H5P_DEFAULT, buf.data());
  return t;
}

}  // namespace

namespace {

ResultTable read_table_checked(const std::filesystem::path& path, const std::string& name) {
  try {
    return read_table(open_for_read(path), path, name);
  } catch (const H5::Exception& e) {
    fail(path, name, "cannot read (" + hdf5::reason(e) + ")");
  }
}

std::vector<std::string> list_tables(const std::filesystem::path& path) {
  try {
    const H5::H5File file = open_for_read(path);
    std::vector<std::string> out;
    for (hsize_t i = 0; i < file.getNumObjs(); ++i) {
      const std::string n = file.getObjnameByIdx(i);
      if (file.childObjType(n) == H5O_TYPE_DATASET &&
          file.openDataSet(n).getTypeClass() == H5T_COMPOUND)
        out.push_back(n);
    }
    return out;
  } catch (const H5::Exception& e) {
    fail(path, "", "cannot read (" + hdf5::reason(e) + ")");
  }
}

std::map<std::string, std::string> read_attributes(const std::filesystem::path& path) {
  try {
    const H5::H5File file = open_for_read(path);
    std::map<std::string, std::string> out;
    for (int i = 0; i < file.getNumAttrs(); ++i) {
      const H5::Attribute a = file.openAttribute(static_cast<unsigned>(i));
      if (a.getTypeClass() != H5T_STRING || a.getSpace().getSimpleExtentNpoints() != 1) continue;
      std::string value;
      a.read(a.getStrType(), value);
      out[a.getName()] = value;
    }
    return out;
  } catch (const H5::Exception& e) {
    fail(path, "", "cannot read (" + hdf5::reason(e) + ")");
  }
}

}  // namespace

ResultTable read_hdf5_table(const std::filesystem::path& path, const std::string& name) {
  probe(path, name, [&] { (void)read_table_checked(path, name); });
  return read_table_checked(path, name);
}

std::vector<std::string> list_hdf5_tables(const std::filesystem::path& path) {
  probe(path, "", [&] { (void)list_tables(path); });
  return list_tables(path);
}

std::map<std::string, std::string> read_hdf5_attributes(const std::filesystem::path& path) {
  probe(path, "", [&] { (void)read_attributes(path); });
  return read_attributes(path);
}

}  // namespace loom::reports
