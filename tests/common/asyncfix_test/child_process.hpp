#pragma once
// Runs a command as a child process and captures its output and exit status.
#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <string>

namespace asyncfix_test {

/// The captured result of a child process.
struct ChildResult {
  int exit_code = -1;
  std::string output;  ///< stdout and stderr, interleaved
};

/// Runs `command` through /bin/sh with stderr merged into stdout.
inline ChildResult run_child(const std::string& command) {
  ChildResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
    result.output += buffer.data();
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace asyncfix_test
