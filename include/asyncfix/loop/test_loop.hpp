#pragma once
/// @file
/// TestLoop: one named io_context with a lifecycle, a deadline-bounded run(), and a registry of
/// the resources bound to it.

#include <asyncfix/loop/deadline_exceeded.hpp>
#include <asyncfix/loop/detail/gated_executor.hpp>
#include <asyncfix/loop/detail/loop_core.hpp>
#include <asyncfix/loop/loop_id.hpp>
#include <asyncfix/loop/loop_resource.hpp>
#include <asyncfix/loop/loop_stopped.hpp>
#include <asyncfix/loop/schedule.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace asyncfix {

class TestLoop;
namespace detail {
class SeededScheduler;
}  // namespace detail

/// The TestLoop whose handler is running on this thread, or null.
[[nodiscard]] const TestLoop* current_loop() noexcept;

namespace detail {

/// Mutable access to the loop running on this thread (library-internal).
[[nodiscard]] TestLoop* running_loop() noexcept;

/// True when the loop of `core` is running on this thread, innermost or further down a stack of
/// nested runs (library-internal).
[[nodiscard]] bool running_on_this_thread(const LoopCore& core) noexcept;

/// True when `context` is the io_context of a loop running on this thread, innermost or further
/// down a stack of nested runs (library-internal).
[[nodiscard]] bool context_runs_on_this_thread(
    const boost::asio::execution_context& context) noexcept;

/// `work`, with Asio's throw-if-cancelled turned off for the coroutine it runs in
/// (library-internal). With it on (Asio's default), after a cancellation every `co_await` throws at
/// once without suspending, so a retry loop that catches everything spins inside one handler and no
/// deadline can end it. With it off, the cancellation fails the operations pending when it arrives;
/// what the coroutine starts afterwards suspends, so the loop regains control and a gate can
/// abandon it.
template <class T>
boost::asio::awaitable<T> suspending_after_cancellation(boost::asio::awaitable<T> work) {
  co_await boost::asio::this_coro::throw_if_cancelled(false);
  co_return co_await std::move(work);
}

/// Completion state of one TestLoop::run(), shared with the spawned coroutine so a late
/// completion (after a deadline) never touches a dead stack frame.
template <class T>
struct RunState {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::exception_ptr error;
  std::optional<T> value;
  boost::asio::cancellation_signal cancel;
  Gate* gate = nullptr;    ///< owned by the loop (TestLoop::new_gate())
  bool abandoned = false;  ///< see AbandonedFlag
};

template <>
struct RunState<void> {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::exception_ptr error;
  boost::asio::cancellation_signal cancel;
  Gate* gate = nullptr;    ///< owned by the loop (TestLoop::new_gate())
  bool abandoned = false;  ///< see AbandonedFlag
};

/// Part of a completion handler: sets `flag` (under `mutex`) when the handler is destroyed without
/// having been invoked, i.e. its coroutine's frames were destroyed instead of finishing (an
/// operation that threw while starting, see handler tracking). A cancellation signal bound to such
/// a coroutine must not be emitted any more: the operation it last started left its cancellation
/// handler behind, pointing into the destroyed frames.
class AbandonedFlag {
 public:
  AbandonedFlag(std::mutex& mutex, bool& flag) noexcept : mutex_(&mutex), flag_(&flag) {}
  AbandonedFlag(AbandonedFlag&& other) noexcept
      : mutex_(std::exchange(other.mutex_, nullptr)), flag_(other.flag_) {}
  AbandonedFlag(const AbandonedFlag&) = delete;
  AbandonedFlag& operator=(const AbandonedFlag&) = delete;
  AbandonedFlag& operator=(AbandonedFlag&&) = delete;
  ~AbandonedFlag() {
    if (mutex_ == nullptr) return;
    std::lock_guard lock(*mutex_);
    *flag_ = true;
  }
  /// The handler is being invoked: it was not abandoned.
  void invoked() noexcept { mutex_ = nullptr; }

 private:
  std::mutex* mutex_;
  bool* flag_;
};

}  // namespace detail

/// One named `boost::asio::io_context` with a lifecycle (open, running, stopped, closed).
///
/// Everything a test does asynchronously runs through run(), which drives the loop on the calling
/// thread (or, with `threads > 1`, on that many worker threads) until the coroutine finishes or its
/// deadline passes; it never hangs. Resources register with their loop and are closed with it.
///
///     asyncfix::TestLoop loop("Example");
///     int n = loop.run([]() -> boost::asio::awaitable<int> { co_return 42; }());
class TestLoop {
 public:
  using executor_type = boost::asio::io_context::executor_type;

