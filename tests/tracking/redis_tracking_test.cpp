// The tracked build of asyncfix runs its Redis layer without false mismatches, and leaves its own
// operations (which the Redis layer describes itself) out of the pending list.
#include "asyncfix_test/sleep.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::Not;

class TrackedRedis : public asyncfix::redis::RedisTest {};

// Split in two: g++ 12 warns falsely (mismatched-new-delete) about one long coroutine body.
ASYNC_TEST_F(TrackedRedis, CommandsAndPipelinesRunWithoutAMismatch) {
  co_await redis().set(key("k"), "v");
  CO_ASSERT_EQ(co_await redis().get(key("k")), "v");
  auto replies = co_await redis().pipeline().add("INCR", key("n")).add("INCR", key("n")).exec();
  CO_ASSERT_EQ(replies.size(), 2U);
}

ASYNC_TEST_F(TrackedRedis, PubSubAndBlockingCommandsRunWithoutAMismatch) {
  auto subscription = co_await redis().subscribe(key("ch"));
  co_await redis().publish(key("ch"), "hello");
  const auto message = co_await subscription.next();
  CO_ASSERT_EQ(message.payload, "hello");
  co_await subscription.unsubscribe();
  const auto popped = co_await redis().command("BLPOP", key("q"), "0.05");
  CO_ASSERT_TRUE(popped.is_nil());
}

ASYNC_TEST_F(TrackedRedis, ThePendingListHasTheRedisCommandButNotAsyncfixsOwnOperations) {
  co_await redis().ping();
  spawn("blpop",
        [](asyncfix::redis::RedisManager& redis, std::string q) -> boost::asio::awaitable<void> {
          co_await redis.command("BLPOP", q, "0");
        }(redis(), key("q")));
  co_await asyncfix_test::sleep_for(50ms);
  const auto pending = loop().pending_operations();
  CO_ASSERT_THAT(pending, Contains(HasSubstr("BLPOP")));
  CO_ASSERT_THAT(pending,
                 Each(AllOf(Not(HasSubstr("descriptor")), Not(HasSubstr("deadline_timer")))));
}

}  // namespace
