#pragma once
/// @file
/// LoopMailbox: work for a loop's io_context from another thread, safe while that loop is being
/// destroyed (library-internal).

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <mutex>
#include <utility>

namespace asyncfix::detail {

/// The way into a TestLoop's io_context for a thread that does not run it. Open from the loop's
/// construction until TestLoop::close(), which shuts it (waiting for a post in progress) before
/// the io_context can be destroyed.
///
/// Why: Asio's scheduler destroys its queued handlers at shutdown without taking its lock, so a
/// post from another thread at that moment is a data race that loses the handler (a leak of
/// whatever it owns) or a use-after-free once the io_context is gone. A thread that saw the loop
/// running an instant earlier (a loop taking a Redis connection over, say) may post just then.
class LoopMailbox {
 public:
  /// Opens the mailbox onto `io` (the owning loop's context, for the loop's lifetime).
  void open(boost::asio::io_context& io) noexcept {
    std::lock_guard lock(mutex_);
    io_ = &io;
  }

  /// Posts `work` to the loop's io_context and returns true; once the loop closed, returns false
  /// and leaves `work` unmoved (the caller may run it itself: nothing runs on a closed loop).
  template <class Work>
  bool post(Work&& work) {
    return while_open(
        [&](boost::asio::io_context& io) { boost::asio::post(io, std::forward<Work>(work)); });
  }

  /// Calls `hand_over(io_context&)` (which must only queue work there, never run it inline) with
  /// the mailbox held open and returns true; false, without calling it, once the loop closed. For
  /// a post through a strand of the loop.
  template <class HandOver>
  bool while_open(HandOver&& hand_over) {
    std::lock_guard lock(mutex_);
    if (io_ == nullptr) return false;
    std::forward<HandOver>(hand_over)(*io_);
    return true;
  }

  /// Shuts the mailbox for good: posts from now on return false. Waits for one in progress.
  void close() noexcept {
    std::lock_guard lock(mutex_);
    io_ = nullptr;
  }

 private:
  std::mutex mutex_;
  boost::asio::io_context* io_ = nullptr;
};

}  // namespace asyncfix::detail
