#pragma once
/// @file
/// TeardownReport: what one AsyncTest's loop did, recorded in gtest's XML/JSON output.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
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
  std::vector<std::string> injected_faults;  ///< in-process faults injected into this test

  /// One line: "loop #12 'Suite.Test': setup 1 ms, body 3 ms, teardown 2 ms, ...".
  [[nodiscard]] std::string summary() const;
};

/// The gtest property names the report is recorded under (in --gtest_output XML/JSON), shared by
/// the writer (AsyncTest), the Listener and the `asyncfix demo` table.
namespace property {
inline constexpr std::string_view prefix = "asyncfix.";
inline constexpr const char* loop = "asyncfix.loop";
inline constexpr const char* setup_ms = "asyncfix.setup_ms";
inline constexpr const char* body_ms = "asyncfix.body_ms";
inline constexpr const char* teardown_ms = "asyncfix.teardown_ms";
inline constexpr const char* cleanups = "asyncfix.cleanups";
inline constexpr const char* loop_changes = "asyncfix.loop_changes";
inline constexpr const char* deadline_exceeded = "asyncfix.deadline_exceeded";
inline constexpr const char* loop_stopped_by_test = "asyncfix.loop_stopped_by_test";
inline constexpr const char* fallbacks = "asyncfix.fallbacks";
inline constexpr const char* cancelled_tasks = "asyncfix.cancelled_tasks";
inline constexpr const char* leaks = "asyncfix.leaks";
inline constexpr const char* injected_faults = "asyncfix.injected_faults";
/// The schedule a non-FIFO test ran under (Schedule::to_string()), the handlers it ordered, and
/// the command that replays it.
inline constexpr const char* schedule = "asyncfix.schedule";
inline constexpr const char* schedule_steps = "asyncfix.schedule_steps";
inline constexpr const char* replay = "asyncfix.replay";
/// What failed the test, as data: "CATEGORY:VALUE" of the error code its exception carried
/// (`asyncfix.redis:2` for a RedisError timeout, `system:104` for a reset socket,
/// `asyncfix.loop:1` for a LoopMismatch). The fault matrix classifies from this, never from
/// message text.
inline constexpr const char* error = "asyncfix.error";
}  // namespace property

}  // namespace asyncfix
