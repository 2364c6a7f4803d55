// with_timeout(d) on the shared connection fires at d even when d is below command_timeout and the
// connection's deadline is already armed for an earlier command: for the only command in flight
// (the connection is dropped) and for one behind an older command (only its waiter fails).
#include <asyncfix/asyncfix.hpp>
#include <asyncfix/fault/fault_proxy.hpp>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>

namespace {

using namespace std::chrono_literals;
using asyncfix::fault::FaultProxy;
using asyncfix::fault::Toxic;
using asyncfix::redis::Errc;
using asyncfix::redis::RedisError;
using asyncfix::redis::RedisManager;
using asyncfix::redis::RedisServer;
using boost::asio::awaitable;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

/// A manager with a 3 s command_timeout behind a proxy that can stop answering.
class CommandTimeout : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = RedisServer::start();
    proxy_ = FaultProxy::start(server_->url(), 7);
    manager_.emplace(asyncfix::redis::RedisOptions{.url = proxy_->url(), .command_timeout = 3s});
  }

  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<FaultProxy> proxy_;
  std::optional<RedisManager> manager_;
};

/// The time `work` took to fail with a RedisError, which is checked to be a timeout naming `ms`.
awaitable<Clock::duration> time_to_timeout(awaitable<asyncfix::redis::Reply> work, int ms) {
  const auto started = Clock::now();
  try {
    co_await std::move(work);
    ADD_FAILURE() << "no reply is coming: the command must time out";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.code(), Errc::timeout) << e.what();
    EXPECT_THAT(e.what(), HasSubstr("no reply within " + std::to_string(ms) + " ms"));
  }
  co_return Clock::now() - started;
}

awaitable<void> alone(RedisManager& redis, FaultProxy& proxy) {
  co_await redis.ping();  // arms the connection's deadline for 3 s from now
  proxy.add(Toxic::parse("timeout:timeout=0"));
  const auto took = co_await time_to_timeout(redis.with_timeout(150ms).command("PING"), 150);
  EXPECT_LT(took, 1500ms) << "fired at the deadline armed for the earlier PING, not at 150 ms";
}

TEST_F(CommandTimeout, AShortTimeoutFiresOnTimeWhenTheDeadlineIsArmedForLater) {
  asyncfix::TestLoop loop("CommandTimeout.Alone");
  loop.run(alone(*manager_, *proxy_));
}

/// time_to_timeout() of a PING bounded by 150 ms, sent 50 ms from now.
awaitable<Clock::duration> short_ping_later(RedisManager& redis) {
  boost::asio::steady_timer later(co_await boost::asio::this_coro::executor, 50ms);
  co_await later.async_wait(boost::asio::use_awaitable);
  co_return co_await time_to_timeout(redis.with_timeout(150ms).command("PING"), 150);
}

awaitable<void> behind(RedisManager& redis, FaultProxy& proxy) {
  using namespace boost::asio::experimental::awaitable_operators;
  co_await redis.ping();
  proxy.add(Toxic::parse("timeout:timeout=0"));
  // The older GET waits with the 3 s default; the short PING behind it fails alone at 150 ms.
  const auto [older_took, took] = co_await (
      time_to_timeout(redis.command("GET", "afx:timeout:older"), 3000) && short_ping_later(redis));
  EXPECT_LT(took, 1500ms) << "waited for the older command's deadline";
  EXPECT_GE(older_took, 2500ms) << "the older command kept its own 3 s";
}

TEST_F(CommandTimeout, AShortTimeoutBehindAnOlderCommandFailsOnlyItsOwnWaiterOnTime) {
  asyncfix::TestLoop loop("CommandTimeout.Behind");
  loop.run(behind(*manager_, *proxy_));
}

}  // namespace
