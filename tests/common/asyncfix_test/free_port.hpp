#pragma once
// A loopback TCP port nothing listens on.
#include <cstdint>

namespace asyncfix_test {

/// A port on 127.0.0.1 the kernel just handed out and that was closed again, so nothing listens
/// there (a connect is refused). Never a fixed number, so tests stay safe under ctest -j.
std::uint16_t unused_loopback_port();

}  // namespace asyncfix_test
