#pragma once
/// @file
/// RedisUrl: where a Redis server is, parsed from a URL; redacted() for every message.

#include <cstdint>
#include <string>
#include <string_view>

namespace asyncfix::redis {

/// A Redis server address: TCP (a host name or a numeric IPv4/IPv6 address) or a unix socket,
/// with optional ACL user, password and database. A name is resolved when a connection is made,
/// without blocking the loop and within the connect timeout; each of its addresses is tried in
/// turn, and messages show the URL as written.
///
///     auto url = RedisUrl::parse("redis://app:s3cret@127.0.0.1:6400/2");
///     url.redacted();  // "redis://app:***@127.0.0.1:6400/2"
struct RedisUrl {
  enum class Kind { tcp, unix_socket };

  Kind kind = Kind::tcp;
  std::string host = "127.0.0.1";  ///< a host name, or IPv4, or IPv6 without brackets (tcp)
  std::uint16_t port = 6379;       ///< tcp
  std::string path;                ///< socket path (unix_socket)
  int db = 0;
  std::string user;      ///< ACL user; empty for the default user
  std::string password;  ///< empty: no AUTH

  /// Parses "redis://[[user]:password@]host[:port][/db]" or
  /// "unix://[[user]:password@]/path[?db=N][&password=P][&user=U]" (also "redis+unix://"; the
  /// db/password/user query is accepted on both). The RFC 3986 grammar is Boost.URL's; the Redis
  /// rules are ours. Percent-escapes are decoded (a '/' in a
  /// password is written %2F). Throws std::invalid_argument with one line naming the input, with
  /// its credentials masked and control bytes escaped, and what was expected.
  static RedisUrl parse(std::string_view text);

  /// A TCP URL for `host`:`port`.
  static RedisUrl tcp(std::string host, std::uint16_t port);
  /// A unix-socket URL for `path`.
  static RedisUrl unix_socket(std::string path);

  /// The URL with the password masked as "***": the only form asyncfix ever prints.
  [[nodiscard]] std::string redacted() const;
  /// The full URL, password included (for handing to another process, never for printing).
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const RedisUrl&, const RedisUrl&) = default;
};

/// Masks the credentials of a URL-like string that may not parse (for error messages): everything
/// between the scheme and the last '@', and every `password=` value.
[[nodiscard]] std::string redact_url_text(std::string_view text);

}  // namespace asyncfix::redis
