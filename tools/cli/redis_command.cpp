// `asyncfix redis start --dir D` / `asyncfix redis stop --dir D [--check-no-keys]`: one private
// redis-server shared by a ctest run (see asyncfix_discover_tests). D holds url, pid and socketdir.
#include "commands.hpp"

#include <asyncfix/redis/redis_server.hpp>

#include <asyncfix/redis/detail/sync_client.hpp>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;

std::string read_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

bool alive(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_text, comm, state;
  stat >> pid_text >> comm >> state;
  return state != "Z";
}

int start(const fs::path& dir, bool tcp) {
  fs::create_directories(dir);
  if (fs::exists(dir / "pid") && alive(std::stoi(read_line(dir / "pid")))) {
    std::cerr << "asyncfix redis start: a server from " << dir << " is still running (pid "
              << read_line(dir / "pid") << "); run `asyncfix redis stop --dir " << dir.string()
              << "` first\n";
    return failed;
  }
  redis::RedisServerOptions options;
  options.tcp = tcp;
  options.die_with_parent = false;  // it must outlive this command
  auto server = redis::RedisServer::start(options);
  const auto url = tcp ? *server->tcp_url() : server->url();
  std::ofstream(dir / "url") << url.to_string() << "\n";
  std::ofstream(dir / "pid") << server->pid() << "\n";
  std::ofstream(dir / "socketdir") << server->dir().string() << "\n";
  std::cout << url.redacted() << std::endl;
  server->detach();  // left running; `redis stop` ends it
  return ok;
}

/// Counts keys asyncfix tests left behind ("afx:*"); -1 when the server cannot be asked.
long long leftover_test_keys(const redis::RedisUrl& url) {
  try {
    redis::detail::SyncClient client(url, std::chrono::seconds(2));
    return static_cast<long long>(client.command({"KEYS", "afx:*"}).elements().size());
  } catch (const std::exception&) {
    return -1;
  }
}

int stop(const fs::path& dir, bool check_no_keys) {
  if (!fs::exists(dir / "pid")) {
    std::cerr << "asyncfix redis stop: no server recorded in " << dir << " (no pid file)\n";
    return failed;
  }
  const pid_t pid = std::stoi(read_line(dir / "pid"));
  const auto url = redis::RedisUrl::parse(read_line(dir / "url"));
  int result = ok;
  if (check_no_keys) {
    const auto left = leftover_test_keys(url);
    if (left != 0) {
      std::cerr << "asyncfix redis stop: " << left
                << " test keys (afx:*) were left on the server: a test did not clean up\n";
      result = failed;
    }
  }
  if (alive(pid)) {
    try {
      redis::detail::SyncClient client(url, std::chrono::seconds(1));
      client.command({"SHUTDOWN", "NOSAVE"});  // no reply: the server exits
    } catch (const std::exception&) {
    }
    for (int i = 0; i < 200 && alive(pid); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (alive(pid)) ::kill(pid, SIGKILL);
  }
  std::error_code ec;
  const auto socket_dir = read_line(dir / "socketdir");
  if (!socket_dir.empty()) fs::remove_all(socket_dir, ec);
  fs::remove(dir / "pid", ec);
  fs::remove(dir / "url", ec);
  fs::remove(dir / "socketdir", ec);
  return result;
}

}  // namespace

void add_redis_command(CLI::App& app) {
  auto* redis =
      app.add_subcommand("redis", "Start or stop a private redis-server (for ctest fixtures)");
  redis->require_subcommand(1);
  auto dir = std::make_shared<std::string>();
  auto tcp = std::make_shared<bool>(false);
  auto check = std::make_shared<bool>(false);

  auto* start_cmd =
      redis->add_subcommand("start", "Start a server; print its URL; record it in --dir");
  start_cmd->add_option("--dir", *dir, "Directory for url, pid and socketdir files")->required();
  start_cmd->add_flag("--tcp", *tcp, "Listen on 127.0.0.1 (a free port) instead of a unix socket");
  start_cmd->callback([dir, tcp] {
    if (const int code = start(*dir, *tcp); code != ok) throw CLI::RuntimeError(code);
  });

  auto* stop_cmd = redis->add_subcommand("stop", "Stop the server recorded in --dir");
  stop_cmd->add_option("--dir", *dir, "Directory given to `redis start`")->required();
  stop_cmd->add_flag("--check-no-keys", *check, "Fail if test keys (afx:*) were left behind");
  stop_cmd->callback([dir, check] {
    if (const int code = stop(*dir, *check); code != ok) throw CLI::RuntimeError(code);
  });
}

}  // namespace asyncfix::cli
