#pragma once
/// @file
/// RedisEnvironment: which Redis server the tests of this process use.

#include <asyncfix/redis/redis_server.hpp>
#include <asyncfix/redis/redis_url.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>

namespace asyncfix::redis {

/// Thrown by RedisEnvironment::url() when no server can be used; what() says why, code() what as
/// data (the RedisError's code when the server did not answer; no error otherwise).
class RedisUnavailable : public std::system_error {
 public:
  explicit RedisUnavailable(std::string what, std::error_code code = {})
      : std::system_error(code), message_(std::move(what)) {}
  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

/// The Redis server the tests of this process use, resolved once, on first need:
/// ASYNCFIX_REDIS_URL, then REDIS_URL (an external server, PINGed once), then
/// ASYNCFIX_REDIS_URL_FILE (a file holding the URL, written by `asyncfix redis start` for the ctest
/// fixture), else an embedded private RedisServer started for this process and stopped at the end.
/// asyncfix::main registers it; instance() works without registration too.
class RedisEnvironment : public ::testing::Environment {
 public:
  /// The registered environment, or a process-wide one.
  static RedisEnvironment& instance();
  /// Registers a new environment with gtest (done by asyncfix::install()).
  static void register_with_gtest();

  /// The URL tests connect to; starts the embedded server on first call. Throws RedisUnavailable.
  RedisUrl url();
  /// Where url() came from: "ASYNCFIX_REDIS_URL", "REDIS_URL", "ASYNCFIX_REDIS_URL_FILE" or
  /// "embedded" (empty before the first url()).
  [[nodiscard]] std::string source() const;
  /// True when ASYNCFIX_REDIS_OPTIONAL is 1, true, yes or on (any case): tests skip instead of
  /// failing without a server. Throws std::invalid_argument naming the variable for any value but
  /// those and 0, false, no, off.
  [[nodiscard]] static bool skips_without_server();

  /// Stops the embedded server.
  void TearDown() override;

 private:
  mutable std::mutex mutex_;
  std::optional<RedisUrl> url_;
  std::string source_;
  std::string failure_;
  std::error_code failure_code_;
  std::unique_ptr<RedisServer> server_;
};

}  // namespace asyncfix::redis
