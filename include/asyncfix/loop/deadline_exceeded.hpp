#pragma once
/// @file
/// The error TestLoop::run() throws when a coroutine does not finish before its deadline.

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace asyncfix {

/// Thrown by TestLoop::run() when the coroutine is still pending at its deadline. The message names
/// the loop, the deadline, the elapsed time and what was still pending (named operations and open
/// resources; the first ten, with the count of the rest; pending() has them all). The coroutine was
/// cancelled before this was thrown.
class DeadlineExceeded : public std::runtime_error {
 public:
  DeadlineExceeded(std::string loop_name, std::chrono::milliseconds deadline,
                   std::chrono::milliseconds elapsed, std::vector<std::string> pending);

  [[nodiscard]] const std::string& loop_name() const noexcept { return loop_name_; }
  [[nodiscard]] std::chrono::milliseconds deadline() const noexcept { return deadline_; }
  [[nodiscard]] std::chrono::milliseconds elapsed() const noexcept { return elapsed_; }
  [[nodiscard]] const std::vector<std::string>& pending() const noexcept { return pending_; }

 private:
  std::string loop_name_;
  std::chrono::milliseconds deadline_;
  std::chrono::milliseconds elapsed_;
  std::vector<std::string> pending_;
};

}  // namespace asyncfix
