// A consumer's tracked test binary: a timer of another io_context awaited on a test's loop fails
// at once as a LoopMismatch naming this file.
#include <asyncfix/asyncfix.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

TEST(TrackedConsumer, AForeignTimerIsALoopMismatchNamingTheLine) {
  using namespace std::chrono_literals;
  boost::asio::io_context other;
  asyncfix::TestLoop loop("TrackedConsumer");
  try {
    loop.run(
        [&]() -> boost::asio::awaitable<void> {
          boost::asio::steady_timer timer(other, 1h);
          co_await timer.async_wait(boost::asio::use_awaitable_t<>());
        }(),
        10s);
    FAIL() << "the foreign wait did not fail";
  } catch (const asyncfix::LoopMismatch& e) {
    EXPECT_EQ(e.kind(), asyncfix::MismatchKind::other_context);
    EXPECT_NE(e.used_site().find("tracked_example_test.cpp:"), std::string::npos) << e.what();
  }
}
