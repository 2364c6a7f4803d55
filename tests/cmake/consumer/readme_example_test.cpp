#include <asyncfix/asyncfix.hpp>

using namespace std::chrono_literals;

// A fixture of your own: Redis is injected lazily and connects on this test's loop.
class SessionStoreTest : public asyncfix::redis::RedisTest {
 protected:
  boost::asio::awaitable<void> co_setup() override {
    co_await redis().set(key("session:42"), "alice", 5s);  // same loop as the body
  }
};

ASYNC_TEST_F(SessionStoreTest, ReadsWhatSetupWrote) {
  auto user = co_await redis().get(key("session:42"));
  CO_ASSERT_TRUE(user.has_value());
  CO_ASSERT_EQ(*user, "alice");
  EXPECT_ON_CURRENT_LOOP(redis());  // bound to this test's loop, by identity
  EXPECT_EQ(redis().stats().loop_changes, 0U);
}  // teardown deletes key("session:42") and closes the connection, bounded
