#pragma once
/// @file
/// Turns ASSERT_*, FAIL() and GTEST_SKIP() written directly in a coroutine body (co_body,
/// co_setup, co_teardown) into a compile error that names the CO_ form, instead of g++'s "a
/// 'return' statement is not allowed in coroutine". gtest's fatal macros end in `return`, which
/// a coroutine cannot do; in a lambda or a gtest-spi statement inside a body they stay allowed.

#include <gtest/gtest.h>

#include <string_view>

namespace asyncfix::detail {

/// True for the names of the coroutines asyncfix runs as a test's phases.
constexpr bool is_coroutine_phase(std::string_view function) noexcept {
  return function == "co_body" || function == "co_setup" || function == "co_teardown";
}

/// Compiles to nothing, unless `InCoroutine`: then the error says what to write instead. A class
/// (its sizeof is taken) so that the error comes at once, before g++'s own about the `return`.
template <bool InCoroutine>
struct FatalAssertionCheck {
  static_assert(!InCoroutine,
                "asyncfix: ASSERT_*, FAIL() and GTEST_SKIP() return from the function, which a "
                "coroutine body cannot do: use CO_ASSERT_*, CO_FAIL() or CO_SKIP() there "
                "(EXPECT_* work as they are)");
};

}  // namespace asyncfix::detail

// gtest 1.12's definitions, with the check in front (same statement shape: `<< message` streams
// into the last operand). __func__ is the enclosing function's name, a constant expression.
#if defined(GTEST_FATAL_FAILURE_) && defined(GTEST_SKIP_)
#undef GTEST_FATAL_FAILURE_
#define GTEST_FATAL_FAILURE_(message)                                     \
  return (void)sizeof(::asyncfix::detail::FatalAssertionCheck<            \
                      ::asyncfix::detail::is_coroutine_phase(__func__)>), \
         GTEST_MESSAGE_(message, ::testing::TestPartResult::kFatalFailure)
#undef GTEST_SKIP_
#define GTEST_SKIP_(message)                                              \
  return (void)sizeof(::asyncfix::detail::FatalAssertionCheck<            \
                      ::asyncfix::detail::is_coroutine_phase(__func__)>), \
         GTEST_MESSAGE_(message, ::testing::TestPartResult::kSkip)
#endif
