// The database number of a URL reaches the server: the async connection and the blocking client
// both SELECT it in their handshake (written once), so keys land in that database only.
#include "asyncfix_test/admin.hpp"

#include <asyncfix/asyncfix.hpp>

#include "redis/sync_client.hpp"

#include <gtest/gtest.h>

namespace {

using asyncfix::redis::RedisEnvironment;
using asyncfix::redis::RedisManager;

TEST(Database, TheUrlsDatabaseIsTheOneBothClientsWriteToAndDelete) {
  auto db0 = RedisEnvironment::instance().url();
  auto db5 = db0;
  db5.db = 5;
  const std::string key = "afx:database-test:" + std::to_string(::getpid());
  {
    asyncfix::TestLoop loop("Database");
    RedisManager redis({.url = db5});
    loop.run(redis.set(key, "five"));
    loop.run(redis.shutdown());
  }
  asyncfix_test::Admin admin_db0(db0);
  asyncfix_test::Admin admin_db5(db5);
  EXPECT_EQ(admin_db0.command({"EXISTS", key}), "0") << "written to database 0";
  EXPECT_EQ(admin_db5.command({"GET", key}), "five");
  // The blocking client's SCAN+UNLINK deletes in its own database only.
  admin_db0.command({"SET", key, "zero"});
  asyncfix::redis::detail::SyncClient cleaner(db5, std::chrono::seconds(2));
  EXPECT_EQ(cleaner.unlink_matching(key, 10), 1);
  EXPECT_EQ(admin_db5.command({"EXISTS", key}), "0");
  EXPECT_EQ(admin_db0.command({"GET", key}), "zero") << "deleted from database 0";
  admin_db0.command({"DEL", key});
}

}  // namespace
