// libFuzzer target for RedisUrl::parse and the redaction of bad URLs. Any input either parses into
// a URL whose printed form parses back to the same URL, or throws std::invalid_argument whose
// message is one line, has no NUL, and never contains the input's credentials (the text between
// the scheme and the last '@', or a password= value) unless that text also stands elsewhere in
// the input. Nothing else, and never a crash.
#include <asyncfix/redis/redis_url.hpp>

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

void check_hidden(std::string_view text, const std::string& message, std::size_t begin,
                  std::size_t end) {
  if (end <= begin || end - begin < 6) return;  // short strings occur by chance in any message
  const auto secret = text.substr(begin, end - begin);
  if (occurs_elsewhere(text, secret, begin)) return;
  if (message.find(secret) != std::string::npos) std::abort();
}

void check_message(std::string_view text, const std::string& message) {
  if (message.find('\0') != std::string::npos || message.find('\n') != std::string::npos) {
    std::abort();
  }
  if (const auto at = text.rfind('@'); at != std::string_view::npos) {
    const auto colon = text.find(':');
    std::size_t begin = colon != std::string_view::npos && colon < at ? colon + 1 : 0;
    while (begin < at && text[begin] == '/') ++begin;
    check_hidden(text, message, begin, at);
  }
  for (auto pos = text.find("password="); pos != std::string_view::npos;
       pos = text.find("password=", pos + 1)) {
    const auto begin = pos + 9;
    const auto end = text.find_first_of("&#", begin);
    check_hidden(text, message, begin, end == std::string_view::npos ? text.size() : end);
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
