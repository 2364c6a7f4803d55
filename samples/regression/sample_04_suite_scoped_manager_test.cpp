// Sample 4: one manager shared by the whole suite (expensive set-up, say). With
// LoopPolicy::Reconnect it heals onto each test's loop, once per test, and counts it.
// closes_with_loop says that each test's loop closing the connection is the intended end of it,
// so teardown does not report it as a leak.
#include <asyncfix/asyncfix.hpp>

using asyncfix::redis::RedisManager;

class SharedManagerSuite : public asyncfix::AsyncTest {
 public:
  static void SetUpTestSuite() {
    manager_ = std::make_unique<RedisManager>(asyncfix::redis::RedisOptions{
        .url = asyncfix::redis::RedisEnvironment::instance().url(), .closes_with_loop = true});
  }
  static void TearDownTestSuite() { manager_.reset(); }  // shutdown_now(): safe, loops are gone

 protected:
  // Each test: exactly one more loop change than before it (the first test connects fresh).
  boost::asio::awaitable<void> use_and_check() {
    const auto before = manager_->stats();
    co_await manager_->ping();
    const auto after = manager_->stats();
    EXPECT_EQ(after.loop_changes, before.connects == 0 ? 0U : before.loop_changes + 1);
    EXPECT_ON_CURRENT_LOOP(*manager_);
  }
  static inline std::unique_ptr<RedisManager> manager_;
};

ASYNC_TEST_F(SharedManagerSuite, FirstTest) {
  co_await use_and_check();
}
ASYNC_TEST_F(SharedManagerSuite, SecondTest) {
  co_await use_and_check();
}
ASYNC_TEST_F(SharedManagerSuite, ThirdTest) {
  co_await use_and_check();
}
