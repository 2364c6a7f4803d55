// Sample 2: the fix. Inject the manager lazily through RedisTest: it connects on first use, on the
// test's own loop, so setup, body and teardown all use one connection on one loop.
#include <asyncfix/asyncfix.hpp>

using namespace std::chrono_literals;

class LazyInjectionSample : public asyncfix::redis::RedisTest {
 protected:
  // Runs on the test's loop, like the body; nothing here can bind to another loop.
  boost::asio::awaitable<void> co_setup() override {
    co_await redis().set(key("config"), "ready", 10s);
  }
};

ASYNC_TEST_F(LazyInjectionSample, ZeroLoopChanges) {
  CO_ASSERT_EQ(co_await redis().get(key("config")), "ready");
  EXPECT_ON_CURRENT_LOOP(redis());
  EXPECT_EQ(redis().stats().loop_changes, 0U);
  EXPECT_EQ(redis().stats().connects, 1U);
}
