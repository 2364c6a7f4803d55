#pragma once
/// @file
/// RedisConnection: one hiredis 0.14 async connection driven by the loop it was created on.

#include <asyncfix/affinity/loop_affinity.hpp>
#include <asyncfix/loop/loop_resource.hpp>
#include <asyncfix/redis/redis_error.hpp>
#include <asyncfix/redis/redis_options.hpp>
#include <asyncfix/redis/reply.hpp>

#include <asyncfix/loop/detail/async_event.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

struct redisAsyncContext;

namespace asyncfix::redis {

namespace detail {
class CommandArgv;
class CommandLabel;
class HiredisAdapter;
class InFlightList;
class PendingCommand;
class PushSink;
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
  [[nodiscard]] bool is_open() const noexcept { return open_.load(); }
  [[nodiscard]] const LoopAffinity& affinity() const noexcept { return affinity_; }
  [[nodiscard]] const RedisOptions& options() const noexcept { return options_; }
  /// When a command was last sent or a reply last arrived (or the connection was made), to a few
  /// milliseconds.
  [[nodiscard]] std::chrono::steady_clock::time_point last_used() const noexcept;
  /// Commands sent and not yet answered.
  [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_.load(); }

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
  struct Callbacks;

  RedisConnection(RedisOptions options, std::source_location where);
  /// Outside the connect() coroutine: g++ 12 warns about `new` inside one.
  static std::shared_ptr<RedisConnection> make(const RedisOptions& options,
                                               const std::string& address,
                                               std::source_location where);
  boost::asio::awaitable<void> open();
  /// open(), its failure returned instead of thrown; again while the server's accept queue is
  /// full, within connect_timeout.
  boost::asio::awaitable<std::exception_ptr> open_or_failure();
  void start_connect(redisAsyncContext* context);
  /// Runs `work` where the hiredis state may be touched: inline on a one-thread loop's thread or
  /// already on the strand, else dispatched there.
  template <class Work>
  void on_connection_executor(Work&& work);
  /// The send path of every command: send_check(), then names and numbers it, binds its
  /// cancellation, sends it. Owns `pending`: on an early failure it completes it (posted) and
  /// deletes it.
  void submit(detail::PendingCommand* pending, const detail::CommandArgv& args, bool refuse);
  /// The one check before a command or a batch is sent: the loop (LoopMismatch), then for each
  /// of `count` commands (`command(i)` gives its label, name, first argument and why it is
  /// refused, "" if not) the refusal and an injected fault, then a closed connection (`what`
  /// names the use). Null when it may be sent.
  template <class CommandAt>
  std::exception_ptr send_check(std::source_location where, std::size_t count, CommandAt command,
                                std::string_view what);
  /// Completes `pending` with `error` (posted), counts the failure and deletes it: a command
  /// that never reached hiredis.
  void fail_unsent(detail::PendingCommand* pending, std::exception_ptr error);
  /// submit()'s last step on a loop run by several threads: a copy of the arguments travels to
  /// the strand.
  void send_on_strand(detail::PendingCommand* pending, const detail::CommandArgv& args);
  void send_now(detail::PendingCommand* pending, const detail::CommandArgv& args);
  /// The next command number (from 1); a plain increment on a one-thread loop.
  std::uint64_t take_serial() noexcept;
  void enqueue(detail::PendingCommand* pending);
  void retire(const detail::PendingCommand* pending);
  void cancel(std::uint64_t serial);
  /// cancel() on the connection's executor, from wherever the cancellation was emitted.
  void request_cancel(std::uint64_t serial);
  /// Around each batch of hiredis I/O: replies complete inline only in between, and an exception
  /// a resumed coroutine let escape is rethrown after hiredis returned (never through C frames).
  void begin_io() noexcept { in_io_ = true; }
  void end_io();
  void arm_deadline(std::chrono::steady_clock::time_point at);
  void on_deadline();
  /// Re-arms the deadline for the oldest command (after one with a timeout of its own retired).
  void recheck_deadline() noexcept;
  [[nodiscard]] std::chrono::milliseconds timeout_of(
      const detail::PendingCommand& pending) const noexcept;
  [[nodiscard]] std::chrono::steady_clock::time_point due_of(
      const detail::PendingCommand& pending) const noexcept;
  void on_connect(int status, const std::string& error);
  void on_disconnect(int status, const std::string& error);
  void on_cleanup() noexcept;
  /// Sends a (P)SUBSCRIBE or (P)UNSUBSCRIBE whose replies go to push_sink_ (on the connection's
  /// executor); false when hiredis refused it or the connection is closed.
  bool send_push(const std::vector<std::string>& args);
  void drop(Errc reason, const std::string& why) noexcept;
  void finish_io() noexcept;
  void count_failure() noexcept;
  void set_close_reason(const std::string& why);
  /// Why the connection closed (empty while open).
  [[nodiscard]] std::string close_reason() const;
  [[nodiscard]] std::exception_ptr error(Errc code, const std::string& what,
                                         const std::string& detail) const;
  [[nodiscard]] std::exception_ptr closed_error(const std::string& what) const;
  /// options_.command_fault's verdict on a command about to be sent (dropping the connection for
  /// timeout/connection_lost), or null to send it.
  std::exception_ptr injected_fault(const detail::CommandLabel& label, std::string_view name,
                                    std::string_view first_argument);
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  /// A copy of the connection's strand (a loop run by several threads), or nullopt once closed.
  [[nodiscard]] std::optional<Strand> strand_copy();
  [[nodiscard]] std::exception_ptr failure_of(const detail::PendingCommand& pending) const;

