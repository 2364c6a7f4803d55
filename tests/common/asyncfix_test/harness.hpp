#pragma once
// Drives an AsyncTest's phases by hand inside another test, so its failures can be asserted with
// gtest-spi (EXPECT_FATAL_FAILURE / EXPECT_NONFATAL_FAILURE).
#include <asyncfix/asyncfix.hpp>

#include <functional>

namespace asyncfix_test {

/// An AsyncTest whose body is a function set by the test.
class Harness : public asyncfix::AsyncTest {
 public:
  using Body = std::function<boost::asio::awaitable<void>(Harness&)>;
  Harness(asyncfix::AsyncOptions options, Body body)
      : asyncfix::AsyncTest(options), body_(std::move(body)) {}
  using asyncfix::AsyncTest::SetUp;
  using asyncfix::AsyncTest::TearDown;
  using asyncfix::AsyncTest::TestBody;

  /// SetUp, the body (unless setup failed fatally) and TearDown, as gtest would.
  void run_all() {
    SetUp();
    if (!setup_failed()) TestBody();
    TearDown();
  }

 protected:
  boost::asio::awaitable<void> co_body() override { return body_(*this); }

 private:
  Body body_;
};

/// Short limits so failure-path tests finish quickly.
inline asyncfix::AsyncOptions quick_options() {
  asyncfix::AsyncOptions options;
  options.deadline = std::chrono::milliseconds(150);
  options.teardown_grace = std::chrono::milliseconds(150);
  return options;
}

/// Set to true by a test body on its last line; run_body() clears it first. It tells whether a
/// coroutine went on past an assertion.
inline bool reached_end = false;

/// Runs `body` in a Harness with quick_options(), to completion.
inline void run_body(Harness::Body body) {
  reached_end = false;
  Harness harness(quick_options(), std::move(body));
  harness.run_all();
}

}  // namespace asyncfix_test
