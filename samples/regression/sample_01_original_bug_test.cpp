// Sample 1: the original bug, reproduced on purpose.
//
// A "session-scoped" fixture connects a Redis manager eagerly, on a loop it made in
// SetUpTestSuite. Each test then runs on its own loop. In Python this is "Task got Future attached
// to a different loop"; in Asio the connection's completions would go to the suite loop, which
// nobody runs: a silent hang. asyncfix detects the change of loop by identity and, per policy,
// fails precisely or heals and counts it.
#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>

using asyncfix::LoopPolicy;
using asyncfix::redis::RedisEnvironment;
using asyncfix::redis::RedisManager;

class EagerSuiteManager : public asyncfix::AsyncTest {
 protected:
  // The anti-pattern: a loop and an eager connection made outside any test.
  static std::unique_ptr<RedisManager> connect_eagerly(LoopPolicy policy) {
    suite_loop_ = std::make_unique<asyncfix::TestLoop>("EagerSuiteManager [SetUpTestSuite]");
    auto manager = std::make_unique<RedisManager>(asyncfix::redis::RedisOptions{
        .url = RedisEnvironment::instance().url(), .on_loop_change = policy});
    suite_loop_->run(manager->ping());  // connected, and bound to the suite loop
    return manager;
  }
  static void TearDownTestSuite() { suite_loop_.reset(); }
  static inline std::unique_ptr<asyncfix::TestLoop> suite_loop_;
};

// LoopPolicy::Fail: using the manager on the test's loop throws asyncfix::LoopMismatch, whose
// message names both loops and both source lines instead of hanging.
ASYNC_TEST_F(EagerSuiteManager, FailPolicyReportsTheMismatch) {
  auto manager = connect_eagerly(LoopPolicy::Fail);
  EXPECT_LOOP_MISMATCH(co_await manager->ping());
  try {
    co_await manager->ping();
  } catch (const asyncfix::LoopMismatch& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("EagerSuiteManager [SetUpTestSuite]"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("EagerSuiteManager.FailPolicyReportsTheMismatch"));
  }
  manager->shutdown_now();
}

// LoopPolicy::Reconnect: the manager closes the suite-loop connection, reconnects on the test's
// loop, and counts the loop change so the test can assert it happened exactly once.
ASYNC_TEST_F(EagerSuiteManager, ReconnectPolicyHealsAndCountsTheChange) {
  auto manager = connect_eagerly(LoopPolicy::Reconnect);
  co_await manager->ping();
  EXPECT_EQ(manager->stats().loop_changes, 1U);
  EXPECT_ON_CURRENT_LOOP(*manager);
  co_await manager->shutdown();
}
