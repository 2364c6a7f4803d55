// Pub/sub against a real server: nothing lost and in order, patterns, cancellation, unsubscribe,
// and SUBSCRIBE through command() refused with a pointer to subscribe().
#include "asyncfix_test/admin.hpp"
#include "asyncfix_test/sleep.hpp"

#include <asyncfix/asyncfix.hpp>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/system/system_error.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace {

using namespace std::chrono_literals;
using asyncfix::redis::Errc;
using asyncfix::redis::Message;
using asyncfix::redis::RedisError;
using ::testing::HasSubstr;

class PubSub : public asyncfix::redis::RedisTest {};

ASYNC_TEST_F(PubSub, AThousandMessagesArriveCompleteAndInOrder) {
  const auto channel = key("news");
  auto sub = co_await redis().subscribe(channel);
  for (int i = 0; i < 1000; ++i) {
    CO_ASSERT_EQ(co_await redis().publish(channel, "m" + std::to_string(i)), 1);
  }
  for (int i = 0; i < 1000; ++i) {
    const auto message = co_await sub.next();
    CO_ASSERT_EQ(message, (Message{channel, "m" + std::to_string(i), ""})) << "message " << i;
  }
  EXPECT_EQ(sub.pending(), 0U);
  const auto stats = redis().stats();
  EXPECT_EQ(stats.subscriptions, 1U);
  EXPECT_EQ(stats.dedicated_connects, 1U);
}

ASYNC_TEST_F(PubSub, SeveralChannelsOnOneSubscription) {
  auto channels = co_await redis().subscribe(key("a"), key("b"));
  EXPECT_EQ(channels.names(), (std::vector<std::string>{key("a"), key("b")}));
  EXPECT_EQ(co_await redis().publish(key("b"), "to b"), 1);
  EXPECT_EQ(co_await redis().publish(key("a"), "to a"), 1);
  // Each message in a variable of its own: g++ 12 destroys a temporary twice when a co_await
  // and a braced temporary share one full-expression.
  const auto first = co_await channels.next();
  EXPECT_EQ(first, (Message{key("b"), "to b", ""}));
  const auto second = co_await channels.next();
  EXPECT_EQ(second, (Message{key("a"), "to a", ""}));
}

ASYNC_TEST_F(PubSub, APatternSubscriptionSaysWhichPatternMatched) {
  auto pattern = co_await redis().psubscribe(key("*"));
  EXPECT_EQ(co_await redis().publish(key("b"), "to b"), 1);
  const auto message = co_await pattern.next();
  EXPECT_EQ(message, (Message{key("b"), "to b", key("*")}));
}

ASYNC_TEST_F(PubSub, ACancelledNextLosesNoMessage) {
  using namespace boost::asio::experimental::awaitable_operators;
  auto sub = co_await redis().subscribe(key("c"));
  const auto first = co_await (sub.next() || asyncfix_test::sleep_for(20ms));
  EXPECT_EQ(first.index(), 1U) << "nothing was published: the timer wins";
  co_await redis().publish(key("c"), "after");
  EXPECT_EQ((co_await sub.next()).payload, "after");
}

ASYNC_TEST_F(PubSub, UnsubscribeKeepsWhatArrivedThenEnds) {
  auto sub = co_await redis().subscribe(key("u"));
  co_await redis().publish(key("u"), "kept");
  co_await sub.unsubscribe();
  EXPECT_EQ(co_await redis().publish(key("u"), "nobody"), 0);
  EXPECT_EQ((co_await sub.next()).payload, "kept");
  try {
    co_await sub.next();
    ADD_FAILURE() << "next() after unsubscribe() and the last message must throw";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.code(), Errc::shut_down);
    EXPECT_THAT(e.what(), HasSubstr("unsubscribe() ended it"));
  }
}

ASYNC_TEST_F(PubSub, SubscribeThroughCommandIsRefusedNamingSubscribe) {
  for (const char* name : {"SUBSCRIBE", "psubscribe", "SSUBSCRIBE", "MONITOR"}) {
    try {
      co_await redis().command(name, key("x"));
      ADD_FAILURE() << name << " through command() must be refused";
    } catch (const RedisError& e) {
      EXPECT_EQ(e.code(), Errc::invalid_command) << name;
      EXPECT_THAT(e.what(), HasSubstr("redis.subscribe(")) << name;
    }
  }
  co_await redis().ping();  // the shared connection is untouched
}

ASYNC_TEST_F(PubSub, AKilledSubscriptionConnectionEndsNextWithConnectionLost) {
  auto sub = co_await redis().subscribe(key("k"));
  co_await redis().publish(key("k"), "before");
  // This test's own subscription connection only: the ctest run's server is shared, and other
  // tests' subscriptions on it must live on.
  const auto options = redis_options();
  asyncfix_test::Admin admin(options.url);
  for (const auto& id : admin.client_ids_named(options.client_name)) {
    admin.command({"CLIENT", "KILL", "TYPE", "pubsub", "ID", id});
  }
  EXPECT_EQ((co_await sub.next()).payload, "before");
  try {
    co_await sub.next();
    ADD_FAILURE() << "a killed subscription must end";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.code(), Errc::connection_lost) << e.what();
  }
}

}  // namespace

namespace {

using asyncfix::redis::Subscription;

/// Takes the next message of `sub` into `outcome`, or the RedisError's text.
boost::asio::awaitable<void> wait_for_message(Subscription& sub, std::string& outcome) {
  try {
    outcome = "a message: " + (co_await sub.next()).payload;
  } catch (const RedisError& e) {
    outcome = e.what();
    EXPECT_EQ(e.code(), Errc::shut_down);
  }
}

ASYNC_TEST_F(PubSub, DestroyingTheSubscriptionResumesAWaitingNextAtOnceWithShutDown) {
  using namespace boost::asio::experimental::awaitable_operators;
  auto first = co_await redis().subscribe(key("gone"));
  auto sub = std::make_unique<Subscription>(std::move(first));
  std::string outcome;
  auto destroy = [&]() -> boost::asio::awaitable<void> {
    co_await asyncfix_test::sleep_for(20ms);
    sub.reset();
  };
  // Without the fix the waiter never resumes and the test's deadline ends it.
  co_await (wait_for_message(*sub, outcome) && destroy());
  EXPECT_THAT(outcome, HasSubstr("the Subscription was destroyed while next() waited"));
}

}  // namespace
