// SPDX-License-Identifier: Apache-2.0
// The reading half of hdf5_writer.hpp: used by tests and by `loom report`.
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <vector>

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

// A 1-D attribute of variable-length strings, or nullopt if it has another type or shape.
std::optional<std::vector<std::string>> read_string_array(const H5::Attribute& a) {
  if (a.getTypeClass() != H5T_STRING || !a.getStrType().isVariableStr()) return std::nullopt;
  const H5::DataSpace space = a.getSpace();
  if (space.getSimpleExtentNdims() != 1) return std::nullopt;
  std::vector<char*> raw(static_cast<std::size_t>(space.getSimpleExtentNpoints()));
  H5::StrType mtype(H5::PredType::C_S1, H5T_VARIABLE);
  mtype.setCset(a.getStrType().getCset());
  a.read(mtype, raw.data());
  std::vector<std::string> out;
  for (char* p : raw) {
    out.emplace_back(p != nullptr ? p : "");
    H5free_memory(p);
  }
  return out;
}

// The old layout's `units` array, one per field; other writers' units in another shape are
// ignored rather than fatal.
std::vector<std::string> read_units(const H5::DataSet& ds, std::size_t columns) {
  std::optional<std::vector<std::string>> units;
  if (ds.attrExists("units")) units = read_string_array(ds.openAttribute("units"));
  if (!units || units->size() != columns) return std::vector<std::string>(columns);
  return *units;
}

// A column dataset's scalar `unit` string, "" if it has none.
std::string read_unit(const H5::DataSet& ds) {
  if (!ds.attrExists("unit")) return "";
  const H5::Attribute a = ds.openAttribute("unit");
  if (a.getTypeClass() != H5T_STRING || a.getSpace().getSimpleExtentNpoints() != 1) return "";
  std::string unit;
  a.read(a.getStrType(), unit);
  return unit;
}

std::string decode_string(const char* p, const Field& f) {
  if (f.vlen) {
    const char* s = nullptr;
    std::memcpy(&s, p, sizeof s);
    return s != nullptr ? std::string(s) : std::string();
  }
  return std::string(p, strnlen(p, f.width));
}

// A rows count read from the file, checked before it sizes an allocation: a corrupted extent
// must not become a wrapped allocation size.
std::size_t checked_rows(const H5::DataSpace& space, std::size_t row_size,
                         const std::filesystem::path& path, const std::string& name) {
  const auto rows = static_cast<std::size_t>(space.getSimpleExtentNpoints());
  if (rows > 0 && (row_size == 0 || rows > (std::size_t{1} << 40) / row_size))
    fail(path, name,
         "claims " + std::to_string(rows) + " rows of " + std::to_string(row_size) +
             " bytes, more than a results file holds (damaged file?)");
  return rows;
}

