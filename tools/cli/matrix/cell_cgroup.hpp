#pragma once
// A control group per matrix cell: every process the cell's binary starts is in it, whatever
// session or process group it moves to and however it rewrites its environment (redis-server
// overwrites its own), so what the binary leaves behind is found and killed.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace asyncfix::cli {

/// A cgroup of the pids controller (cgroup v1) made for one cell and removed when destroyed. Where
/// none can be made (no such hierarchy, not permitted) it is unavailable and finds nothing: the
/// runner still has the process group and the cell's environment mark. ASYNCFIX_CELL_CGROUP=off
/// makes none.
class CellCgroup {
 public:
  /// Makes the group `name` below this process's own pids cgroup.
  explicit CellCgroup(const std::string& name);
  ~CellCgroup();
  CellCgroup(const CellCgroup&) = delete;
  CellCgroup& operator=(const CellCgroup&) = delete;

  /// The open `cgroup.procs` file a child writes "0" to to join (ChildOptions::cgroup_procs_fd),
  /// or -1 when unavailable.
  [[nodiscard]] int procs_fd() const noexcept { return fd_; }
  /// The processes in the group now.
  [[nodiscard]] std::vector<pid_t> members() const;
  /// SIGKILLs every member until none is left (bounded to about a second).
  void kill_all() const;

 private:
  std::filesystem::path dir_;
  int fd_ = -1;
};

}  // namespace asyncfix::cli
