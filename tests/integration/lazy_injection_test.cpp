// RedisTest: redis() is injected lazily, connects on first use on the test's loop, and teardown
// leaves neither keys nor connections.
#include "asyncfix_test/admin.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gtest/gtest.h>

namespace {

using asyncfix::redis::RedisTest;

class LazyInjection : public RedisTest {};

ASYNC_TEST_F(LazyInjection, NoConnectionBeforeFirstUseThenExactlyOne) {
  asyncfix_test::Admin admin(redis_url());
  auto& manager = redis();  // injected: no I/O yet
  const std::string name = manager.options().client_name;
  EXPECT_EQ(admin.clients_named(name), 0);
  EXPECT_FALSE(manager.affinity().bound());
  co_await manager.set(key("k"), "v");
  EXPECT_EQ(admin.clients_named(name), 1);
  CO_ASSERT_ON_CURRENT_LOOP(manager);
  EXPECT_EQ(manager.stats().connects, 1U);
  EXPECT_EQ(manager.stats().loop_changes, 0U);
}

ASYNC_TEST_F(LazyInjection, KeysAreNamespacedPerProcessAndTest) {
  const auto k = key("counter");
  EXPECT_TRUE(k.starts_with(asyncfix::redis::test_key_root)) << k;
  EXPECT_NE(k.find(std::to_string(::getpid())), std::string::npos) << k;
  EXPECT_NE(k.find("LazyInjection.KeysAreNamespacedPerProcessAndTest"), std::string::npos) << k;
  CO_ASSERT_EQ(co_await redis().incr(k), 1);
  CO_ASSERT_EQ(co_await redis().incr(k), 2);
}

TEST(LazyInjectionTeardown, DeletesTheTestsKeysAndClosesItsConnection) {
  // Drive a RedisTest by hand, then look at the server from outside.
  class Probe : public RedisTest {
   public:
    using RedisTest::SetUp;
    using RedisTest::TearDown;
    void TestBody() override {
      run([](Probe& self) -> boost::asio::awaitable<void> {
        co_await self.redis().set(self.key("a"), "1");
        co_await self.redis().hset(self.key("h"), "f", "v");
      }(*this));
    }
  };
  Probe probe;
  probe.SetUp();
  probe.TestBody();
  const auto url = probe.redis_url();
  const auto name = probe.redis().options().client_name;
  const auto pattern = asyncfix::redis::escape_glob(probe.key_prefix()) + "*";
  asyncfix_test::Admin admin(url);
  EXPECT_EQ(admin.command({"KEYS", pattern}), "2");
  probe.TearDown();
  EXPECT_EQ(admin.command({"KEYS", pattern}), "0");
  EXPECT_EQ(admin.wait_clients_named(name, 0), 0);
  EXPECT_TRUE(probe.teardown_report().leaks.empty()) << probe.teardown_report().summary();
}

}  // namespace
