#pragma once
/// @file
/// ParkedHandler: one waiting operation's completion handler, kept until the event it waits for,
/// then resumed on the waiter's own executor. The one waiter type of AsyncEvent, the connect wait
/// and the subscription's wait.

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <tuple>
#include <utility>

namespace asyncfix::detail {

/// Holds at most one handler of signature `void(Args...)` with the executor it resumes on.
/// Not synchronised: the owner guards it (a mutex, or one executor).
///
/// The handler is type-erased once, on the heap, and never moved again: Boost 1.81's
/// any_completion_handler, moved into itself through an assignment, wraps itself recursively.
template <class... Args>
class ParkedHandler {
 public:
  /// Keeps `handler` (replacing nothing: call only when !parked()). Its associated executor is
  /// where resume() runs it.
  template <class Handler>
  void park(Handler&& handler) {
    auto executor = boost::asio::get_associated_executor(handler);
    parked_ = std::make_unique<Parked>(
        Parked{std::move(executor), Erased(std::forward<Handler>(handler))});
  }

  /// True while a handler waits.
  [[nodiscard]] bool parked() const noexcept { return parked_ != nullptr; }

  /// Posts the waiting handler with `args` to its executor and forgets it; nothing when none
  /// waits. Never runs the handler inline, but an executor that no longer runs handlers (its loop
  /// closed) destroys it inline, and with it the waiting coroutine's frame: call it holding no
  /// lock that frame's destructors may take (move the ParkedHandler out, unlock, then resume).
  void resume(Args... args) {
    if (!parked_) return;
    auto parked = std::move(parked_);
    auto executor = parked->executor;
    boost::asio::post(executor, [parked = std::move(parked),
                                 values = std::make_tuple(std::move(args)...)]() mutable {
      std::apply([&](auto&... value) { std::move(parked->handler)(std::move(value)...); }, values);
    });
  }

 private:
  using Erased = boost::asio::any_completion_handler<void(Args...)>;
  /// Boost 1.81 cannot post through any_completion_executor, so the executor is an
  /// any_io_executor.
  struct Parked {
    boost::asio::any_io_executor executor;
    Erased handler;
  };

  std::unique_ptr<Parked> parked_;
};

}  // namespace asyncfix::detail
