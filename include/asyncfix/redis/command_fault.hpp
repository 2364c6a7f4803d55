#pragma once
/// @file
/// The seam where faults enter the Redis layer: RedisOptions::command_fault is consulted before
/// each command is sent and may fail it with a classified error instead (Beast's `fail_count` is
/// the model). The Redis layer defines the seam; fault layers fill it in.

#include <asyncfix/redis/redis_error.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace asyncfix::redis {

/// What a fault hook sees of a command about to be sent.
struct CommandInfo {
  std::string_view name;            ///< the command name as given ("GET")
  std::string_view first_argument;  ///< empty when there is none
  std::uint64_t number = 0;  ///< 1 for the first command on this connection (handshake included)
};

/// A command failed on purpose instead of being sent.
struct InjectedFault {
  Errc code = Errc::connection_lost;
  std::string detail = "injected fault";
};

/// Consulted before each command is sent, on the connection's loop: nullopt sends the command; a
/// fault fails it with RedisError(fault.code) instead. `timeout` and `connection_lost` also drop
/// the connection, as a real one would be after such a failure (pending commands fail with it and
/// the manager reconnects on next use); other codes fail only this command. Must not throw.
using CommandFault = std::function<std::optional<InjectedFault>(const CommandInfo&)>;

/// Fails exactly the `n`-th command a manager sends (counting every connection it makes, from 1;
/// the handshake's AUTH/SELECT/CLIENT SETNAME included) with `code`, then lets all others through,
/// like Beast's `test::fail_count`. Thread-safe; one counter shared by every copy.
[[nodiscard]] CommandFault fail_count(std::uint64_t n, Errc code = Errc::connection_lost);

}  // namespace asyncfix::redis
