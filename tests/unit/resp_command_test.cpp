// RespCommand must write exactly the bytes hiredis's own formatter writes: asyncfix hands them to
// hiredis with redisAsyncFormattedCommand(), so any difference is a malformed request.
#include "redis/resp_command.hpp"
#include "redis/command_argv.hpp"

#include <hiredis/hiredis.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

using asyncfix::redis::detail::CommandArgv;
using asyncfix::redis::detail::RespCommand;

std::string hiredis_format(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  char* target = nullptr;
  const int size =
      redisFormatCommandArgv(&target, static_cast<int>(args.size()), argv.data(), lengths.data());
  std::string bytes(target, static_cast<std::size_t>(size));
  std::free(target);
  return bytes;
}

std::string ours(const std::vector<std::string>& args) {
  const CommandArgv argv(args);
  return std::string(RespCommand(argv).bytes());
}

/// Success when RespCommand writes what hiredis writes for `args`; else where they part (the
/// requests can be 100 kB long).
::testing::AssertionResult same_as_hiredis(const std::vector<std::string>& args) {
  const auto expected = hiredis_format(args);
  const auto actual = ours(args);
  if (actual == expected) return ::testing::AssertionSuccess();
  std::size_t at = 0;
  while (at < actual.size() && at < expected.size() && actual[at] == expected[at]) ++at;
  return ::testing::AssertionFailure()
         << args.size() << " arguments: " << actual.size() << " bytes instead of hiredis's "
         << expected.size() << ", first difference at byte " << at << " (near \""
         << expected.substr(at > 8 ? at - 8 : 0, 24) << "\" in hiredis's)";
}

TEST(RespCommand, WritesTheRequestRedisReads) {
  const std::vector<std::string> args{"SET", "user:1", "value-1"};
  EXPECT_EQ(ours(args), "*3\r\n$3\r\nSET\r\n$6\r\nuser:1\r\n$7\r\nvalue-1\r\n");
}

TEST(RespCommand, MatchesHiredisForEmptyBinaryLongAndManyArguments) {
  const std::vector<std::vector<std::string>> cases{
      {"PING"},
      {"SET", "", ""},
      {"SET", std::string("a\r\nb\0c", 6), "\r\n"},
      {"SET", "k", std::string(255, 'v')},                        // just below the stack buffer
      {"SET", "k", std::string(100000, 'v')},                     // far past it
      {"DEL", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"},  // past eight arguments
      {"MSET", std::string(9, 'k'), std::string(10, 'v'), std::string(99, 'k'),
       std::string(100, 'v'), std::string(999, 'k'), std::string(1000, 'v')}};
  for (const auto& args : cases) {
    EXPECT_TRUE(same_as_hiredis(args));
  }
}

TEST(RespCommand, MatchesHiredisForRandomArguments) {
  std::mt19937 random(20261130);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::string> args(1 + random() % 12);
    for (auto& arg : args) {
      arg.resize(random() % (random() % 8 == 0 ? 700 : 40));
      for (auto& c : arg) c = static_cast<char>(random() % 256);
    }
    ASSERT_TRUE(same_as_hiredis(args)) << "round " << round;
  }
}

}  // namespace
