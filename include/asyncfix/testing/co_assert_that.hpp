#pragma once
/// @file
/// CO_ASSERT_THAT: ASSERT_THAT with gmock matchers, for coroutine bodies (needs gmock).

#include <asyncfix/testing/co_assert.hpp>

#include <gmock/gmock.h>

#include <sstream>

namespace asyncfix::assertions::detail {

/// `value` against `matcher`, worded as gmock's ASSERT_THAT: what was expected, what it was, and
/// the matcher's explanation.
template <class T, class M>
::testing::AssertionResult matches(const char* value_text, const T& value, const M& matcher) {
  const ::testing::Matcher<const T&> typed = ::testing::SafeMatcherCast<const T&>(matcher);
  ::testing::StringMatchResultListener listener;
  if (typed.MatchAndExplain(value, &listener)) return ::testing::AssertionSuccess();
  std::ostringstream expected;
  typed.DescribeTo(&expected);
  ::testing::AssertionResult failure = ::testing::AssertionFailure();
  failure << "Value of: " << value_text << "\nExpected: " << expected.str()
          << "\n  Actual: " << ::testing::PrintToString(value);
  if (!listener.str().empty()) failure << ", " << listener.str();
  return failure;
}

}  // namespace asyncfix::assertions::detail

/// Fatal in a coroutine: ASSERT_THAT(value, matcher); `value` may contain co_await.
///
///     CO_ASSERT_THAT(co_await redis().get(key("k")), ::testing::Optional(::testing::Eq("v")));
#define CO_ASSERT_THAT(value, matcher) \
  CO_ASSERT_RESULT(::asyncfix::assertions::detail::matches(#value, value, matcher))
