// libFuzzer target for RedisUrl::parse: any input either parses into a URL whose printed form
// parses back to the same URL, or throws std::invalid_argument; nothing else, and never a crash.
#include <asyncfix/redis/redis_url.hpp>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto url = asyncfix::redis::RedisUrl::parse(text);
    (void)url.redacted();
    if (url.kind == asyncfix::redis::RedisUrl::Kind::tcp) {
      if (asyncfix::redis::RedisUrl::parse(url.to_string()) != url) std::abort();
    }
  } catch (const std::invalid_argument& e) {
    (void)e.what();
  }
  return 0;
}
