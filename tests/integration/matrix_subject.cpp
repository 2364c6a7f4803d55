// A test binary for the fault runner's own tests: one test whose behaviour ASYNCFIX_SUBJECT picks
// (pass, unclassified, crash, hang, orphan), so each outcome class can be produced on purpose.
#include <asyncfix/asyncfix.hpp>

#include <spawn.h>

#include <csignal>
#include <cstdlib>
#include <string>
#include <thread>

extern char** environ;

namespace {

class Subject : public asyncfix::redis::RedisTest {};

std::string mode() {
  const char* value = std::getenv("ASYNCFIX_SUBJECT");
  return value == nullptr ? "pass" : value;
}

ASYNC_TEST_F(Subject, Behaves) {
  const auto what = mode();
  if (what == "pass") {
    co_await redis().set(key("k"), "v");
    CO_ASSERT_EQ(co_await redis().get(key("k")), "v");
  } else if (what == "unclassified") {
    EXPECT_EQ(1, 2) << "a plain assertion that no fault explains";
  } else if (what == "crash") {
    std::abort();
  } else if (what == "hang") {
    std::this_thread::sleep_for(std::chrono::hours(1));  // blocks the loop: no deadline can end it
  } else if (what == "orphan") {
    // A child left running in the test's process group.
    pid_t pid = 0;
    char sleep_name[] = "sleep";
    char seconds[] = "30";
    char* argv[] = {sleep_name, seconds, nullptr};
    CO_ASSERT_EQ(::posix_spawnp(&pid, "sleep", nullptr, nullptr, argv, environ), 0);
  }
}

}  // namespace
