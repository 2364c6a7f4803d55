#pragma once
/// @file
/// RedisOptions: how a RedisConnection/RedisManager connects and how long it waits.

#include <asyncfix/affinity/loop_policy.hpp>
#include <asyncfix/redis/command_fault.hpp>
#include <asyncfix/redis/redis_url.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace asyncfix::redis {

/// Connection settings. Only `url` is required.
struct RedisOptions {
  RedisUrl url;
  /// What the manager does when used from another loop (see LoopPolicy).
  LoopPolicy on_loop_change = LoopPolicy::Reconnect;
  /// Bound on establishing a connection (TCP/unix connect plus AUTH/SELECT/SETNAME).
  std::chrono::milliseconds connect_timeout{1'000};
  /// Bound on each command; on expiry the connection is dropped and the next call reconnects.
  std::chrono::milliseconds command_timeout{1'000};
  /// Connect attempts per client() before giving up (refused/timed out; AUTH failures never retry).
  unsigned connect_attempts = 3;
  /// Wait before the second attempt; doubles per attempt up to reconnect_backoff_max.
  std::chrono::milliseconds reconnect_backoff{20};
  std::chrono::milliseconds reconnect_backoff_max{200};
  /// PING a connection before reusing it when it has nothing in flight and has been idle this long;
  /// nullopt turns it off.
  std::optional<std::chrono::milliseconds> health_check_idle{std::chrono::milliseconds(100)};
  /// CLIENT SETNAME on connect (no spaces); lets tests find their connections in CLIENT LIST.
  std::string client_name;
  /// The connection is meant to live until its loop closes: teardown closes it without reporting a
  /// leak. Implied by LoopPolicy::Reconnect and PerLoop, where the connection belongs to each loop
  /// in turn (a suite-scoped manager); set it for a LoopPolicy::Fail connection that should end
  /// with its loop.
  bool closes_with_loop = false;
  /// Consulted before each command is sent; may fail it instead (see command_fault.hpp). Empty by
  /// default: nothing is injected and the check costs one branch.
  CommandFault command_fault;
};

}  // namespace asyncfix::redis
