// The per-test cost of AsyncTest: an empty ASYNC_TEST against an empty TEST, each run many times
// in one process (--gtest_repeat); tools/bench/per_test_cost.sh times both and takes the
// difference. An ASYNC_TEST still gets its fresh loop, its phases, the hard watchdog and its
// report.
#include <asyncfix/asyncfix.hpp>

#include <gtest/gtest.h>

ASYNC_TEST(PerTestCost, EmptyAsyncTest) {
  co_return;
}

TEST(PerTestCostBaseline, EmptyTest) {}
