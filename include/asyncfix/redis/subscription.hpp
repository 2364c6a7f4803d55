#pragma once
/// @file
/// Subscription: Redis pub/sub on a connection of its own, messages awaited in order.

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <memory>
#include <source_location>
#include <string>
#include <vector>

namespace asyncfix::redis {

/// One published message a Subscription received.
struct Message {
  std::string channel;
  std::string payload;
  std::string pattern;  ///< the pattern it matched (psubscribe()), empty for subscribe()

  friend bool operator==(const Message&, const Message&) = default;
};

/// The receiving end of `co_await redis().subscribe("news", "alerts")` or `psubscribe("news.*")`:
/// a dedicated connection in subscribed mode, bound to the loop it was made on, counted in
/// RedisStats (dedicated_connects, subscriptions) and closed with its loop at teardown.
///
///     auto sub = co_await redis().subscribe(key("news"));
///     co_await redis().publish(key("news"), "hello");
///     auto message = co_await sub.next();  // {channel, "hello", ""}
///
/// Every message published after subscribe() returned is kept, in order, until next() takes it
/// (nothing is dropped; the inbox grows as needed).
///
/// Threads: use it from its loop (next() from another loop throws LoopMismatch). Cancellation:
/// a cancelled next() resumes at once with operation_aborted and loses no message. Lifetimes:
/// destroying it closes its connection, and a next() still waiting resumes at once with
/// shut_down; a next() waiting past the test's deadline is named by the watchdog ("redis
/// subscription to ...").
class Subscription {
 public:
  Subscription(Subscription&&) noexcept;
  Subscription& operator=(Subscription&&) noexcept;
  /// Closes the connection.
  ~Subscription();

  /// The next message in the order the server sent them, waiting for one when none is held.
  /// Throws RedisError: connection_lost when the connection broke (after the messages received
  /// before it were taken), shut_down after unsubscribe() once its messages were taken;
  /// LoopMismatch; operation_aborted (boost::system::system_error) when cancelled.
  boost::asio::awaitable<Message> next(
      std::source_location where = std::source_location::current());

  /// Messages received and not taken yet.
  [[nodiscard]] std::size_t pending() const;
  /// The channels (subscribe()) or patterns (psubscribe()) it listens to.
  [[nodiscard]] const std::vector<std::string>& names() const noexcept;

  /// UNSUBSCRIBE (or PUNSUBSCRIBE) from everything and waits for the server to confirm (bounded
  /// by the command timeout), then closes the connection. Messages received before stay readable
  /// with next(). Idempotent; throws LoopMismatch only.
  boost::asio::awaitable<void> unsubscribe(
      std::source_location where = std::source_location::current());

  /// Internal: the state shared with the connection's callbacks (defined in the library).
  struct State;

 private:
  friend class RedisManager;
  explicit Subscription(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace asyncfix::redis