  RedisOptions options_;
  std::string url_text_;  ///< the redacted URL, rendered once
  std::string address_;   ///< the numeric address a TCP connect goes to (the host resolved)
  LoopAffinity affinity_;
  bool multi_threaded_ = false;            ///< its loop runs handlers on several threads
  boost::asio::io_context* io_ = nullptr;  ///< the loop's context, set by open()
  // The I/O objects: reset by finish_io() (under io_mutex_), never outliving the io_context.
  std::optional<Strand> strand_;  ///< only on a multi-thread loop
  std::shared_ptr<detail::HiredisAdapter> adapter_;
  std::unique_ptr<boost::asio::steady_timer> timer_;  ///< connect deadline, then command deadline
  bool timer_armed_ = false;
  mutable std::mutex io_mutex_;  ///< guards resetting the I/O objects against other threads
  /// Held while the hiredis context is freed: a loop closing its resources and another loop
  /// taking the connection over (LoopPolicy::Reconnect) may close it at once from two threads.
  std::recursive_mutex close_mutex_;
  redisAsyncContext* context_ = nullptr;
  std::atomic<bool> open_{false};
  std::atomic<std::int64_t> last_used_{0};
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<std::uint64_t> next_serial_{0};
  Errc drop_reason_ = Errc::connection_lost;

  mutable std::mutex queue_mutex_;  ///< taken for in_flight_ on a multi-thread loop and by readers
  std::unique_ptr<detail::InFlightList> queue_;  ///< sent, oldest first
  bool in_io_ = false;
  std::exception_ptr escaped_;  ///< thrown by a coroutine resumed inside hiredis's callback

  struct ConnectWait;
  std::unique_ptr<ConnectWait> connect_wait_;
  std::shared_ptr<asyncfix::detail::AsyncEvent> closed_event_;  ///< set once the context is gone
  std::shared_ptr<std::atomic<std::uint64_t>> failures_;        ///< the manager's error counter
  std::weak_ptr<detail::PushSink> push_sink_;  ///< a Subscription's state (set before SUBSCRIBE)

  mutable std::mutex reason_mutex_;  ///< close_reason_ is read from any thread
  std::string close_reason_;
};

}  // namespace asyncfix::redis
