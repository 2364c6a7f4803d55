// redis-server arguments from ASYNCFIX_REDIS_ARGS / `redis start -- ARGS`: split as a shell splits
// words, and the flags asyncfix owns or that would leak a password refused in one line.
#include "redis/server_args.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

using asyncfix::redis::detail::parse_server_args;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string error_of(const std::string& text) {
  try {
    (void)parse_server_args(text, "ASYNCFIX_REDIS_ARGS");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

TEST(ServerArgs, SplitsWordsWithQuotesAndEscapes) {
  EXPECT_THAT(parse_server_args("  --maxmemory-policy allkeys-lru   --maxmemory 64mb ", "x"),
              ElementsAre("--maxmemory-policy", "allkeys-lru", "--maxmemory", "64mb"));
  EXPECT_THAT(
      parse_server_args(
          R"(--loadmodule '/opt/my mods/m.so' --save "" --notify-keyspace-events "K\"E")", "x"),
      ElementsAre("--loadmodule", "/opt/my mods/m.so", "--save", "", "--notify-keyspace-events",
                  "K\"E"));
  EXPECT_THAT(parse_server_args(R"(--dbfilename a\ b.rdb)", "x"),
              ElementsAre("--dbfilename", "a b.rdb"));
  EXPECT_TRUE(parse_server_args("   ", "x").empty());
}

TEST(ServerArgs, BadValuesAreOneLineNamingTheSourceAndWhatWasExpected) {
  EXPECT_EQ(error_of("--maxmemory-policy 'allkeys-lru"),
            "ASYNCFIX_REDIS_ARGS: a ' quote is not closed; expected redis-server options such as "
            "--maxmemory-policy allkeys-lru or --loadmodule /path/module.so");
  EXPECT_THAT(error_of("maxmemory 64mb"),
              HasSubstr("'maxmemory' is not an option (redis-server options start with --)"));
  EXPECT_EQ(error_of("--maxmemory 1mb --port"),
            "ASYNCFIX_REDIS_ARGS: '--port' is chosen by asyncfix (a private directory, socket and "
            "free port per server); leave it out");
  EXPECT_THAT(error_of("--UNIXSOCKET /tmp/x.sock"),
              HasSubstr("'--UNIXSOCKET' is chosen by asyncfix"));
  const auto secret = error_of("--requirepass hunter2");
  EXPECT_THAT(secret, HasSubstr("set RedisServerOptions::password instead"));
  EXPECT_THAT(secret, ::testing::Not(HasSubstr("hunter2")));
  EXPECT_EQ(secret.find('\n'), std::string::npos);
}

}  // namespace
