// SPDX-License-Identifier: Apache-2.0
#include "reports/result_table.hpp"

#include <stdexcept>
#include <utility>

#include "core/error.hpp"

namespace loom::reports {
namespace {

Cell zero_value(ColumnType type) {
  switch (type) {
    case ColumnType::String: return std::string{};
    case ColumnType::Int64: return std::int64_t{0};
    case ColumnType::Double: return 0.0;
  }
  return 0.0;
}

std::string type_name(ColumnType t) { return std::string(core::enum_name(kColumnTypeNames, t)); }

// Cell alternatives follow ColumnType order (see the header), so the index names the type.
ColumnType type_of(const Cell& c) { return static_cast<ColumnType>(c.index()); }

}  // namespace

void throw_int64_out_of_range(std::string_view what) {
  throw std::logic_error("ResultTable: integer " + std::string(what) + " does not fit in int64");
}

std::size_t ResultTable::add_column(std::string name, std::string unit, ColumnType type) {
  if (name.empty()) throw std::logic_error("ResultTable: a column needs a name");
  if (find_column(name)) throw std::logic_error("ResultTable: duplicate column '" + name + "'");
  columns_.push_back(Column{std::move(name), std::move(unit), type});
  for (auto& row : rows_) row.push_back(zero_value(type));
  return columns_.size() - 1;
}

ResultTable::RowRef ResultTable::add_row() {
  std::vector<Cell> row;
  row.reserve(columns_.size());
  for (const auto& c : columns_) row.push_back(zero_value(c.type));
  rows_.push_back(std::move(row));
  return RowRef(*this, rows_.size() - 1);
}

void ResultTable::set(std::size_t row, std::size_t column, Cell value) {
  if (row >= rows_.size() || column >= columns_.size())
    throw std::logic_error("ResultTable: cell (" + std::to_string(row) + ", " +
                           std::to_string(column) + ") is out of range");
  const Column& col = columns_[column];
  if (col.type == ColumnType::Double && type_of(value) == ColumnType::Int64)
    value = static_cast<double>(std::get<std::int64_t>(value));
  if (type_of(value) != col.type)
    throw std::logic_error("ResultTable: column '" + col.name + "' holds " + type_name(col.type) +
                           ", got " + type_name(type_of(value)));
  rows_[row][column] = std::move(value);
}

void ResultTable::set(std::size_t row, std::string_view column, Cell value) {
  set(row, column_index(column), std::move(value));
}

const Cell& ResultTable::at(std::size_t row, std::size_t column) const {
  if (row >= rows_.size() || column >= columns_.size())
    throw std::logic_error("ResultTable: cell (" + std::to_string(row) + ", " +
                           std::to_string(column) + ") is out of range");
  return rows_[row][column];
}

const Cell& ResultTable::at(std::size_t row, std::string_view column) const {
  return at(row, column_index(column));
}

namespace {
template <class T>
const T& typed(const ResultTable& t, std::size_t row, std::string_view column) {
  const Cell& c = t.at(row, column);
  if (const T* v = std::get_if<T>(&c)) return *v;
  throw std::logic_error("ResultTable: column '" + std::string(column) + "' holds " +
                         type_name(type_of(c)));
}
}  // namespace

const std::string& ResultTable::get_string(std::size_t row, std::string_view column) const {
  return typed<std::string>(*this, row, column);
}
std::int64_t ResultTable::get_int(std::size_t row, std::string_view column) const {
  return typed<std::int64_t>(*this, row, column);
}
double ResultTable::get_double(std::size_t row, std::string_view column) const {
  return typed<double>(*this, row, column);
}

std::optional<std::size_t> ResultTable::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].name == name) return i;
  return std::nullopt;
}

std::size_t ResultTable::column_index(std::string_view name) const {
  if (auto i = find_column(name)) return *i;
  std::string names;
  for (const auto& c : columns_) names += (names.empty() ? "" : ", ") + c.name;
  throw Error("unknown column '" + std::string(name) + "' (expected one of: " + names + ")");
}

}  // namespace loom::reports
