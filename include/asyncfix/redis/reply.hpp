#pragma once
/// @file
/// Reply: an owning copy of a Redis reply.

#include <cstdint>
#include <string>
#include <vector>

namespace asyncfix::redis {

/// An owning copy of one Redis reply (hiredis frees its own right after the callback).
class Reply {
 public:
  enum class Type { nil, integer, status, string, array, error };

  Reply() = default;
  static Reply nil() { return Reply(); }
  static Reply integer(long long value);
  static Reply status(std::string text);
  static Reply string(std::string text);
  static Reply error(std::string text);
  static Reply array(std::vector<Reply> elements);

  [[nodiscard]] Type type() const noexcept { return type_; }
  [[nodiscard]] bool is_nil() const noexcept { return type_ == Type::nil; }
  [[nodiscard]] bool is_error() const noexcept { return type_ == Type::error; }
  /// The integer of an integer reply (0 otherwise).
  [[nodiscard]] long long as_integer() const noexcept { return integer_; }
  /// The text of a string, status or error reply (empty otherwise).
  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  [[nodiscard]] const std::vector<Reply>& elements() const noexcept { return elements_; }

  /// redis-cli style: (nil), (integer) 5, "text", OK, (error) ERR ..., [a, b].
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const Reply&, const Reply&) = default;

 private:
  Type type_ = Type::nil;
  long long integer_ = 0;
  std::string text_;
  std::vector<Reply> elements_;
};

}  // namespace asyncfix::redis
