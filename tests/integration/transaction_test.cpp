// Pipelines and MULTI/EXEC transactions against a real server: replies in order, all or nothing,
// nothing of another coroutine inside a transaction, WATCH conflicts as a distinct error.
#include "asyncfix_test/expect_redis_error.hpp"
#include "asyncfix_test/sleep.hpp"

#include <asyncfix/asyncfix.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace {

using asyncfix::redis::Errc;
using asyncfix::redis::RedisError;
using asyncfix::redis::Reply;
using ::testing::HasSubstr;

class Pipelines : public asyncfix::redis::RedisTest {};

ASYNC_TEST_F(Pipelines, RepliesComeInOrderWithErrorRepliesInPlace) {
  const auto text = key("text");
  std::vector<std::string> push{key("list")};  // a named vector: see the guide on g++ 12
  push.insert(push.begin(), "RPUSH");
  push.insert(push.end(), {"a", "b"});
  auto replies = co_await redis()
                     .pipeline()
                     .add("SET", text, "v")
                     .add("GET", text)
                     .add("INCR", text)
                     .add(std::move(push))
                     .add("GET", key("missing"))
                     .exec();
  CO_ASSERT_EQ(replies.size(), 5U);
  EXPECT_EQ(replies[0], Reply::status("OK"));
  EXPECT_EQ(replies[1], Reply::string("v"));
  EXPECT_TRUE(replies[2].is_error()) << replies[2].to_string();
  EXPECT_EQ(replies[3], Reply::integer(2));
  EXPECT_TRUE(replies[4].is_nil());
}

ASYNC_TEST_F(Pipelines, AnEmptyPipelineOrASubscribeInsideIsRefusedAndNothingIsSent) {
  auto empty = redis().pipeline();
  try {
    co_await empty.exec();
    ADD_FAILURE() << "an empty pipeline must be refused";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.code(), Errc::invalid_command);
  }
  try {
    co_await redis().pipeline().add("SET", key("k"), "v").add("SUBSCRIBE", "news").exec();
    ADD_FAILURE() << "SUBSCRIBE inside a pipeline must be refused";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.code(), Errc::invalid_command);
    EXPECT_THAT(e.what(), HasSubstr("subscribe("));
  }
  EXPECT_FALSE(co_await redis().exists(key("k"))) << "nothing of a refused pipeline is sent";
}

class Transactions : public asyncfix::redis::RedisTest {};

/// One transaction of two INCRs; its EXEC replies land in `seen`.
boost::asio::awaitable<void> increment_both(asyncfix::redis::RedisManager& redis, std::string a,
                                            std::string b, std::vector<Reply>& seen) {
  seen = co_await redis.transaction().add("INCR", a).add("INCR", b).exec();
}

ASYNC_TEST_F(Transactions, FiftyConcurrentTransactionsEachSeeConsecutiveValues) {
  const auto a = key("a");
  const auto b = key("b");
  std::vector<std::vector<Reply>> seen(50);
  auto done = std::make_shared<int>(0);
  auto executor = co_await boost::asio::this_coro::executor;
  for (auto& slot : seen) {
    boost::asio::co_spawn(executor, increment_both(redis(), a, b, slot),
                          [done](std::exception_ptr e) {
                            if (e) std::rethrow_exception(e);
                            ++*done;
                          });
  }
  // Interleave plain commands on the same connection: none may land inside a transaction.
  for (int i = 0; i < 50; ++i) co_await redis().incr(key("noise"));
  while (*done < 50) co_await asyncfix_test::sleep_for(std::chrono::milliseconds(1));
  std::vector<long long> firsts;
  for (const auto& replies : seen) {
    CO_ASSERT_EQ(replies.size(), 2U);
    EXPECT_EQ(replies[0].as_integer(), replies[1].as_integer())
        << "another transaction's INCR ran between this one's";
    firsts.push_back(replies[0].as_integer());
  }
  std::sort(firsts.begin(), firsts.end());
  for (long long i = 0; i < 50; ++i) EXPECT_EQ(firsts[i], i + 1);
  EXPECT_EQ(co_await redis().get(a), "50");
  EXPECT_EQ(co_await redis().get(b), "50");
}

