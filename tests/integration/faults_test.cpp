// Faults without a proxy, each against a private server: kill mid-command, DEBUG SLEEP past the
// command timeout, nothing listening, a wrong password, writes to a dead peer (SIGPIPE).
#include "asyncfix_test/expect_redis_error.hpp"
#include "asyncfix_test/free_port.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using asyncfix::redis::Errc;
using asyncfix::redis::RedisError;
using asyncfix::redis::RedisManager;
using asyncfix::redis::RedisOptions;
using asyncfix::redis::RedisServer;
using asyncfix::redis::RedisUrl;
using asyncfix_test::expect_redis_error;
using boost::asio::awaitable;
using ::testing::HasSubstr;

TEST(Faults, ServerKilledMidCommandIsConnectionLostThenRestartHeals) {
  auto server = RedisServer::start();
  RedisManager manager({.url = server->url()});
  asyncfix::TestLoop loop("Faults.Killed");
  loop.run(manager.ping());
  const auto start = std::chrono::steady_clock::now();
  const auto error =
      expect_redis_error(loop, [](RedisManager& m, RedisServer& s) -> awaitable<void> {
        // BLPOP blocks on the server; kill the server while it is pending.
        auto executor = co_await boost::asio::this_coro::executor;
        boost::asio::co_spawn(
            executor,
            [](RedisServer& srv) -> awaitable<void> {
              boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, 50ms);
              co_await t.async_wait(boost::asio::use_awaitable);
              srv.kill();
            }(s),
            boost::asio::detached);
        std::vector<std::string> blpop{std::string("BLPOP"), std::string("never"),
                                       std::string("0")};
        co_await m.command(std::move(blpop));
      }(manager, *server));
  EXPECT_EQ(error.errc(), Errc::connection_lost) << error.what();
  EXPECT_THAT(error.what(), HasSubstr("BLPOP never"));
  EXPECT_THAT(error.what(), HasSubstr(server->url().redacted()));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  server->restart();
  EXPECT_NO_THROW(loop.run(manager.ping()));
  // The shared connection before the kill and after the restart, and the BLPOP's own.
  EXPECT_EQ(manager.stats().connects, 3U);
  EXPECT_EQ(manager.stats().dedicated_connects, 1U);
}

TEST(Faults, DebugSleepPastTheCommandTimeoutIsATimeoutWithinTheBound) {
  auto server = RedisServer::start();
  RedisManager manager({.url = server->url(), .command_timeout = 200ms});
  asyncfix::TestLoop loop("Faults.Sleep");
  loop.run(manager.ping());
  const auto start = std::chrono::steady_clock::now();
  const auto error = expect_redis_error(loop, [](RedisManager& m) -> awaitable<void> {
    std::vector<std::string> sleep{std::string("DEBUG"), std::string("SLEEP"), std::string("2")};
    co_await m.command(std::move(sleep));
  }(manager));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(error.errc(), Errc::timeout) << error.what();
  EXPECT_THAT(error.what(), HasSubstr("no reply within 200 ms"));
  EXPECT_GE(took, 200ms);
  EXPECT_LT(took, 1500ms) << "the timeout must not wait for the 2 s sleep";
  // The dropped connection is replaced on the next call (after the server wakes up).
  std::this_thread::sleep_for(2s);
  EXPECT_NO_THROW(loop.run(manager.ping()));
}

TEST(Faults, NothingListeningIsConnectFailedWithinTheConnectTimeout) {
  const auto port = asyncfix_test::unused_loopback_port();
  RedisManager manager({.url = RedisUrl::tcp("127.0.0.1", port), .connect_timeout = 300ms});
  asyncfix::TestLoop loop("Faults.Refused");
  const auto start = std::chrono::steady_clock::now();
  const auto error = expect_redis_error(loop, manager.ping());
  EXPECT_EQ(error.errc(), Errc::connect_failed) << error.what();
  EXPECT_THAT(error.what(), HasSubstr("redis://127.0.0.1:" + std::to_string(port)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3 * 300ms + 1s);
  EXPECT_EQ(manager.stats().errors, 1U) << "the failed connect is a failed command";
}

TEST(Faults, WrongPasswordIsAuthFailedAndThePasswordIsNeverPrinted) {
  auto server = RedisServer::start({.password = "right-horse-battery"});
  auto url = server->url();
  url.password = "wrong-staple";
  RedisManager manager({.url = url});
  asyncfix::TestLoop loop("Faults.Auth");
  const auto error = expect_redis_error(loop, manager.ping());
  EXPECT_EQ(error.errc(), Errc::auth_failed) << error.what();
  EXPECT_THAT(error.what(), ::testing::Not(HasSubstr("wrong-staple")));
  EXPECT_THAT(error.what(), ::testing::Not(HasSubstr("right-horse-battery")));
  EXPECT_EQ(manager.stats().connects, 0U);

  RedisManager no_password({.url = server->url().kind == RedisUrl::Kind::unix_socket
                                       ? RedisUrl::unix_socket(server->url().path)
                                       : RedisUrl::tcp("127.0.0.1", 1)});
  EXPECT_EQ(expect_redis_error(loop, no_password.ping()).errc(), Errc::auth_failed);

  url.password = "right-horse-battery";
  RedisManager good({.url = url});
  EXPECT_NO_THROW(loop.run(good.ping()));
}

TEST(Faults, WritingToAResetPeerDoesNotKillTheProcessWithSigpipe) {
  auto server = RedisServer::start();
  RedisManager manager({.url = server->url()});
  asyncfix::TestLoop loop("Faults.Sigpipe");
  loop.run(manager.ping());
  server->kill();
  const std::string big(1 << 20, 'x');
  for (int i = 0; i < 3; ++i) {
    try {
      loop.run([](RedisManager& m, const std::string& v) -> awaitable<void> {
        co_await m.set(std::string(asyncfix::redis::test_key_root) + "sigpipe", v);
      }(manager, big));
    } catch (const RedisError& e) {
      EXPECT_THAT(e.errc(),
                  ::testing::AnyOf(Errc::connection_lost, Errc::connect_failed, Errc::timeout));
    }
  }
  SUCCEED() << "still alive";
}

}  // namespace
