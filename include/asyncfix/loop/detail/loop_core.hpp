#pragma once
/// @file
/// The small part of a TestLoop that outlives it, so a resource can tell "my loop closed" and
/// hand work to the loop from another thread safely.

#include <asyncfix/loop/detail/loop_mailbox.hpp>
#include <asyncfix/loop/loop_id.hpp>

#include <atomic>
#include <cstdint>

namespace asyncfix::detail {

/// Identity and state shared (by shared_ptr) between a TestLoop and everything bound to it.
struct LoopCore {
  explicit LoopCore(LoopId loop_id) : id(std::move(loop_id)) {}

  const LoopId id;
  std::atomic<LoopState> state{LoopState::open};
  /// Resources that healed onto this loop from another one (LoopPolicy::Reconnect).
  std::atomic<std::uint64_t> loop_changes{0};
  /// Work for the loop's io_context from a thread that does not run it.
  mutable LoopMailbox mailbox;
};

}  // namespace asyncfix::detail