ASYNC_TEST_F(Transactions, ARuntimeErrorIsAReplyErrorAndTheOtherCommandsRan) {
  co_await redis().set(key("text"), "not a number");
  auto replies =
      co_await redis().transaction().add("INCR", key("text")).add("SET", key("k"), "v").exec();
  CO_ASSERT_EQ(replies.size(), 2U);
  EXPECT_TRUE(replies[0].is_error());
  EXPECT_THAT(replies[0].text(), HasSubstr("not an integer"));
  EXPECT_EQ(co_await redis().get(key("k")), "v");
}

ASYNC_TEST_F(Transactions, AQueuedCommandTheServerRefusesAbortsEverythingNamingIt) {
  try {
    co_await redis().transaction().add("SET", key("k"), "v").add("INCR").exec();
    ADD_FAILURE() << "EXECABORT must throw";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.code(), Errc::server_error);
    EXPECT_THAT(e.what(), HasSubstr("refused INCR (command 2 of the transaction)"));
    EXPECT_THAT(e.what(), HasSubstr("nothing ran"));
  }
  EXPECT_FALSE(co_await redis().exists(key("k")));
}

ASYNC_TEST_F(Transactions, AWatchedKeyChangedMeanwhileAbortsWithTransactionAborted) {
  const auto balance = key("balance");
  co_await redis().set(balance, "100");
  auto tx = co_await redis().watch(balance);
  const auto read = co_await tx.command("GET", balance);
  EXPECT_EQ(read.text(), "100");
  co_await redis().set(balance, "70");  // another client changes it between WATCH and EXEC
  tx.add("SET", balance, 90);
  try {
    co_await tx.exec();
    ADD_FAILURE() << "EXEC after a WATCHed key changed must not run";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.code(), Errc::transaction_aborted) << e.what();
    EXPECT_THAT(e.what(), HasSubstr("WATCHed key changed"));
  }
  EXPECT_EQ(co_await redis().get(balance), "70");
}

ASYNC_TEST_F(Transactions, AnUnchangedWatchedKeyCommitsAndTheConnectionIsReused) {
  const auto balance = key("balance");
  co_await redis().set(balance, "70");
  auto retry = co_await redis().watch(balance);
  const auto now = std::stoll((co_await retry.command("GET", balance)).text());
  retry.add("SET", balance, now - 10);
  const auto replies = co_await retry.exec();
  EXPECT_EQ(replies.at(0), Reply::status("OK"));
  EXPECT_EQ(co_await redis().get(balance), "60");
  co_await (co_await redis().watch(balance)).discard();
  EXPECT_EQ(redis().stats().dedicated_connects, 1U) << "the WATCH connection is reused";
}

ASYNC_TEST_F(Transactions, ReadsBetweenWatchAndExecNeedAWatchTransaction) {
  auto tx = redis().transaction();
  try {
    co_await tx.command("GET", key("k"));
    ADD_FAILURE() << "a shared-connection transaction cannot read in between";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.code(), Errc::invalid_command);
    EXPECT_THAT(e.what(), HasSubstr("watch("));
  }
}

}  // namespace

namespace {

/// exec() of `tx` is refused as empty: what discard() forgot is never sent.
boost::asio::awaitable<void> expect_exec_refused_as_empty(asyncfix::redis::Transaction& tx) {
  try {
    co_await tx.exec();
    ADD_FAILURE() << "exec() after discard() must be refused as empty";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.code(), Errc::invalid_command) << e.what();
    EXPECT_THAT(e.what(), HasSubstr("the transaction is empty"));
  }
}

ASYNC_TEST_F(Transactions, DiscardForgetsTheQueuedCommandsOfAPlainAndAWatchTransaction) {
  auto plain = redis().transaction();
  plain.add("SET", key("plain"), "1");
  co_await plain.discard();
  co_await expect_exec_refused_as_empty(plain);

  auto watched = co_await redis().watch(key("watched"));
  watched.add("SET", key("watched"), "1");
  co_await watched.discard();
  co_await expect_exec_refused_as_empty(watched);

  EXPECT_EQ((co_await redis().command("EXISTS", key("plain"), key("watched"))).as_integer(), 0)
      << "nothing queued before discard() reached the server";
}

}  // namespace
