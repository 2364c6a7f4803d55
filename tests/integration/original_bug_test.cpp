// The original bug, in C++: a manager connected on a loop made in SetUpTestSuite, used in a test.
#include "asyncfix_test/admin.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using asyncfix::LoopPolicy;
using asyncfix::redis::RedisEnvironment;
using asyncfix::redis::RedisManager;
using asyncfix::redis::RedisOptions;
using ::testing::HasSubstr;

/// Connects a manager eagerly on a suite-level loop, the way a session-scoped fixture would.
class SuiteScopedManager : public asyncfix::AsyncTest {
 protected:
  static std::unique_ptr<RedisManager> connect_on_suite_loop(LoopPolicy policy,
                                                             const std::string& name) {
    suite_loop_ = std::make_unique<asyncfix::TestLoop>("SuiteScopedManager [SetUpTestSuite]");
    RedisOptions options;
    options.url = RedisEnvironment::instance().url();
    options.on_loop_change = policy;
    options.client_name = name;
    auto manager = std::make_unique<RedisManager>(options);
    suite_loop_->run(manager->ping());
    return manager;
  }
  static void TearDownTestSuite() { suite_loop_.reset(); }
  static inline std::unique_ptr<asyncfix::TestLoop> suite_loop_;
};

ASYNC_TEST_F(SuiteScopedManager, FailPolicyThrowsAMismatchNamingBothLoops) {
  auto manager = connect_on_suite_loop(LoopPolicy::Fail,
                                       "afx-original-bug-fail-" + std::to_string(::getpid()));
  std::string message;
  try {
    co_await manager->ping();
  } catch (const asyncfix::LoopMismatch& e) {
    message = e.what();
  }
  EXPECT_THAT(message, HasSubstr("'SuiteScopedManager [SetUpTestSuite]'"));
  EXPECT_THAT(message, HasSubstr("'SuiteScopedManager.FailPolicyThrowsAMismatchNamingBothLoops'"));
  EXPECT_THAT(message, HasSubstr("original_bug_test.cpp:"));
  auto& m = *manager;
  EXPECT_LOOP_MISMATCH(co_await m.get("any"));
  manager->shutdown_now();
}

ASYNC_TEST_F(SuiteScopedManager, ReconnectHealsCountsOneLoopChangeAndClosesTheOldConnection) {
  const std::string name = "afx-original-bug-heal-" + std::to_string(::getpid());
  auto manager = connect_on_suite_loop(LoopPolicy::Reconnect, name);
  asyncfix_test::Admin admin(RedisEnvironment::instance().url());
  const auto old_ids = admin.client_ids_named(name);
  CO_ASSERT_EQ(old_ids.size(), 1U);
  EXPECT_NO_LOOP_MISMATCH(co_await manager->ping());
  EXPECT_EQ(manager->stats().loop_changes, 1U);
  EXPECT_EQ(loop().loop_changes(), 1U);
  CO_ASSERT_ON_CURRENT_LOOP(*manager);
  admin.wait_clients_named(name, 1);
  const auto new_ids = admin.client_ids_named(name);
  CO_ASSERT_EQ(new_ids.size(), 1U) << "the old connection must be closed on the server side";
  EXPECT_NE(new_ids[0], old_ids[0]);
  co_await manager->shutdown();
}

}  // namespace
