#include "asyncfix_test/child_process.hpp"

#include <asyncfix/testing/child_run.hpp>

#include "support/private_file.hpp"

#include <signal.h>

#include <fstream>
#include <thread>

namespace asyncfix_test {
namespace {

namespace fs = std::filesystem;

asyncfix::detail::ChildOptions options_for(const std::vector<std::string>& argv,
                                           const ChildEnv& env, const fs::path& output) {
  asyncfix::detail::ChildOptions options;
  options.argv = argv;
  options.env = env;
  options.output = output;
  return options;
}

}  // namespace

bool process_alive(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string id, comm, state;
  stat >> id >> comm >> state;
  return state != "Z";
}

ChildResult run_argv(const std::vector<std::string>& argv, const ChildEnv& env,
                     std::chrono::milliseconds bound) {
  auto run = asyncfix::run_child({.argv = argv, .env = env, .unset_env = {}, .bound = bound});
  return {run.exit_code, std::move(run.output)};
}

std::string printable(std::string output) {
  static constexpr std::string_view marker = "[  SKIPPED ]";
  for (auto at = output.find(marker); at != std::string::npos; at = output.find(marker, at)) {
    output.replace(at, marker.size(), "[ (skipped) ]");
  }
  return output;
}

ChildResult run_child(const std::string& command, std::chrono::milliseconds bound) {
  return run_argv({"/bin/sh", "-c", command}, {}, bound);
}

BackgroundChild::BackgroundChild(const std::vector<std::string>& argv, const ChildEnv& env)
    : output_(asyncfix::detail::new_private_temp_file("afx-child-")) {
  child_.emplace(options_for(argv, env, output_));
}

BackgroundChild::~BackgroundChild() {
  child_->kill_group();
  (void)child_->wait_for(std::chrono::seconds(5));
  std::error_code ec;
  fs::remove(output_, ec);
}

std::optional<std::string> BackgroundChild::line_with(std::string_view wanted,
                                                      std::chrono::milliseconds bound) {
  const auto until = std::chrono::steady_clock::now() + bound;
  for (;;) {
    std::istringstream lines(asyncfix::detail::read_whole_file(output_));
    std::string line;
    while (std::getline(lines, line)) {
      if (!lines.eof() && line.find(wanted) != std::string::npos) return line;
    }
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string BackgroundChild::output() const {
  return asyncfix::detail::read_whole_file(output_);
}

std::optional<asyncfix::detail::ChildExit> BackgroundChild::wait_for(
    std::chrono::milliseconds bound) {
  return child_->wait_for(bound);
}

}  // namespace asyncfix_test
