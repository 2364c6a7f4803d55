#pragma once
/// @file
/// run_child(): a test of a failure path runs the failing program as a child process (a hang, a
/// crash, the hard watchdog's exit) and checks how it ended and what it printed.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace asyncfix {

/// What run_child() runs.
struct ChildRunOptions {
  /// The program (searched on PATH when it has no '/') and its arguments.
  std::vector<std::string> argv;
  /// Set in the child's environment on top of this process's; values never reach its argv.
  std::vector<std::pair<std::string, std::string>> env;
  /// Removed from the child's environment, e.g. ASYNCFIX_FAULTS when a fault matrix runs the
  /// parent but the child must fail its own way.
  std::vector<std::string> unset_env;
  /// Past this the child's process group is ended (SIGTERM, then SIGKILL 2 s later).
  std::chrono::milliseconds bound = std::chrono::seconds(120);
};

/// How a child ended and what it printed.
struct ChildRunResult {
  /// Its exit status; 128 + the signal that ended it; -1 when it could not be started.
  int exit_code = -1;
  /// Its stdout and stderr, interleaved; for a program that could not start, the reason.
  std::string output;
};

/// Runs `options.argv` in a process group of its own and waits for it, within `options.bound`.
/// Nothing it started outlives the call: its group is killed at the end.
[[nodiscard]] ChildRunResult run_child(const ChildRunOptions& options);

}  // namespace asyncfix
