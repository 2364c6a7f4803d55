// Sample 6: the hang above fails with the watchdog's message, naming the test and the pending
// Redis command, within the deadline, and the process goes on to report it. A failure path is
// tested from outside: asyncfix::run_child() runs the failing binary and returns how it ended.
#include <asyncfix/testing/child_run.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

TEST(WatchdogSample, AHangFailsByNameWithThePendingCommand) {
  // The child demonstrates a hang on a server of its own: a fault matrix's proxy and in-process
  // faults given to this test are not passed on, since they would turn the hang into another
  // failure.
  const auto child = asyncfix::run_child({.argv = {ASYNCFIX_SAMPLE_HANG},
                                          .env = {},
                                          .unset_env = {"ASYNCFIX_FAULTS", "ASYNCFIX_REDIS_URL"},
                                          .bound = std::chrono::seconds(30)});
  EXPECT_EQ(child.exit_code, 1) << child.output;
  EXPECT_THAT(child.output, ::testing::HasSubstr("asyncfix watchdog: the body: "
                                                 "'HangOnPurpose.BlpopOnAnEmptyList' did not "
                                                 "finish within its deadline of 500 ms"));
  EXPECT_THAT(child.output, ::testing::HasSubstr("still pending: redis BLPOP afx:"));
  EXPECT_THAT(child.output, ::testing::HasSubstr("[  FAILED  ] HangOnPurpose.BlpopOnAnEmptyList"));
}
