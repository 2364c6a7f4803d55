#pragma once
/// @file
/// LoopAffinity: which loop a resource belongs to, where it was bound, and the check on use.

#include <asyncfix/affinity/loop_mismatch.hpp>
#include <asyncfix/loop/detail/loop_core.hpp>
#include <asyncfix/loop/loop_id.hpp>

#include <memory>
#include <optional>
#include <source_location>
#include <string>

namespace asyncfix {

class TestLoop;

/// The result of LoopAffinity::check().
enum class LoopCheck {
  ok,                 ///< bound to the loop running on this thread
  unbound,            ///< not bound to any loop yet
  mismatch,           ///< bound to another loop than the running one
  bound_loop_closed,  ///< the bound loop is closed
  no_running_loop,    ///< no TestLoop is running on this thread
};

/// "ok", "unbound", "mismatch", "bound_loop_closed" or "no_running_loop".
[[nodiscard]] const char* to_string(LoopCheck check) noexcept;

/// Records the loop a resource is bound to (by exact identity, never by address or PING), the
/// resource's name and where it was bound; check() and require_current() compare with the loop
/// running on this thread. Copyable; copies share nothing but the loop's identity block.
class LoopAffinity {
 public:
  LoopAffinity() = default;
  /// An unbound affinity for the resource called `resource_name`.
  explicit LoopAffinity(std::string resource_name) : name_(std::move(resource_name)) {}

  /// Binds to the loop running on this thread. Throws LoopMismatch(no_running_loop) when none is.
  void bind_current(std::source_location where = std::source_location::current());
  /// Binds to `loop` explicitly.
  void bind(const TestLoop& loop, std::source_location where = std::source_location::current());
  /// Forgets the binding.
  void reset() noexcept { core_.reset(); }

  /// Compares the binding with the loop running on this thread. Never throws.
  [[nodiscard]] LoopCheck check() const noexcept;
  /// Throws LoopMismatch unless check() is ok (or unbound).
  void require_current(std::source_location used_at = std::source_location::current()) const;
  /// The LoopMismatch require_current() would throw for `result` (which must not be ok/unbound).
  [[nodiscard]] LoopMismatch mismatch(LoopCheck result, std::source_location used_at) const;

  [[nodiscard]] bool bound() const noexcept { return core_ != nullptr; }
  /// The bound loop's identity, if bound.
  [[nodiscard]] std::optional<LoopId> loop() const;
  /// True when bound to exactly `loop` (same serial).
  [[nodiscard]] bool is_bound_to(const TestLoop& loop) const noexcept;
  /// True when the bound loop is closed.
  [[nodiscard]] bool loop_closed() const noexcept;
  /// True when the bound loop is running on a thread other than this one (and not further down
  /// this thread's stack of nested runs): closing the resource from here would race with it.
  [[nodiscard]] bool loop_running_elsewhere() const noexcept;
  [[nodiscard]] const std::string& resource_name() const noexcept { return name_; }
  [[nodiscard]] const std::source_location& bound_at() const noexcept { return bound_at_; }

  /// The affinity itself: lets a LoopAffinity be passed where "anything with affinity()" is asked.
  [[nodiscard]] const LoopAffinity& affinity() const noexcept { return *this; }

 private:
  std::string name_;
  std::shared_ptr<const detail::LoopCore> core_;
  std::source_location bound_at_;
};

}  // namespace asyncfix
