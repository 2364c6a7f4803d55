// RedisServer: start/stop/restart, a missing binary, TCP mode.
#include <asyncfix/asyncfix.hpp>

#include "redis/sync_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

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
  EXPECT_EQ(asyncfix::redis::detail::ping_sync(*server->tcp_url(), std::chrono::seconds(1)), "");
  const auto dir = server->dir();
  server->stop();
  EXPECT_FALSE(std::filesystem::exists(dir));
  server->stop();  // idempotent
}

TEST(RedisServer, KillAndRestartOnTheSameAddress) {
  auto server = RedisServer::start();
  const auto url = server->url();
  server->kill();
  EXPECT_NE(asyncfix::redis::detail::ping_sync(url, std::chrono::milliseconds(200)), "");
  server->restart();
  EXPECT_EQ(server->url(), url);
  EXPECT_EQ(asyncfix::redis::detail::ping_sync(url, std::chrono::seconds(1)), "");
}

TEST(RedisServer, ThePasswordNeverReachesTheServersCommandLine) {
  // A wrapper records the arguments redis-server is started with (its own title rewrite would
  // hide them from /proc/<pid>/cmdline later), then runs the real binary.
  char pattern[] = "/tmp/afx-wrap-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::filesystem::path dir = pattern;
  const auto wrapper = dir / "redis-server";
  const auto args_file = dir / "args";
  const std::string real_binary = RedisServer::start()->executable();
  std::ofstream(wrapper) << "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" << args_file.string()
                         << "'\nexec '" << real_binary << "' \"$@\"\n";
  std::filesystem::permissions(wrapper, std::filesystem::perms::owner_all);
  const std::string password = "pw-" + std::to_string(::getpid()) + "-do-not-show";
  {
    auto server = RedisServer::start({.executable = wrapper.string(), .password = password});
    std::ifstream in(args_file);
    const std::string args((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_THAT(args, HasSubstr("--unixsocket")) << "the wrapper did not record the arguments";
    EXPECT_THAT(args, ::testing::Not(HasSubstr(password))) << "the password was on argv";
    EXPECT_THAT(args, ::testing::Not(HasSubstr("requirepass")));
    struct stat info {};
    ASSERT_EQ(::stat((server->dir() / "redis.conf").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600U);
    // The password is in force: without it the server refuses, with it (in the URL) it answers.
    auto no_password = server->url();
    no_password.password.clear();
    EXPECT_THAT(asyncfix::redis::detail::ping_sync(no_password, std::chrono::seconds(1)),
                HasSubstr("NOAUTH"));
    EXPECT_EQ(asyncfix::redis::detail::ping_sync(server->url(), std::chrono::seconds(1)), "");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
