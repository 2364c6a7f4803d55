// Several processes: two writers sharing one server see no collisions and leave no keys; a
// SIGKILLed process that started a private server leaves no redis-server behind, and its private
// directory is swept by the next start.
#include "asyncfix_test/admin.hpp"

#include <asyncfix/asyncfix.hpp>

#include "support/process_identity.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

namespace {

using namespace std::chrono_literals;

/// True while `pid` exists and is not a zombie.
bool alive(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string id, comm, state;
  stat >> id >> comm >> state;
  return state != "Z";
}

/// Runs `argv` with this process's environment plus `extra` ("NAME=value"), output discarded;
/// returns its exit status (-1 when it could not run or died by a signal).
int spawn_with_env(const std::vector<std::string>& argv, const std::vector<std::string>& extra) {
  std::vector<std::string> env(extra);
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  args.push_back(nullptr);
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Processes, TwoWritersAtOnceSeeNoCollisionsAndLeaveNoKeys) {
  const auto url = asyncfix::redis::RedisEnvironment::instance().url();
  // The URL may carry a password: the children get it in their environment, never on argv.
  auto writer = [&] {
    return spawn_with_env({ASYNCFIX_REDIS_CHILD, "writer", "500"},
                          {"ASYNCFIX_REDIS_URL=" + url.to_string()});
  };
  auto first = std::async(std::launch::async, writer);
  auto second = std::async(std::launch::async, writer);
  EXPECT_EQ(first.get(), 0);
  EXPECT_EQ(second.get(), 0);
  asyncfix_test::Admin admin(url);
  EXPECT_EQ(admin.command({"KEYS", std::string(asyncfix::redis::test_key_root) + "*:writer:*"}),
            "0");
}

TEST(Processes, ASigkilledTestProcessLeavesNoRedisServer) {
  FILE* child =
      ::popen((std::string("exec ") + ASYNCFIX_REDIS_CHILD + " hold-server").c_str(), "r");
  ASSERT_NE(child, nullptr);
  char line[256] = {};
  ASSERT_NE(std::fgets(line, sizeof line, child), nullptr);
  std::istringstream fields(line);
  pid_t server = 0;
  std::string dir;
  fields >> server >> dir;
  ASSERT_GT(server, 0);
  ASSERT_TRUE(std::filesystem::exists(dir));
  ASSERT_TRUE(alive(server));
  // The child's pid: the parent of the server.
  std::ifstream stat("/proc/" + std::to_string(server) + "/stat");
  std::string id, comm, state;
  pid_t parent = 0;
  stat >> id >> comm >> state >> parent;
  ASSERT_GT(parent, 1);
  ASSERT_EQ(::kill(parent, SIGKILL), 0);
  ::pclose(child);
  const auto until = std::chrono::steady_clock::now() + 1s;
  while (alive(server) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(alive(server)) << "redis-server " << server << " outlived its SIGKILLed parent";
  // Its private directory was left behind; the next start sweeps it (its creator and server are
  // both gone, by pid and start time). Another test's start may have swept it already, or be
  // removing it right now (this sweep then skips it, its marker half gone): wait for that to end.
  asyncfix::redis::sweep_abandoned_server_dirs("/tmp");
  const auto swept_by = std::chrono::steady_clock::now() + 1s;
  while (std::filesystem::exists(dir) && std::chrono::steady_clock::now() < swept_by)
    std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(std::filesystem::exists(dir)) << dir << " was not swept";
}

TEST(Processes, TheSweepKeepsDirectoriesOfLiveProcessesAndUnmarkedOnes) {
  char live_pattern[] = "/tmp/afx-XXXXXX";
  char unmarked_pattern[] = "/tmp/afx-XXXXXX";
  ASSERT_NE(::mkdtemp(live_pattern), nullptr);
  ASSERT_NE(::mkdtemp(unmarked_pattern), nullptr);
  const auto me = asyncfix::detail::process_identity(::getpid());
  ASSERT_TRUE(me);
  std::ofstream(std::filesystem::path(live_pattern) / "asyncfix-owner") << me->to_line() << "\n";
  asyncfix::redis::sweep_abandoned_server_dirs("/tmp");
  EXPECT_TRUE(std::filesystem::exists(live_pattern)) << "swept a live process's directory";
  EXPECT_TRUE(std::filesystem::exists(unmarked_pattern)) << "swept a directory it did not create";
  std::filesystem::remove_all(live_pattern);
  std::filesystem::remove_all(unmarked_pattern);
}

}  // namespace

namespace {

std::string output_of(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  char buffer[4096];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  if (pipe != nullptr) ::pclose(pipe);
  return output;
}

TEST(Processes, AnUnreachableServerFailsWithTheReasonOrSkipsWhenOptional) {
  // A RedisTest in a child process, pointed at a socket where nothing listens.
  const std::string child = std::string(ASYNCFIX_INTEGRATION_TESTS) +
                            " --gtest_filter=LazyInjection.KeysAreNamespacedPerProcessAndTest";
  const std::string url = "ASYNCFIX_REDIS_URL=unix:///nonexistent/afx.sock ";
  const auto failed = output_of(url + child);
  EXPECT_NE(failed.find("ASYNCFIX_REDIS_URL=unix:///nonexistent/afx.sock is not reachable"),
            std::string::npos)
      << failed;
  EXPECT_NE(failed.find("[  FAILED  ] LazyInjection.KeysAreNamespacedPerProcessAndTest"),
            std::string::npos)
      << failed;
  const auto skipped = output_of(url + "ASYNCFIX_REDIS_OPTIONAL=1 " + child);
  EXPECT_NE(skipped.find("[  SKIPPED ] LazyInjection.KeysAreNamespacedPerProcessAndTest"),
            std::string::npos)
      << skipped;
}

}  // namespace
