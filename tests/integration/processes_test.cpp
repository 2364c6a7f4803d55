// Several processes: two writers sharing one server see no collisions and leave no keys; a
// SIGKILLed process that started a private server leaves no redis-server behind.
#include "admin.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <future>
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

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Processes, TwoWritersAtOnceSeeNoCollisionsAndLeaveNoKeys) {
  const auto url = asyncfix::redis::RedisEnvironment::instance().url();
  const std::string command = "ASYNCFIX_REDIS_URL='" + url.to_string() + "' " +
                              ASYNCFIX_REDIS_CHILD + " writer 500 >/dev/null";
  auto first = std::async(std::launch::async, run, command);
  auto second = std::async(std::launch::async, run, command);
  EXPECT_EQ(first.get(), 0);
  EXPECT_EQ(second.get(), 0);
  asyncfix_test::Admin admin(url);
  EXPECT_EQ(admin.command({"KEYS", "afx:*:writer:*"}), "0");
}

TEST(Processes, ASigkilledTestProcessLeavesNoRedisServer) {
  FILE* child =
      ::popen((std::string("exec ") + ASYNCFIX_REDIS_CHILD + " hold-server").c_str(), "r");
  ASSERT_NE(child, nullptr);
  char line[64] = {};
  ASSERT_NE(std::fgets(line, sizeof line, child), nullptr);
  const pid_t server = std::stoi(line);
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
