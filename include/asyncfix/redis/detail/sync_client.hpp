#pragma once
/// @file
/// SyncClient: a blocking Redis connection for paths that must not need a loop (server readiness
/// and shutdown, teardown fallbacks, the CLI).

#include <asyncfix/redis/redis_url.hpp>
#include <asyncfix/redis/reply.hpp>

#include <chrono>
#include <string>
#include <vector>

struct redisContext;

namespace asyncfix::redis::detail {

/// One blocking hiredis connection, with AUTH and SELECT per the URL. Every operation is bounded by
/// the timeout given at construction.
class SyncClient {
 public:
  /// Connects; throws RedisError (connect_failed, timeout, auth_failed) naming the redacted URL.
  SyncClient(const RedisUrl& url, std::chrono::milliseconds timeout);
  ~SyncClient();
  SyncClient(const SyncClient&) = delete;
  SyncClient& operator=(const SyncClient&) = delete;

  /// Sends one command; an error reply is returned as Reply::error. Throws RedisError:
  /// invalid_command (empty), timeout (no reply within the timeout), connection_lost.
  Reply command(const std::vector<std::string>& args);

  /// SCAN MATCH `pattern` and UNLINK what matches, at most `max_rounds` SCAN calls; returns the
  /// number of keys unlinked.
  long long unlink_matching(const std::string& pattern, int max_rounds = 1'000);

 private:
  RedisUrl url_;
  std::chrono::milliseconds timeout_;
  redisContext* context_ = nullptr;
};

/// PINGs `url` synchronously within `timeout`; empty when it answered, else the reason.
[[nodiscard]] std::string ping_sync(const RedisUrl& url, std::chrono::milliseconds timeout);

}  // namespace asyncfix::redis::detail
