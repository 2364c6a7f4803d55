#pragma once
/// @file
/// RedisConnection: one hiredis 0.14 async connection driven by the loop it was created on.

#include <asyncfix/affinity/loop_affinity.hpp>
#include <asyncfix/loop/loop_resource.hpp>
#include <asyncfix/redis/redis_error.hpp>
#include <asyncfix/redis/redis_options.hpp>
#include <asyncfix/redis/reply.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <source_location>
#include <string>
#include <vector>

namespace asyncfix::redis {

namespace detail {
struct ConnectionAccess;
}  // namespace detail

/// One `redisAsyncContext` on the running TestLoop, bound to it by LoopAffinity. Many coroutines
/// may share it (hiredis pipelines in-flight commands; replies arrive in order). Usually obtained
/// through RedisManager.
///
/// Threads: use it only from its loop (a command from another loop throws LoopMismatch). On a
/// loop run by several threads its hiredis state lives on a strand of its own; on a one-thread
/// loop it runs inline on that thread. close() may be called from any thread; close_now() only
/// when its loop is not running elsewhere.
///
/// Cancellation: a cancelled command() resumes its caller at once with
/// `boost::asio::error::operation_aborted`; the command stays on the wire and its late reply is
/// dropped, so the connection remains usable. Cancellation never blocks and never drops the
/// connection.
///
/// Lifetimes: registered with its loop, which closes it when the loop closes. Every command in
/// flight is resumed exactly once, also when the connection is closed or destroyed (with
/// shut_down or connection_lost), and never on a loop run() gave up on.
class RedisConnection final : public LoopResource,
                              public std::enable_shared_from_this<RedisConnection> {
 public:
  /// Connects on the running loop within options.connect_timeout, then AUTH, SELECT and
  /// CLIENT SETNAME as configured. A host name is resolved first without blocking the loop (within
  /// connect_timeout), and each of its addresses is tried in turn. Throws RedisError:
  /// no_running_loop, connect_failed (also for a name that does not resolve), timeout, auth_failed.
  static boost::asio::awaitable<std::shared_ptr<RedisConnection>> connect(
      RedisOptions options, std::source_location where = std::source_location::current());

  ~RedisConnection() override;
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  /// Sends one command and returns its reply. Throws LoopMismatch when used from another loop, and
  /// RedisError: server_error (error reply; auth_failed for NOAUTH/WRONGPASS), timeout (no reply
  /// within command_timeout; the connection is dropped), connection_lost, shut_down,
  /// invalid_command (empty, or a subscription command), or what options.command_fault injects.
  boost::asio::awaitable<Reply> command(
      std::vector<std::string> args, std::source_location where = std::source_location::current());

  /// Graceful close on the owning loop: pending replies are delivered, then the connection closes;
  /// bounded by command_timeout (then closed hard). Completes when the connection has closed (an
  /// event, not a poll). Idempotent, never throws.
  boost::asio::awaitable<void> shutdown();

  /// Closes synchronously, without the loop: pending commands fail with shut_down. Safe when the
  /// loop is stopped or gone; must not race with the loop running on another thread. Idempotent.
  void close_now() noexcept override;

  /// Closes from any thread: on a thread running the connection's loop the close runs on the
  /// connection's own executor (immediately when already there); elsewhere it is close_now().
  /// What RedisManager uses to drop a broken connection. Idempotent, never throws.
  void close() noexcept;

  /// True while the connection is usable.
  [[nodiscard]] bool is_open() const noexcept;
  /// Which loop it is bound to, and where it was bound.
  [[nodiscard]] const LoopAffinity& affinity() const noexcept;
  /// The options it was connected with.
  [[nodiscard]] const RedisOptions& options() const noexcept;
  /// When a command was last sent or a reply last arrived (or the connection was made), to a few
  /// milliseconds.
  [[nodiscard]] std::chrono::steady_clock::time_point last_used() const noexcept;
  /// Commands sent and not yet answered.
  [[nodiscard]] std::size_t in_flight() const noexcept;

  [[nodiscard]] std::string resource_name() const override;
  /// True while open, and also after the peer closed it until its I/O objects (socket, timer) are
  /// released: a loop that closes must release them, whoever closed the connection.
  [[nodiscard]] bool resource_open() const noexcept override;
  /// options.closes_with_loop, or a policy (Reconnect, PerLoop) that gives it to each loop in turn.
  [[nodiscard]] bool closes_with_loop() const noexcept override;
  /// "redis GET k on <url> (in flight N ms)" for each command awaiting its reply, oldest first.
  void describe_pending(std::vector<std::string>& out) const override;

 private:
  friend struct detail::ConnectionAccess;
  /// The connection's state and machinery (library-internal: fixture/redis/connection_impl.hpp).
  struct Impl;

  RedisConnection(RedisOptions options, std::source_location where);

  std::unique_ptr<Impl> impl_;
};

}  // namespace asyncfix::redis
