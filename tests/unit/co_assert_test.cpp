// CO_ASSERT_*: pass silently, fail fatally with gtest-style messages, stop the coroutine.
#include "asyncfix_test/harness.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace {

using asyncfix_test::Harness;
using asyncfix_test::quick_options;
using asyncfix_test::reached_end;
using asyncfix_test::run_body;
using boost::asio::awaitable;

TEST(CoAssert, PassingAssertionsLetTheBodyContinue) {
  run_body([](Harness&) -> awaitable<void> {
    int one = 1;
    CO_ASSERT_TRUE(one == 1);
    CO_ASSERT_FALSE(one == 2);
    CO_ASSERT_EQ(one, 1);
    CO_ASSERT_NE(one, 2);
    CO_ASSERT_LT(one, 2);
    CO_ASSERT_LE(one, 1);
    CO_ASSERT_GT(one, 0);
    CO_ASSERT_GE(one, 1);
    CO_ASSERT_THROW(throw std::out_of_range("x"), std::out_of_range);
    CO_ASSERT_NO_THROW((void)one);
    reached_end = true;
    co_return;
  });
  EXPECT_TRUE(reached_end);
}

TEST(CoAssert, EqFailsFatallyQuotingExpressionsAndValuesAndStops) {
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         const int answer = 41;
                         CO_ASSERT_EQ(answer, 42) << "the answer drifted";
                         reached_end = true;
                         co_return;
                       }),
                       "Expected: (answer) == (42), actual: 41 vs 42\nthe answer drifted");
  EXPECT_FALSE(reached_end);
}

TEST(CoAssert, EachComparisonFails) {
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_TRUE(1 == 2);
                         co_return;
                       }),
                       "Value of: 1 == 2");
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_FALSE(true);
                         co_return;
                       }),
                       "Value of: true");
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_NE(3, 3);
                         co_return;
                       }),
                       "(3) != (3)");
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_LT(3, 2);
                         co_return;
                       }),
                       "(3) < (2)");
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_LE(3, 2);
                         co_return;
                       }),
                       "(3) <= (2)");
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_GT(1, 2);
                         co_return;
                       }),
                       "(1) > (2)");
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_GE(1, 2);
                         co_return;
                       }),
                       "(1) >= (2)");
}

TEST(CoAssert, ThrowAndNoThrowFail) {
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_THROW((void)0, std::runtime_error);
                         reached_end = true;
                         co_return;
                       }),
                       "it throws nothing");
  EXPECT_FALSE(reached_end);
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_THROW(throw std::logic_error("wrong"), std::runtime_error);
                         co_return;
                       }),
                       "it throws a different type: wrong");
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_NO_THROW(throw std::runtime_error("kaput"));
                         co_return;
                       }),
                       "it throws: kaput");
}

TEST(CoAssert, OnCurrentLoopFailsForAResourceOfAnotherLoop) {
  static asyncfix::LoopAffinity elsewhere;
  asyncfix::TestLoop other("CoAssert.Other");
  elsewhere = other.run([]() -> awaitable<asyncfix::LoopAffinity> {
    asyncfix::LoopAffinity a("other thing");
    a.bind_current();
    co_return a;
  }());
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_ON_CURRENT_LOOP(elsewhere);
                         reached_end = true;
                         co_return;
                       }),
                       "'CoAssert.Other'");
  EXPECT_FALSE(reached_end);
}

TEST(CoAssert, IsSafeUnderAnUnbracedIfElse) {
  run_body([](Harness&) -> awaitable<void> {
    bool flag = true;
    if (flag)
      CO_ASSERT_TRUE(flag);
    else
      CO_ASSERT_FALSE(flag);
    reached_end = true;
    co_return;
  });
  EXPECT_TRUE(reached_end);
}

}  // namespace
