#pragma once
/// @file
/// Scheduler: the seeded order a TestLoop runs ready handlers in under a non-FIFO Schedule
/// (library-internal; GatedExecutor hands it the work of the test's coroutines).

#include <asyncfix/loop/schedule.hpp>

#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

namespace asyncfix::detail {

class Gate;

/// Work the Scheduler holds until it picks it: run once, or destroyed unrun.
class ScheduledWork {
 public:
  virtual ~ScheduledWork() = default;
  virtual void run() = 0;
};

/// ScheduledWork around a callable.
template <class F>
class ScheduledWorkOf final : public ScheduledWork {
 public:
  explicit ScheduledWorkOf(F&& f) : f_(std::move(f)) {}
  void run() override { std::move(f_)(); }

 private:
  F f_;
};

/// Holds the ready work of one single-threaded loop and, for each item it is given, posts one
/// token to the loop; each token runs the item the strategy picks, not necessarily its own. A
/// task is the Gate the work came through: one per TestLoop::run() and per AsyncTest::spawn().
class Scheduler {
 public:
  virtual ~Scheduler() = default;

  template <class F>
  void submit(const Gate* task, F&& work) {
    push(task, std::make_unique<ScheduledWorkOf<std::decay_t<F>>>(std::forward<F>(work)));
  }
  /// The schedule it follows.
  [[nodiscard]] virtual const Schedule& schedule() const noexcept = 0;
  /// Handlers it has run so far.
  [[nodiscard]] virtual std::uint64_t steps() const noexcept = 0;

 protected:
  virtual void push(const Gate* task, std::unique_ptr<ScheduledWork> work) = 0;
};

}  // namespace asyncfix::detail
