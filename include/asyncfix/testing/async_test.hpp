#pragma once
/// @file
/// AsyncTest: the GoogleTest fixture whose setup, body and teardown share one per-test loop.

#include <asyncfix/loop/test_loop.hpp>
#include <asyncfix/testing/async_options.hpp>
#include <asyncfix/testing/teardown_report.hpp>

#include <gtest/gtest.h>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace asyncfix {

/// A GoogleTest fixture with a fresh TestLoop per test, named "Suite.Test". co_setup(), the body
/// and co_teardown() all run on that one loop, so nothing created in setup can be bound to a loop
/// the body does not run. Each phase is bounded by AsyncOptions::deadline (a hang fails the test by
/// name, listing what was pending) and teardown by AsyncOptions::teardown_grace.
///
/// Teardown, in order: cancel tasks started with spawn() that are still running; co_teardown() and
/// the on_teardown() cleanups (LIFO) on the loop within the grace; the synchronous fallbacks of
/// those that could not run (loop stopped by the test) or did not finish; close the resources still
/// bound to the loop; drain; report leaks per AsyncOptions::leaks; record the TeardownReport.
///
/// Subclass it and write bodies with ASYNC_TEST_F, or use ASYNC_TEST for a plain fixture.
class AsyncTest : public ::testing::Test {
 public:
  /// Creates the per-test loop (no I/O). Options default to AsyncOptions::from_env().
  explicit AsyncTest(AsyncOptions options = AsyncOptions::from_env());
  ~AsyncTest() override;

  [[nodiscard]] TestLoop& loop() noexcept { return *loop_; }
  [[nodiscard]] boost::asio::io_context& io() noexcept { return loop_->context(); }
  [[nodiscard]] const AsyncOptions& options() const noexcept { return options_; }

  /// Runs `work` on the test's loop within options().deadline (see TestLoop::run()).
  template <class T>
  T run(boost::asio::awaitable<T> work) {
    return loop_->run(std::move(work), options_.deadline);
  }
  /// Runs `work` on the test's loop within `deadline`.
  template <class T>
  T run(boost::asio::awaitable<T> work, std::chrono::milliseconds deadline) {
    return loop_->run(std::move(work), deadline);
  }
  /// Runs the loop until `pred()` holds or `limit` passes; returns the final `pred()`.
  bool run_until(const std::function<bool()>& pred, std::chrono::milliseconds limit) {
    return loop_->run_until(pred, limit);
  }

  /// Starts `task` on the loop's executor, detached but tracked: teardown cancels it if it is still
  /// running and lists it in the report. For background work a test starts and may not await.
  void spawn(std::string name, boost::asio::awaitable<void> task);

  /// Registers a cleanup, run in LIFO order at teardown: `graceful` on the loop within the grace;
  /// `fallback` (synchronous, must not need the loop) when the loop was stopped or the grace ran
  /// out. Either may be empty.
  void on_teardown(std::string name, std::function<boost::asio::awaitable<void>()> graceful,
                   std::function<void()> fallback = {});
  /// on_teardown() named "cleanup #N" (N counts from 1 in registration order).
  void on_teardown(std::function<boost::asio::awaitable<void>()> graceful,
                   std::function<void()> fallback = {});

  /// The report of the last teardown (complete after TearDown()).
  [[nodiscard]] const TeardownReport& teardown_report() const noexcept { return report_; }

 protected:
  /// Async set-up on the test's loop, run by SetUp(). Default: nothing.
  virtual boost::asio::awaitable<void> co_setup();
  /// Async tear-down on the test's loop, run first by TearDown(). Default: nothing.
  virtual boost::asio::awaitable<void> co_teardown();
  /// The coroutine body (ASYNC_TEST / ASYNC_TEST_F define it). Default: fails "no body".
  virtual boost::asio::awaitable<void> co_body();

  /// True when co_setup() failed (its failure is already recorded).
  [[nodiscard]] bool setup_failed() const noexcept { return setup_failed_; }
  /// Records that the in-process fault `name` (see InjectedFaults) took effect in this test: call
  /// it when the fault fires, not when it is armed. The report carries it, so a fault runner can
  /// tell what explains a failure, and reads a test that passed while no fault fired as
  /// "not-applied", never as passed under the fault. Thread-safe; a name is kept once.
  void note_injected_fault(std::string name);
  /// True when this fixture applies options().faults.network itself (fault::FaultRedisTest).
  [[nodiscard]] virtual bool applies_network_faults() const noexcept { return false; }
  /// Fails the test and returns false when options().faults.network holds items and this fixture
  /// does not apply them: a fault nothing applies (or a misspelt in-process fault) is never
  /// ignored. SetUp() calls it first.
  bool refuse_unapplied_network_faults();

  void SetUp() override;
  void TearDown() override;
  void TestBody() override;

 private:
  struct Cleanup;
  struct Task;

  /// Runs one phase on the loop, turning a deadline, stop or exception into a fatal failure.
  /// Returns false when the phase failed.
  bool run_phase(const char* phase, boost::asio::awaitable<void> work,
                 std::chrono::milliseconds& elapsed);
  void run_cleanups(std::chrono::steady_clock::time_point start);
  void record_report();
  /// Under a non-FIFO schedule: its properties, and on failure the line that replays it.
  void record_schedule();

  AsyncOptions options_;
  std::unique_ptr<TestLoop> loop_;
  std::vector<std::shared_ptr<Cleanup>> cleanups_;
  std::vector<std::shared_ptr<Task>> tasks_;
  TeardownReport report_;
  std::mutex injected_faults_mutex_;  ///< guards report_.injected_faults
  bool torn_down_ = false;
  bool setup_failed_ = false;
};

}  // namespace asyncfix
