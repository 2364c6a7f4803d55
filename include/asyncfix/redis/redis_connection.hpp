#pragma once
/// @file
/// RedisConnection: one hiredis 0.14 async connection driven by the loop it was created on.

#include <asyncfix/loop_affinity.hpp>
#include <asyncfix/loop_resource.hpp>
#include <asyncfix/redis/redis_error.hpp>
#include <asyncfix/redis/redis_options.hpp>
#include <asyncfix/redis/reply.hpp>

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <source_location>
#include <string>
#include <vector>

struct redisAsyncContext;

namespace asyncfix::redis {

/// One `redisAsyncContext` on the running TestLoop, bound to it by LoopAffinity. Many coroutines
/// may share it (hiredis pipelines in-flight commands). Use it only on its loop: a command from
/// another loop throws LoopMismatch. Registered with its loop, which closes it when the loop
/// closes. Usually obtained through RedisManager.
class RedisConnection final : public LoopResource,
                              public std::enable_shared_from_this<RedisConnection> {
 public:
  /// Connects on the running loop within options.connect_timeout, then AUTH, SELECT and
  /// CLIENT SETNAME as configured. Throws RedisError: no_running_loop, connect_failed, timeout,
  /// auth_failed.
  static boost::asio::awaitable<std::shared_ptr<RedisConnection>> connect(
      RedisOptions options, std::source_location where = std::source_location::current());

  ~RedisConnection() override;
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  /// Sends one command and returns its reply. Throws LoopMismatch when used from another loop, and
  /// RedisError: server_error (error reply; auth_failed for NOAUTH/WRONGPASS), timeout (no reply
  /// within command_timeout; the connection is dropped), connection_lost, shut_down.
  boost::asio::awaitable<Reply> command(
      std::vector<std::string> args, std::source_location where = std::source_location::current());

  /// Graceful close on the owning loop: pending replies are delivered, then the connection closes;
  /// bounded by command_timeout (then closed hard). Idempotent, never throws.
  boost::asio::awaitable<void> shutdown();

  /// Closes synchronously, without the loop: pending commands fail with shut_down. Safe when the
  /// loop is stopped or gone; must not race with the loop running on another thread. Idempotent.
  void close_now() noexcept override;

  /// Closes from any thread: on a thread running the connection's loop the close is dispatched to
  /// the connection's strand (immediate when already on it, else shortly after); elsewhere it is
  /// close_now(). What RedisManager uses to drop a broken connection. Idempotent, never throws.
  void close() noexcept;

  /// True while the connection is usable.
  [[nodiscard]] bool is_open() const noexcept { return open_.load(); }
  [[nodiscard]] const LoopAffinity& affinity() const noexcept { return affinity_; }
  [[nodiscard]] const RedisOptions& options() const noexcept { return options_; }
  /// When a command was last sent or a reply last arrived (or the connection was made).
  [[nodiscard]] std::chrono::steady_clock::time_point last_used() const noexcept;
  /// Commands sent and not yet answered.
  [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_.load(); }
  /// Why the connection closed (empty while open).
  [[nodiscard]] std::string close_reason() const;

  [[nodiscard]] std::string resource_name() const override;
  [[nodiscard]] bool resource_open() const noexcept override { return is_open(); }
  [[nodiscard]] bool closes_with_loop() const noexcept override {
    return options_.closes_with_loop;
  }

 private:
  struct Io;
  struct Pending;
  friend struct ConnectionCallbacks;

  RedisConnection(RedisOptions options, std::source_location where);
  boost::asio::awaitable<void> open();
  void attach(redisAsyncContext* context);
  void arm_read();
  void arm_write();
  void on_cleanup() noexcept;
  void on_connect(int status, const std::string& error);
  void on_disconnect(int status, const std::string& error);
  void drop(Errc reason, const std::string& why) noexcept;
  void finish_io() noexcept;

  RedisOptions options_;
  std::string
      url_text_;  ///< the redacted URL, rendered once: every command's pending entry uses it
  LoopAffinity affinity_;
  std::unique_ptr<Io> io_;
  std::mutex io_mutex_;  ///< guards resetting io_ against close() reading it from another thread
  redisAsyncContext* context_ = nullptr;
  std::atomic<bool> open_{false};
  std::atomic<std::int64_t> last_used_{0};
  std::atomic<std::size_t> in_flight_{0};
  Errc drop_reason_ = Errc::connection_lost;
  mutable std::mutex reason_mutex_;  ///< close_reason_ is read from any thread
  std::string close_reason_;
};

}  // namespace asyncfix::redis
