#pragma once
// What `asyncfix redis start --dir D` (and `asyncfix pg start`) records in D, read back by stop,
// status and url: `url`
// (0600: it may carry a password), `server` (pid, start time and executable, so a reused pid is
// never signalled) and `socketdir` (removed only when it carries asyncfix's marker).
#include "support/process_identity.hpp"

#include <asyncfix/redis/redis_url.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncfix::cli {

/// What `redis start` recorded in D, as far as it can be read.
struct State {
  std::filesystem::path dir;
  bool any = false;                                         ///< some state file exists
  std::optional<asyncfix::detail::ProcessIdentity> server;  ///< the recorded server
  std::optional<redis::RedisUrl> url;                       ///< the Redis URL (read_state only)
  std::string url_text;                                     ///< the `url` file's line as written
  std::filesystem::path socket_dir;
  std::string problem;  ///< what is wrong with the files, naming the file; empty when sound
};

/// Reads the state in `dir` of `asyncfix redis start`; never throws for a bad file (State::problem
/// says what is wrong).
[[nodiscard]] State read_state(const std::filesystem::path& dir);
/// The same for another server: `check_url` throws std::invalid_argument for a bad URL.
[[nodiscard]] State read_state(const std::filesystem::path& dir,
                               const std::function<void(const std::string&)>& check_url);

/// Why the state records no live server ("no server recorded in D", "the recorded server (pid P)
/// is gone", or the state's problem); "" when the recorded server runs.
[[nodiscard]] std::string not_running_reason(const State& state);

/// Ends the recorded `server` with the one stop sequence: `ask`, then SIGTERM, then SIGKILL, each
/// bounded, signalling only while its pid, start time and executable still match.
void end_recorded_server(const asyncfix::detail::ProcessIdentity& server,
                         std::function<void()> ask);

/// Removes the state files and the server's directory (only when it carries the marker).
void clear_state(const State& state);

/// Says on stderr what a test left on the server, e.g. "asyncfix redis stop: 2 test keys were left
/// on the server (a test did not clean up): afx:1 afx:2" (the first ten names).
void report_leftovers(std::string_view command, std::string_view singular, std::string_view plural,
                      std::string_view who, const std::vector<std::string>& names);

}  // namespace asyncfix::cli
