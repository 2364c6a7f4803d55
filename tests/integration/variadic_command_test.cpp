// RedisManager::command("NAME", args...): strings, views, literals and numbers without braces,
// against a real server, with the caller's line in a loop-mismatch message.
#include "asyncfix_test/expect_redis_error.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using asyncfix::redis::Errc;
using asyncfix::redis::RedisManager;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class VariadicCommand : public asyncfix::redis::RedisTest {};

std::vector<std::string> texts(const asyncfix::redis::Reply& reply) {
  std::vector<std::string> out;
  for (const auto& element : reply.elements()) out.push_back(element.text());
  return out;
}

ASYNC_TEST_F(VariadicCommand, TakesStringsViewsLiteralsAndNumbersWithoutBraces) {
  const auto queue = key("q");
  const std::string job = "job-a";
  const std::string_view view = "job-b";
  const auto pushed = co_await redis().command("RPUSH", queue, job, view, "job-c", 42, -7, 2.5);
  CO_ASSERT_EQ(pushed.as_integer(), 6);
  const auto all = co_await redis().command("LRANGE", queue, 0, -1);
  EXPECT_THAT(texts(all), ElementsAre("job-a", "job-b", "job-c", "42", "-7", "2.5"));
  EXPECT_EQ((co_await redis().command("PING")).text(), "PONG");
  EXPECT_EQ((co_await redis().command(std::string("INCRBY"), key("n"), 5)).as_integer(), 5);
}

ASYNC_TEST_F(VariadicCommand, AnErrorReplyIsAServerErrorNamingTheCommand) {
  co_await redis().set(key("text"), "not a number");
  try {
    co_await redis().command("INCRBY", key("text"), 1);
    ADD_FAILURE() << "INCRBY on a string must fail";
  } catch (const asyncfix::redis::RedisError& e) {
    EXPECT_EQ(e.code(), Errc::server_error);
    EXPECT_THAT(e.what(), HasSubstr("INCRBY"));
  }
}

/// PING through the variadic form; `line` is the line of the call.
boost::asio::awaitable<void> variadic_ping(RedisManager& manager, int& line) {
  line = __LINE__ + 1;
  co_await manager.command("PING");
}

TEST(VariadicCommandWhere, ALoopMismatchNamesTheCallersLine) {
  const auto url = asyncfix::redis::RedisEnvironment::instance().url();
  RedisManager manager({.url = url, .on_loop_change = asyncfix::LoopPolicy::Fail});
  asyncfix::TestLoop first("VariadicCommandWhere [first]");
  first.run(manager.ping());
  asyncfix::TestLoop second("VariadicCommandWhere [second]");
  int line = 0;
  try {
    second.run(variadic_ping(manager, line));
    ADD_FAILURE() << "a command from another loop must throw LoopMismatch";
  } catch (const asyncfix::LoopMismatch& e) {
    EXPECT_THAT(e.what(), HasSubstr("variadic_command_test.cpp:" + std::to_string(line)));
  }
  manager.shutdown_now();
}

}  // namespace