// The earlier layout: one compound dataset, one field per column.
ResultTable read_compound_table(const H5::DataSet& ds, const std::filesystem::path& path,
                                const std::string& name) {
  const H5::DataSpace space = ds.getSpace();
  if (ds.getTypeClass() != H5T_COMPOUND || space.getSimpleExtentNdims() != 1)
    fail(path, name, "not a table (expected a group of columns)");
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
    const std::string field = ftype.getMemberName(i);
    if (field.empty() || t.find_column(field))
      fail(path, name, "field '" + field + "' unnamed or repeated (damaged file?)");
    t.add_column(field, units[i], f.type);
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
  const std::size_t rows = checked_rows(space, row_size, path, name);
  if (rows == 0) return t;
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

// One column's dataset, checked: its type, its memory width per row and its row count.
struct ColumnData {
  H5::DataSet ds;
  Field field;
  std::size_t rows = 0;
};

ColumnData open_column(const H5::Group& g, const std::filesystem::path& path,
                       const std::string& key, const std::string& link) {
  if (!g.nameExists(link) || g.childObjType(link) != H5O_TYPE_DATASET)
    fail(path, key, "listed in the table's `columns` but not stored (damaged file?)");
  ColumnData c{g.openDataSet(link), {}, 0};
  const H5::DataSpace space = c.ds.getSpace();
  if (space.getSimpleExtentNdims() != 1)
    fail(path, key, "not a column (expected a one-dimensional dataset)");
  switch (c.ds.getTypeClass()) {
    case H5T_INTEGER:
      c.field = {ColumnType::Int64, false, 0, 8};
      break;
    case H5T_FLOAT:
      c.field = {ColumnType::Double, false, 0, 8};
      break;
    case H5T_STRING: {
      const H5::StrType st = c.ds.getStrType();
      c.field = {ColumnType::String, st.isVariableStr(), 0,
                 st.isVariableStr() ? sizeof(char*) : st.getSize()};
      break;
    }
    default:
      fail(path, key, "neither numbers nor strings");
  }
  c.rows = checked_rows(space, c.field.width, path, key);
  return c;
}

// The string type to read a column into: the file's character set (HDF5 does not convert
// between ASCII and UTF-8), variable-length or `width` bytes as stored.
H5::StrType memory_string_type(const ColumnData& c) {
  H5::StrType t(H5::PredType::C_S1, c.field.vlen ? H5T_VARIABLE : c.field.width);
  if (!c.field.vlen) t.setStrpad(H5T_STR_NULLPAD);
  t.setCset(c.ds.getStrType().getCset());
  return t;
}

void read_column(const ColumnData& c, ResultTable& t, std::size_t column) {
  const std::size_t rows = c.rows;
  if (rows == 0) return;
  if (c.field.type == ColumnType::Int64) {
    std::vector<std::int64_t> v(rows);
    c.ds.read(v.data(), H5::PredType::NATIVE_INT64);
    for (std::size_t r = 0; r < rows; ++r) t.set(r, column, v[r]);
  } else if (c.field.type == ColumnType::Double) {
    std::vector<double> v(rows);
    c.ds.read(v.data(), H5::PredType::NATIVE_DOUBLE);
    for (std::size_t r = 0; r < rows; ++r) t.set(r, column, v[r]);
  } else {
    const H5::StrType mtype = memory_string_type(c);
    std::vector<char> buf(rows * c.field.width, '\0');
    c.ds.read(buf.data(), mtype);
    for (std::size_t r = 0; r < rows; ++r)
      t.set(r, column, decode_string(buf.data() + r * c.field.width, c.field));
    // Variable-length strings were allocated by HDF5 during the read.
    if (c.field.vlen)
      H5Dvlen_reclaim(mtype.getId(), c.ds.getSpace().getId(), H5P_DEFAULT, buf.data());
  }
}

// The current layout: a group of 1-D column datasets, in the order its `columns` lists them.
ResultTable read_group_table(const H5::Group& g, const std::filesystem::path& path,
                             const std::string& name) {
  const auto names =
      g.attrExists("columns") ? read_string_array(g.openAttribute("columns")) : std::nullopt;
  if (!names) fail(path, name, "not a table (a group without a `columns` string array)");
  ResultTable t;
  std::vector<ColumnData> columns;
  for (const auto& c : *names) {
    const std::string link = hdf5::column_link(c);
    const std::string key = name + "/" + link;
    if (c.empty()) fail(path, name, "a column without a name in the table's `columns`");
    if (t.find_column(c)) fail(path, key, "listed twice in the table's `columns`");
    columns.push_back(open_column(g, path, key, link));
    if (columns.back().rows != columns.front().rows)
      fail(path, key,
           "has " + std::to_string(columns.back().rows) + " rows, the table's first column " +
               std::to_string(columns.front().rows));
    t.add_column(c, read_unit(columns.back().ds), columns.back().field.type);
  }
  const std::size_t rows = columns.empty() ? 0 : columns.front().rows;
  for (std::size_t r = 0; r < rows; ++r) t.add_row();
  for (std::size_t c = 0; c < columns.size(); ++c) read_column(columns[c], t, c);
  return t;
}

bool is_table(const H5::H5File& file, const std::string& name) {
  switch (file.childObjType(name)) {
    case H5O_TYPE_GROUP:
      return file.openGroup(name).attrExists("columns");
    case H5O_TYPE_DATASET:
      return file.openDataSet(name).getTypeClass() == H5T_COMPOUND;
    default:
      return false;
  }
}

ResultTable read_table(const H5::H5File& file, const std::filesystem::path& path,
                       const std::string& name) {
  if (!file.nameExists(name) || !is_table(file, name)) {
    std::string found;
    for (const auto& t : list_hdf5_tables(path)) found += (found.empty() ? "" : ", ") + t;
    fail(path, name, "no such table (found: " + (found.empty() ? "none" : found) + ")");
  }
  if (file.childObjType(name) == H5O_TYPE_GROUP)
    return read_group_table(file.openGroup(name), path, name);
  return read_compound_table(file.openDataSet(name), path, name);
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
      if (is_table(file, n)) out.push_back(n);
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
