// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by hdf5_writer.cpp and hdf5_reader.cpp only; not part of loom::reports' interface,
// since it includes the HDF5 C++ headers, which callers should not need.
#include <H5Cpp.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace loom::reports::hdf5 {

// HDF5 prints its error stack to stderr by default; errors reach users as loom::Error instead.
inline void silence_errors() { H5::Exception::dontPrint(); }

// Variable-length UTF-8 string: what h5py reads back as a Python str in attributes.
inline H5::StrType vlen_utf8() {
  H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  t.setCset(H5T_CSET_UTF8);
  return t;
}

// Fixed-length, NUL-padded UTF-8 string of `width` bytes: numpy's 'S<width>' in h5py.
inline H5::StrType fixed_utf8(std::size_t width) {
  H5::StrType t(H5::PredType::C_S1, width);
  t.setStrpad(H5T_STR_NULLPAD);
  t.setCset(H5T_CSET_UTF8);
  return t;
}

// The link name of a column's dataset in its table's group: the column name (never empty, as
// ResultTable requires), with '%' and '/' (which HDF5 reads as a path separator)
// percent-encoded, and "." (the group itself) written "%2E". Injective, so the reader finds
// every column from the `columns` attribute alone.
inline std::string column_link(std::string_view column) {
  if (column == ".") return "%2E";
  std::string out;
  for (const char ch : column) {
    if (ch == '%')
      out += "%25";
    else if (ch == '/')
      out += "%2F";
    else
      out += ch;
  }
  return out;
}

// "H5Dwrite failed" style text from the C++ exception, for the loom::Error message.
inline std::string reason(const H5::Exception& e) {
  std::string out = "HDF5: " + e.getDetailMsg();
  if (!e.getFuncName().empty()) out += " in " + e.getFuncName();
  return out;
}

}  // namespace loom::reports::hdf5
