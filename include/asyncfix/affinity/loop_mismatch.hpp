#pragma once
/// @file
/// LoopMismatch: the precise error for a resource used on a loop other than its own.

#include <asyncfix/loop/loop_id.hpp>
#include <asyncfix/loop/thrown_at.hpp>

#include <optional>
#include <source_location>
#include <stdexcept>
#include <string>

namespace asyncfix {

/// What went wrong when a loop-bound resource was used.
enum class MismatchKind {
  different_loop,     ///< used on a running loop other than the one it is bound to
  bound_loop_closed,  ///< its loop was closed; the resource is dead
  no_running_loop,    ///< used (or bound) on a thread that is running no TestLoop
  /// a raw Asio operation a loop started on an object of another io_context (handler tracking)
  other_context,
};

/// Thrown when a loop-bound resource is used on the wrong loop (see LoopPolicy::Fail). The message
/// names the resource, both loops (serial and name) and both source locations, and says how to fix
/// it, e.g.
///
///     asyncfix: loop mismatch: 'redis unix:///tmp/af-1/redis.sock' is bound to loop #3
///     'Suite [SetUpTestSuite]' (bound at suite_test.cpp:42) but was used on loop #7
///     'Suite.Test' (at suite_test.cpp:57). Fix: ...
class LoopMismatch : public std::logic_error, public ThrownAt {
 public:
  LoopMismatch(MismatchKind kind, std::string resource, std::optional<LoopId> bound_loop,
               std::source_location bound_at, std::optional<LoopId> used_loop,
               std::source_location used_at);
  /// For sites known only as text (handler tracking's "file:line", or a description when the
  /// line was not recorded); used_at() is then empty and used_site() says where.
  LoopMismatch(MismatchKind kind, std::string resource, std::optional<LoopId> bound_loop,
               std::optional<LoopId> used_loop, std::string used_site);

  [[nodiscard]] MismatchKind kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& resource() const noexcept { return resource_; }
  /// The loop the resource is bound to (empty for no_running_loop at bind time).
  [[nodiscard]] const std::optional<LoopId>& bound_loop() const noexcept { return bound_loop_; }
  /// The loop running where it was used (empty for no_running_loop).
  [[nodiscard]] const std::optional<LoopId>& used_loop() const noexcept { return used_loop_; }
  [[nodiscard]] const std::source_location& bound_at() const noexcept { return bound_at_; }
  [[nodiscard]] const std::source_location& used_at() const noexcept { return used_at_; }
  /// Where it was used, as the message says it ("file.cpp:57").
  [[nodiscard]] const std::string& used_site() const noexcept { return used_site_; }

 private:
  MismatchKind kind_;
  std::string resource_;
  std::optional<LoopId> bound_loop_;
  std::source_location bound_at_;
  std::optional<LoopId> used_loop_;
  std::source_location used_at_;
  std::string used_site_;
};

/// "file.cpp:42" for a source location (the file as the compiler spelled it).
[[nodiscard]] std::string to_string(const std::source_location& where);

}  // namespace asyncfix
