#pragma once
/// @file
/// The interface a resource implements to be closed by its loop when the loop closes.

#include <string>
#include <vector>

namespace asyncfix {

/// A resource bound to a TestLoop. Register it with TestLoop::register_resource(); when the loop
/// closes, every registered resource that is still open is closed synchronously (while the
/// io_context is still alive) and reported, so nothing outlives its loop into a use-after-free.
class LoopResource {
 public:
  virtual ~LoopResource() = default;
  /// A human-readable name for reports, e.g. "redis unix:///tmp/x/redis.sock".
  [[nodiscard]] virtual std::string resource_name() const = 0;
  /// True while the resource still holds I/O objects of its loop.
  [[nodiscard]] virtual bool resource_open() const noexcept = 0;
  /// Release every I/O object synchronously. Must not throw and must not need the loop to run.
  virtual void close_now() noexcept = 0;
  /// True when being closed by its loop is this resource's intended end (a suite-scoped client
  /// that heals onto each test's loop): AsyncTest's teardown then closes it without reporting a
  /// leak. Default false: a resource still open at teardown is reported.
  [[nodiscard]] virtual bool closes_with_loop() const noexcept { return false; }
  /// Appends a name for each operation in flight on this resource, oldest first, for deadline
  /// messages (TestLoop::pending_operations()). Built only when asked, so a resource can track
  /// thousands of operations without naming each one. May be called from any thread.
  virtual void describe_pending(std::vector<std::string>& out) const { (void)out; }
};

}  // namespace asyncfix
