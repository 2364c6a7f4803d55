#pragma once
/// @file
/// RedisManager: a lazily connected, loop-aware Redis client for tests.

#include <asyncfix/lazy/lazy_resource.hpp>
#include <asyncfix/redis/command_args.hpp>
#include <asyncfix/redis/pipeline.hpp>
#include <asyncfix/redis/redis_connection.hpp>
#include <asyncfix/redis/redis_options.hpp>
#include <asyncfix/redis/reply.hpp>
#include <asyncfix/redis/subscription.hpp>

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

namespace asyncfix::redis {

namespace detail {
struct ManagerCore;
}  // namespace detail

class TimedCommands;

/// Counters of one RedisManager.
struct RedisStats {
  std::uint64_t connects = 0;  ///< connections established (dedicated ones too)
  /// Connections of their own for blocking commands, watch() transactions and subscriptions.
  std::uint64_t dedicated_connects = 0;
  std::uint64_t subscriptions = 0;          ///< subscribe() and psubscribe() calls that succeeded
  std::uint64_t loop_changes = 0;           ///< rebinds to another loop (LoopPolicy::Reconnect)
  std::uint64_t health_check_failures = 0;  ///< PINGs on reuse that failed (then reconnected)
  std::uint64_t commands = 0;               ///< commands started (sent, or failed before)
  std::uint64_t errors = 0;                 ///< commands that failed
};

/// The Redis client tests inject. Constructing it does no I/O; the first command connects on the
/// loop that is running (LazyResource<RedisConnection>). From another loop it heals or throws per
/// RedisOptions::on_loop_change, by exact loop identity. Many coroutines share one connection per
/// loop. A connection that broke or timed out is replaced on the next call (bounded retries with
/// backoff); a connection idle longer than health_check_idle is PINGed before reuse.
///
///     asyncfix::redis::RedisManager redis({.url = RedisUrl::parse(url)});
///     co_await redis.set("k", "v");
///     auto v = co_await redis.get("k");  // std::optional<std::string>{"v"}
///
/// Commands take a std::source_location so a LoopMismatch names the line that used the manager.
/// The typed commands take their arguments as views and read them when the command starts, at
/// co_await: keep them alive until then, which `co_await redis.set(key, value)` always does (a
/// temporary lives to the end of the co_await expression). Do not store the awaitable of a
/// command whose arguments die before it is awaited.
///
/// Threads: a manager may be shared by coroutines of one loop, and by several loops on several
/// threads with LoopPolicy::PerLoop (one connection each). The accessors are thread-safe.
///
/// Cancellation: a cancelled command resumes its coroutine at once with
/// `boost::asio::error::operation_aborted`; the connection stays usable (the late reply is
/// dropped). A command cancelled while the manager is still connecting for it completes with
/// operation_aborted when that connect ends (bounded by connect_timeout); the connection is kept
/// for the next command.
///
/// Lifetimes: the manager must be alive when a command starts (when its awaitable is first
/// co_awaited). Destroying it afterwards is shutdown_now(): coroutines still awaiting a command get
/// RedisError(shut_down) and resume safely (they hold the manager's shared state, not the manager).
/// Connections belong to their loops: each is closed when its loop closes, which with
/// LoopPolicy::Reconnect or PerLoop is their intended end (no leak is reported).
class RedisManager {
 public:
  explicit RedisManager(RedisOptions options);
  /// shutdown_now().
  ~RedisManager();
  RedisManager(const RedisManager&) = delete;
  RedisManager& operator=(const RedisManager&) = delete;

  /// The connection for the running loop, connecting on first use. Throws LoopMismatch (Fail
  /// policy) and RedisError (connect_failed, timeout, auth_failed, shut_down).
  boost::asio::awaitable<std::shared_ptr<RedisConnection>> client(
      std::source_location where = std::source_location::current());

  /// Any command; throws RedisError on error replies and failures. A blocking command (BLPOP,
  /// BRPOP, BLMOVE, BRPOPLPUSH, BZPOPMIN/MAX, BLMPOP, BZMPOP, XREAD/XREADGROUP with BLOCK, WAIT)
  /// runs on a connection of its own (pooled per loop), so it never delays the shared one, and
  /// its timeout is its block plus command_timeout (block 0: only the test's deadline bounds it).
  /// (P|S)SUBSCRIBE, UNSUBSCRIBE and MONITOR are refused (invalid_command): see subscribe().
  boost::asio::awaitable<Reply> command(
      std::vector<std::string> args, std::source_location where = std::source_location::current());
  /// Any command from its parts, no braces: strings, views, literals and numbers, e.g.
  /// `co_await redis.command("LPUSH", key, "job", 3)`. The arguments are copied before it returns.
  template <CommandArgument... Args>
  boost::asio::awaitable<Reply> command(CommandName name, const Args&... args) {
    return command(detail::command_parts(name.name, args...), name.where);
  }

  /// command() with `timeout` instead of command_timeout (also for a blocking command), e.g.
  /// `co_await redis.with_timeout(5s).command("EVAL", slow_script, 0)`. Holds the manager's
  /// shared state: use it like the manager.
  [[nodiscard]] TimedCommands with_timeout(std::chrono::milliseconds timeout) const;

