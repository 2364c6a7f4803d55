// Shutdown after the test stopped the loop, after the loop was destroyed, and twice.
#include "asyncfix_test/admin.hpp"

#include <asyncfix/asyncfix.hpp>

#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

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

/// Checks, after the whole teardown ran, what it did for a test that stopped its own loop.
class ShutdownAfterStop : public RedisTest {
 protected:
  void TearDown() override {
    RedisTest::TearDown();
    const auto& report = teardown_report();
    EXPECT_TRUE(report.loop_stopped_by_test);
    EXPECT_EQ(report.fallbacks, std::vector<std::string>{"delete test keys and shut down redis()"})
        << "the loop was stopped: the cleanup must have run its synchronous fallback";
    EXPECT_TRUE(report.leaks.empty()) << report.summary();
    asyncfix_test::Admin admin(RedisEnvironment::instance().url());
    EXPECT_EQ(admin.command({"EXISTS", written_}), "0") << "the fallback left the test's key";
  }
  std::string written_;
};

ASYNC_TEST_F(ShutdownAfterStop, TeardownUsesTheSyncFallbackWithoutErrorsOrWarnings) {
  written_ = key("before-stop");
  co_await redis().set(written_, "1");
  io().stop();  // the test stops its own loop; teardown must still clean up
}

/// The synchronous fallback's time budget is half the hard watchdog's margin (here 10 ms, so 5 ms):
/// far too little to delete 50,000 keys, so it stops with keys left, where without its budget
/// each command (well under 5 ms) went through and it deleted them all.
class FallbackWithinItsBudget : public RedisTest {
 public:
  FallbackWithinItsBudget()
      : RedisTest(
            asyncfix::AsyncOptions::from_env({.watchdog_margin = std::chrono::milliseconds(10)})) {}

 protected:
  void TearDown() override {
    RedisTest::TearDown();
    EXPECT_EQ(teardown_report().fallbacks,
              std::vector<std::string>{"delete test keys and shut down redis()"});
    asyncfix_test::Admin admin(RedisEnvironment::instance().url());
    const auto pattern = key_prefix() + "bulk:*";
    const auto left =
        std::stoll(admin.command({"EVAL", "return #redis.call('KEYS', ARGV[1])", "0", pattern}));
    EXPECT_GT(left, 0) << "the fallback deleted 50,000 keys in 5 ms: it ignored its budget";
    admin.command({"EVAL",
                   "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('UNLINK', k) end",
                   "0", pattern});
  }
};

ASYNC_TEST_F(FallbackWithinItsBudget, TheKeyCleanupStopsAtHalfTheWatchdogsMargin) {
  std::vector<std::string> populate{std::string("DEBUG"), std::string("POPULATE"),
                                    std::string("50000"), key("bulk")};
  co_await redis().command(std::move(populate));
  io().stop();  // teardown falls back to the synchronous cleanup
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

/// What one command sent before shutdown() got back.
struct Outcome {
  bool done = false;
  std::optional<std::string> value;
  std::string error;
};

boost::asio::awaitable<void> get_into(RedisManager& m, std::string key, Outcome& out) {
  try {
    out.value = co_await m.get(std::move(key));
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  out.done = true;
}

boost::asio::awaitable<void> sleep_into(RedisManager& m, Outcome& out) {
  try {
    std::vector<std::string> sleep{std::string("DEBUG"), std::string("SLEEP"), std::string("0.1")};
    out.value = (co_await m.command(std::move(sleep))).text();
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  out.done = true;
}

TEST(Shutdown, GracefulDeliversPendingRepliesFirst) {
  const auto options = named_options("graceful");
  RedisManager manager(options);
  asyncfix::TestLoop loop("Shutdown.Graceful");
  const auto key =
      std::string(asyncfix::redis::test_key_root) + std::to_string(::getpid()) + ":graceful";
  Outcome slept;
  Outcome got;
  std::size_t in_flight_at_shutdown = 0;
  loop.run([](RedisManager& m, std::string k, Outcome& sleep_out, Outcome& get_out,
              std::size_t& in_flight) -> boost::asio::awaitable<void> {
    co_await m.set(k, "v");
    auto connection = co_await m.client();
    const auto executor = co_await boost::asio::this_coro::executor;
    // The server answers the GET only after a 100 ms DEBUG SLEEP: both are on the wire when
    // shutdown() starts.
    boost::asio::co_spawn(executor, sleep_into(m, sleep_out), boost::asio::detached);
    boost::asio::co_spawn(executor, get_into(m, k, get_out), boost::asio::detached);
    boost::asio::steady_timer settle(executor, std::chrono::milliseconds(10));
    co_await settle.async_wait(boost::asio::use_awaitable);
    in_flight = connection->in_flight();
    co_await m.shutdown();
    co_await m.shutdown();
    std::vector<std::string> del{std::string("DEL"), k};
    try {
      co_await m.command(std::move(del));
    } catch (const RedisError& e) {
      EXPECT_EQ(e.errc(), Errc::shut_down);
    }
  }(manager, key, slept, got, in_flight_at_shutdown));
  ASSERT_EQ(in_flight_at_shutdown, 2U) << "the test needs both commands pending at shutdown()";
  EXPECT_TRUE(slept.done && got.done);
  EXPECT_EQ(slept.value, std::optional<std::string>("OK")) << slept.error;
  EXPECT_EQ(got.value, std::optional<std::string>("v")) << got.error;
  asyncfix_test::Admin admin(options.url);
  EXPECT_EQ(admin.wait_clients_named(options.client_name, 0), 0);
  admin.command({"DEL", key});
}

}  // namespace
