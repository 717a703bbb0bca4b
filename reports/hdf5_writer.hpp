// SPDX-License-Identifier: Apache-2.0
#pragma once
// ResultTables as HDF5, readable by h5py and pandas: each table is ONE one-dimensional compound
// dataset `/<name>`, one element per row, one field per column in column order (int64 → native
// int64, double → native double, string → variable-length UTF-8, which h5py reports as
// `string_dtype('utf-8')`), so `pandas.DataFrame(f["layers"][:])` gives the table (strings as
// UTF-8 bytes: `.str.decode("utf-8")`).
// Each dataset carries an attribute `units`: a variable-length UTF-8 string array, one unit per
// column in column order ("" if dimensionless). File-level attributes (e.g. `loom_version`)
// are scalar variable-length UTF-8 strings.
//
// The file is built in memory (HDF5's core driver) and written by atomic_file.hpp, so a full
// disk is an ordinary write error, never a failure inside HDF5. Every failure, in HDF5 or the
// filesystem, throws loom::Error naming the file (and the dataset, where there is one); HDF5's own
// error printing is switched off. Misuse (an empty or duplicate dataset name, a name with '/', a
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
  std::string name;                                 // dataset path below the root, e.g. "layers"
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

// Reads `/<name>` back, with units (empty if the dataset has no `units` attribute). Accepts
// what write_hdf5 writes plus any integer or float width and variable-length strings, so files
// made by h5py can be read too. A missing dataset names the ones the file has.
[[nodiscard]] ResultTable read_hdf5_table(const std::filesystem::path& path,
                                          const std::string& name);

// The names of the root-level compound datasets (the tables), in HDF5's name order.
[[nodiscard]] std::vector<std::string> list_hdf5_tables(const std::filesystem::path& path);

// All scalar string attributes of the root group, e.g. {"loom_version": "0.1.0"}.
[[nodiscard]] std::map<std::string, std::string> read_hdf5_attributes(
    const std::filesystem::path& path);

}  // namespace loom::reports
