#pragma once
/// @file
/// The hard watchdog: a thread of its own that ends the process, naming the test, when a phase of
/// an AsyncTest overruns its bound by the margin because a handler never gave the loop back.

#include <chrono>
#include <cstdint>
#include <string>

namespace asyncfix {

class TestLoop;

/// The exit status of a process ended by the hard watchdog (distinct from gtest's 1 and from
/// ctest's timeout), so a CI log and `asyncfix` runners can tell "stuck" from "failed".
inline constexpr int hard_watchdog_exit_code = 86;

/// Arms the process-wide hard watchdog for one phase of a test; disarms on destruction.
///
/// TestLoop::run() bounds everything that returns to the loop. Code that never does (a busy loop,
/// a blocking call, a retry loop that catches the cancellation and tries again at once) cannot be
/// interrupted from inside the thread. If the phase is still armed `limit` after arming, the
/// watchdog thread prints one message naming the test, the phase, the time and what the loop had
/// pending, writes the gtest XML/JSON report named by --gtest_output (the tests finished so far
/// and this one, failed), and ends the process with hard_watchdog_exit_code. AsyncTest arms it
/// for co_setup(), the body and teardown; use it directly around other blocking sections.
class HardWatchdogGuard {
 public:
  /// Arms for `test` in `phase` (e.g. "the body"); `loop` (may be null) is asked what is pending
  /// and must outlive the guard. Guards nest: the innermost one is in force.
  HardWatchdogGuard(std::string test, std::string phase, std::chrono::milliseconds limit,
                    const TestLoop* loop);
  /// Disarms (restoring an outer guard, if any).
  ~HardWatchdogGuard();
  HardWatchdogGuard(const HardWatchdogGuard&) = delete;
  HardWatchdogGuard& operator=(const HardWatchdogGuard&) = delete;

 private:
  std::uint64_t ticket_;
};

}  // namespace asyncfix
