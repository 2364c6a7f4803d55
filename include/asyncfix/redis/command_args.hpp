#pragma once
/// @file
/// What the variadic RedisManager::command() accepts as arguments, and the command name that
/// carries the caller's source location.

#include <charconv>
#include <concepts>
#include <source_location>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace asyncfix::redis {

/// A command's name, with where the call stands in the caller's source: converting to it captures
/// the caller's std::source_location, which a parameter pack cannot take as a defaulted argument.
struct CommandName {
  /// From anything a std::string_view can be made of ("LPUSH", a std::string, a view).
  template <class Text>
  requires std::convertible_to<const Text&, std::string_view> CommandName(
      const Text& text,  // NOLINT(google-explicit-constructor): implicit on purpose
      std::source_location at = std::source_location::current())
      : name(text), where(at) {}

  std::string_view name;       ///< read before the call returns; a temporary may back it
  std::source_location where;  ///< the caller's line
};

/// Strings (std::string, views, literals) and numbers (not bool, not char) as command arguments.
template <class T>
concept CommandArgument = std::convertible_to<const T&, std::string_view> ||
    (std::is_arithmetic_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>);

namespace detail {

/// One argument as the bytes Redis receives: the text itself, or the number in decimal (a
/// floating-point number in its shortest exact form).
template <CommandArgument T>
std::string to_command_argument(const T& value) {
  if constexpr (std::convertible_to<const T&, std::string_view>) {
    return std::string(std::string_view(value));
  } else {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
  }
}

/// `name` followed by `args`, each as to_command_argument() renders it.
template <CommandArgument... Args>
std::vector<std::string> command_parts(std::string_view name, const Args&... args) {
  std::vector<std::string> parts;
  parts.reserve(sizeof...(Args) + 1);
  parts.emplace_back(name);
  (parts.push_back(to_command_argument(args)), ...);
  return parts;
}

}  // namespace detail
}  // namespace asyncfix::redis
