// Sample 4: one manager shared by the whole suite (expensive set-up, say). With
// LoopPolicy::Reconnect (the default) it heals onto each test's loop and counts it; the
// connection then belongs to each test's loop in turn, so its close with that loop is its intended
// end and teardown does not report it as a leak (with LoopPolicy::Fail, say so with
// RedisOptions::closes_with_loop).
//
// Under ctest every test runs in a process of its own, so the suite set-up connects once on a
// loop of its own: every test, alone or not, then heals exactly once.
#include <asyncfix/asyncfix.hpp>

using asyncfix::redis::RedisManager;

class SharedManagerSuite : public asyncfix::AsyncTest {
 public:
  static void SetUpTestSuite() {
    manager_ = std::make_unique<RedisManager>(
        asyncfix::redis::RedisOptions{.url = asyncfix::redis::RedisEnvironment::instance().url()});
    asyncfix::TestLoop suite_loop("SharedManagerSuite set-up");
    suite_loop.run(manager_->ping());
  }  // suite_loop closes here, and its connection with it
  static void TearDownTestSuite() { manager_.reset(); }  // shutdown_now(): safe, loops are gone

 protected:
  // Each test: the manager heals onto this test's loop, once, with one new connection.
  boost::asio::awaitable<void> use_and_check() {
    const auto before = manager_->stats();
    co_await manager_->ping();
    co_await manager_->ping();
    const auto after = manager_->stats();
    EXPECT_EQ(after.loop_changes, before.loop_changes + 1);
    EXPECT_EQ(after.connects, before.connects + 1);
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