  /// The deadline run() uses when none is given.
  static constexpr std::chrono::milliseconds default_deadline{10'000};

  /// Creates the loop (no threads, no I/O yet). `threads > 1` runs handlers on that many threads.
  /// Throws std::invalid_argument when `threads` is 0.
  explicit TestLoop(std::string name, unsigned threads = 1);
  /// Closes the loop (see close()).
  ~TestLoop();
  TestLoop(const TestLoop&) = delete;
  TestLoop& operator=(const TestLoop&) = delete;

  [[nodiscard]] boost::asio::io_context& context() noexcept { return io_; }
  [[nodiscard]] executor_type executor() noexcept { return io_.get_executor(); }
  [[nodiscard]] const LoopId& id() const noexcept { return core_->id; }
  [[nodiscard]] LoopState state() const noexcept { return core_->state.load(); }
  [[nodiscard]] unsigned threads() const noexcept { return threads_; }
  /// The identity block that outlives this loop (what LoopAffinity keeps).
  [[nodiscard]] std::shared_ptr<const detail::LoopCore> core() const noexcept { return core_; }
  /// Runs the ready handlers of this loop's coroutines in `schedule`'s order from the next run()
  /// on (FIFO: Asio's own). Throws std::invalid_argument, one line, for a non-FIFO schedule on a
  /// loop of more than one thread: their order is the OS's, not a seed's.
  void set_schedule(const Schedule& schedule);
  /// The schedule set (FIFO by default), and how many handlers it has ordered so far.
  [[nodiscard]] Schedule schedule() const noexcept;
  [[nodiscard]] std::uint64_t scheduled_steps() const noexcept;
  /// The scheduler a gate must use (null under FIFO); for gates the loop does not make itself.
  [[nodiscard]] detail::Scheduler* scheduler() const noexcept;

  /// True when called from a thread that is running this loop's handlers.
  [[nodiscard]] bool running_in_this_thread() const noexcept { return current_loop() == this; }

  /// Runs `work` to completion on this loop and returns its result, rethrowing its exception.
  /// Throws DeadlineExceeded (after cancelling `work`) when it is still pending at `deadline`,
  /// LoopStopped when the io_context was stopped while it was pending or the loop is closed.
  /// A coroutine that run() gave up on never runs again: its pending handlers are destroyed
  /// instead of invoked (when they come due, or when the loop is destroyed), which destroys its
  /// frame, so no test code runs after the teardown that follows. A stopped loop is restarted
  /// first. Must not be called from inside a handler of this loop.
  template <class T>
  T run(boost::asio::awaitable<T> work, std::chrono::milliseconds deadline = default_deadline);

  /// Ends the run() (or run_until()) in progress at once: it cancels its work and throws `error`
  /// instead of waiting for the work or the deadline (the first error wins; a loop that is not
  /// running ignores it). Thread-safe, and safe from this loop's own handlers. An exception that
  /// a handler lets escape (handler tracking's LoopMismatch, say) ends the run this way too.
  void fail_run(std::exception_ptr error) noexcept;

  /// Runs the loop until `pred()` is true or `limit` passes; returns the final `pred()`.
  bool run_until(const std::function<bool()>& pred, std::chrono::milliseconds limit);

  /// Runs handlers until no work is left or `limit` passes; true when no work is left.
  /// Used by teardown to find outstanding handlers (leaks). With a coroutine held (see
  /// hold_coroutine()), whose frames keep the loop's work count up for good, it runs what is
  /// ready and returns true.
  bool drain(std::chrono::milliseconds limit);

  /// Records that a coroutine of this loop is kept suspended for good (its frames are never
  /// destroyed; handler tracking does this to a coroutine it refused an operation). Thread-safe.
  void hold_coroutine() noexcept { held_coroutines_.fetch_add(1); }

  /// Stops the io_context and joins worker threads; pending handlers stay queued. Must not be
  /// called from a handler of this loop (call context().stop() there).
  void stop() noexcept;

  /// True when io_context::stop() (or stop()) was called during the last run and the loop has not
  /// run since. (io_context::stopped() alone is also true whenever the context ran out of work.)
  [[nodiscard]] bool stopped() const noexcept { return state() == LoopState::stopped; }

  /// Closes the loop: stops worker threads, closes every registered resource still open (recording
  /// its name, see closed_at_close()), marks the loop closed. Idempotent, never throws. Call it
  /// from the thread that owns the loop (from a worker thread it cannot join that thread; the
  /// destructor does).
  void close() noexcept;

  /// Closes every registered resource that is still open now, without closing the loop; returns
  /// the names of those that did not expect it (LoopResource::closes_with_loop() false). Teardown
  /// uses this to report resources a test left open.
  std::vector<std::string> close_resources() noexcept;

  /// Registers a resource to be closed with this loop. Thread-safe.
  void register_resource(std::weak_ptr<LoopResource> resource);

  /// Names of registered resources that are still open.
  [[nodiscard]] std::vector<std::string> open_resources() const;

  /// Names of in-flight operations: PendingOperation entries oldest first, then what each
  /// registered resource reports (LoopResource::describe_pending(), e.g. Redis commands awaiting
  /// their replies).
  [[nodiscard]] std::vector<std::string> pending_operations() const;

  /// Everything a deadline message lists: pending operations, then open resources.
  [[nodiscard]] std::vector<std::string> pending_summary() const;

  /// Names of resources that close() found still open and closed.
  [[nodiscard]] std::vector<std::string> closed_at_close() const;

  /// Counts a resource that healed onto this loop from another one (LoopPolicy::Reconnect).
  void count_loop_change() noexcept { core_->loop_changes.fetch_add(1); }
  [[nodiscard]] std::uint64_t loop_changes() const noexcept { return core_->loop_changes.load(); }

 private:
  friend class PendingOperation;
  using Spawn = std::function<void(boost::asio::strand<executor_type>&)>;
  using DoneProbe = std::function<bool()>;
  using Canceller = std::function<void()>;

  /// The non-template part of run(): drives the loop until `done()` or the deadline.
  void run_impl(const Spawn& spawn, const DoneProbe& done, const Canceller& cancel,
                std::chrono::milliseconds deadline);
  /// Restarts a stopped context, marks the loop running, and keeps it from running out of work
  /// (worker threads with their guard, or the returned guard for the calling thread).
  std::optional<boost::asio::executor_work_guard<executor_type>> begin_run();
  void start_workers();
  void stop_workers() noexcept;
  /// Runs one handler or waits until `until`; returns after at most `until`.
  void pump_until(std::chrono::steady_clock::time_point until, const DoneProbe& done);
  std::uint64_t add_pending(std::string what);
  /// A gate for one run(), alive as long as the loop (so as long as any handler that holds it).
  detail::Gate* new_gate();
  void remove_pending(std::uint64_t ticket) noexcept;
  void clear_run_failure() noexcept;
  /// Throws what fail_run() recorded (and forgets it).
  [[noreturn]] void rethrow_run_failure();

  std::shared_ptr<detail::LoopCore> core_;
  unsigned threads_;
  // Everything a handler may touch when the io_context destroys it (an abandoned coroutine's
  // frame ending a PendingOperation, say) is declared before io_, so it outlives every handler.
  std::deque<detail::Gate> gates_;
  mutable std::mutex registry_mutex_;
  std::vector<std::weak_ptr<LoopResource>> resources_;
  std::map<std::uint64_t, std::string> pending_;  // by ticket: oldest first
  std::uint64_t next_ticket_ = 1;
  std::vector<std::string> closed_at_close_;
  std::atomic<bool> run_failed_{false};
  std::exception_ptr run_failure_;  ///< guarded by registry_mutex_; set by fail_run()
  std::atomic<unsigned> held_coroutines_{0};

  boost::asio::io_context io_;
  // After io_: destroyed first, it destroys the work it holds while io_ still exists.
  std::unique_ptr<detail::SeededScheduler> scheduler_;
  std::optional<boost::asio::executor_work_guard<executor_type>> worker_guard_;
  std::vector<std::thread> workers_;
};

template <class T>
T TestLoop::run(boost::asio::awaitable<T> work, std::chrono::milliseconds deadline) {
  auto state = std::make_shared<detail::RunState<T>>();
  state->gate = new_gate();
  auto finish = [state, abandoned = detail::AbandonedFlag(state->mutex, state->abandoned)](
                    std::exception_ptr error, auto&&... value) mutable {
    abandoned.invoked();
    std::lock_guard lock(state->mutex);
    state->error = error;
    if constexpr (sizeof...(value) > 0) {
      if (!error) state->value.emplace(std::forward<decltype(value)>(value)...);
    }
    state->done = true;
    state->done_cv.notify_all();
  };
  auto done = [state] {
    std::lock_guard lock(state->mutex);
    return state->done;
  };
  try {
    run_impl(
        [&](boost::asio::strand<executor_type>& strand) {
          auto completion =
              boost::asio::bind_cancellation_slot(state->cancel.slot(), std::move(finish));
          if (threads_ > 1) {
            // The strand outlives this call through the spawned coroutine's executor.
            boost::asio::co_spawn(detail::GatedExecutor(strand, state->gate),
                                  detail::suspending_after_cancellation(std::move(work)),
                                  std::move(completion));
          } else {
            // One thread is a strand already; without one, a completion dispatched from this
            // loop's own handlers resumes the coroutine inline instead of queueing it again.
            boost::asio::co_spawn(detail::GatedExecutor(io_.get_executor(), state->gate),
                                  detail::suspending_after_cancellation(std::move(work)),
                                  std::move(completion));
          }
        },
        done,
        [state] {
          {
            std::lock_guard lock(state->mutex);
            // Nothing left to cancel; or its frames are kept (Gate::hold()) with the refused
            // operation's cancellation handler in them, which must not run.
            if (state->done || state->abandoned || state->gate->held()) return;
          }
          state->cancel.emit(boost::asio::cancellation_type::terminal);
        },
        deadline);
  } catch (...) {
    if (!done()) state->gate->close();  // given up on: it must never run again
    throw;
  }
  std::lock_guard lock(state->mutex);
  if (state->error) std::rethrow_exception(state->error);
  if constexpr (!std::is_void_v<T>) return std::move(*state->value);
}

}  // namespace asyncfix
