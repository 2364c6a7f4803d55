// The PING health check on reuse after idle, and reconnect after the server dropped the client.
#include "asyncfix_test/admin.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <thread>

namespace {

using namespace std::chrono_literals;

asyncfix::redis::RedisOptions named(const std::string& tag) {
  asyncfix::redis::RedisOptions options;
  options.url = asyncfix::redis::RedisEnvironment::instance().url();
  options.client_name = "afx-health-" + tag + "-" + std::to_string(::getpid());
  options.health_check_idle = 50ms;
  return options;
}

TEST(HealthCheck, AConnectionKilledWhileIdleIsReplacedBeforeTheNextCommand) {
  const auto options = named("killed");
  asyncfix::redis::RedisManager manager(options);
  asyncfix::TestLoop loop("HealthCheck.Killed");
  loop.run(manager.ping());
  asyncfix_test::Admin admin(options.url);
  ASSERT_EQ(admin.command({"CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal", "ID",
                           admin.client_ids_named(options.client_name).at(0)}),
            "1");
  std::this_thread::sleep_for(100ms);  // idle past health_check_idle
  EXPECT_NO_THROW(loop.run(manager.ping())) << "the health check must hide the dead connection";
  const auto stats = manager.stats();
  EXPECT_EQ(stats.health_check_failures, 1U);
  EXPECT_EQ(stats.connects, 2U);
  EXPECT_EQ(stats.errors, 0U);
  EXPECT_EQ(admin.wait_clients_named(options.client_name, 1), 1);
  manager.shutdown_now();
}

TEST(HealthCheck, WithoutItTheFirstCommandSeesTheLossAndTheNextReconnects) {
  auto options = named("off");
  options.health_check_idle = std::nullopt;
  asyncfix::redis::RedisManager manager(options);
  asyncfix::TestLoop loop("HealthCheck.Off");
  loop.run(manager.ping());
  asyncfix_test::Admin admin(options.url);
  const auto id = admin.client_ids_named(options.client_name).at(0);
  // The kill happens inside the loop, right before the command, so the loop cannot notice the
  // closed socket first: the command goes to the dead connection, as it would after an unnoticed
  // drop. It must fail there, not be retried silently on a new connection.
  std::optional<asyncfix::redis::Errc> first_error;
  loop.run([](asyncfix::redis::RedisManager& m, asyncfix_test::Admin& a, const std::string& client,
              std::optional<asyncfix::redis::Errc>& seen) -> boost::asio::awaitable<void> {
    a.command({"CLIENT", "KILL", "ID", client});
    try {
      co_await m.ping();
    } catch (const asyncfix::redis::RedisError& e) {
      seen = e.errc();
    }
  }(manager, admin, id, first_error));
  ASSERT_TRUE(first_error.has_value()) << "the first command after the loss succeeded: retried?";
  EXPECT_EQ(*first_error, asyncfix::redis::Errc::connection_lost);
  EXPECT_EQ(manager.stats().connects, 1U);
  EXPECT_NO_THROW(loop.run(manager.ping()));
  EXPECT_EQ(manager.stats().connects, 2U);
  EXPECT_EQ(manager.stats().health_check_failures, 0U);
  manager.shutdown_now();
}

}  // namespace
