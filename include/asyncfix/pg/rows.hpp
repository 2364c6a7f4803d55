#pragma once
/// @file
/// Rows and Row: a query's result, read by column index or name, typed, NULL as std::optional.

#include <asyncfix/pg/pg_error.hpp>

#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace asyncfix::pg {

namespace detail {
struct Result;  // owns a PGresult

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

/// A column's text as a `T` (the server sends text); throws PgError(bad_value) naming `column`.
template <class T>
T from_text(std::string_view text, const std::string& column) {
  const auto bad = [&] {
    return PgError(Errc::bad_value, "asyncfix.pg bad value: column " + column + " holds '" +
                                        std::string(text.substr(0, 64)) +
                                        "', which is not the type asked for");
  };
  if constexpr (std::is_same_v<T, std::string>) {
    return std::string(text);
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    return text;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (text == "t" || text == "true") return true;
    if (text == "f" || text == "false") return false;
    throw bad();
  } else if constexpr (std::is_integral_v<T>) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) throw bad();
    return value;
  } else if constexpr (std::is_floating_point_v<T>) {
    const std::string copy(text);
    char* end = nullptr;
    const double value = std::strtod(copy.c_str(), &end);
    if (copy.empty() || end != copy.c_str() + copy.size()) throw bad();
    return static_cast<T>(value);
  } else {
    static_assert(sizeof(T) == 0,
                  "Row::get<T>: T is one of bool, an integer, a floating point "
                  "type, std::string, std::string_view, or std::optional of one");
  }
}
}  // namespace detail

/// One row of a Rows; valid as long as any Rows or Row of the same result lives.
class Row {
 public:
  /// The value of column `column` (from 0) as a `T`. A NULL is std::nullopt for a
  /// std::optional<T>, and a PgError(bad_value) naming the column for any other T.
  template <class T>
  [[nodiscard]] T get(int column) const {
    const auto value = text(column);
    if constexpr (detail::is_optional<T>::value) {
      if (!value) return std::nullopt;
      return detail::from_text<typename T::value_type>(*value, column_label(column));
    } else {
      if (!value) {
        throw PgError(Errc::bad_value, "asyncfix.pg bad value: column " + column_label(column) +
                                           " is NULL; ask for a std::optional to read a NULL");
      }
      return detail::from_text<T>(*value, column_label(column));
    }
  }
  /// The value of the column named `name`; throws PgError(bad_value) naming the columns there
  /// are when there is none.
  template <class T>
  [[nodiscard]] T get(std::string_view name) const {
    return get<T>(column_index(name));
  }
  /// The column's text as the server sent it; nullopt for NULL.
  [[nodiscard]] std::optional<std::string_view> text(int column) const;
  [[nodiscard]] bool is_null(int column) const { return !text(column).has_value(); }
  /// The index of the column named `name`; throws PgError(bad_value) when there is none.
  [[nodiscard]] int column_index(std::string_view name) const;
  /// The number of columns.
  [[nodiscard]] int size() const noexcept;

 private:
  friend class Rows;
  Row(std::shared_ptr<const detail::Result> result, int row) noexcept
      : result_(std::move(result)), row_(row) {}
  [[nodiscard]] std::string column_label(int column) const;

  std::shared_ptr<const detail::Result> result_;
  int row_;
};

/// What a query returned: its rows (none for a command) and the count of rows it affected.
class Rows {
 public:
  Rows() = default;
  explicit Rows(std::shared_ptr<const detail::Result> result) noexcept
      : result_(std::move(result)) {}

  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  /// Row `index` (from 0); throws std::out_of_range past the end.
  [[nodiscard]] Row operator[](std::size_t index) const;
  /// The rows an INSERT, UPDATE, DELETE, MERGE or SELECT touched (the command tag's count; 0
  /// for a command without one).
  [[nodiscard]] long long affected() const noexcept;
  /// The column names, in order.
  [[nodiscard]] std::vector<std::string> columns() const;

  /// Iterates over the rows in order.
  class iterator {
   public:
    iterator(const Rows* rows, std::size_t index) : rows_(rows), index_(index) {}
    Row operator*() const { return (*rows_)[index_]; }
    iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator==(const iterator& other) const { return index_ == other.index_; }

   private:
    const Rows* rows_;
    std::size_t index_;
  };
  [[nodiscard]] iterator begin() const { return {this, 0}; }
  [[nodiscard]] iterator end() const { return {this, size()}; }

 private:
  std::shared_ptr<const detail::Result> result_;
};

}  // namespace asyncfix::pg
