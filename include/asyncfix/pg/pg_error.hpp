#pragma once
/// @file
/// PostgreSQL errors: the `asyncfix.pg` error category and PgError, which carries the SQLSTATE.

#include <asyncfix/loop/thrown_at.hpp>

#include <string>
#include <system_error>

namespace asyncfix::pg {

/// Error codes of the `asyncfix.pg` category.
enum class Errc {
  connect_failed = 1,  ///< the server could not be reached, or refused the connection
  auth_failed,         ///< the password (or the user) was refused
  timeout,             ///< no answer within connect_timeout or query_timeout
  connection_lost,     ///< the connection broke while a query was pending
  server_error,        ///< the server answered with an error (sqlstate() says which)
  shut_down,           ///< the manager or connection was closed
  invalid_argument,    ///< a bad URL, or a query that cannot be sent (empty)
  no_running_loop,     ///< used from a thread running no asyncfix loop
  bad_value,           ///< a column's value does not convert to the type asked for
};

/// The `asyncfix.pg` category.
[[nodiscard]] const std::error_category& pg_category() noexcept;

[[nodiscard]] inline std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), pg_category()};
}

/// The exception of every PostgreSQL failure. what() is one sentence naming the server (its URL,
/// password masked), the query and what happened, e.g. "asyncfix.pg server error: INSERT INTO
/// orders ... on postgresql:///postgres?host=/tmp/afx-1: duplicate key value violates unique
/// constraint "orders_pkey" (SQLSTATE 23505)". A query's error knows the line of its `co_await`.
class PgError : public std::system_error, public ThrownAt {
 public:
  PgError(Errc code, std::string message, std::string sqlstate = {})
      : std::system_error(make_error_code(code)),
        message_(std::move(message)),
        sqlstate_(std::move(sqlstate)) {}
  [[nodiscard]] Errc errc() const noexcept { return static_cast<Errc>(code().value()); }
  /// The five-character SQLSTATE of a server error ("23505": unique_violation, "40001":
  /// serialization_failure, "57014": query_canceled); empty for errors of the client side.
  [[nodiscard]] const std::string& sqlstate() const noexcept { return sqlstate_; }
  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
  std::string sqlstate_;
};

/// SQLSTATEs a test most often checks.
namespace sqlstate {
inline constexpr const char* unique_violation = "23505";
inline constexpr const char* foreign_key_violation = "23503";
inline constexpr const char* not_null_violation = "23502";
inline constexpr const char* serialization_failure = "40001";
inline constexpr const char* deadlock_detected = "40P01";
inline constexpr const char* query_canceled = "57014";
inline constexpr const char* undefined_table = "42P01";
inline constexpr const char* syntax_error = "42601";
inline constexpr const char* invalid_password = "28P01";
}  // namespace sqlstate

/// The PgError asyncfix raises: "asyncfix.pg <category message>: <what> on <url>: <detail>".
/// `redacted_url` must already have its password masked.
[[nodiscard]] PgError make_pg_error(Errc code, const std::string& what,
                                    const std::string& redacted_url, const std::string& detail,
                                    std::string sqlstate = {});

}  // namespace asyncfix::pg

template <>
struct std::is_error_code_enum<asyncfix::pg::Errc> : std::true_type {};
