// asyncfix::run_child(), the public way to test a failure path from outside: how the child ended,
// what it printed, the environment it got, and the bound.
#include <asyncfix/testing/child_run.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdlib.h>

#include <chrono>

namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

TEST(RunChild, ReturnsTheExitStatusAndBothStreamsInterleaved) {
  const auto child = asyncfix::run_child(
      {.argv = {"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, .env = {}, .unset_env = {}});
  EXPECT_EQ(child.exit_code, 3);
  EXPECT_EQ(child.output, "out\nerr\n");
}

TEST(RunChild, SetsAndRemovesEnvironmentEntriesWithoutTouchingItsArgv) {
  ::setenv("ASYNCFIX_RUN_CHILD_DROPPED", "here", 1);
  const auto child = asyncfix::run_child(
      {.argv = {"/bin/sh", "-c",
                "echo \"set=$ASYNCFIX_RUN_CHILD_SET dropped=${ASYNCFIX_RUN_CHILD_DROPPED-none}\""},
       .env = {{"ASYNCFIX_RUN_CHILD_SET", "s3cret"}},
       .unset_env = {"ASYNCFIX_RUN_CHILD_DROPPED"}});
  ::unsetenv("ASYNCFIX_RUN_CHILD_DROPPED");
  EXPECT_EQ(child.exit_code, 0);
  EXPECT_EQ(child.output, "set=s3cret dropped=none\n");
}

TEST(RunChild, AChildPastItsBoundIsEndedAndReportedBySignal) {
  const auto start = std::chrono::steady_clock::now();
  const auto child = asyncfix::run_child(
      {.argv = {"/bin/sh", "-c", "sleep 30"}, .env = {}, .unset_env = {}, .bound = 200ms});
  EXPECT_EQ(child.exit_code, 128 + 15) << "SIGTERM ends it";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(RunChild, AProgramThatCannotStartIsMinusOneWithTheReason) {
  const auto child =
      asyncfix::run_child({.argv = {"/nonexistent/asyncfix-no-such-program"}, .env = {}});
  EXPECT_EQ(child.exit_code, -1);
  EXPECT_THAT(child.output, HasSubstr("run_child: "));
  EXPECT_THAT(child.output, HasSubstr("/nonexistent/asyncfix-no-such-program"));
}

TEST(RunChild, AnEmptyArgvIsMinusOneWithTheReason) {
  const auto child = asyncfix::run_child({});
  EXPECT_EQ(child.exit_code, -1);
  EXPECT_THAT(child.output, HasSubstr("empty argv"));
  EXPECT_THAT(child.output, Not(HasSubstr("\n\n")));
}

}  // namespace
