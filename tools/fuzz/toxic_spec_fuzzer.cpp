// libFuzzer target for Toxic::parse, the text form of a network fault (CLI, ASYNCFIX_FAULTS,
// FaultProxy::add). Any input either parses into a toxic whose to_string() parses back to the same
// toxic, or throws std::invalid_argument whose message is one line naming the spec and the grammar.
// Nothing else, and never a crash.
#include <asyncfix/fault/toxic.hpp>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (text.find('\n') != std::string_view::npos || text.find('\0') != std::string_view::npos) {
    return 0;  // the message quotes the spec verbatim; specs come from one line of text
  }
  try {
    const auto toxic = asyncfix::fault::Toxic::parse(text);
    if (asyncfix::fault::Toxic::parse(toxic.to_string()) != toxic) std::abort();
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    if (message.find('\n') != std::string::npos) std::abort();
    if (message.find("expected KIND[:PARAM=VALUE") == std::string::npos) std::abort();
  }
  return 0;
}
