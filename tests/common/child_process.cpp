#include "asyncfix_test/child_process.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace asyncfix_test {
namespace {

namespace fs = std::filesystem;

/// A new empty file only this user can read, for a child's output.
fs::path private_output_file() {
  std::string pattern = (fs::temp_directory_path() / "afx-child-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw std::runtime_error("cannot create " + pattern);
  ::close(fd);
  return pattern;
}

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

asyncfix::detail::ChildOptions options_for(const std::vector<std::string>& argv,
                                           const ChildEnv& env, const fs::path& output) {
  asyncfix::detail::ChildOptions options;
  options.argv = argv;
  options.env = env;
  options.output = output;
  return options;
}

}  // namespace

ChildResult run_argv(const std::vector<std::string>& argv, const ChildEnv& env,
                     std::chrono::milliseconds bound) {
  ChildResult result;
  const auto output = private_output_file();
  try {
    asyncfix::detail::ChildProcess child(options_for(argv, env, output));
    const auto exit = child.wait_or_terminate(bound);
    child.kill_group();
    result.exit_code = exit.code >= 0 ? exit.code : 128 + exit.signal;
  } catch (const std::runtime_error& e) {
    result.output = std::string(e.what()) + "\n";
  }
  result.output += read_all(output);
  std::error_code ec;
  fs::remove(output, ec);
  return result;
}

ChildResult run_child(const std::string& command, std::chrono::milliseconds bound) {
  return run_argv({"/bin/sh", "-c", command}, {}, bound);
}

BackgroundChild::BackgroundChild(const std::vector<std::string>& argv, const ChildEnv& env)
    : output_(private_output_file()) {
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
    std::istringstream lines(read_all(output_));
    std::string line;
    while (std::getline(lines, line)) {
      if (!lines.eof() && line.find(wanted) != std::string::npos) return line;
    }
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string BackgroundChild::output() const {
  return read_all(output_);
}

std::optional<asyncfix::detail::ChildExit> BackgroundChild::wait_for(
    std::chrono::milliseconds bound) {
  return child_->wait_for(bound);
}

}  // namespace asyncfix_test
