// Host names in Redis URLs: localhost and [::1] connect (each resolved address is tried in turn),
// and a name that does not resolve fails within the connect timeout, naming the host.
#include "asyncfix_test/expect_redis_error.hpp"
#include "redis/sync_client.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

namespace {

using namespace std::chrono_literals;
using asyncfix::redis::Errc;
using asyncfix::redis::RedisManager;
using asyncfix::redis::RedisServer;
using asyncfix::redis::RedisUrl;
using ::testing::HasSubstr;

/// One private server listening on 127.0.0.1 and ::1 at the same port, for the whole suite.
class HostNames : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = RedisServer::start({.tcp = true, .extra_args = {"--bind", "127.0.0.1", "::1"}});
  }
  static void TearDownTestSuite() { server_.reset(); }

  static RedisUrl url_for(const std::string& host) {
    return RedisUrl::parse("redis://" + host + ":" + std::to_string(server_->tcp_url()->port));
  }

  static inline std::unique_ptr<RedisServer> server_;
};

TEST_F(HostNames, LocalhostConnectsOnTheLoopAndKeepsTheNameInTheUrl) {
  RedisManager manager({.url = url_for("localhost")});
  EXPECT_EQ(manager.options().url.host, "localhost");
  asyncfix::TestLoop loop("HostNames.Localhost");
  loop.run(manager.set("afx:host:localhost", "yes"));
  EXPECT_EQ(loop.run(manager.get("afx:host:localhost")), "yes");
  EXPECT_EQ(manager.stats().connects, 1U);
  loop.run(manager.del("afx:host:localhost"));
  manager.shutdown_now();
}

TEST_F(HostNames, BracketedIpv6LoopbackConnects) {
  RedisManager manager({.url = url_for("[::1]")});
  asyncfix::TestLoop loop("HostNames.Ipv6");
  const auto reply = loop.run(manager.command("CLIENT", "INFO"));
  EXPECT_THAT(reply.text(), HasSubstr("addr=[::1]:"))
      << "the connection must come from ::1, not from 127.0.0.1";
  manager.shutdown_now();
}

TEST_F(HostNames, ANameThatDoesNotResolveFailsWithinTheConnectTimeoutNamingTheHost) {
  const auto url = RedisUrl::parse("redis://afx-no-such-host.invalid");  // never reached
  // A retry would wait 400 ms of backoff first, so a retried lookup shows in the time taken.
  RedisManager manager({.url = url,
                        .connect_timeout = 400ms,
                        .reconnect_backoff = 400ms,
                        .reconnect_backoff_max = 400ms});
  asyncfix::TestLoop loop("HostNames.Unresolved");
  const auto started = std::chrono::steady_clock::now();
  const auto error = asyncfix_test::expect_redis_error(loop, manager.ping());
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(error.code(), Errc::connect_failed);
  EXPECT_THAT(error.what(), HasSubstr("host 'afx-no-such-host.invalid'"));
  EXPECT_THAT(error.what(), HasSubstr("redis://afx-no-such-host.invalid:"));
  // One lookup, not one per connect attempt: 3 attempts take at least 800 ms of backoff, and
  // 1200 ms of lookups when DNS is silent.
  EXPECT_LT(took, 700ms) << error.what();
  EXPECT_EQ(manager.stats().connects, 0U);
  manager.shutdown_now();
}

TEST_F(HostNames, TheBlockingClientResolvesToo) {
  EXPECT_EQ(asyncfix::redis::detail::ping_sync(url_for("localhost"), 1s), "");
  const auto why = asyncfix::redis::detail::ping_sync(
      RedisUrl::parse("redis://afx-no-such-host.invalid"), 400ms);
  EXPECT_THAT(why, HasSubstr("afx-no-such-host.invalid"));
}

}  // namespace
