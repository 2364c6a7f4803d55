// The CLI's text from test binaries: valid UTF-8 whatever the bytes, cut only between characters,
// and no control character reaching a terminal raw.
#include "safe_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using asyncfix::cli::for_terminal;
using asyncfix::cli::truncate_utf8;
using asyncfix::cli::valid_utf8;

/// True when `text` is valid UTF-8 (the same rules, written independently: lead, then
/// continuation bytes).
bool is_valid(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

TEST(SafeText, InvalidBytesBecomeTheReplacementCharacter) {
  EXPECT_EQ(valid_utf8("a\xFF"
                       "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(valid_utf8("\xC3"), "\xEF\xBF\xBD") << "a lead byte with nothing after it";
  EXPECT_EQ(valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "an overlong '/'";
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") << "a surrogate";
  EXPECT_EQ(valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(SafeText, ACutNeverSplitsACharacterWhereverItFalls) {
  std::string text = "ab";
  for (int i = 0; i < 20; ++i) text += "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  for (std::size_t max = 0; max <= text.size() + 2; ++max) {
    const auto cut = truncate_utf8(text, max);
    EXPECT_LE(cut.size(), max) << max;
    EXPECT_TRUE(is_valid(cut)) << "cut at " << max;
    if (max >= text.size()) {
      EXPECT_EQ(cut, text);
    } else {
      EXPECT_TRUE(cut.ends_with("...") || max < 3) << max;
    }
  }
}

TEST(SafeText, ControlCharactersReachATerminalAsVisibleEscapes) {
  EXPECT_EQ(for_terminal("\x1b]0;owned\x07 \x1b[31m"), "\\x1b]0;owned\\x07 \\x1b[31m");
  EXPECT_EQ(for_terminal("del\x7f c1\xC2\x9B"), "del\\x7f c1\\x9b") << "DEL and a C1 CSI";
  EXPECT_EQ(for_terminal("line\nnext\ttab caf\xC3\xA9 \xC2\xA0"),
            "line\nnext\ttab caf\xC3\xA9 \xC2\xA0")
      << "newline, tab, letters and a no-break space stay";
  EXPECT_EQ(for_terminal("\xFF"), "\xEF\xBF\xBD");
}

}  // namespace
