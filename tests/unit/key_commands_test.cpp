// The commands a connection sends on its own, shared by the async connection and the blocking
// client: the handshake and the SCAN+UNLINK rounds.
#include "redis/key_commands.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using asyncfix::redis::RedisUrl;
using asyncfix::redis::Reply;
using asyncfix::redis::detail::handshake_commands;
using asyncfix::redis::detail::UnlinkRound;
using Command = std::vector<std::string>;
using ::testing::ElementsAre;

TEST(KeyCommands, TheHandshakeSendsOnlyWhatIsSetInOrder) {
  EXPECT_TRUE(handshake_commands(RedisUrl::parse("unix:///tmp/afx-none/redis.sock")).empty());
  EXPECT_THAT(
      handshake_commands(RedisUrl::parse("unix://:secret@/tmp/afx-none/redis.sock?db=3"), "afx"),
      ElementsAre(Command{"AUTH", "secret"}, Command{"SELECT", "3"},
                  Command{"CLIENT", "SETNAME", "afx"}));
  EXPECT_THAT(handshake_commands(RedisUrl::parse("unix://alice:secret@/tmp/afx-none/redis.sock")),
              ElementsAre(Command{"AUTH", "alice", "secret"}));
}

TEST(KeyCommands, AnUnlinkRoundReadsTheCursorAndTheKeysOfScansReply) {
  EXPECT_THAT(UnlinkRound::scan("17", "afx:*"),
              ElementsAre("SCAN", "17", "MATCH", "afx:*", "COUNT", "1000"));
  const UnlinkRound more(
      Reply::array({Reply::string("42"), Reply::array({Reply::string("a"), Reply::string("b")})}));
  EXPECT_FALSE(more.done);
  EXPECT_EQ(more.next_cursor, "42");
  EXPECT_THAT(more.unlink, ElementsAre("UNLINK", "a", "b"));
  const UnlinkRound last(Reply::array({Reply::string("0"), Reply::array({})}));
  EXPECT_TRUE(last.done);
  EXPECT_TRUE(last.unlink.empty()) << "no UNLINK without keys";
  EXPECT_TRUE(UnlinkRound(Reply::string("garbage")).done);
}

}  // namespace
