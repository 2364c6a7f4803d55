#include "matrix/cell_cgroup.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;

/// This process's cgroup in the pids hierarchy ("/" when it names none).
std::string own_pids_group() {
  std::ifstream in("/proc/self/cgroup");
  for (std::string line; std::getline(in, line);) {
    // "8:pids:/some/path"
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    if (line.substr(first + 1, second - first - 1) == "pids") return line.substr(second + 1);
  }
  return "/";
}

}  // namespace

CellCgroup::CellCgroup(const std::string& name) {
  if (const char* use = std::getenv("ASYNCFIX_CELL_CGROUP");
      use != nullptr && use == std::string("off")) {
    return;
  }
  const fs::path root = "/sys/fs/cgroup/pids";
  std::error_code ec;
  if (!fs::exists(root / "cgroup.procs", ec)) return;
  auto dir = root / fs::path(own_pids_group()).relative_path() / name;
  if (!fs::create_directory(dir, ec) || ec) return;
  fd_ = ::open((dir / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  if (fd_ < 0) {
    fs::remove(dir, ec);
    return;
  }
  dir_ = std::move(dir);
}

CellCgroup::~CellCgroup() {
  if (fd_ < 0) return;
  ::close(fd_);
  kill_all();
  std::error_code ec;
  fs::remove(dir_, ec);  // rmdir: only an empty group can go
}

std::vector<pid_t> CellCgroup::members() const {
  std::vector<pid_t> pids;
  if (fd_ < 0) return pids;
  std::ifstream in(dir_ / "cgroup.procs");
  for (pid_t pid = 0; in >> pid;) pids.push_back(pid);
  return pids;
}

void CellCgroup::kill_all() const {
  for (int round = 0; round < 100; ++round) {
    const auto pids = members();
    if (pids.empty()) return;
    for (const pid_t pid : pids) ::kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace asyncfix::cli
