// Must compile: the CO_ forms in bodies; ASSERT_* in a lambda, in gtest-spi and in TEST bodies.
#include <asyncfix/asyncfix.hpp>

#include <gtest/gtest-spi.h>

ASYNC_TEST(Allowed, CoFormsAndLambdas) {
  CO_ASSERT_EQ(1 + 1, 2) << "context";
  [] { ASSERT_EQ(1 + 1, 2); }();
  EXPECT_FATAL_FAILURE({ ASSERT_EQ(1, 2); }, "Expected equality");
  if (false) CO_SKIP() << "never";
  co_return;
}

TEST(Allowed, PlainTest) {
  ASSERT_EQ(1 + 1, 2);
  if (false) GTEST_SKIP() << "never";
  FAIL() << "never reached at run time; compiled only";
}
