// The connection a manager's command() shares among coroutines keeps its state: a command that
// would change it (MULTI, WATCH, SELECT, CLIENT REPLY OFF, ...) is refused, naming the API that
// does the job, and so is a blocking command inside a pipeline; afterwards every coroutine's
// commands still reach the server and get their own replies.
#include "asyncfix_test/admin.hpp"
#include "asyncfix_test/expect_redis_error.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <string>
#include <vector>

namespace {

using asyncfix::redis::Errc;
using asyncfix::redis::RedisEnvironment;
using asyncfix::redis::RedisManager;
using asyncfix_test::expect_redis_error;
using boost::asio::awaitable;
using ::testing::HasSubstr;

std::string test_key(const std::string& name) {
  return std::string(asyncfix::redis::test_key_root) + "state:" + std::to_string(::getpid()) + ":" +
         name;
}

awaitable<void> send(RedisManager& manager, std::vector<std::string> args) {
  co_await manager.command(std::move(args));
}

/// SET then GET on the manager; the GET must return what was SET (not "QUEUED" or another reply).
awaitable<void> round_trip(RedisManager& manager, std::string key, std::string value) {
  co_await manager.set(key, value);
  const auto read = co_await manager.get(key);
  EXPECT_EQ(read, value) << "a reply went to the wrong request, or the SET never ran";
  co_await manager.command("DEL", key);
}

TEST(SharedConnectionState, CommandsThatChangeTheConnectionAreRefusedNamingTheApiToUse) {
  RedisManager manager({.url = RedisEnvironment::instance().url()});
  asyncfix::TestLoop loop("SharedConnectionState.Refused");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"MULTI"}, "redis.transaction()"},
      {{"exec"}, "redis.transaction()"},
      {{"DISCARD"}, "discard()"},
      {{"WATCH", test_key("w")}, "redis.watch(keys...)"},
      {{"UNWATCH"}, "discard()"},
      {{"SELECT", "1"}, "in the URL"},
      {{"AUTH", "nobody", "nothing"}, "in the URL"},
      {{"HELLO", "3"}, "RESP2"},
      {{"RESET"}, "RESET changes the state"},
      {{"QUIT"}, "close the manager"},
      {{"CLIENT", "REPLY", "OFF"}, "CLIENT REPLY"},
      {{"client", "reply", "skip"}, "CLIENT reply"},
      {{"CLIENT", "TRACKING", "on"}, "CLIENT TRACKING"},
  };
  for (const auto& [args, names] : cases) {
    const auto error = expect_redis_error(loop, send(manager, args));
    EXPECT_EQ(error.errc(), Errc::invalid_command) << args[0];
    EXPECT_THAT(error.what(), HasSubstr(names)) << args[0];
  }
  loop.run(round_trip(manager, test_key("after"), "still-in-sync"));
  // What a SET on the manager acknowledged is on the server, in database 0.
  loop.run(manager.set(test_key("seen"), "1"));
  asyncfix_test::Admin admin(RedisEnvironment::instance().url());
  EXPECT_EQ(admin.command({"GET", test_key("seen")}), "1");
  admin.command({"DEL", test_key("seen")});
  // Harmless CLIENT subcommands still pass.
  loop.run(send(manager, {"CLIENT", "SETNAME", "asyncfix-state-test"}));
}

awaitable<void> pipeline_with(RedisManager& manager, std::vector<std::string> command) {
  auto pipeline = manager.pipeline();
  pipeline.add("SET", test_key("p"), "1").add(std::move(command));
  co_await pipeline.exec();
}

TEST(SharedConnectionState, APipelineRefusesABlockingOrStateChangingCommandAndSendsNothing) {
  RedisManager manager({.url = RedisEnvironment::instance().url()});
  asyncfix::TestLoop loop("SharedConnectionState.Pipeline");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"BLPOP", test_key("q"), "1"}, "blocks the connection"},
      {{"XREAD", "BLOCK", "100", "STREAMS", test_key("s"), "$"}, "blocks the connection"},
      {{"MULTI"}, "changes the state"},
      {{"SELECT", "2"}, "changes the state"},
  };
  asyncfix_test::Admin admin(RedisEnvironment::instance().url());
  for (const auto& [command, says] : cases) {
    const auto error = expect_redis_error(loop, pipeline_with(manager, command));
    EXPECT_EQ(error.errc(), Errc::invalid_command) << command[0];
    EXPECT_THAT(error.what(), HasSubstr(says)) << command[0];
    EXPECT_EQ(admin.command({"EXISTS", test_key("p")}), "0")
        << "nothing of a refused pipeline reaches the server";
  }
  loop.run(round_trip(manager, test_key("after"), "v"));
}

awaitable<void> transaction_with_blpop(RedisManager& manager) {
  auto transaction = manager.transaction();
  transaction.add("BLPOP", test_key("empty"), "5").add("SET", test_key("t"), "1");
  const auto replies = co_await transaction.exec();
  EXPECT_EQ(replies.size(), 2U);
  EXPECT_TRUE(replies.front().is_nil()) << "inside MULTI the server never blocks";
  co_await manager.command("DEL", test_key("t"));
}

TEST(SharedConnectionState, ATransactionMayHoldABlockingCommandSinceTheServerNeverBlocksInIt) {
  RedisManager manager({.url = RedisEnvironment::instance().url()});
  asyncfix::TestLoop loop("SharedConnectionState.Transaction");
  loop.run(transaction_with_blpop(manager));
}

}  // namespace
