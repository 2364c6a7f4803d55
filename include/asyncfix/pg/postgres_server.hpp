#pragma once
/// @file
/// PostgresServer: a private, throwaway PostgreSQL for tests, on a unix socket in a private
/// directory, started from a cached initialised data directory.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace asyncfix::detail {
class PrivateServer;
}

namespace asyncfix::pg {

/// How to start a PostgresServer.
struct PostgresServerOptions {
  /// Where `postgres` and `initdb` are; empty means $ASYNCFIX_PG_BINDIR, else `pg_config
  /// --bindir`, else /usr/lib/postgresql/15/bin.
  std::filesystem::path bindir;
  /// The password of the test user `asyncfix` (the URL carries it; never printed, never on a
  /// command line). Empty: the socket trusts its local users.
  std::string password;
  /// PostgreSQL refuses to run as root: when this process is root, the server runs as this system
  /// user. Empty means $ASYNCFIX_PG_USER, else `postgres` (which Debian's package creates).
  std::string run_as;
  /// Also listen on 127.0.0.1 (a free port is chosen; retried on collision).
  bool tcp = false;
  /// More settings, each "name=value", passed as `-c name=value` after asyncfix's own.
  std::vector<std::string> settings;
  /// Bound on start-up (ready = the server accepts a connection).
  std::chrono::milliseconds start_timeout{30'000};
  /// Kill the server when the process that started it dies, even by SIGKILL.
  bool die_with_parent = true;
};

/// A private PostgreSQL 15: a unix socket in a private 0700 directory under /tmp (marked as
/// asyncfix's, swept by a later start if its process dies), TCP only when asked, never a fixed
/// port. The data directory is a copy of one initialised once per server version and cached
/// (`$TMPDIR/asyncfix-pg-cache-UID/`), with fsync, synchronous_commit and full_page_writes off.
/// stop() is a fast shutdown (SIGINT), then SIGTERM, then SIGKILL, each bounded.
///
///     auto server = asyncfix::pg::PostgresServer::start();
///     asyncfix::pg::PgManager pg({.url = server->url()});
class PostgresServer {
 public:
  /// Starts a server; throws std::runtime_error naming what is missing (the binaries: the package
  /// and ASYNCFIX_PG_BINDIR; the system user when root) or, for a failed start, the log's last
  /// lines.
  static std::unique_ptr<PostgresServer> start(PostgresServerOptions options = {});
  /// stop().
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  /// The URL of database `postgres` as user `asyncfix` over the unix socket (password included
  /// when set: see redact_url()).
  [[nodiscard]] std::string url() const { return url_for("postgres"); }
  /// The same for database `dbname`.
  [[nodiscard]] std::string url_for(std::string_view dbname) const;
  /// The 127.0.0.1 URL when started with tcp; empty otherwise.
  [[nodiscard]] std::string tcp_url(std::string_view dbname = "postgres") const;
  /// The port: on 127.0.0.1 with PostgresServerOptions::tcp, and the unix socket's number.
  [[nodiscard]] std::uint16_t port() const noexcept { return static_cast<std::uint16_t>(port_); }
  /// The postmaster's pid; -1 when stopped.
  [[nodiscard]] pid_t pid() const noexcept;
  [[nodiscard]] bool running() const noexcept;
  /// The private directory holding the socket, the data directory and the log.
  [[nodiscard]] std::filesystem::path dir() const;
  /// The server version, as `postgres --version` says it.
  [[nodiscard]] const std::string& version() const noexcept { return version_; }
  /// True when this start copied the cached data directory (false: it ran initdb first).
  [[nodiscard]] bool started_from_cache() const noexcept { return from_cache_; }
  /// Fast shutdown, then SIGTERM, then SIGKILL, each bounded; removes the directory and the
  /// shared memory a killed server leaves. Idempotent.
  void stop() noexcept;
  /// Forgets the server without stopping it (`asyncfix pg start`: it outlives this process; start
  /// it with die_with_parent = false).
  void detach() noexcept;
  /// SIGKILL now (a crash, for fault tests); the directory stays until stop() or destruction.
  void kill() noexcept;
  /// Starts the server again on the same directory, data and socket (after kill() or stop of
  /// the process only); throws as start().
  void restart();

 private:
  explicit PostgresServer(PostgresServerOptions options);
  /// The server's own directory inside the private one: its socket and data directory.
  [[nodiscard]] std::filesystem::path home() const;
  void spawn();
  void wait_ready();

  PostgresServerOptions options_;
  std::filesystem::path bindir_;
  std::string version_;
  bool from_cache_ = false;
  uid_t uid_ = static_cast<uid_t>(-1);
  gid_t gid_ = static_cast<gid_t>(-1);
  int port_ = 5432;
  std::unique_ptr<asyncfix::detail::PrivateServer> process_;
  pid_t postmaster_ = -1;               ///< the last one spawned, still known after kill()
  std::uint64_t postmaster_start_ = 0;  ///< its start time, in clock ticks after boot
};

}  // namespace asyncfix::pg
