#pragma once
/// @file
/// Identity and lifecycle state of a TestLoop.

#include <cstdint>
#include <string>

namespace asyncfix {

/// The identity of one TestLoop. Serials come from a process-wide counter and are never reused,
/// so a stale resource can never look as if it belonged to a newer loop at the same address.
struct LoopId {
  std::uint64_t serial = 0;  ///< 0 means "no loop"
  std::string name;          ///< e.g. "Suite.Test" or "Suite [SetUpTestSuite]"

  /// "#7 'Suite.Test'": the form every asyncfix message uses.
  [[nodiscard]] std::string to_string() const;

  /// Two ids are the same loop exactly when their serials match.
  friend bool operator==(const LoopId& a, const LoopId& b) noexcept { return a.serial == b.serial; }
};

/// Lifecycle of a TestLoop: open (idle) -> running (inside run()) -> stopped (io_context::stop()
/// was called and the loop was not restarted) -> closed (resources closed; nothing runs again).
enum class LoopState { open, running, stopped, closed };

/// "open", "running", "stopped" or "closed".
[[nodiscard]] const char* to_string(LoopState state) noexcept;

}  // namespace asyncfix
