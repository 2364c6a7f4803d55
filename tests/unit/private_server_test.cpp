// The one stop sequence (ask, SIGTERM, SIGKILL) and the private-server base every throwaway server
// is built on: its directory, readiness wait, log tail in a failure, and no directory left.
#include "support/private_server.hpp"
#include "support/stop_sequence.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <filesystem>

namespace {

using asyncfix::detail::ChildOptions;
using asyncfix::detail::PrivateServer;
using asyncfix::detail::reaped;
using asyncfix::detail::run_stop_sequence;
using asyncfix::detail::StopSequence;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

ChildOptions shell(const std::string& script) {
  ChildOptions child;
  child.argv = {"/bin/sh", "-c", script};
  return child;
}

TEST(StopSequence, EachStepRunsOnlyWhenTheOneBeforeDidNotEndTheProcess) {
  {  // ends when asked
    PrivateServer server("sleeper", "log.txt");
    server.spawn(shell("exec sleep 30"));
    const auto pid = server.pid();
    bool asked = false;
    const int step = run_stop_sequence(
        pid, StopSequence{.ask = [&] { asked = true, ::kill(pid, SIGINT); }}, reaped(pid));
    EXPECT_TRUE(asked);
    EXPECT_EQ(step, 0);
    server.detach();
  }
  {  // SIGTERM ends it
    PrivateServer server("sleeper", "log.txt");
    server.spawn(shell("exec sleep 30"));
    const auto pid = server.pid();
    EXPECT_EQ(run_stop_sequence(pid, StopSequence{.ask_bound = 50ms}, reaped(pid)), 1);
    server.detach();
  }
  {  // SIGTERM ignored: SIGKILL ends it, within the bounds
    PrivateServer server("stubborn", "log.txt");
    server.spawn(shell("trap '' TERM; echo ready; while :; do :; done"));
    const auto pid = server.pid();
    std::string why;
    ASSERT_TRUE(server.wait_ready(
        5s, [&] { return server.log_tail().find("ready") != std::string::npos ? "" : "no"; }, why))
        << why;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(run_stop_sequence(pid, StopSequence{.term_bound = 200ms}, reaped(pid)), 2);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
    server.detach();
  }
}

TEST(PrivateServer, AServerThatDiesAtStartUpFailsWithItsLogTailAndLeavesNoDirectory) {
  std::filesystem::path dir;
  {
    PrivateServer server("toy-server", "toy.log");
    dir = server.dir();
    EXPECT_TRUE(std::filesystem::is_directory(dir));
    EXPECT_EQ(std::filesystem::status(dir).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_all);
    server.spawn(shell("echo 'FATAL: port taken'; exit 3"));
    std::string why;
    EXPECT_FALSE(server.wait_ready(
        5s, [] { return std::string("not yet"); }, why));
    EXPECT_EQ(why, "it exited during start-up");
    EXPECT_FALSE(server.running());
    const std::string message = server.start_failure("/bin/toy", why).what();
    EXPECT_EQ(message,
              "asyncfix: toy-server '/bin/toy' did not start: it exited during start-up; its log "
              "ends:\nFATAL: port taken\n");
  }
  EXPECT_FALSE(std::filesystem::exists(dir)) << "the destructor removes the directory";
}

TEST(PrivateServer, AServerThatNeverAnswersFailsAtTheBoundNamingTheLastAnswer) {
  PrivateServer server("toy-server", "toy.log");
  server.spawn(shell("exec sleep 30"));
  std::string why;
  EXPECT_FALSE(server.wait_ready(
      100ms, [] { return std::string("connection refused"); }, why));
  EXPECT_EQ(why, "no answer within 100 ms (last: connection refused)");
  const auto pid = server.pid();
  server.stop({});
  EXPECT_FALSE(server.running());
  EXPECT_NE(::kill(pid, 0), 0) << "stopped and reaped";
  EXPECT_TRUE(server.dir().empty());
}

}  // namespace
