#pragma once
/// @file
/// AsyncOptions: the per-test deadline, teardown grace, leak policy and thread count.

#include <asyncfix/loop/schedule.hpp>
#include <asyncfix/testing/injected_faults.hpp>

#include <chrono>
#include <string_view>

namespace asyncfix {

/// Whether teardown leaks (outstanding handlers, resources left open) fail the test or only warn.
enum class LeakPolicy { Fail, Warn };

/// Options of one AsyncTest. Override per fixture by passing them to the AsyncTest constructor;
/// from_env() applies the environment on top, so CI can stretch deadlines without a rebuild.
struct AsyncOptions {
  /// Each of co_setup() and the body must finish within this, or the test fails by name.
  std::chrono::milliseconds deadline{10'000};
  /// Graceful teardown (co_teardown() and on_teardown() cleanups) must finish within this;
  /// what is left runs its synchronous fallback.
  std::chrono::milliseconds teardown_grace{1'000};
  LeakPolicy leaks = LeakPolicy::Fail;
  /// Threads running the loop; more than 1 for concurrency tests (run them under TSan).
  unsigned threads = 1;
  /// The hard watchdog's margin: a phase still running this long after its own bound (deadline
  /// for co_setup() and the body, the grace for teardown) means a handler never returned to the
  /// loop (a busy loop, a blocking call, a retry loop that swallows cancellation). The process
  /// then prints the test, the phase and what was pending, writes the gtest report it can, and
  /// exits with status 86 (asyncfix::hard_watchdog_exit_code).
  std::chrono::milliseconds watchdog_margin{2'000};
  /// Faults injected into the test on purpose (none by default; see InjectedFaults).
  InjectedFaults faults;
  /// The order the test's ready handlers run in (FIFO by default; see Schedule). A test that
  /// fails under another schedule prints it and the command that replays it.
  Schedule schedule;

  /// `base` with ASYNCFIX_DEADLINE_MS, ASYNCFIX_TEARDOWN_GRACE_MS, ASYNCFIX_LEAKS=fail|warn,
  /// ASYNCFIX_THREADS, ASYNCFIX_WATCHDOG_MARGIN_MS, ASYNCFIX_FAULTS and ASYNCFIX_SCHEDULE applied
  /// when set. Throws
  /// std::invalid_argument naming the variable, its value and what was expected, e.g.
  /// "ASYNCFIX_DEADLINE_MS='abc': expected a positive integer".
  static AsyncOptions from_env(AsyncOptions base);
  /// from_env() on the defaults.
  static AsyncOptions from_env() { return from_env(AsyncOptions{}); }
};

/// "fail" or "warn".
[[nodiscard]] const char* to_string(LeakPolicy policy) noexcept;

}  // namespace asyncfix
