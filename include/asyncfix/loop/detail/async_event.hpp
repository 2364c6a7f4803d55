#pragma once
/// @file
/// A thread-safe one-shot event that coroutines on any executor can await.

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <mutex>
#include <vector>

namespace asyncfix::detail {

/// Once set(), every current and future wait() completes, each on its own executor.
class AsyncEvent {
 public:
  void set() {
    std::vector<Waiter> waiters;
    {
      std::lock_guard lock(mutex_);
      if (set_) return;
      set_ = true;
      waiters.swap(waiters_);
    }
    for (auto& waiter : waiters) complete(std::move(waiter));
  }

  [[nodiscard]] bool is_set() const {
    std::lock_guard lock(mutex_);
    return set_;
  }

  /// Completes (on the awaiting coroutine's executor) once the event is set.
  boost::asio::awaitable<void> wait() {
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
        [this](auto handler) {
          Waiter waiter{boost::asio::get_associated_executor(handler),
                        boost::asio::any_completion_handler<void()>(std::move(handler))};
          std::unique_lock lock(mutex_);
          if (!set_) {
            waiters_.push_back(std::move(waiter));
            return;
          }
          lock.unlock();
          complete(std::move(waiter));
        },
        boost::asio::use_awaitable);
  }

 private:
  /// A waiting coroutine's handler and the executor it resumes on. (Boost 1.81 cannot post through
  /// any_completion_executor, so the executor is kept as an any_io_executor.)
  struct Waiter {
    boost::asio::any_io_executor executor;
    boost::asio::any_completion_handler<void()> handler;
  };

  static void complete(Waiter waiter) {
    boost::asio::post(waiter.executor,
                      [handler = std::move(waiter.handler)]() mutable { std::move(handler)(); });
  }

  mutable std::mutex mutex_;
  bool set_ = false;
  std::vector<Waiter> waiters_;
};

}  // namespace asyncfix::detail
