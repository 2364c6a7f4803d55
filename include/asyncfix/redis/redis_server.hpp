#pragma once
/// @file
/// RedisServer: a private, throwaway redis-server for tests.

#include <asyncfix/redis/redis_url.hpp>

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace asyncfix::detail {
class PrivateServer;
}  // namespace asyncfix::detail

namespace asyncfix::redis {

/// How to start a RedisServer.
struct RedisServerOptions {
  /// The binary; empty means $ASYNCFIX_REDIS_SERVER, else `redis-server` from PATH.
  std::string executable;
  /// Also listen on 127.0.0.1 (a free port is chosen; retried on collision).
  bool tcp = false;
  /// requirepass (the URL carries it; never printed). Handed to the server in a 0600 config file
  /// inside the private directory, never on its command line.
  std::string password;
  /// More `--flag value` arguments for redis-server, after those of $ASYNCFIX_REDIS_ARGS (so
  /// these win). The flags asyncfix sets itself (--port, --unixsocket, --unixsocketperm, --dir,
  /// --daemonize, --logfile) and --requirepass (use `password`) are refused.
  std::vector<std::string> extra_args;
  /// Bound on start-up (ready = PING answered).
  std::chrono::milliseconds start_timeout{10'000};
  /// Kill the server when the process that started it dies, even by SIGKILL (PR_SET_PDEATHSIG).
  /// Off for `asyncfix redis start`, whose server must outlive the CLI.
  bool die_with_parent = true;
};

/// A private redis-server: unix socket in a private 0700 directory under /tmp (short path; marked
/// as asyncfix's, and swept by a later start if its process dies without cleaning up), and
/// 127.0.0.1 TCP when asked; `--save "" --appendonly no --timeout 0 --enable-debug-command local`.
/// Ready means PING answered. stop() is SHUTDOWN NOSAVE, then SIGTERM, then SIGKILL, each bounded.
///
///     auto server = asyncfix::redis::RedisServer::start();
///     RedisManager redis({.url = server->url()});
class RedisServer {
 public:
  /// Starts a server; throws std::runtime_error naming the binary and the reason (missing binary:
  /// names ASYNCFIX_REDIS_SERVER and the apt package; failed start: the log's last lines), and
  /// std::invalid_argument for refused arguments (from extra_args or $ASYNCFIX_REDIS_ARGS).
  static std::unique_ptr<RedisServer> start(RedisServerOptions options = {});

  /// stop().
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  /// The unix-socket URL (password included, see RedisUrl::redacted()).
  [[nodiscard]] RedisUrl url() const;
  /// The 127.0.0.1 URL when started with tcp.
  [[nodiscard]] std::optional<RedisUrl> tcp_url() const;
  /// The server's pid; -1 when stopped.
  [[nodiscard]] pid_t pid() const noexcept;
  /// True while the server process runs (as far as this object knows).
  [[nodiscard]] bool running() const noexcept;
  /// The private directory holding the socket and the log (empty once stopped or detached).
  [[nodiscard]] const std::filesystem::path& dir() const noexcept;
  /// The redis-server binary it runs (RedisServerOptions::executable, ASYNCFIX_REDIS_SERVER or the
  /// one on PATH), as found at start().
  [[nodiscard]] const std::string& executable() const noexcept { return executable_; }

  /// SHUTDOWN NOSAVE, then SIGTERM, then SIGKILL, each bounded; removes the directory unless
  /// keep_dir. Idempotent, never throws.
  void stop(bool keep_dir = false) noexcept;
  /// SIGKILL now (for fault tests); the directory stays so restart() can reuse the address.
  void kill() noexcept;
  /// Starts the server again on the same socket path and TCP port.
  void restart();
  /// Forgets the process and directory without stopping them, so the server outlives this object
  /// (what `asyncfix redis start` does; `asyncfix redis stop` ends it).
  void detach() noexcept;

 private:
  explicit RedisServer(RedisServerOptions options);
  void spawn();
  bool wait_ready(std::string& why);
  void shutdown_nosave() const;

  RedisServerOptions options_;
  std::string executable_;
  std::unique_ptr<asyncfix::detail::PrivateServer> process_;  ///< directory, process, stop
  std::uint16_t port_ = 0;
};

/// Removes the `afx-XXXXXX` directories under `parent` that a private server of this user (Redis or
/// another) created and whose creating process and server are both gone (e.g. a SIGKILLed test):
/// only directories with asyncfix's marker, checked by pid and process start time.
/// RedisServer::start() calls it. Returns how many were removed.
std::size_t sweep_abandoned_server_dirs(const std::filesystem::path& parent);

}  // namespace asyncfix::redis
