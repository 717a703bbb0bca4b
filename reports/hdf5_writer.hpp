// SPDX-License-Identifier: Apache-2.0
#pragma once
// ResultTables as HDF5, readable by h5py and pandas: each table is a group `/<name>` holding
// one 1-D dataset per column, one element per row (int64 → native int64, double → native
// double, string → variable-length UTF-8, so h5py's `.asstr()` gives Python str). The group's
// attribute `columns` (a variable-length UTF-8 string array) lists the column names in order;
// each column's dataset is named after its column (with '%' and '/' written "%25" and "%2F")
// and carries a scalar string attribute `unit` ("" if dimensionless). So a table loads as
//   g = f["layers"]
//   pandas.DataFrame({c: g[c].asstr()[:] if g[c].dtype.kind == "O" else g[c][:]
//                     for c in g.attrs["columns"]})
// File-level attributes (e.g. `loom_version`) are scalar variable-length UTF-8 strings.
// Columns rather than one compound dataset because h5py returns the string fields of compound
// datasets as bytes, and `.asstr()` applies only to a string-typed dataset (README, "Using Loom").
//
// The file is built in memory (HDF5's core driver) and written by atomic_file.hpp, so a full
// disk is an ordinary write error, never a failure inside HDF5. Every failure, in HDF5 or the
// filesystem, throws loom::Error naming the file (and the table, where there is one); HDF5's own
// error printing is switched off. Misuse (an empty or duplicate table name, a name with '/', a
// table without columns) throws std::logic_error before any file is touched. Strings are cut at
// their first NUL byte (C strings). Not thread-safe: Debian's HDF5 is built without thread safety.
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "reports/result_table.hpp"

namespace loom::reports {

struct Hdf5Dataset {
  std::string name;                                 // table's group below the root, e.g. "layers"
  std::reference_wrapper<const ResultTable> table;  // must outlive the write_hdf5 call
};

// write_hdf5("out/results.h5", {{"layers", layers}, {"summary", summary}},
//            {{"loom_version", "0.1.0"}});
void write_hdf5(const std::filesystem::path& path, const std::vector<Hdf5Dataset>& datasets,
                const std::map<std::string, std::string>& file_attributes = {});
// The bytes of that file, for a caller that writes it itself (FileSet); `name` names it in
// errors.
[[nodiscard]] std::string hdf5_image(const std::vector<Hdf5Dataset>& datasets,
                                     const std::map<std::string, std::string>& file_attributes,
                                     const std::string& name);

// Reads table `/<name>` back, with units. Accepts what write_hdf5 writes, with any integer or
// float width and fixed- or variable-length strings (so files made by h5py can be read too),
// and the layout earlier Loom builds wrote (issue 19): one 1-D compound dataset per table,
// one field per column, units in a `units` string-array attribute. A missing table names the
// ones the file has.
[[nodiscard]] ResultTable read_hdf5_table(const std::filesystem::path& path,
                                          const std::string& name);

// The names of the root-level tables (groups with a `columns` attribute, and compound datasets
// of the earlier layout), in HDF5's name order.
[[nodiscard]] std::vector<std::string> list_hdf5_tables(const std::filesystem::path& path);

// All scalar string attributes of the root group, e.g. {"loom_version": "0.1.0"}.
[[nodiscard]] std::map<std::string, std::string> read_hdf5_attributes(
    const std::filesystem::path& path);

}  // namespace loom::reports
