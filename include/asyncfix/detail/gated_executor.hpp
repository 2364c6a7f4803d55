#pragma once
/// @file
/// GatedExecutor: an executor adapter that stops running work once its gate closes
/// (library-internal). TestLoop::run() spawns each coroutine through one, so a coroutine that run()
/// gave up on (the loop was stopped, or its deadline passed and it did not unwind) never runs
/// again: its pending handlers are destroyed instead of invoked, which destroys its frame.

#include <boost/asio/execution.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>

#include <atomic>
#include <memory>
#include <type_traits>
#include <utility>

namespace asyncfix::detail {

/// Shared by a GatedExecutor and its copies; close() is permanent. Owned by the TestLoop whose
/// run() made it, so it outlives every handler of that loop's io_context.
class Gate {
 public:
  void close() noexcept { closed_.store(true, std::memory_order_release); }
  [[nodiscard]] bool closed() const noexcept { return closed_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> closed_{false};
};

/// Wraps `Inner` (an Asio standard executor): while the gate is open it behaves exactly as Inner;
/// once closed, work submitted to it (or already queued through it) is destroyed, not run. Holds
/// the gate by pointer: copying one costs what copying Inner costs, and one over an io_context
/// executor fits any_io_executor's small buffer.
template <class Inner>
class GatedExecutor {
 public:
  GatedExecutor(Inner inner, Gate* gate) noexcept : inner_(std::move(inner)), gate_(gate) {}

  template <class F>
  void execute(F&& f) const {
    if (gate_->closed()) return;  // `f` is destroyed with this call's argument
    inner_.execute([gate = gate_, work = std::forward<F>(f)]() mutable {
      if (!gate->closed()) std::move(work)();
    });
  }

  template <class Property>
  auto query(const Property& property) const
      noexcept(noexcept(boost::asio::query(std::declval<const Inner&>(), property)))
          -> decltype(boost::asio::query(std::declval<const Inner&>(), property)) {
    return boost::asio::query(inner_, property);
  }

  template <class Property>
  auto require(const Property& property) const -> GatedExecutor<
      std::decay_t<decltype(boost::asio::require(std::declval<const Inner&>(), property))>> {
    return {boost::asio::require(inner_, property), gate_};
  }

  template <class Property>
  auto prefer(const Property& property) const -> GatedExecutor<
      std::decay_t<decltype(boost::asio::prefer(std::declval<const Inner&>(), property))>> {
    return {boost::asio::prefer(inner_, property), gate_};
  }

  friend bool operator==(const GatedExecutor& a, const GatedExecutor& b) noexcept {
    return a.inner_ == b.inner_ && a.gate_ == b.gate_;
  }
  friend bool operator!=(const GatedExecutor& a, const GatedExecutor& b) noexcept {
    return !(a == b);
  }

  [[nodiscard]] const Inner& inner() const noexcept { return inner_; }
  /// False once the gate closed: work through this executor is destroyed, not run.
  [[nodiscard]] bool open() const noexcept { return !gate_->closed(); }

 private:
  Inner inner_;
  Gate* gate_;
};

}  // namespace asyncfix::detail
