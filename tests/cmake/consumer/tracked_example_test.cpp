// A consumer's tracked test binary: a timer of another io_context awaited on a test's loop fails
// at once as a LoopMismatch naming the line of its co_await, with the plain token.
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
  static int line = 0;
  try {
    loop.run(
        [&]() -> boost::asio::awaitable<void> {
          boost::asio::steady_timer timer(other, 1h);
          line = __LINE__ + 1;
          co_await timer.async_wait(boost::asio::use_awaitable);
        }(),
        10s);
    FAIL() << "the foreign wait did not fail";
  } catch (const asyncfix::LoopMismatch& e) {
    EXPECT_EQ(e.kind(), asyncfix::MismatchKind::other_context);
    const std::string site = "tracked_example_test.cpp:" + std::to_string(line);
    EXPECT_TRUE(e.used_site().ends_with("/" + site)) << e.what();
  }
}
