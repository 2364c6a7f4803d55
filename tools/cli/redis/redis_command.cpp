// `asyncfix redis start --dir D` / `asyncfix redis stop --dir D [--check-no-keys] [--force]`: one
// private redis-server shared by a ctest run (see asyncfix_discover_tests); `redis status` and
// `redis url` tell scripts about it. D holds `url` (0600:
// it may carry a password), `server` (pid, start time and executable of the server, so a reused
// pid is never signalled) and `socketdir` (removed only when it carries asyncfix's marker).
#include "commands.hpp"
#include "run_holders.hpp"
#include "server_state.hpp"

#include <asyncfix/redis/redis_server.hpp>
#include <asyncfix/redis/test_keys.hpp>

#include "redis/server_args.hpp"
#include "redis/sync_client.hpp"
#include "support/private_file.hpp"
#include "support/process_identity.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;
using asyncfix::detail::ProcessIdentity;

int start(const fs::path& dir, bool tcp, std::vector<std::string> server_args, bool shared) {
  // An empty word is what a CMake generator expression leaves when there are no arguments.
  std::erase_if(server_args, [](const std::string& arg) { return arg.empty(); });
  redis::RedisServerOptions options;
  try {
    redis::detail::check_server_args(server_args, "asyncfix redis start -- ARGS");
  } catch (const std::invalid_argument& e) {
    std::cerr << e.what() << "\n";
    return usage;
  }
  options.extra_args = server_args;
  fs::create_directories(dir);
  // Two starts at once take turns: the second finds the first's server running.
  const StateLock lock(dir);
  const auto state = read_state(dir);
  if (shared && state.server && state.url && asyncfix::detail::still_running(*state.server)) {
    // Another ctest run of this build tree started it: share it; the last run to stop ends it.
    join_holders(dir, live_holders(dir));
    std::cerr << "asyncfix redis start: sharing the server another run started (pid "
              << state.server->pid << ")\n";
    std::cout << state.url->redacted() << std::endl;
    return ok;
  }
  if (state.server && asyncfix::detail::still_running(*state.server)) {
    std::cerr << "asyncfix redis start: the server recorded in " << dir.string()
              << " is still running (pid " << state.server->pid
              << "); run `asyncfix redis stop --dir " << dir.string() << "` first\n";
    return failed;
  }
  if (state.any) {
    // Its server is gone (or the files are unreadable and name no live server): start afresh.
    std::cerr << "asyncfix redis start: removing stale state in " << dir.string()
              << (state.problem.empty() ? " (its server is gone)" : " (" + state.problem + ")")
              << "\n";
    clear_state(state);
  }
  options.tcp = tcp;
  options.die_with_parent = false;  // it must outlive this command
  std::unique_ptr<redis::RedisServer> server;
  try {
    server = redis::RedisServer::start(options);
  } catch (const std::invalid_argument& e) {  // $ASYNCFIX_REDIS_ARGS
    std::cerr << "asyncfix redis start: " << e.what() << "\n";
    return usage;
  } catch (const std::runtime_error& e) {  // no redis-server, or it did not start
    std::cerr << "asyncfix redis start: " << without_prefix(e.what()) << "\n";
    return failed;
  }
  const auto url = tcp ? *server->tcp_url() : server->url();
  const auto identity = asyncfix::detail::process_identity(server->pid());
  if (!identity || !asyncfix::detail::write_private_file(dir / "url", url.to_string() + "\n") ||
      !asyncfix::detail::write_private_file(dir / "server", identity->to_line() + "\n") ||
      !asyncfix::detail::write_private_file(dir / "socketdir", server->dir().string() + "\n")) {
    std::cerr << "asyncfix redis start: cannot record the server in " << dir.string() << "\n";
    return failed;  // `server` stops it on the way out
  }
  if (shared) join_holders(dir, {});
  std::cout << url.redacted() << std::endl;
  server->detach();  // left running; `redis stop` ends it
  return ok;
}

