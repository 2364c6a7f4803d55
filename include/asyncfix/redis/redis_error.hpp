#pragma once
/// @file
/// Redis errors: the `asyncfix.redis` error category and RedisError.

#include <asyncfix/loop/thrown_at.hpp>

#include <string>
#include <system_error>

namespace asyncfix::redis {

/// Error codes of the `asyncfix.redis` category.
enum class Errc {
  connect_failed = 1,   ///< connection refused or unreachable
  timeout,              ///< no answer within connect_timeout or command_timeout
  connection_lost,      ///< the connection broke while a command was pending
  server_error,         ///< the server answered with an error reply
  protocol_error,       ///< the reply could not be parsed
  no_running_loop,      ///< used from a thread running no asyncfix loop
  shut_down,            ///< the manager or connection was shut down
  auth_failed,          ///< AUTH was refused (or NOAUTH/WRONGPASS)
  invalid_command,      ///< the command cannot be sent this way (empty, or a subscription command)
  transaction_aborted,  ///< EXEC ran nothing because a WATCHed key changed (Transaction::exec)
};

/// The `asyncfix.redis` category.
[[nodiscard]] const std::error_category& redis_category() noexcept;

[[nodiscard]] inline std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), redis_category()};
}

/// The exception of every Redis failure. what() is one sentence saying which server (redacted
/// URL), which command, and what happened, e.g. "asyncfix.redis timeout: GET k on
/// unix:///tmp/afx-1/redis.sock: no reply within 1000 ms; the connection was dropped" (unlike
/// std::system_error, the category message is not appended again). A command's error knows the
/// line of its `co_await` (ThrownAt), where AsyncTest reports it.
class RedisError : public std::system_error, public ThrownAt {
 public:
  RedisError(Errc code, std::string message)
      : std::system_error(make_error_code(code)), message_(std::move(message)) {}
  [[nodiscard]] Errc errc() const noexcept { return static_cast<Errc>(code().value()); }
  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

/// The RedisError asyncfix raises: "asyncfix.redis <category message>: <what> on <url>: <detail>".
/// `url` must already be redacted.
[[nodiscard]] RedisError make_redis_error(Errc code, const std::string& what,
                                          const std::string& redacted_url,
                                          const std::string& detail);

}  // namespace asyncfix::redis

template <>
struct std::is_error_code_enum<asyncfix::redis::Errc> : std::true_type {};
