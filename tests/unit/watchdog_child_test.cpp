// The watchdog and bounded teardown in a real gtest run (a child process): a hung test fails by
// name with what was pending, and the tests after it still run.
#include "child_process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace {

using ::testing::HasSubstr;

TEST(WatchdogChild, AHungBodyFailsByNameAndTheNextTestStillRuns) {
  const auto start = std::chrono::steady_clock::now();
  const auto child = asyncfix_test::run_child(std::string(ASYNCFIX_FAILURE_FIXTURES) +
                                              " --gtest_filter=Hang.BodyNeverCompletes:After.*");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(child.exit_code, 1) << child.output;
  EXPECT_THAT(child.output, HasSubstr("asyncfix watchdog: the body: asyncfix: "
                                      "'Hang.BodyNeverCompletes' did not finish within its "
                                      "deadline of 300 ms"));
  EXPECT_THAT(child.output, HasSubstr("still pending: waiting for godot"));
  EXPECT_THAT(child.output, HasSubstr("[  FAILED  ] Hang.BodyNeverCompletes"));
  EXPECT_THAT(child.output, HasSubstr("[       OK ] After.StillRuns"));
  // The listener prints the loop summary of the failed test.
  EXPECT_THAT(child.output, HasSubstr("[ asyncfix ] Hang.BodyNeverCompletes: loop="));
  EXPECT_LT(took, std::chrono::seconds(20)) << "the hang must be bounded by the deadline";
}

TEST(WatchdogChild, AHangingTeardownCleanupIsBoundedByTheGrace) {
  const auto child =
      asyncfix_test::run_child(std::string(ASYNCFIX_FAILURE_FIXTURES) +
                               " --gtest_filter=Hang.TeardownCleanupNeverCompletes:After.*");
  EXPECT_EQ(child.exit_code, 1) << child.output;
  EXPECT_THAT(child.output, HasSubstr("teardown cleanup 'close that hangs' did not finish within "
                                      "the 200 ms grace and has no fallback"));
  EXPECT_THAT(child.output, HasSubstr("[  FAILED  ] Hang.TeardownCleanupNeverCompletes"));
  EXPECT_THAT(child.output, HasSubstr("[       OK ] After.StillRuns"));
}

}  // namespace
