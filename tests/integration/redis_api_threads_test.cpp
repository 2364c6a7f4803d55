// Pipelines, transactions, subscriptions and blocking commands on a loop run by four threads: the
// batch is queued on the connection's strand with nothing in between, pushed messages cross from
// the strand to the waiting coroutine's thread. Run by the tsan preset (label *-tsan).
#include <asyncfix/asyncfix.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using asyncfix::redis::RedisManager;
using asyncfix::redis::Reply;

class RedisApiOnFourThreads : public asyncfix::redis::RedisTest {
 public:
  RedisApiOnFourThreads()
      : RedisTest(asyncfix::AsyncOptions::from_env({.deadline = 30s, .threads = 4})) {}
};

boost::asio::awaitable<void> wait_for(const std::atomic<int>& done, int count) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  while (done.load() < count) {
    timer.expires_after(1ms);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

/// One transaction of two INCRs and one pipeline; counts a torn transaction in `torn`.
boost::asio::awaitable<void> transact(RedisManager& redis, std::string a, std::string b,
                                      std::shared_ptr<std::atomic<int>> torn,
                                      std::shared_ptr<std::atomic<int>> done) {
  auto tx = redis.transaction();
  tx.add("INCR", a).add("INCR", b);
  const auto replies = co_await tx.exec();
  if (replies.size() != 2 || replies[0].as_integer() != replies[1].as_integer()) ++*torn;
  auto pipeline = redis.pipeline();
  pipeline.add("GET", a).add("GET", b);
  const auto read = co_await pipeline.exec();
  if (read.size() != 2) ++*torn;
  ++*done;
}

ASYNC_TEST_F(RedisApiOnFourThreads, TransactionsFromManyThreadsAreNeverTorn) {
  auto torn = std::make_shared<std::atomic<int>>(0);
  auto done = std::make_shared<std::atomic<int>>(0);
  const auto executor = co_await boost::asio::this_coro::executor;
  for (int i = 0; i < 40; ++i) {
    boost::asio::co_spawn(executor, transact(redis(), key("a"), key("b"), torn, done),
                          [](std::exception_ptr e) {
                            if (e) std::rethrow_exception(e);
                          });
  }
  co_await wait_for(*done, 40);
  EXPECT_EQ(torn->load(), 0);
  EXPECT_EQ(co_await redis().get(key("a")), "40");
}

/// Publishes `count` numbered messages from `publisher` to `channel`.
boost::asio::awaitable<void> publish_all(RedisManager& redis, std::string channel, int publisher,
                                         int count, std::shared_ptr<std::atomic<int>> done) {
  for (int i = 0; i < count; ++i) {
    co_await redis.publish(channel, std::to_string(publisher) + ":" + std::to_string(i));
  }
  ++*done;
}

ASYNC_TEST_F(RedisApiOnFourThreads, MessagesFromFourPublishersArriveCompleteAndInEachOnesOrder) {
  const auto channel = key("news");
  auto sub = co_await redis().subscribe(channel);
  auto done = std::make_shared<std::atomic<int>>(0);
  const auto executor = co_await boost::asio::this_coro::executor;
  for (int p = 0; p < 4; ++p) {
    boost::asio::co_spawn(executor, publish_all(redis(), channel, p, 100, done),
                          [](std::exception_ptr e) {
                            if (e) std::rethrow_exception(e);
                          });
  }
  std::map<std::string, int> next_of;
  for (int i = 0; i < 400; ++i) {
    const auto message = co_await sub.next();
    const auto colon = message.payload.find(':');
    const auto publisher = message.payload.substr(0, colon);
    EXPECT_EQ(std::stoi(message.payload.substr(colon + 1)), next_of[publisher]++)
        << "publisher " << publisher;
  }
  co_await wait_for(*done, 4);
  EXPECT_EQ(next_of.size(), 4U);
}

ASYNC_TEST_F(RedisApiOnFourThreads, BlockingPopsOnTheirOwnConnectionsMeetPushesFromOtherThreads) {
  auto popped = std::make_shared<std::atomic<int>>(0);
  const auto executor = co_await boost::asio::this_coro::executor;
  const auto queue = key("q");
  for (int i = 0; i < 8; ++i) {
    auto pop = redis().command("BLPOP", queue, 5);
    boost::asio::co_spawn(executor, std::move(pop), [popped](std::exception_ptr e, Reply reply) {
      if (e) std::rethrow_exception(e);
      if (reply.elements().size() == 2) ++*popped;
    });
  }
  for (int i = 0; i < 8; ++i) co_await redis().command("RPUSH", queue, i);
  co_await wait_for(*popped, 8);
  EXPECT_EQ(popped->load(), 8);
}

}  // namespace
