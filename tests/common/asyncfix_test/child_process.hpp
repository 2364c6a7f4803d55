#pragma once
// Child processes for tests, all through asyncfix's own ChildProcess (support/child_process.hpp):
// each in a process group of its own, bounded, its group killed at the end, so no test leaves one
// behind.
#include "support/child_process.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace asyncfix_test {

/// True while `pid` exists and is not a zombie.
[[nodiscard]] bool process_alive(pid_t pid);

/// The captured result of a child process.
struct ChildResult {
  int exit_code = -1;  ///< its exit status, or 128 + the signal that ended it
  std::string output;  ///< stdout and stderr, interleaved
};

/// Environment entries set in the child on top of this process's (never on its argv).
using ChildEnv = std::vector<std::pair<std::string, std::string>>;

/// Runs `argv`, output captured; terminated (SIGTERM, then SIGKILL) past `bound`.
ChildResult run_argv(const std::vector<std::string>& argv, const ChildEnv& env = {},
                     std::chrono::milliseconds bound = std::chrono::seconds(120));

/// Runs `command` through /bin/sh, output captured, as run_argv.
ChildResult run_child(const std::string& command,
                      std::chrono::milliseconds bound = std::chrono::seconds(120));

/// A child's gtest output made fit for a failure message. ctest (gtest_discover_tests) reads a test
/// whose output contains "[  SKIPPED ]" anywhere as skipped, even when it failed; a child that
/// skipped a test would turn the parent's failure into a skip. The marker is defused here.
std::string printable(std::string output);

/// A child left running while the test talks to it; its output goes to a private file.
class BackgroundChild {
 public:
  explicit BackgroundChild(const std::vector<std::string>& argv, const ChildEnv& env = {});
  /// Kills its group and removes the output file.
  ~BackgroundChild();
  BackgroundChild(const BackgroundChild&) = delete;
  BackgroundChild& operator=(const BackgroundChild&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return child_->pid(); }
  /// The first complete line of its output that contains `text` ("": any), waiting up to
  /// `bound`; nullopt if none came.
  std::optional<std::string> line_with(std::string_view text, std::chrono::milliseconds bound);
  /// Everything it wrote so far.
  [[nodiscard]] std::string output() const;
  /// Waits up to `bound` for it to exit.
  std::optional<asyncfix::detail::ChildExit> wait_for(std::chrono::milliseconds bound);

 private:
  std::filesystem::path output_;
  std::optional<asyncfix::detail::ChildProcess> child_;
};

}  // namespace asyncfix_test