/// The test keys (afx:*) left on the server, or nullopt when it cannot be asked.
std::optional<std::vector<std::string>> leftover_test_keys(const redis::RedisUrl& url) {
  try {
    redis::detail::SyncClient client(url, std::chrono::seconds(2));
    std::vector<std::string> keys;
    const auto reply = client.command({"KEYS", std::string(redis::test_key_pattern)});
    for (const auto& key : reply.elements()) keys.push_back(key.text());
    return keys;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void end_server(const ProcessIdentity& server, const std::optional<redis::RedisUrl>& url) {
  std::function<void()> ask;
  if (url) {
    ask = [&] {
      redis::detail::SyncClient client(*url, std::chrono::seconds(1));
      client.command({"SHUTDOWN", "NOSAVE"});  // no reply: the server exits
    };
  }
  end_recorded_server(server, std::move(ask));
}

int stop(const fs::path& dir, bool check_no_keys, bool force, bool shared) {
  std::optional<StateLock> lock;
  if (fs::is_directory(dir)) lock.emplace(dir);
  // Their tests may hold keys right now: the last run to stop checks them.
  if (shared && lock && others_still_share(dir, "asyncfix redis stop")) return ok;
  const auto state = read_state(dir);
  if (!state.any) {
    std::cout << "asyncfix redis stop: nothing to stop: no server is recorded in " << dir.string()
              << "\n";
    return ok;
  }
  if (!state.server && !force) {
    std::cerr << "asyncfix redis stop: cannot tell which server to stop: " << state.problem
              << "; nothing was signalled. Check for a redis-server yourself, then run `asyncfix "
                 "redis stop --dir "
              << dir.string() << " --force` to remove the state\n";
    return failed;
  }
  int result = ok;
  if (!state.problem.empty()) std::cerr << "asyncfix redis stop: note: " << state.problem << "\n";
  if (check_no_keys && !state.url) {
    std::cerr << "asyncfix redis stop: cannot check for test keys without the server's URL\n";
    result = failed;
  } else if (check_no_keys) {
    if (const auto left = leftover_test_keys(*state.url); !left) {
      std::cerr << "asyncfix redis stop: cannot check for test keys: the server does not answer\n";
      result = failed;
    } else if (!left->empty()) {
      report_leftovers("asyncfix redis stop", "test key was", "test keys were", "a test", *left);
      result = failed;
    }
  }
  if (state.server) {
    if (asyncfix::detail::still_running(*state.server)) {
      end_server(*state.server, state.url);
    } else if (const auto now = asyncfix::detail::process_identity(state.server->pid)) {
      std::cerr << "asyncfix redis stop: pid " << state.server->pid
                << " is no longer the recorded redis-server (it is now '" << now->executable
                << "', started at another time); not signalling it\n";
      result = failed;
    }
  }
  clear_state(state);
  return result;
}

/// Exit 0 and "running" when the recorded server runs and answers PING; 1 saying why not.
int status(const fs::path& dir) {
  const auto state = read_state(dir);
  if (const auto why = not_running_reason(state); !why.empty()) {
    std::cout << "not running: " << why << "\n";
    return failed;
  }
  const std::string url = state.url ? state.url->redacted() : std::string("(no url recorded)");
  const auto why = state.url ? redis::detail::ping_sync(*state.url, std::chrono::seconds(2))
                             : std::string("no url recorded");
  if (!why.empty()) {
    std::cout << "not answering: pid " << state.server->pid << " at " << url << ": " << why << "\n";
    return failed;
  }
  std::cout << "running: pid " << state.server->pid << " at " << url << "\n";
  return ok;
}

/// Prints the recorded URL for scripts, password masked (the full URL is in D/url, 0600).
int print_url(const fs::path& dir) {
  const auto state = read_state(dir);
  if (!state.url) {
    std::cerr << "asyncfix redis url: no server URL recorded in " << dir.string()
              << (state.problem.empty() ? "" : " (" + state.problem + ")") << "\n";
    return failed;
  }
  std::cout << state.url->redacted() << "\n";
  if (!state.url->password.empty()) {
    std::cerr << "asyncfix redis url: the password is masked; the full URL is in "
              << (dir / "url").string() << " (readable by you only)\n";
  }
  return ok;
}

}  // namespace

void add_redis_command(CLI::App& app) {
  auto* redis =
      app.add_subcommand("redis", "Start, stop or ask about a private redis-server (for ctest)");
  redis->require_subcommand(1);
  auto dir = std::make_shared<std::string>();
  auto tcp = std::make_shared<bool>(false);
  auto check = std::make_shared<bool>(false);
  auto force = std::make_shared<bool>(false);

  auto server_args = std::make_shared<std::vector<std::string>>();
  auto* start_cmd = redis->add_subcommand(
      "start",
      "Start a server; print its URL; record it in --dir. redis-server options follow `--` "
      "(after those of $ASYNCFIX_REDIS_ARGS)");
  start_cmd->add_option("--dir", *dir, "Directory for the url, server and socketdir files")
      ->required();
  start_cmd->add_flag("--tcp", *tcp, "Listen on 127.0.0.1 (a free port) instead of a unix socket");
  start_cmd->add_option("server-args", *server_args,
                        "redis-server options after `--`, e.g. -- --maxmemory-policy allkeys-lru");
  auto shared = std::make_shared<bool>(false);
  start_cmd->add_flag("--shared", *shared,
                      "Share a server that another run of this --dir started (ctest runs of one "
                      "build tree at once); `redis stop --shared` ends it with the last run");
  start_cmd->callback([dir, tcp, server_args, shared] {
    if (const int code = start(*dir, *tcp, *server_args, *shared); code != ok) {
      throw CLI::RuntimeError(code);
    }
  });

  auto* stop_cmd = redis->add_subcommand(
      "stop", "Stop the server recorded in --dir (exit 0 with a note when none is recorded)");
  stop_cmd->add_option("--dir", *dir, "Directory given to `redis start`")->required();
  stop_cmd->add_flag("--check-no-keys", *check, "Fail if test keys (afx:*) were left behind");
  stop_cmd->add_flag("--force", *force,
                     "Remove unreadable state (signals only a server it can still identify)");
  stop_cmd->add_flag("--shared", *shared,
                     "Leave the server to the other runs that share it; stop it when none is left");
  stop_cmd->callback([dir, check, force, shared] {
    if (const int code = stop(*dir, *check, *force, *shared); code != ok) {
      throw CLI::RuntimeError(code);
    }
  });

  auto* status_cmd = redis->add_subcommand(
      "status", "Say whether the server recorded in --dir runs and answers (exit 0) or not (1)");
  status_cmd->add_option("--dir", *dir, "Directory given to `redis start`")->required();
  status_cmd->callback([dir] {
    if (const int code = status(*dir); code != ok) throw CLI::RuntimeError(code);
  });

  auto* url_cmd = redis->add_subcommand(
      "url", "Print the URL of the server recorded in --dir (password masked)");
  url_cmd->add_option("--dir", *dir, "Directory given to `redis start`")->required();
  url_cmd->callback([dir] {
    if (const int code = print_url(*dir); code != ok) throw CLI::RuntimeError(code);
  });
}

}  // namespace asyncfix::cli
