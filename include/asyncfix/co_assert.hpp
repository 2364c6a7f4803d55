#pragma once
/// @file
/// CO_ASSERT_*: fatal assertions for coroutine bodies, built on public GoogleTest API only.
///
/// gtest's ASSERT_* expand to `return`, which a coroutine cannot use. CO_ASSERT_* record the same
/// fatal failure (through FAIL() in a lambda, so the failure carries your file and line) and then
/// `co_return`. Like ASSERT_* in void functions, use them in coroutines returning awaitable<void>.

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <utility>

namespace asyncfix::assertions::detail {

/// gtest-style comparison result quoting both expressions and both values.
template <class A, class B, class Op>
::testing::AssertionResult compare(const char* op_text, const char* a_text, const char* b_text,
                                   const A& a, const B& b, Op op) {
  if (op(a, b)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "Expected: (" << a_text << ") " << op_text << " (" << b_text
         << "), actual: " << ::testing::PrintToString(a) << " vs " << ::testing::PrintToString(b);
}

/// gtest-style boolean result quoting the expression.
inline ::testing::AssertionResult truth(const char* text, bool value, bool expected) {
  if (value == expected) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "Value of: " << text << "\n  Actual: " << (value ? "true" : "false")
         << "\nExpected: " << (expected ? "true" : "false");
}

/// Collects the streamed message of a failed CO_ASSERT_* before it reports and co_returns.
class CoFailure {
 public:
  explicit CoFailure(std::string assertion) : assertion_(std::move(assertion)) {}
  /// False the first time (the user's `<< ...` is streamed), true the second (report now).
  bool streamed() noexcept { return std::exchange(passes_, passes_ + 1) > 0; }
  ::testing::Message& stream() noexcept { return extra_; }
  [[nodiscard]] std::string text() const {
    std::string extra = extra_.GetString();
    return extra.empty() ? assertion_ : assertion_ + "\n" + extra;
  }

 private:
  std::string assertion_;
  ::testing::Message extra_;
  int passes_ = 0;
};

}  // namespace asyncfix::assertions::detail

// On a failed AssertionResult: record a fatal failure at the caller's file:line with the message
// (plus anything streamed with <<), then co_return. Public gtest API only.
#define ASYNCFIX_CO_ASSERT_RESULT_(result)                                                        \
  switch (0)                                                                                      \
  case 0:                                                                                         \
  default:                                                                                        \
    if (const ::testing::AssertionResult asyncfix_ar_ = (result)) {                               \
    } else                                                                                        \
      for (::asyncfix::assertions::detail::CoFailure asyncfix_failure_(asyncfix_ar_.message());;) \
        if (asyncfix_failure_.streamed()) {                                                       \
          [&] { FAIL() << asyncfix_failure_.text(); }();                                          \
          co_return;                                                                              \
        } else                                                                                    \
          asyncfix_failure_.stream()

// A block that may contain co_await/co_return and, with the caller's `;`, forms one statement
// (safe under an unbraced if/else).
#define ASYNCFIX_BLOCK_BEGIN_                                                \
  switch (0)                                                                 \
  case 0:                                                                    \
  default:                                                                   \
    for (bool asyncfix_once_ = true; asyncfix_once_; asyncfix_once_ = false) \
      if (asyncfix_once_) {
#define ASYNCFIX_BLOCK_END_ \
  }                         \
  else static_cast<void>(0)

#define ASYNCFIX_CO_CMP_(op_text, a, b, op) \
  ASYNCFIX_CO_ASSERT_RESULT_(::asyncfix::assertions::detail::compare(op_text, #a, #b, a, b, op))

/// Fatal in a coroutine: co_returns when `condition` is false.
#define CO_ASSERT_TRUE(condition) \
  ASYNCFIX_CO_ASSERT_RESULT_(     \
      ::asyncfix::assertions::detail::truth(#condition, static_cast<bool>(condition), true))
/// Fatal in a coroutine: co_returns when `condition` is true.
#define CO_ASSERT_FALSE(condition) \
  ASYNCFIX_CO_ASSERT_RESULT_(      \
      ::asyncfix::assertions::detail::truth(#condition, static_cast<bool>(condition), false))
/// Fatal in a coroutine: `a == b`, quoting both expressions and values on failure.
#define CO_ASSERT_EQ(a, b) \
  ASYNCFIX_CO_CMP_("==", a, b, [](const auto& x, const auto& y) { return x == y; })
#define CO_ASSERT_NE(a, b) \
  ASYNCFIX_CO_CMP_("!=", a, b, [](const auto& x, const auto& y) { return x != y; })
#define CO_ASSERT_LT(a, b) \
  ASYNCFIX_CO_CMP_("<", a, b, [](const auto& x, const auto& y) { return x < y; })
#define CO_ASSERT_LE(a, b) \
  ASYNCFIX_CO_CMP_("<=", a, b, [](const auto& x, const auto& y) { return x <= y; })
#define CO_ASSERT_GT(a, b) \
  ASYNCFIX_CO_CMP_(">", a, b, [](const auto& x, const auto& y) { return x > y; })
#define CO_ASSERT_GE(a, b) \
  ASYNCFIX_CO_CMP_(">=", a, b, [](const auto& x, const auto& y) { return x >= y; })

/// Fatal in a coroutine: `statement` (which may contain co_await) throws `exception_type`.
#define CO_ASSERT_THROW(statement, exception_type)                                         \
  ASYNCFIX_BLOCK_BEGIN_                                                                    \
  ::std::string asyncfix_thrown_ = "it throws nothing";                                    \
  try {                                                                                    \
    statement;                                                                             \
  } catch (const exception_type&) {                                                        \
    asyncfix_thrown_.clear();                                                              \
  } catch (const ::std::exception& asyncfix_e_) {                                          \
    asyncfix_thrown_ = ::std::string("it throws a different type: ") + asyncfix_e_.what(); \
  } catch (...) {                                                                          \
    asyncfix_thrown_ = "it throws a different type";                                       \
  }                                                                                        \
  if (!asyncfix_thrown_.empty()) {                                                         \
    [&] {                                                                                  \
      FAIL() << "Expected: " #statement " throws an exception of type " #exception_type    \
                ".\n  Actual: "                                                            \
             << asyncfix_thrown_;                                                          \
    }();                                                                                   \
    co_return;                                                                             \
  }                                                                                        \
  ASYNCFIX_BLOCK_END_

/// Fatal in a coroutine: `statement` (which may contain co_await) throws nothing.
#define CO_ASSERT_NO_THROW(statement)                                              \
  ASYNCFIX_BLOCK_BEGIN_                                                            \
  ::std::string asyncfix_thrown_;                                                  \
  try {                                                                            \
    statement;                                                                     \
  } catch (const ::std::exception& asyncfix_e_) {                                  \
    asyncfix_thrown_ = ::std::string("it throws: ") + asyncfix_e_.what();          \
  } catch (...) {                                                                  \
    asyncfix_thrown_ = "it throws an exception of unknown type";                   \
  }                                                                                \
  if (!asyncfix_thrown_.empty()) {                                                 \
    [&] {                                                                          \
      FAIL() << "Expected: " #statement " doesn't throw an exception.\n  Actual: " \
             << asyncfix_thrown_;                                                  \
    }();                                                                           \
    co_return;                                                                     \
  }                                                                                \
  ASYNCFIX_BLOCK_END_
