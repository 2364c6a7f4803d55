#pragma once
/// @file
/// A thread-safe one-shot event that coroutines on any executor can await.

#include <asyncfix/loop/detail/parked_handler.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
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
    for (auto& waiter : waiters) waiter.resume();
  }

  [[nodiscard]] bool is_set() const {
    std::lock_guard lock(mutex_);
    return set_;
  }

  /// Completes (on the awaiting coroutine's executor) once the event is set.
  boost::asio::awaitable<void> wait() {
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
        [this](auto handler) {
          Waiter waiter;
          waiter.park(std::move(handler));
          std::unique_lock lock(mutex_);
          if (!set_) {
            waiters_.push_back(std::move(waiter));
            return;
          }
          lock.unlock();
          waiter.resume();
        },
        boost::asio::use_awaitable);
  }

 private:
  using Waiter = ParkedHandler<>;

  mutable std::mutex mutex_;
  bool set_ = false;
  std::vector<Waiter> waiters_;
};

}  // namespace asyncfix::detail
