#include "run_holders.hpp"

#include "support/private_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>

namespace asyncfix::cli {

namespace fs = std::filesystem;
using asyncfix::detail::ProcessIdentity;

StateLock::StateLock(const fs::path& dir) {
  fd_ = ::open((dir / "lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
    if (fd_ >= 0) ::close(fd_);
    throw std::runtime_error("cannot lock " + (dir / "lock").string());
  }
}

StateLock::~StateLock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

std::vector<ProcessIdentity> live_holders(const fs::path& dir) {
  std::vector<ProcessIdentity> live;
  std::ifstream in(dir / "holders");
  for (std::string line; std::getline(in, line);) {
    const auto holder = ProcessIdentity::from_line(line);
    if (holder && asyncfix::detail::still_running(*holder) &&
        std::find(live.begin(), live.end(), *holder) == live.end()) {
      live.push_back(*holder);
    }
  }
  return live;
}

void write_holders(const fs::path& dir, const std::vector<ProcessIdentity>& holders) {
  if (holders.empty()) {
    std::error_code ec;
    fs::remove(dir / "holders", ec);
    return;
  }
  std::string text;
  for (const auto& holder : holders) text += holder.to_line() + "\n";
  if (!asyncfix::detail::write_private_file(dir / "holders", text)) {
    throw std::runtime_error("cannot write " + (dir / "holders").string());
  }
}

std::optional<ProcessIdentity> this_run() {
  return asyncfix::detail::process_identity(::getppid());
}

void join_holders(const fs::path& dir, std::vector<ProcessIdentity> holders) {
  if (const auto me = this_run();
      me && std::find(holders.begin(), holders.end(), *me) == holders.end()) {
    holders.push_back(*me);
  }
  write_holders(dir, holders);
}

bool others_still_share(const fs::path& dir, std::string_view command) {
  auto others = live_holders(dir);
  const auto me = this_run();
  std::erase_if(others, [&](const ProcessIdentity& holder) { return me && holder == *me; });
  write_holders(dir, others);
  if (others.empty()) return false;
  std::cout << command << ": the server stays up for " << others.size()
            << (others.size() == 1 ? " other run" : " other runs") << " (pid " << others.front().pid
            << (others.size() > 1 ? ", ..." : "") << ")\n";
  return true;
}

}  // namespace asyncfix::cli
