// Blocking commands run on connections of their own, with a timeout that allows for their block;
// with_timeout() overrides the command timeout.
#include "asyncfix_test/sleep.hpp"

#include <asyncfix/asyncfix.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace {

using namespace std::chrono_literals;
using asyncfix::redis::Errc;
using asyncfix::redis::RedisError;
using asyncfix::redis::Reply;
using Clock = std::chrono::steady_clock;

class BlockingCommands : public asyncfix::redis::RedisTest {
 protected:
  [[nodiscard]] asyncfix::redis::RedisOptions redis_options() const override {
    auto options = RedisTest::redis_options();
    options.command_timeout = 300ms;
    return options;
  }
};

ASYNC_TEST_F(BlockingCommands, ABlpopDoesNotDelayAnotherCoroutinesSet) {
  co_await redis().ping();  // the shared connection exists before the BLPOP starts
  auto popped = std::make_shared<std::optional<Reply>>();
  // Named first: g++ 12 mishandles temporaries that share a full-expression with a co_await.
  const auto executor = co_await boost::asio::this_coro::executor;
  auto blpop = redis().command("BLPOP", key("q"), "0.5");
  boost::asio::co_spawn(executor, std::move(blpop), [popped](std::exception_ptr e, Reply reply) {
    if (e) std::rethrow_exception(e);
    *popped = std::move(reply);
  });
  co_await asyncfix_test::sleep_for(20ms);  // the BLPOP is blocked on the server now
  const auto started = Clock::now();
  co_await redis().set(key("k"), "v");
  const auto waited = Clock::now() - started;
  EXPECT_LT(waited, 50ms) << "the SET waited behind the BLPOP";
  EXPECT_FALSE(popped->has_value()) << "the BLPOP is still blocked";
  co_await redis().command("RPUSH", key("q"), "job");
  while (!popped->has_value()) co_await asyncfix_test::sleep_for(1ms);
  EXPECT_EQ((*popped)->elements().at(1).text(), "job");
  EXPECT_EQ(redis().stats().dedicated_connects, 1U);
}

ASYNC_TEST_F(BlockingCommands, ABlockLongerThanTheCommandTimeoutIsAllowedFor) {
  const auto started = Clock::now();
  const auto reply = co_await redis().command("BLPOP", key("empty"), "0.6");
  EXPECT_TRUE(reply.is_nil()) << reply.to_string();
  EXPECT_GE(Clock::now() - started, 550ms);
}

ASYNC_TEST_F(BlockingCommands, TheBlockingConnectionIsReused) {
  for (int i = 0; i < 3; ++i) {
    co_await redis().command("RPUSH", key("q"), i);
    const auto reply = co_await redis().command("BLPOP", key("q"), 1);
    EXPECT_EQ(reply.elements().at(1).text(), std::to_string(i));
  }
  EXPECT_EQ(redis().stats().dedicated_connects, 1U);
}

ASYNC_TEST_F(BlockingCommands, WithTimeoutBoundsAnyCommand) {
  const auto started = Clock::now();
  try {
    co_await redis().with_timeout(100ms).command("BLPOP", key("never"), 5);
    ADD_FAILURE() << "the 100 ms timeout must fire before the 5 s block";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.code(), Errc::timeout) << e.what();
    EXPECT_THAT(e.what(), ::testing::HasSubstr("no reply within 100 ms"));
  }
  EXPECT_LT(Clock::now() - started, 1s);
  EXPECT_EQ((co_await redis().with_timeout(2s).command("PING")).text(), "PONG");
}

}  // namespace
