// Shutdown after the test stopped the loop, after the loop was destroyed, and twice.
#include "admin.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gtest/gtest.h>

namespace {

using asyncfix::redis::Errc;
using asyncfix::redis::RedisEnvironment;
using asyncfix::redis::RedisError;
using asyncfix::redis::RedisManager;
using asyncfix::redis::RedisOptions;
using asyncfix::redis::RedisTest;

RedisOptions named_options(const std::string& tag) {
  RedisOptions options;
  options.url = RedisEnvironment::instance().url();
  options.client_name = "afx-shutdown-" + tag + "-" + std::to_string(::getpid());
  return options;
}

class ShutdownAfterStop : public RedisTest {};

ASYNC_TEST_F(ShutdownAfterStop, TeardownUsesTheSyncFallbackWithoutErrorsOrWarnings) {
  co_await redis().set(key("before-stop"), "1");
  io().stop();  // the test stops its own loop; teardown must still clean up
}

TEST(Shutdown, AfterTheLoopWasDestroyedAndTwice) {
  const auto options = named_options("destroyed");
  RedisManager manager(options);
  {
    asyncfix::TestLoop loop("Shutdown.Destroyed");
    loop.run(manager.ping());
    EXPECT_TRUE(asyncfix::LoopAffinity(manager.affinity()).bound());
  }  // the loop closes its connection
  asyncfix_test::Admin admin(options.url);
  EXPECT_EQ(admin.wait_clients_named(options.client_name, 0), 0);
  manager.shutdown_now();
  manager.shutdown_now();
  asyncfix::TestLoop other("Shutdown.After");
  other.run(manager.shutdown());  // idempotent, no throw
  try {
    other.run(manager.ping());
    FAIL() << "a shut-down manager accepted a command";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.errc(), Errc::shut_down);
  }
}

TEST(Shutdown, GracefulDeliversPendingRepliesFirst) {
  const auto options = named_options("graceful");
  RedisManager manager(options);
  asyncfix::TestLoop loop("Shutdown.Graceful");
  const auto key = "afx:" + std::to_string(::getpid()) + ":graceful";
  loop.run([](RedisManager& m, std::string k) -> boost::asio::awaitable<void> {
    co_await m.set(k, "v");
    co_await m.del(k);
    co_await m.shutdown();
    co_await m.shutdown();
  }(manager, key));
  asyncfix_test::Admin admin(options.url);
  EXPECT_EQ(admin.wait_clients_named(options.client_name, 0), 0);
}

}  // namespace
