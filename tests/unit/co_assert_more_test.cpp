// The rest of GoogleTest's fatal assertions in coroutines: CO_ASSERT_THAT, the C-string,
// floating-point and predicate forms, CO_FAIL, CO_SKIP, and the generic CO_ASSERT_RESULT.
#include "asyncfix_test/harness.hpp"

#include <asyncfix/testing/co_assert_that.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

using asyncfix_test::Harness;
using asyncfix_test::quick_options;
using asyncfix_test::reached_end;
using asyncfix_test::run_body;
using boost::asio::awaitable;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

awaitable<std::optional<std::string>> fetch(std::string value) {
  co_return value;
}

bool is_even(int n) {
  return n % 2 == 0;
}
bool sums_to(int a, int b, int c, int d, int total) {
  return a + b + c + d == total;
}

::testing::AssertionResult same_length(const char* a_text, const char* b_text, const std::string& a,
                                       const std::string& b) {
  if (a.size() == b.size()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a_text << " and " << b_text << " differ in length";
}

TEST(CoAssertMore, PassingFormsLetTheBodyContinue) {
  run_body([](Harness&) -> awaitable<void> {
    CO_ASSERT_THAT((std::vector<int>{1, 2}), ElementsAre(1, 2));
    CO_ASSERT_STREQ("abc", "abc");
    CO_ASSERT_STRNE("abc", "abd");
    CO_ASSERT_STRCASEEQ("ABC", "abc");
    CO_ASSERT_STRCASENE("ABC", "abd");
    const char* none = nullptr;
    CO_ASSERT_STREQ(none, nullptr);
    CO_ASSERT_FLOAT_EQ(0.1f + 0.2f, 0.3f);
    CO_ASSERT_DOUBLE_EQ(0.1 + 0.2, 0.3);
    CO_ASSERT_NEAR(1.0, 1.05, 0.1);
    CO_ASSERT_PRED1(is_even, 4);
    CO_ASSERT_PRED5(sums_to, 1, 2, 3, 4, 10);
    CO_ASSERT_PRED_FORMAT2(same_length, std::string("ab"), std::string("cd"));
    CO_ASSERT_RESULT(::testing::AssertionSuccess());
    reached_end = true;
  });
  EXPECT_TRUE(reached_end);
}

TEST(CoAssertMore, ThatTakesCoAwaitInItsValue) {
  run_body([](Harness&) -> awaitable<void> {
    CO_ASSERT_THAT(co_await fetch("v"), ::testing::Optional(::testing::Eq("v")));
    reached_end = true;
  });
  EXPECT_TRUE(reached_end);
}

TEST(CoAssertMore, ThatFailsLikeAssertThatAndStops) {
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         const std::string v = "v";
                         CO_ASSERT_THAT(co_await fetch("x"), ::testing::Optional(v))
                             << "the cached value";
                         reached_end = true;
                       }),
                       "Value of: co_await fetch(\"x\")\nExpected: value is equal to \"v\"\n  "
                       "Actual: (\"x\"), whose value \"x\" doesn't match\nthe cached value");
  EXPECT_FALSE(reached_end);
  EXPECT_FATAL_FAILURE(
      run_body([](Harness&) -> awaitable<void> {
        CO_ASSERT_THAT((std::vector<int>{1, 3}), ElementsAre(1, 2)) << "the cached value";
      }),
      "whose element #1 doesn't match\nthe cached value");
}

TEST(CoAssertMore, StringFormsFailQuotingBothStrings) {
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_STREQ("abc", "abd");
                         reached_end = true;
                       }),
                       "Expected: (\"abc\") == (\"abd\"), actual: \"abc\" vs \"abd\"");
  EXPECT_FALSE(reached_end);
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         const char* none = nullptr;
                         CO_ASSERT_STREQ(none, "x");
                       }),
                       "actual: NULL vs \"x\"");
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> { CO_ASSERT_STRNE("abc", "abc"); }),
                       "!=");
  EXPECT_FATAL_FAILURE(
      run_body([](Harness&) -> awaitable<void> { CO_ASSERT_STRCASEEQ("abc", "abd"); }),
      "== (ignoring case)");
  EXPECT_FATAL_FAILURE(
      run_body([](Harness&) -> awaitable<void> { CO_ASSERT_STRCASENE("ABC", "abc"); }),
      "!= (ignoring case)");
}

TEST(CoAssertMore, FloatingPointFormsFail) {
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_FLOAT_EQ(1.0f, 1.001f);
                         reached_end = true;
                       }),
                       "Expected: (1.0f) == (1.001f) within 4 ULPs as floats");
  EXPECT_FALSE(reached_end);
  EXPECT_FATAL_FAILURE(
      run_body([](Harness&) -> awaitable<void> { CO_ASSERT_DOUBLE_EQ(1.0, 1.0000001); }),
      "within 4 ULPs, actual: 1 vs 1.0000001");
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         const double expected = 2.0;
                         CO_ASSERT_NEAR(1.0, expected, 0.5);
                       }),
                       "The difference between 1.0 and expected is 1, which exceeds 0.5");
}

TEST(CoAssertMore, PredicateFormsQuoteEachArgument) {
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         const int odd = 3;
                         CO_ASSERT_PRED1(is_even, odd) << "needs pairs";
                         reached_end = true;
                       }),
                       "is_even(odd) evaluates to false, where\nodd evaluates to 3\nneeds pairs");
  EXPECT_FALSE(reached_end);
  EXPECT_FATAL_FAILURE(
      run_body([](Harness&) -> awaitable<void> { CO_ASSERT_PRED5(sums_to, 1, 2, 3, 4, 11); }),
      "sums_to(1, 2, 3, 4, 11) evaluates to false");
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_ASSERT_PRED_FORMAT2(same_length, std::string("a"), std::string("bc"));
                       }),
                       "std::string(\"a\") and std::string(\"bc\") differ in length");
}

TEST(CoAssertMore, FailStopsWithItsMessage) {
  EXPECT_FATAL_FAILURE(run_body([](Harness&) -> awaitable<void> {
                         CO_FAIL() << "unreachable branch";
                         reached_end = true;
                       }),
                       "Failed\nunreachable branch");
  EXPECT_FALSE(reached_end);
}

TEST(CoAssertMore, SkipReportsTheTestSkippedWithItsMessageAndStops) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    run_body([](Harness&) -> awaitable<void> {
      CO_SKIP() << "needs redis 7.2";
      reached_end = true;
    });
  }
  EXPECT_FALSE(reached_end);
  ASSERT_EQ(results.size(), 1);
  EXPECT_TRUE(results.GetTestPartResult(0).skipped());
  EXPECT_THAT(results.GetTestPartResult(0).message(), HasSubstr("needs redis 7.2"));
}

}  // namespace

// The skip as gtest reports it, in a test of its own.
ASYNC_TEST(CoSkip, MarksTheTestSkipped) {
  CO_SKIP() << "shown as skipped";
  ADD_FAILURE() << "CO_SKIP() must stop the body";
}
