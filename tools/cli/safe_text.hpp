#pragma once
// Text from a test binary (failure messages, test and fault names) made safe to keep and to show:
// valid UTF-8 for the JSON, JUnit and HTML writers, cut only between characters, and no control
// sequence reaching a terminal.
#include <cstddef>
#include <string>
#include <string_view>

namespace asyncfix::cli {

/// `text` with each byte that is not part of a valid UTF-8 character replaced by U+FFFD.
[[nodiscard]] std::string valid_utf8(std::string_view text);

/// valid_utf8(`text`) cut to at most `max_bytes` bytes, at a character boundary, with "..." at the
/// end when something was cut (the "..." counts against `max_bytes`).
[[nodiscard]] std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

/// valid_utf8(`text`) with every control character (C0 but '\n' and '\t', DEL, C1) written as a
/// visible escape such as "\x1b": an ESC or OSC sequence in a failure message prints as text.
[[nodiscard]] std::string for_terminal(std::string_view text);

}  // namespace asyncfix::cli
