#pragma once
/// @file
/// Joining names for messages (library-internal).

#include <string>
#include <string_view>
#include <vector>

namespace asyncfix::detail {

/// "a; b; c".
inline std::string join(const std::vector<std::string>& items, std::string_view separator = "; ") {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

}  // namespace asyncfix::detail