  /// An empty Pipeline on this manager (see pipeline.hpp).
  [[nodiscard]] Pipeline pipeline() const;
  /// An empty MULTI/EXEC Transaction on the shared connection (see pipeline.hpp).
  [[nodiscard]] Transaction transaction() const;
  /// A Transaction on a connection of its own with `keys` WATCHed (check-and-set).
  template <CommandArgument... Keys>
  boost::asio::awaitable<Transaction> watch(CommandName first_key, const Keys&... keys) {
    return watch_keys(detail::command_parts("WATCH", first_key.name, keys...), first_key.where);
  }

  /// SUBSCRIBE to `channels` on a connection of its own; returns once the server confirmed
  /// every channel (bounded by command_timeout): from then on no message is lost.
  template <CommandArgument... Channels>
  boost::asio::awaitable<Subscription> subscribe(CommandName first, const Channels&... channels) {
    return subscribe_to(detail::command_parts("SUBSCRIBE", first.name, channels...), first.where);
  }
  /// PSUBSCRIBE to glob-style `patterns`; Message::pattern says which one matched.
  template <CommandArgument... Patterns>
  boost::asio::awaitable<Subscription> psubscribe(CommandName first, const Patterns&... patterns) {
    return subscribe_to(detail::command_parts("PSUBSCRIBE", first.name, patterns...), first.where);
  }
  /// PUBLISH; the number of subscribers that received it.
  boost::asio::awaitable<long long> publish(
      std::string_view channel, std::string_view payload,
      std::source_location where = std::source_location::current());

  boost::asio::awaitable<void> ping(std::source_location where = std::source_location::current());
  /// SET key value [PX ttl].
  boost::asio::awaitable<void> set(std::string_view key, std::string_view value,
                                   std::optional<std::chrono::milliseconds> ttl = std::nullopt,
                                   std::source_location where = std::source_location::current());
  /// GET key; nullopt when the key does not exist.
  boost::asio::awaitable<std::optional<std::string>> get(
      std::string_view key, std::source_location where = std::source_location::current());
  /// DEL key; the number of keys removed.
  boost::asio::awaitable<long long> del(
      std::string_view key, std::source_location where = std::source_location::current());
  /// INCR key; the new value.
  boost::asio::awaitable<long long> incr(
      std::string_view key, std::source_location where = std::source_location::current());
  /// HSET key field value; true when the field is new.
  boost::asio::awaitable<bool> hset(std::string_view key, std::string_view field,
                                    std::string_view value,
                                    std::source_location where = std::source_location::current());
  /// HGET key field; nullopt when absent.
  boost::asio::awaitable<std::optional<std::string>> hget(
      std::string_view key, std::string_view field,
      std::source_location where = std::source_location::current());
  /// PEXPIRE key ttl; true when the key exists.
  boost::asio::awaitable<bool> expire(std::string_view key, std::chrono::milliseconds ttl,
                                      std::source_location where = std::source_location::current());
  /// EXISTS key.
  boost::asio::awaitable<bool> exists(std::string_view key,
                                      std::source_location where = std::source_location::current());

  /// Graceful: closes the running loop's connection after its pending replies (bounded), and the
  /// others synchronously. Later commands throw shut_down. Idempotent, never throws.
  boost::asio::awaitable<void> shutdown();
  /// Synchronous close of every connection, safe when the loop is stopped or destroyed and from
  /// destructors. Idempotent, never throws.
  void shutdown_now() noexcept;

  /// The affinity of the connection for the running loop (or of any connection held); unbound
  /// before first use.
  [[nodiscard]] LoopAffinity affinity() const;
  /// True when a connection for the running loop exists and is open.
  [[nodiscard]] bool connected() const;
  /// True once shutdown() or shutdown_now() was called: every later command throws shut_down.
  [[nodiscard]] bool is_shut_down() const noexcept;
  [[nodiscard]] RedisStats stats() const;
  [[nodiscard]] const RedisOptions& options() const noexcept;

  /// Internal: everything a command's coroutine needs after it suspends, shared so that it
  /// outlives the manager (defined in the library's source).
  using Core = detail::ManagerCore;

 private:
  boost::asio::awaitable<Transaction> watch_keys(std::vector<std::string> watch,
                                                 std::source_location where);
  boost::asio::awaitable<Subscription> subscribe_to(std::vector<std::string> command,
                                                    std::source_location where);

  std::shared_ptr<Core> core_;
};

/// RedisManager::with_timeout(): command() with a timeout of the caller's choosing.
class TimedCommands {
 public:
  /// As RedisManager::command(), bounded by this timeout.
  boost::asio::awaitable<Reply> command(
      std::vector<std::string> args, std::source_location where = std::source_location::current());
  /// The same from its parts, no braces.
  template <CommandArgument... Args>
  boost::asio::awaitable<Reply> command(CommandName name, const Args&... args) {
    return command(detail::command_parts(name.name, args...), name.where);
  }

 private:
  friend class RedisManager;
  TimedCommands(std::shared_ptr<detail::ManagerCore> core, std::chrono::milliseconds timeout)
      : core_(std::move(core)), timeout_(timeout) {}
  std::shared_ptr<detail::ManagerCore> core_;
  std::chrono::milliseconds timeout_;
};

}  // namespace asyncfix::redis
