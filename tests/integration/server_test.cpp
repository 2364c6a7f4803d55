// RedisServer: start/stop/restart, a missing binary, TCP mode.
#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

namespace {

using asyncfix::redis::RedisServer;
using ::testing::HasSubstr;

TEST(RedisServer, MissingBinaryNamesTheVariableAndThePackage) {
  try {
    (void)RedisServer::start({.executable = "/nonexistent/redis-server"});
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/redis-server"));
    EXPECT_THAT(e.what(), HasSubstr("ASYNCFIX_REDIS_SERVER"));
    EXPECT_THAT(e.what(), HasSubstr("apt-get install redis-server"));
  }
}

TEST(RedisServer, PrivateDirectoryShortSocketAndTcpOnLoopback) {
  auto server = RedisServer::start({.tcp = true});
  struct stat info {};
  ASSERT_EQ(::stat(server->dir().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700U);
  EXPECT_LT(server->url().path.size(), 60U);
  ASSERT_TRUE(server->tcp_url());
  EXPECT_EQ(server->tcp_url()->host, "127.0.0.1");
  EXPECT_EQ(asyncfix::redis::ping_sync(*server->tcp_url(), std::chrono::seconds(1)), "");
  const auto dir = server->dir();
  server->stop();
  EXPECT_FALSE(std::filesystem::exists(dir));
  server->stop();  // idempotent
}

TEST(RedisServer, KillAndRestartOnTheSameAddress) {
  auto server = RedisServer::start();
  const auto url = server->url();
  server->kill();
  EXPECT_NE(asyncfix::redis::ping_sync(url, std::chrono::milliseconds(200)), "");
  server->restart();
  EXPECT_EQ(server->url(), url);
  EXPECT_EQ(asyncfix::redis::ping_sync(url, std::chrono::seconds(1)), "");
}

}  // namespace
