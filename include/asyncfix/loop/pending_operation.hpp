#pragma once
/// @file
/// Naming an in-flight operation so a deadline failure can say what was still pending.

#include <cstdint>
#include <string>

namespace asyncfix {

class TestLoop;

/// RAII: while alive, `what` is listed in the running loop's pending operations, which the deadline
/// watchdog prints when a test hangs. Does nothing when no loop is running on this thread.
///
///     asyncfix::PendingOperation op("redis BLPOP jobs");
///     auto reply = co_await conn.command({"BLPOP", "jobs", "0"});
class PendingOperation {
 public:
  explicit PendingOperation(std::string what);
  /// Registers on `loop` explicitly (for operations started off the loop's threads).
  PendingOperation(TestLoop& loop, std::string what);
  ~PendingOperation();
  PendingOperation(const PendingOperation&) = delete;
  PendingOperation& operator=(const PendingOperation&) = delete;

 private:
  TestLoop* loop_ = nullptr;
  std::uint64_t ticket_ = 0;
};

}  // namespace asyncfix
