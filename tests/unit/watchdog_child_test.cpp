// The watchdog and bounded teardown in a real gtest run (a child process): a hung test fails by
// name with what was pending, and the tests after it still run.
#include "asyncfix_test/child_process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <asyncfix/testing/hard_watchdog.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

/// Runs the failure fixture `Hang.<test>` and then After.StillRuns in a child process; checks that
/// the hang failed that test (exit 1) and that the next test still ran. Returns the output.
std::string run_hang_then_next(const std::string& test,
                               std::chrono::steady_clock::duration* took = nullptr) {
  const auto start = std::chrono::steady_clock::now();
  const auto child = asyncfix_test::run_child(std::string(ASYNCFIX_FAILURE_FIXTURES) +
                                              " --gtest_filter=Hang." + test + ":After.*");
  if (took != nullptr) *took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(child.exit_code, 1) << child.output;
  EXPECT_THAT(child.output, HasSubstr("[  FAILED  ] Hang." + test));
  EXPECT_THAT(child.output, HasSubstr("[       OK ] After.StillRuns"));
  return child.output;
}

TEST(WatchdogChild, AHungBodyFailsByNameAndTheNextTestStillRuns) {
  std::chrono::steady_clock::duration took{};
  const auto output = run_hang_then_next("BodyNeverCompletes", &took);
  EXPECT_THAT(output, HasSubstr("asyncfix watchdog: the body: "
                                "'Hang.BodyNeverCompletes' did not finish within its "
                                "deadline of 300 ms"));
  EXPECT_THAT(output,
              HasSubstr("still pending: task 'idle listener' (spawned); waiting for godot"));
  // The listener prints the loop summary of the failed test.
  EXPECT_THAT(output, HasSubstr("[ asyncfix ] Hang.BodyNeverCompletes: loop="));
  EXPECT_LT(took, std::chrono::seconds(20)) << "the hang must be bounded by the deadline";
}

TEST(WatchdogChild, AHangingTeardownCleanupIsBoundedByTheGrace) {
  const auto output = run_hang_then_next("TeardownCleanupNeverCompletes");
  EXPECT_THAT(output, HasSubstr("teardown cleanup 'close that hangs' did not finish within "
                                "the 200 ms grace and has no fallback"));
}

/// Runs one HardHang fixture (after After.StillRuns) with an XML report; checks the process was
/// ended by the hard watchdog naming the test and phase, in bounded time, with the report written.
void expect_hard_watchdog(const std::string& test, const std::string& phase,
                          const std::string& pending) {
  const auto report = ::testing::TempDir() + "asyncfix_hard_" + test + ".xml";
  std::remove(report.c_str());
  const auto start = std::chrono::steady_clock::now();
  // Bounded from outside too (exit 124): a watchdog that sleeps past its due time must fail here,
  // not hang the suite.
  const auto child = asyncfix_test::run_child(
      "timeout 30 " + std::string(ASYNCFIX_FAILURE_FIXTURES) + " --gtest_filter=After.*:HardHang." +
      test + " --gtest_output=xml:" + report);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(child.exit_code, asyncfix::hard_watchdog_exit_code) << child.output;
  EXPECT_THAT(child.output,
              HasSubstr("asyncfix hard watchdog: 'HardHang." + test + "' is stuck in " + phase));
  EXPECT_THAT(child.output, HasSubstr(pending));
  EXPECT_THAT(child.output, HasSubstr("exit status 86"));
  EXPECT_LT(took, std::chrono::seconds(15)) << "the hard watchdog must bound the hang";
  std::ifstream in(report);
  const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(xml, HasSubstr("<testcase name=\"StillRuns\" status=\"run\""));
  EXPECT_THAT(xml, HasSubstr("<testcase name=\"" + test + "\""));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"asyncfix hard watchdog"));
  EXPECT_THAT(xml, HasSubstr("failures=\"1\""));
}

TEST(WatchdogChild, ABodyThatSwallowsCancellationFailsByItsDeadlineAndTheNextTestRuns) {
  std::chrono::steady_clock::duration took{};
  const auto output = run_hang_then_next("BodySwallowsCancellation", &took);
  EXPECT_THAT(output, HasSubstr("asyncfix watchdog: the body: "
                                "'Hang.BodySwallowsCancellation' did not finish within its "
                                "deadline of 300 ms"));
  EXPECT_THAT(output, HasSubstr("still pending: retrying forever"));
  EXPECT_THAT(output, Not(HasSubstr("hard watchdog")));
  EXPECT_LT(took, std::chrono::seconds(20)) << "the deadline must bound it";
}

TEST(WatchdogChild, ASpawnedTaskThatSwallowsCancellationFailsByNameAndTheNextTestRuns) {
  const auto output = run_hang_then_next("SpawnedTaskSwallowsCancellation");
  EXPECT_THAT(output, HasSubstr("task 'stubborn poller' was still running 200 ms after its "
                                "cancellation, and was abandoned"));
  EXPECT_THAT(output, Not(HasSubstr("hard watchdog")));
  // Abandoned, not left running: no outstanding handler of it after teardown.
  EXPECT_THAT(output, Not(HasSubstr("outstanding handlers")));
}

TEST(HardWatchdogChild, ATeardownCleanupThatBlocksItsThreadEndsTheProcessNamingTheTest) {
  expect_hard_watchdog("TeardownCleanupBlocksItsThread", "teardown", "Pending:");
}

TEST(HardWatchdogChild, ABodyThatBlocksItsThreadEndsTheProcessNamingTheTest) {
  expect_hard_watchdog("BodyBlocksItsThread", "the body", "a blocking sleep");
}

TEST(HardWatchdogChild, TheBodysBoundIsInForceAgainOnceALongerInnerGuardEnds) {
  expect_hard_watchdog("BodyBlocksAfterAnInnerGuardOfAnHourEnded", "the body", "Pending:");
}

TEST(HardWatchdogChild, AShortGuardInsideAnHourLongOneEndsTheProcessOnTime) {
  expect_hard_watchdog("ShortSectionBlocksInsideAnHourLongGuard", "a short section", "Pending:");
}

TEST(HardWatchdogChild, ABodyDeadlockedOnALockTheListingNeedsStillEndsTheProcess) {
  expect_hard_watchdog("BodyDeadlocksHoldingTheLockItsResourceIsDescribedUnder", "the body",
                       "the pending operations could not be listed within 500 ms");
}

}  // namespace
