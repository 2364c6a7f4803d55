#pragma once
/// @file
/// ProcessIdentity: a process named by pid *and* start time, so a reused pid is never mistaken for
/// the process that was recorded (library-internal; used by RedisServer and the CLI).

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace asyncfix::redis::detail {

/// A pid with the kernel's start time of that process (clock ticks since boot) and its executable.
struct ProcessIdentity {
  pid_t pid = -1;
  std::uint64_t start_ticks = 0;
  std::string executable;  ///< readlink of /proc/<pid>/exe; empty when not readable

  /// "pid start_ticks executable" on one line.
  [[nodiscard]] std::string to_line() const;
  /// Parses to_line()'s form; nullopt when malformed.
  static std::optional<ProcessIdentity> from_line(const std::string& line);

  friend bool operator==(const ProcessIdentity&, const ProcessIdentity&) = default;
};

/// The identity of the live process `pid` (zombies count as gone), or nullopt.
[[nodiscard]] std::optional<ProcessIdentity> process_identity(pid_t pid);

/// True when `recorded` is still running: same pid, same start time and same executable.
[[nodiscard]] bool still_running(const ProcessIdentity& recorded);

}  // namespace asyncfix::redis::detail
