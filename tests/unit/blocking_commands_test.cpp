// Which commands run on a connection of their own, and how long they may block the server.
#include "redis/blocking_commands.hpp"
#include "redis/pending_command.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace {

using asyncfix::redis::detail::blocking_time;
using asyncfix::redis::detail::CommandTimeout;
using std::chrono::milliseconds;

std::optional<milliseconds> block_of(std::vector<std::string> args) {
  return blocking_time(args);
}

TEST(BlockingTime, EachFormReadsItsBlockFromItsOwnPlace) {
  EXPECT_EQ(block_of({"BLPOP", "a", "b", "1.5"}), milliseconds(1500));
  EXPECT_EQ(block_of({"brpoplpush", "src", "dst", "2"}), milliseconds(2000));
  EXPECT_EQ(block_of({"BLMOVE", "s", "d", "LEFT", "RIGHT", "0.01"}), milliseconds(10));
  EXPECT_EQ(block_of({"BZMPOP", "3", "1", "z", "MIN"}), milliseconds(3000));
  EXPECT_EQ(block_of({"XREAD", "COUNT", "5", "BLOCK", "250", "STREAMS", "s", "$"}),
            milliseconds(250));
  EXPECT_EQ(block_of({"XREADGROUP", "GROUP", "g", "c", "block", "40", "STREAMS", "s", ">"}),
            milliseconds(40));
  EXPECT_EQ(block_of({"WAIT", "1", "100"}), milliseconds(100));
}

TEST(BlockingTime, ZeroBlocksForeverAndOthersDoNotBlock) {
  EXPECT_EQ(block_of({"BLPOP", "q", "0"}), CommandTimeout::none);
  EXPECT_EQ(block_of({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}), CommandTimeout::none);
  EXPECT_EQ(block_of({"XREAD", "STREAMS", "s", "0"}), std::nullopt) << "no BLOCK: answers at once";
  EXPECT_EQ(block_of({"XREAD", "STREAMS", "block", "0"}), std::nullopt) << "a stream named block";
  EXPECT_EQ(block_of({"GET", "k"}), std::nullopt);
  EXPECT_EQ(block_of({"BITCOUNT", "k"}), std::nullopt);
  EXPECT_EQ(block_of({"BLPOP"}), std::nullopt);
  EXPECT_EQ(block_of({"BLPOP", "q", "soon"}), milliseconds(0)) << "the server rejects it at once";
}

}  // namespace
