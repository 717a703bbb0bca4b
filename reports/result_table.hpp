// SPDX-License-Identifier: Apache-2.0
#pragma once
// A table of results: an ordered list of typed columns, each with a unit ("pJ", "cycles", "" for
// none), and rows of cells. It knows nothing of models; writers (CSV, JSON, HDF5, console) turn
// it into files. A plain value type: copyable, comparable, no shared state.
//
// Every row always has one cell per column: new rows and new columns start at the column's
// zero value ("", 0, 0.0). A cell's type always matches its column's type; an int64 stored into
// a double column is converted, anything else mismatched is a programming error and throws
// std::logic_error, as do bad row indices and duplicate column names. Looking up a column by a
// name that may come from the user throws loom::Error listing the valid names.
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/enum_table.hpp"

namespace loom::reports {

enum class ColumnType { String, Int64, Double };

inline constexpr std::array<core::EnumName<ColumnType>, 3> kColumnTypeNames{{
    {ColumnType::String, "string"},
    {ColumnType::Int64, "int64"},
    {ColumnType::Double, "double"},
}};

struct Column {
  std::string name;  // unique within a table; used as CSV header, JSON key, HDF5 field name
  std::string unit;  // e.g. "pJ", "cycles", "bytes"; empty if dimensionless
  ColumnType type = ColumnType::Double;
  friend bool operator==(const Column&, const Column&) = default;
};

// Alternatives are in ColumnType order, so cell.index() == static_cast<size_t>(type).
using Cell = std::variant<std::string, std::int64_t, double>;

// Any integer type (size_t, int, uint64_t, bool) as an int64 cell; throws std::logic_error if
// the value does not fit.
template <std::integral T>
[[nodiscard]] std::int64_t to_int64(T v);

class ResultTable {
 public:
  class RowRef;

  // Appends a column and returns its index; existing rows get the column's zero value.
  std::size_t add_column(std::string name, std::string unit, ColumnType type);
  // Appends a row of zero values; set its cells through the returned reference:
  //   t.add_row().set("layer", "conv1").set("macs", macs).set("energy_pj", e);
  RowRef add_row();

  void set(std::size_t row, std::size_t column, Cell value);
  void set(std::size_t row, std::string_view column, Cell value);
  // Integers of any type go through to_int64 (a Cell from a size_t would not compile).
  template <std::integral T>
  void set(std::size_t row, std::size_t column, T value) {
    set(row, column, Cell{to_int64(value)});
  }
  template <std::integral T>
  void set(std::size_t row, std::string_view column, T value) {
    set(row, column, Cell{to_int64(value)});
  }

  [[nodiscard]] const Cell& at(std::size_t row, std::size_t column) const;
  [[nodiscard]] const Cell& at(std::size_t row, std::string_view column) const;
  // Typed reads; throw std::logic_error if the column has another type.
  [[nodiscard]] const std::string& get_string(std::size_t row, std::string_view column) const;
  [[nodiscard]] std::int64_t get_int(std::size_t row, std::string_view column) const;
  [[nodiscard]] double get_double(std::size_t row, std::string_view column) const;

  [[nodiscard]] std::optional<std::size_t> find_column(std::string_view name) const;
  // Throws loom::Error "unknown column 'x' (expected one of: a, b)".
  [[nodiscard]] std::size_t column_index(std::string_view name) const;

  [[nodiscard]] const std::vector<Column>& columns() const { return columns_; }
  [[nodiscard]] const std::vector<std::vector<Cell>>& rows() const { return rows_; }
  [[nodiscard]] std::size_t row_count() const { return rows_.size(); }
  [[nodiscard]] std::size_t column_count() const { return columns_.size(); }

  friend bool operator==(const ResultTable&, const ResultTable&) = default;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;  // rows_[r][c], c in column order
};

// A handle to one row for chained sets. Valid until the table is moved or destroyed (it holds
// a pointer and an index, so adding rows does not invalidate it).
class ResultTable::RowRef {
 public:
  RowRef(ResultTable& table, std::size_t row) : table_(&table), row_(row) {}
  RowRef& set(std::string_view column, Cell value) {
    table_->set(row_, column, std::move(value));
    return *this;
  }
  template <std::integral T>
  RowRef& set(std::string_view column, T value) {
    return set(column, Cell{to_int64(value)});
  }
  [[nodiscard]] std::size_t index() const { return row_; }

 private:
  ResultTable* table_;
  std::size_t row_;
};

[[noreturn]] void throw_int64_out_of_range(std::string_view what);

template <std::integral T>
std::int64_t to_int64(T v) {
  if constexpr (std::is_signed_v<T>) {
    return static_cast<std::int64_t>(v);
  } else {
    if (static_cast<std::uint64_t>(v) >
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      throw_int64_out_of_range(std::to_string(v));
    return static_cast<std::int64_t>(v);
  }
}

}  // namespace loom::reports
