#pragma once
/// @file
/// What a loop-bound resource does when it is used from a loop other than the one it is bound to.

namespace asyncfix {

/// The choice a loop-aware resource makes when it is used on a loop other than its own.
enum class LoopPolicy {
  /// Heal: close the instance bound to the old loop, create a new one on the running loop and
  /// count the loop change (see LazyResource::loop_changes()).
  Reconnect,
  /// Throw asyncfix::LoopMismatch naming both loops and both source locations.
  Fail,
  /// Keep one instance per loop, each created lazily on its own loop; closing a loop closes its
  /// instance. For several loops running at once (one loop per thread) sharing one manager.
  PerLoop,
};

/// "Reconnect", "Fail" or "PerLoop".
[[nodiscard]] const char* to_string(LoopPolicy policy) noexcept;

}  // namespace asyncfix
