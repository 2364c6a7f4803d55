// Several processes: two writers sharing one server see no collisions and leave no keys; a
// SIGKILLed process that started a private server leaves no redis-server behind, and its private
// directory is swept by the next start.
#include "asyncfix_test/admin.hpp"
#include "asyncfix_test/child_process.hpp"

#include <asyncfix/asyncfix.hpp>

#include "support/process_identity.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/shm.h>
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

TEST(Processes, TwoWritersAtOnceSeeNoCollisionsAndLeaveNoKeys) {
  const auto url = asyncfix::redis::RedisEnvironment::instance().url();
  // The URL may carry a password: the children get it in their environment, never on argv.
  auto writer = [&] {
    return asyncfix_test::run_argv({ASYNCFIX_REDIS_CHILD, "writer", "500"},
                                   {{"ASYNCFIX_REDIS_URL", url.to_string()}});
  };
  auto first = std::async(std::launch::async, writer);
  auto second = std::async(std::launch::async, writer);
  const auto first_result = first.get();
  const auto second_result = second.get();
  EXPECT_EQ(first_result.exit_code, 0) << first_result.output;
  EXPECT_EQ(second_result.exit_code, 0) << second_result.output;
  asyncfix_test::Admin admin(url);
  EXPECT_EQ(admin.command({"KEYS", std::string(asyncfix::redis::test_key_root) + "*:writer:*"}),
            "0");
}

TEST(Processes, ASigkilledTestProcessLeavesNoRedisServer) {
  asyncfix_test::BackgroundChild child({ASYNCFIX_REDIS_CHILD, "hold-server"});
  const auto line = child.line_with("", 10s);
  ASSERT_TRUE(line) << child.output();
  std::istringstream fields(*line);
  pid_t server = 0;
  std::string dir;
  fields >> server >> dir;
  ASSERT_GT(server, 0);
  ASSERT_TRUE(std::filesystem::exists(dir));
  ASSERT_TRUE(asyncfix_test::process_alive(server));
  // The child's pid: the parent of the server.
  std::ifstream stat("/proc/" + std::to_string(server) + "/stat");
  std::string id, comm, state;
  pid_t parent = 0;
  stat >> id >> comm >> state >> parent;
  ASSERT_GT(parent, 1);
  ASSERT_EQ(parent, child.pid());
  ASSERT_EQ(::kill(parent, SIGKILL), 0);
  ASSERT_TRUE(child.wait_for(5s));
  const auto until = std::chrono::steady_clock::now() + 1s;
  while (asyncfix_test::process_alive(server) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(asyncfix_test::process_alive(server))
      << "redis-server " << server << " outlived its SIGKILLed parent";
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

// The sweep removes a dead server's System V memory with its directory, by the server's pid. A
// pid may be another process's by then: that process's memory stays. Here the marker names a
// creator that is gone and, as the server, this process's pid with another start time.
TEST(Processes, TheSweepLeavesTheMemoryOfAProcessThatReusedTheServersPid) {
  char abandoned_pattern[] = "/tmp/afx-XXXXXX";
  ASSERT_NE(::mkdtemp(abandoned_pattern), nullptr);
  int hold[2];
  ASSERT_EQ(::pipe(hold), 0);
  const pid_t gone = ::fork();
  if (gone == 0) {
    ::close(hold[1]);
    char byte = 0;
    (void)::read(hold[0], &byte, 1);  // alive until its identity is read (EOF)
    ::_exit(0);
  }
  ASSERT_GT(gone, 0);
  const auto creator = asyncfix::detail::process_identity(gone);
  ::close(hold[1]);
  ::close(hold[0]);
  int status = 0;
  ::waitpid(gone, &status, 0);
  ASSERT_TRUE(creator);
  auto me = asyncfix::detail::process_identity(::getpid());
  ASSERT_TRUE(me);
  me->start_ticks += 1;  // the server that had this pid before
  std::ofstream(std::filesystem::path(abandoned_pattern) / "asyncfix-owner")
      << creator->to_line() << "\n"
      << me->to_line() << "\n";
  const int mine = ::shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  ASSERT_GE(mine, 0);

  asyncfix::redis::sweep_abandoned_server_dirs("/tmp");
  EXPECT_FALSE(std::filesystem::exists(abandoned_pattern)) << "the abandoned directory stayed";
  shmid_ds info{};
  EXPECT_EQ(::shmctl(mine, IPC_STAT, &info), 0) << "the sweep removed this process's memory";
  ::shmctl(mine, IPC_RMID, nullptr);
  std::filesystem::remove_all(abandoned_pattern);
}

}  // namespace

namespace {

std::string output_of(const std::string& command) {
  return asyncfix_test::run_child(command).output;
}

TEST(Processes, AnUnreachableServerFailsWithTheReasonOrSkipsWhenOptional) {
  // A RedisTest in a child process, pointed at a socket where nothing listens.
  const std::string child = std::string(ASYNCFIX_INTEGRATION_TESTS) +
                            " --gtest_filter=LazyInjection.KeysAreNamespacedPerProcessAndTest";
  const std::string url = "ASYNCFIX_REDIS_URL=unix:///nonexistent/afx.sock ";
  // printable(): the skip marker of a child's output must not make ctest read this test skipped.
  const auto failed = asyncfix_test::printable(output_of(url + child));
  EXPECT_THAT(failed, ::testing::HasSubstr(
                          "ASYNCFIX_REDIS_URL=unix:///nonexistent/afx.sock is not reachable"));
  EXPECT_THAT(failed, ::testing::HasSubstr(
                          "[  FAILED  ] LazyInjection.KeysAreNamespacedPerProcessAndTest"));
  const auto skipped =
      asyncfix_test::printable(output_of(url + "ASYNCFIX_REDIS_OPTIONAL=1 " + child));
  EXPECT_THAT(skipped, ::testing::HasSubstr(
                           "[ (skipped) ] LazyInjection.KeysAreNamespacedPerProcessAndTest"));
}

}  // namespace
