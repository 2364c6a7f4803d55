// libFuzzer target for RedisUrl::parse and the redaction of bad URLs. Any input either parses into
// a URL whose printed form parses back to the same URL, or throws std::invalid_argument whose
// message is one line, has no NUL, quotes the input only as redact_url_text() gives it, and that
// redaction never shows the input's credentials (the text between the scheme and the last '@', or
// a password= value). Nothing else, and never a crash.
#include <asyncfix/redis/redis_url.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

/// True when `secret` occurs in `text` outside [begin, begin + secret.size()).
bool occurs_elsewhere(std::string_view text, std::string_view secret, std::size_t begin) {
  for (auto pos = text.find(secret); pos != std::string_view::npos;
       pos = text.find(secret, pos + 1)) {
    if (pos != begin) return true;
  }
  return false;
}

/// Aborts when `redacted` shows the input's [begin, end). Short or starred secrets, and ones that
/// also stand elsewhere in the input, could match by coincidence: not checked.
void check_hidden(std::string_view text, const std::string& redacted, std::size_t begin,
                  std::size_t end) {
  if (end <= begin || end - begin < 6) return;
  const auto secret = text.substr(begin, end - begin);
  if (secret.find('*') != std::string_view::npos || occurs_elsewhere(text, secret, begin)) return;
  if (redacted.find(secret) != std::string::npos) std::abort();
}

bool is_scheme(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '+' || c == '-' || c == '.';
  });
}

/// The message quotes the redacted input, escaped, is one line, has no NUL; the redaction hides
/// the credentials between a scheme and the last '@', and every password= value.
void check_message(std::string_view text, const std::string& message) {
  if (message.find('\0') != std::string::npos || message.find('\n') != std::string::npos) {
    std::abort();
  }
  const std::string redacted = asyncfix::redis::redact_url_text(text);
  if (redacted.find('\0') == std::string::npos && redacted.find('\n') == std::string::npos &&
      std::all_of(redacted.begin(), redacted.end(),
                  [](unsigned char c) { return c >= 0x20 && c < 0x7f && c != '\\'; })) {
    if (message.find("'" + redacted + "'") == std::string::npos) std::abort();
  }
  if (const auto at = text.rfind('@'); at != std::string_view::npos) {
    const auto colon = text.find(':');
    if (colon != std::string_view::npos && colon < at && is_scheme(text.substr(0, colon))) {
      std::size_t begin = colon + 1;
      while (begin < at && text[begin] == '/') ++begin;
      check_hidden(text, redacted, begin, at);
    }
  }
  for (auto pos = text.find("password="); pos != std::string_view::npos;
       pos = text.find("password=", pos + 1)) {
    const auto begin = pos + 9;
    const auto end = text.find_first_of("&#@", begin);
    check_hidden(text, redacted, begin, end == std::string_view::npos ? text.size() : end);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto url = asyncfix::redis::RedisUrl::parse(text);
    (void)url.redacted();
    if (asyncfix::redis::RedisUrl::parse(url.to_string()) != url) std::abort();
  } catch (const std::invalid_argument& e) {
    check_message(text, e.what());
  }
  return 0;
}
