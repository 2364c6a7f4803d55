#pragma once
/// @file
/// CO_ASSERT_*: fatal assertions for coroutine bodies, built on public GoogleTest API only.
///
/// gtest's ASSERT_* expand to `return`, which a coroutine cannot use. CO_ASSERT_* record the same
/// fatal failure (through FAIL() in a lambda, so the failure carries your file and line) and then
/// `co_return`. Like ASSERT_* in void functions, use them in coroutines returning awaitable<void>.

#include <gtest/gtest.h>

#include <initializer_list>
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
  /// What was streamed with <<, without the assertion's message.
  [[nodiscard]] std::string stream_text() const { return extra_.GetString(); }
  [[nodiscard]] std::string text() const {
    std::string extra = extra_.GetString();
    return extra.empty() ? assertion_ : assertion_ + "\n" + extra;
  }

 private:
  std::string assertion_;
  ::testing::Message extra_;
  int passes_ = 0;
};

/// gtest-style predicate result: `pred(a, b) evaluates to false, where` and each argument's value.
template <class Pred, class... Args>
::testing::AssertionResult predicate(const char* pred_text,
                                     std::initializer_list<const char*> arg_texts, const Pred& pred,
                                     const Args&... args) {
  if (pred(args...)) return ::testing::AssertionSuccess();
  ::testing::AssertionResult failure = ::testing::AssertionFailure();
  failure << pred_text << "(";
  const char* separator = "";
  for (const char* text : arg_texts) {
    failure << separator << text;
    separator = ", ";
  }
  failure << ") evaluates to false, where";
  auto text = arg_texts.begin();
  ((failure << "\n" << *text++ << " evaluates to " << ::testing::PrintToString(args)), ...);
  return failure;
}

/// C strings compared as ASSERT_STREQ and friends do (two null pointers are equal).
::testing::AssertionResult c_strings(const char* op_text, const char* a_text, const char* b_text,
                                     const char* a, const char* b, bool ignore_case,
                                     bool expect_equal);

/// Floating-point equality within 4 ULPs, as ASSERT_FLOAT_EQ / ASSERT_DOUBLE_EQ.
::testing::AssertionResult almost_equal(const char* a_text, const char* b_text, double a, double b,
                                        bool as_float);

/// |a - b| <= abs_error, as ASSERT_NEAR.
::testing::AssertionResult near(const char* a_text, const char* b_text, const char* error_text,
                                double a, double b, double abs_error);

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

/// Fatal in a coroutine: co_returns when `result` (any ::testing::AssertionResult, e.g. from a
/// predicate-formatter of your own) is a failure, reporting its message. The one mechanism every
/// CO_ASSERT_* below is built on; stream context with <<.
#define CO_ASSERT_RESULT(result) ASYNCFIX_CO_ASSERT_RESULT_(result)

