#pragma once
// The ctest runs sharing one `asyncfix redis start --shared` (or `pg start --shared`) server: two
// runs of one build tree at once (an IDE and a terminal) use the same server, and only the last one
// to finish stops it.
#include "support/process_identity.hpp"

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace asyncfix::cli {

/// An exclusive lock on `dir`/lock (flock) for one start or stop: runs that start and stop at the
/// same moment take turns. Released when destroyed, and by the kernel if the process dies.
class StateLock {
 public:
  explicit StateLock(const std::filesystem::path& dir);
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  int fd_ = -1;
};

/// The runs recorded in `dir`/holders that are still alive (a run interrupted by SIGKILL is gone,
/// so it never keeps the server up).
[[nodiscard]] std::vector<asyncfix::detail::ProcessIdentity> live_holders(
    const std::filesystem::path& dir);

/// Records `holders` in `dir`/holders (removed when empty).
void write_holders(const std::filesystem::path& dir,
                   const std::vector<asyncfix::detail::ProcessIdentity>& holders);

/// This run: the process that started this command (ctest, for the fixture's start and stop).
[[nodiscard]] std::optional<asyncfix::detail::ProcessIdentity> this_run();

/// Records this run as one of the runs sharing the server in `dir`, with `holders` (the live ones
/// already there).
void join_holders(const std::filesystem::path& dir,
                  std::vector<asyncfix::detail::ProcessIdentity> holders);

/// For `stop --shared`: removes this run from the holders of `dir`. True, saying so on stdout as
/// `command`, when live runs still share the server: it stays up, and the last run checks it.
bool others_still_share(const std::filesystem::path& dir, std::string_view command);

}  // namespace asyncfix::cli
