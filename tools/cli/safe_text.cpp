#include "safe_text.hpp"

#include <cstdint>
#include <cstdio>

namespace asyncfix::cli {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

/// The length of the valid UTF-8 character at the start of `text`, or 0 when it is not one.
std::size_t character_length(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  std::uint32_t code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3F);
  }
  const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
  return overlong || surrogate || code > 0x10FFFF ? 0 : length;
}

/// Calls `emit(character)` for each character of `text`, U+FFFD for each invalid byte.
template <typename Emit>
void for_each_character(std::string_view text, Emit emit) {
  while (!text.empty()) {
    const auto length = character_length(text);
    if (length == 0) {
      emit(replacement);
      text.remove_prefix(1);
    } else {
      emit(text.substr(0, length));
      text.remove_prefix(length);
    }
  }
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_character(text, [&](std::string_view c) { out += c; });
  return out;
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  auto valid = valid_utf8(text);
  if (valid.size() <= max_bytes) return valid;
  constexpr std::string_view ellipsis = "...";
  std::size_t keep = max_bytes > ellipsis.size() ? max_bytes - ellipsis.size() : 0;
  while (keep > 0 && (static_cast<unsigned char>(valid[keep]) & 0xC0) == 0x80) --keep;
  valid.resize(keep);
  return valid + std::string(ellipsis.substr(0, std::min(ellipsis.size(), max_bytes)));
}

std::string for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_character(text, [&](std::string_view c) {
    unsigned code = static_cast<unsigned char>(c[0]);
    if (c.size() == 2 && code == 0xC2) code = static_cast<unsigned char>(c[1]);  // U+0080..U+00BF
    const bool control =
        (c.size() == 1 && ((code < 0x20 && c[0] != '\n' && c[0] != '\t') || code == 0x7F)) ||
        (c.size() == 2 && code >= 0x80 && code <= 0x9F);
    if (!control) {
      out += c;
      return;
    }
    char escaped[8];
    std::snprintf(escaped, sizeof escaped, "\\x%02x", code);
    out += escaped;
  });
  return out;
}

}  // namespace asyncfix::cli