/// Fatal in a coroutine: ASSERT_STREQ (C strings equal; two null pointers are equal).
#define CO_ASSERT_STREQ(a, b) \
  CO_ASSERT_RESULT(::asyncfix::assertions::detail::c_strings("==", #a, #b, a, b, false, true))
/// Fatal in a coroutine: ASSERT_STRNE.
#define CO_ASSERT_STRNE(a, b) \
  CO_ASSERT_RESULT(::asyncfix::assertions::detail::c_strings("!=", #a, #b, a, b, false, false))
/// Fatal in a coroutine: ASSERT_STRCASEEQ (equal ignoring case).
#define CO_ASSERT_STRCASEEQ(a, b) \
  CO_ASSERT_RESULT(               \
      ::asyncfix::assertions::detail::c_strings("== (ignoring case)", #a, #b, a, b, true, true))
/// Fatal in a coroutine: ASSERT_STRCASENE.
#define CO_ASSERT_STRCASENE(a, b) \
  CO_ASSERT_RESULT(               \
      ::asyncfix::assertions::detail::c_strings("!= (ignoring case)", #a, #b, a, b, true, false))

/// Fatal in a coroutine: ASSERT_FLOAT_EQ (within 4 ULPs as floats).
#define CO_ASSERT_FLOAT_EQ(a, b) \
  CO_ASSERT_RESULT(::asyncfix::assertions::detail::almost_equal(#a, #b, a, b, true))
/// Fatal in a coroutine: ASSERT_DOUBLE_EQ (within 4 ULPs).
#define CO_ASSERT_DOUBLE_EQ(a, b) \
  CO_ASSERT_RESULT(::asyncfix::assertions::detail::almost_equal(#a, #b, a, b, false))
/// Fatal in a coroutine: ASSERT_NEAR (|a - b| <= abs_error).
#define CO_ASSERT_NEAR(a, b, abs_error) \
  CO_ASSERT_RESULT(::asyncfix::assertions::detail::near(#a, #b, #abs_error, a, b, abs_error))

/// Fatal in a coroutine: ASSERT_PRED1..5 (`pred(args...)` is true), quoting each argument.
#define CO_ASSERT_PRED1(pred, v1) \
  CO_ASSERT_RESULT(::asyncfix::assertions::detail::predicate(#pred, {#v1}, pred, v1))
#define CO_ASSERT_PRED2(pred, v1, v2) \
  CO_ASSERT_RESULT(::asyncfix::assertions::detail::predicate(#pred, {#v1, #v2}, pred, v1, v2))
#define CO_ASSERT_PRED3(pred, v1, v2, v3) \
  CO_ASSERT_RESULT(                       \
      ::asyncfix::assertions::detail::predicate(#pred, {#v1, #v2, #v3}, pred, v1, v2, v3))
#define CO_ASSERT_PRED4(pred, v1, v2, v3, v4)                                                   \
  CO_ASSERT_RESULT(::asyncfix::assertions::detail::predicate(#pred, {#v1, #v2, #v3, #v4}, pred, \
                                                             v1, v2, v3, v4))
#define CO_ASSERT_PRED5(pred, v1, v2, v3, v4, v5)                                              \
  CO_ASSERT_RESULT(::asyncfix::assertions::detail::predicate(#pred, {#v1, #v2, #v3, #v4, #v5}, \
                                                             pred, v1, v2, v3, v4, v5))

/// Fatal in a coroutine: ASSERT_PRED_FORMAT1..5 (`pred_format("v1", ..., v1, ...)` returns a
/// successful ::testing::AssertionResult).
#define CO_ASSERT_PRED_FORMAT1(pred_format, v1) CO_ASSERT_RESULT(pred_format(#v1, v1))
#define CO_ASSERT_PRED_FORMAT2(pred_format, v1, v2) CO_ASSERT_RESULT(pred_format(#v1, #v2, v1, v2))
#define CO_ASSERT_PRED_FORMAT3(pred_format, v1, v2, v3) \
  CO_ASSERT_RESULT(pred_format(#v1, #v2, #v3, v1, v2, v3))
#define CO_ASSERT_PRED_FORMAT4(pred_format, v1, v2, v3, v4) \
  CO_ASSERT_RESULT(pred_format(#v1, #v2, #v3, #v4, v1, v2, v3, v4))
#define CO_ASSERT_PRED_FORMAT5(pred_format, v1, v2, v3, v4, v5) \
  CO_ASSERT_RESULT(pred_format(#v1, #v2, #v3, #v4, #v5, v1, v2, v3, v4, v5))

/// FAIL() in a coroutine: a fatal failure, then co_return.
#define CO_FAIL() CO_ASSERT_RESULT(::testing::AssertionFailure() << "Failed")

/// GTEST_SKIP() in a coroutine: the test is reported as skipped (with what you stream), then
/// co_return; teardown still runs.
#define CO_SKIP()                                                                   \
  switch (0)                                                                        \
  case 0:                                                                           \
  default:                                                                          \
    for (::asyncfix::assertions::detail::CoFailure asyncfix_skip_(std::string{});;) \
      if (asyncfix_skip_.streamed()) {                                              \
        [&] { GTEST_SKIP() << asyncfix_skip_.stream_text(); }();                    \
        co_return;                                                                  \
      } else                                                                        \
        asyncfix_skip_.stream()
