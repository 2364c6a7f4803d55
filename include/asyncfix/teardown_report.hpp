#pragma once
/// @file
/// TeardownReport: what one AsyncTest's loop did, recorded in gtest's XML/JSON output.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace asyncfix {

/// The per-test report: phase times, fallbacks, leaks and loop changes. AsyncTest records it with
/// RecordProperty under "asyncfix.*" names so it lands in --gtest_output=xml/json.
struct TeardownReport {
  std::string loop;  ///< the loop's id, e.g. "#12 'Suite.Test'"
  std::chrono::milliseconds setup_time{0};
  std::chrono::milliseconds body_time{0};
  std::chrono::milliseconds teardown_time{0};
  bool deadline_exceeded = false;
  bool loop_stopped_by_test = false;
  std::uint64_t cleanups = 0;                ///< graceful cleanups that completed
  std::vector<std::string> fallbacks;        ///< cleanups that ran their synchronous fallback
  std::vector<std::string> cancelled_tasks;  ///< spawned tasks still running at teardown
  std::vector<std::string> leaks;            ///< what teardown found left behind
  std::uint64_t loop_changes = 0;            ///< resources that healed onto this test's loop

  /// One line: "loop #12 'Suite.Test': setup 1 ms, body 3 ms, teardown 2 ms, ...".
  [[nodiscard]] std::string summary() const;
};

}  // namespace asyncfix
