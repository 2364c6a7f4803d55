#pragma once
/// @file
/// GatedExecutor: an executor adapter that stops running work once its gate closes
/// (library-internal). TestLoop::run() spawns each coroutine through one, so a coroutine that run()
/// gave up on (the loop was stopped, or its deadline passed and it did not unwind) never runs
/// again: its pending handlers are destroyed instead of invoked, which destroys its frame. A
/// coroutine refused by handler tracking is held instead: its frames are kept, never destroyed.

#include <asyncfix/loop/detail/scheduler.hpp>

#include <boost/asio/execution.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include <atomic>
#include <memory>
#include <type_traits>
#include <utility>

namespace asyncfix::detail {

/// Shared by a GatedExecutor and its copies; close() and hold() are permanent. Outlives every
/// handler that holds it (a TestLoop's gates live as long as the loop).
class Gate {
 public:
  /// Work that reaches the gate from now on is destroyed, not run.
  void close() noexcept { closed_.store(true, std::memory_order_release); }
  /// Work that reaches the gate from now on is neither run nor destroyed: it is kept, and its
  /// memory is never freed. For a coroutine whose frames must not be destroyed, because that
  /// would run destructors mid-body (a joinable std::thread there ends the process).
  void hold() noexcept {
    held_.store(true, std::memory_order_release);
    close();
  }
  [[nodiscard]] bool closed() const noexcept { return closed_.load(std::memory_order_acquire); }
  [[nodiscard]] bool held() const noexcept { return held_.load(std::memory_order_acquire); }

  /// The loop's Scheduler under a non-FIFO Schedule (null under FIFO): work through this gate
  /// goes to it instead of straight to the io_context. Set before the gate's first use.
  Scheduler* scheduler = nullptr;

 private:
  std::atomic<bool> closed_{false};
  std::atomic<bool> held_{false};
};

/// The gate of the handler running on this thread through a GatedExecutor, or null.
inline thread_local Gate* running_gate = nullptr;

/// Marks `gate` as the running handler's for the scope, restoring the outer one after.
class RunningGate {
 public:
  explicit RunningGate(Gate* gate) noexcept : outer_(std::exchange(running_gate, gate)) {}
  ~RunningGate() { running_gate = outer_; }
  RunningGate(const RunningGate&) = delete;
  RunningGate& operator=(const RunningGate&) = delete;

 private:
  Gate* outer_;
};

/// What a closed gate does with `work`: destroys it, or (held) keeps it for good.
template <class F>
void refuse(const Gate& gate, F&& work) {
  if (!gate.held()) return;  // `work` is destroyed with the caller's argument
  [[maybe_unused]] auto* kept = new std::decay_t<F>(std::forward<F>(work));
#if defined(__SANITIZE_ADDRESS__)
  __lsan_ignore_object(kept);  // kept on purpose; not a leak to report
#endif
}

/// Wraps `Inner` (an Asio standard executor): while the gate is open it behaves exactly as Inner;
/// once closed, work submitted to it (or already queued through it) is destroyed, not run (or,
/// held, kept). While it runs work, running_gate names its gate. Holds
/// the gate by pointer: copying one costs what copying Inner costs, and one over an io_context
/// executor fits any_io_executor's small buffer.
template <class Inner>
class GatedExecutor {
 public:
  GatedExecutor(Inner inner, Gate* gate) noexcept : inner_(std::move(inner)), gate_(gate) {}

  template <class F>
  void execute(F&& f) const {
    if (gate_->closed()) return refuse(*gate_, std::forward<F>(f));
    auto gated = [gate = gate_, work = std::forward<F>(f)]() mutable {
      if (gate->closed()) return refuse(*gate, std::move(work));
      const RunningGate running(gate);
      std::move(work)();
    };
    // Under a non-FIFO schedule even blocking.possibly work is queued: running it inline would
    // fix its order.
    if (gate_->scheduler != nullptr) return gate_->scheduler->submit(gate_, std::move(gated));
    inner_.execute(std::move(gated));
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
