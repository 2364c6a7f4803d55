// The three integration tests of the original Python report, in C++ against a real redis-server,
// then the same scenario at 5..5000 agents on one loop (agent_scale.cpp).
#include "agent_scale.hpp"
#include "asyncfix_test/admin.hpp"

#include <gtest/gtest.h>

#include <iostream>

namespace {

using agent_engine::AgentExecutionEngine;
using agent_engine::AgentSpec;

/// Agents share the test's injected manager; teardown is checked from outside the code under test.
class AgentExecution : public asyncfix::redis::RedisTest {
 protected:
  void TearDown() override {
    const std::string client_name = redis_created() ? redis().options().client_name : "";
    RedisTest::TearDown();
    if (HasFatalFailure() || IsSkipped()) return;
    asyncfix_test::Admin admin(redis_url());
    EXPECT_EQ(admin.command({"KEYS", asyncfix::redis::escape_glob(key_prefix()) + "*"}), "0")
        << "teardown left test keys behind";
    if (!client_name.empty()) {
      EXPECT_EQ(admin.wait_clients_named(client_name, 0), 0) << "teardown left a connection open";
    }
    EXPECT_TRUE(teardown_report().leaks.empty()) << teardown_report().summary();
    EXPECT_TRUE(teardown_report().fallbacks.empty()) << teardown_report().summary();
  }
};

ASYNC_TEST_F(AgentExecution, WithRealRedisOperations) {
  AgentExecutionEngine engine(redis(), key(""));
  // A named spec: g++ 12 destroys a braced temporary passed inside co_await twice (see
  // docs/guide.md).
  const AgentSpec solo{"solo", 1};
  const auto result = co_await engine.run_agent(solo);
  CO_ASSERT_TRUE(result.ok) << result.error;
  std::cout << "Redis operations: " << result.work_operations << " completed" << std::endl;
  EXPECT_EQ(result.work_operations, 3);  // SET, GET (verified), DEL
  EXPECT_EQ(co_await redis().hget(engine.state_key(result.run_id), "state"), "completed");
  RecordProperty("agents", 1);
  RecordProperty("redis_operations", std::to_string(engine.operations()));
}

ASYNC_TEST_F(AgentExecution, WithInfrastructureManagersValidated) {
  auto& manager = redis();
  // Injected but lazy: no loop binding and no connection until an agent runs.
  EXPECT_FALSE(manager.affinity().bound());
  EXPECT_FALSE(manager.connected());
  EXPECT_EQ(manager.stats().connects, 0U);
  asyncfix_test::Admin admin(redis_url());
  EXPECT_EQ(admin.clients_named(manager.options().client_name), 0);

  AgentExecutionEngine engine(manager, key(""));
  const AgentSpec validator{"validator", 1};
  const auto result = co_await engine.run_agent(validator);
  CO_ASSERT_TRUE(result.ok) << result.error;
  CO_ASSERT_ON_CURRENT_LOOP(manager);  // bound to this test's loop, by identity
  EXPECT_EQ(admin.clients_named(manager.options().client_name), 1);
  EXPECT_EQ(manager.stats().connects, 1U);
  RecordProperty("agents", 1);
  RecordProperty("redis_operations", std::to_string(engine.operations()));
}

ASYNC_TEST_F(AgentExecution, ConcurrentAgentsWithSharedInfrastructure) {
  AgentExecutionEngine engine(redis(), key(""));
  std::vector<AgentSpec> specs;
  for (int i = 0; i < 5; ++i) specs.push_back({"agent-" + std::to_string(i), 3});
  const auto results = co_await engine.run_all(specs);
  int succeeded = 0;
  for (const auto& r : results) {
    if (r.ok) ++succeeded;
    if (!r.ok && r.code) {
      // What failed, as data: a fault matrix classifies the failure from it, not from the words.
      RecordProperty(asyncfix::property::error,
                     std::string(r.code.category().name()) + ":" + std::to_string(r.code.value()));
    }
    EXPECT_TRUE(r.ok) << r.agent << ": " << r.error;
  }
  std::cout << "Agents: " << succeeded << "/5 succeeded, " << 5 - succeeded << " failed"
            << std::endl;
  EXPECT_EQ(succeeded, 5);
  EXPECT_EQ(redis().stats().loop_changes, 0U) << "no loop conflicts";
  EXPECT_EQ(redis().stats().connects, 1U) << "one shared connection";
  EXPECT_EQ(co_await agents_test::verify_nothing_lost(redis(), engine, results, 3), 0);
  RecordProperty("agents", 5);
  RecordProperty("redis_operations", std::to_string(engine.operations()));
}

[[maybe_unused]] const bool registered = [] {
  agents_test::register_scale_tests({agents_test::LoopMode::OneLoop}, {5, 50, 500, 5000});
  return true;
}();

}  // namespace
