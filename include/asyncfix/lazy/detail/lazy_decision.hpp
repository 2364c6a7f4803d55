#pragma once
/// @file
/// The decision LazyResource::get() makes under its lock, as a pure function of what it holds
/// (library-internal): testable without a loop or a coroutine.

#include <asyncfix/affinity/loop_affinity.hpp>
#include <asyncfix/affinity/loop_policy.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace asyncfix::detail {

/// What get() sees of the instance slot of one loop.
struct LazySlotView {
  std::uint64_t loop = 0;    ///< the loop's serial
  bool has_value = false;    ///< an instance is held
  bool creating = false;     ///< its factory is running
  bool loop_closed = false;  ///< the loop it is bound to has closed
};

/// What get() does next.
struct LazyDecision {
  enum class Action {
    use_own,  ///< return the running loop's instance
    wait,     ///< wait for the creation in slot `slot_loop`, then decide again
    fail,     ///< throw the mismatch `check` of slot `slot_loop` (LoopPolicy::Fail)
    create,   ///< create an instance for the running loop
  };
  Action action = Action::create;
  std::uint64_t slot_loop = 0;
  LoopCheck check = LoopCheck::ok;
  /// Slots to forget (closing their instances) before acting: the running loop's failed creation,
  /// instances of closed loops (PerLoop) and of other loops (Reconnect).
  std::vector<std::uint64_t> drop;
  /// How many of `drop` are heals (Reconnect replacing another loop's instance): loop changes.
  std::uint64_t loop_changes = 0;
};

/// The step of LazyResource::get() on the loop `here` under `policy`, given every slot held.
[[nodiscard]] LazyDecision decide_get(std::uint64_t here, LoopPolicy policy,
                                      std::span<const LazySlotView> slots);

}  // namespace asyncfix::detail
