#pragma once
/// @file
/// GoogleTest assertions about loops: EXPECT_ON_CURRENT_LOOP, ASSERT_ON_CURRENT_LOOP,
/// CO_ASSERT_ON_CURRENT_LOOP, EXPECT_SAME_LOOP, EXPECT_LOOP_MISMATCH, EXPECT_NO_LOOP_MISMATCH.

#include <asyncfix/affinity/loop_affinity.hpp>
#include <asyncfix/affinity/loop_mismatch.hpp>
#include <asyncfix/testing/co_assert.hpp>

#include <gtest/gtest.h>

#include <concepts>
#include <source_location>
#include <string>

namespace asyncfix::assertions {

/// Anything that is a LoopAffinity or has `affinity()` returning one (RedisManager,
/// LazyResource, your own resources).
template <class T>
concept HasAffinity = requires(const T& x) {
  { x.affinity() } -> std::convertible_to<LoopAffinity>;
};

/// Predicate-formatter: `x` is bound to the loop running on this thread; a mismatch names `where`
/// as the use site.
::testing::AssertionResult assert_on_current_loop(
    const char* text, const LoopAffinity& affinity,
    std::source_location where = std::source_location::current());

template <HasAffinity T>
::testing::AssertionResult assert_on_current_loop(
    const char* text, const T& x, std::source_location where = std::source_location::current()) {
  return assert_on_current_loop(text, LoopAffinity(x.affinity()), where);
}

/// assert_on_current_loop() as a predicate-formatter object carrying the assertion's own line (what
/// EXPECT_ON_CURRENT_LOOP passes to gtest).
struct OnCurrentLoopAt {
  std::source_location where;
  template <class T>
  ::testing::AssertionResult operator()(const char* text, const T& x) const {
    return assert_on_current_loop(text, x, where);
  }
};

/// Predicate-formatter: `a` and `b` are bound to the same loop.
::testing::AssertionResult assert_same_loop(const char* a_text, const char* b_text,
                                            const LoopAffinity& a, const LoopAffinity& b);

template <HasAffinity A, HasAffinity B>
::testing::AssertionResult assert_same_loop(const char* a_text, const char* b_text, const A& a,
                                            const B& b) {
  return assert_same_loop(a_text, b_text, LoopAffinity(a.affinity()), LoopAffinity(b.affinity()));
}

}  // namespace asyncfix::assertions

/// Non-fatal: `x` (a LoopAffinity or anything with affinity()) is bound to the running loop.
#define EXPECT_ON_CURRENT_LOOP(x) \
  EXPECT_PRED_FORMAT1(::asyncfix::assertions::OnCurrentLoopAt{std::source_location::current()}, x)
/// Fatal (returns) in ordinary functions; in coroutines use CO_ASSERT_ON_CURRENT_LOOP.
#define ASSERT_ON_CURRENT_LOOP(x) \
  ASSERT_PRED_FORMAT1(::asyncfix::assertions::OnCurrentLoopAt{std::source_location::current()}, x)
/// Fatal (co_returns) in coroutines.
#define CO_ASSERT_ON_CURRENT_LOOP(x) \
  ASYNCFIX_CO_ASSERT_RESULT_(        \
      ::asyncfix::assertions::assert_on_current_loop(#x, x, std::source_location::current()))
/// Non-fatal: `a` and `b` are bound to the same loop.
#define EXPECT_SAME_LOOP(a, b) EXPECT_PRED_FORMAT2(::asyncfix::assertions::assert_same_loop, a, b)

/// Non-fatal: `statement` (may contain co_await) throws asyncfix::LoopMismatch.
#define EXPECT_LOOP_MISMATCH(statement)                                                      \
  ASYNCFIX_BLOCK_BEGIN_                                                                      \
  ::std::string asyncfix_outcome_ = "it throws nothing";                                     \
  try {                                                                                      \
    statement;                                                                               \
  } catch (const ::asyncfix::LoopMismatch&) {                                                \
    asyncfix_outcome_.clear();                                                               \
  } catch (const ::std::exception& asyncfix_e_) {                                            \
    asyncfix_outcome_ = ::std::string("it throws another exception: ") + asyncfix_e_.what(); \
  } catch (...) {                                                                            \
    asyncfix_outcome_ = "it throws an exception of unknown type";                            \
  }                                                                                          \
  if (!asyncfix_outcome_.empty())                                                            \
    ADD_FAILURE() << "Expected: " #statement " throws asyncfix::LoopMismatch.\n  Actual: "   \
                  << asyncfix_outcome_;                                                      \
  ASYNCFIX_BLOCK_END_

/// Non-fatal: `statement` (may contain co_await) does not throw asyncfix::LoopMismatch. Other
/// exceptions propagate.
#define EXPECT_NO_LOOP_MISMATCH(statement)                                                         \
  ASYNCFIX_BLOCK_BEGIN_                                                                            \
  ::std::string asyncfix_outcome_;                                                                 \
  try {                                                                                            \
    statement;                                                                                     \
  } catch (const ::asyncfix::LoopMismatch& asyncfix_e_) {                                          \
    asyncfix_outcome_ = asyncfix_e_.what();                                                        \
  }                                                                                                \
  if (!asyncfix_outcome_.empty())                                                                  \
    ADD_FAILURE() << "Expected: " #statement " does not throw asyncfix::LoopMismatch.\n  Actual: " \
                  << asyncfix_outcome_;                                                            \
  ASYNCFIX_BLOCK_END_
