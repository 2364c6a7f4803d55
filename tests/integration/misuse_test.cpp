// Misuse of the Redis API becomes a named error, never a crash: empty and subscription commands,
// one Reconnect manager on two running loops, a manager destroyed mid-command, redis().shutdown()
// in a body, a synchronous command that times out.
#include "asyncfix_test/admin.hpp"
#include "asyncfix_test/expect_redis_error.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <future>
#include <latch>
#include <thread>

namespace {

using namespace std::chrono_literals;
using asyncfix::redis::Errc;
using asyncfix::redis::RedisEnvironment;
using asyncfix::redis::RedisError;
using asyncfix::redis::RedisManager;
using asyncfix_test::expect_redis_error;
using boost::asio::awaitable;
using ::testing::HasSubstr;

awaitable<void> send(RedisManager& manager, std::vector<std::string> args) {
  co_await manager.command(std::move(args));
}

TEST(Misuse, AnEmptyCommandIsANamedErrorNotAnAbort) {
  RedisManager manager({.url = RedisEnvironment::instance().url()});
  asyncfix::TestLoop loop("Misuse.Empty");
  const auto error = expect_redis_error(loop, send(manager, {}));
  EXPECT_EQ(error.errc(), Errc::invalid_command);
  EXPECT_THAT(error.what(), HasSubstr("the command is empty"));
  loop.run(manager.ping());  // the connection is still fine
}

TEST(Misuse, SubscriptionCommandsAreRefusedAndAPublishDoesNotCrash) {
  RedisManager manager({.url = RedisEnvironment::instance().url()});
  asyncfix::TestLoop loop("Misuse.Subscribe");
  const std::string channel =
      std::string(asyncfix::redis::test_key_root) + "misuse:" + std::to_string(::getpid());
  for (const char* name : {"SUBSCRIBE", "psubscribe", "SSUBSCRIBE", "MONITOR", "UNSUBSCRIBE"}) {
    std::vector<std::string> args{name};
    if (std::string_view(name) != "MONITOR") args.push_back(channel);
    const auto error = expect_redis_error(loop, send(manager, args));
    EXPECT_EQ(error.errc(), Errc::invalid_command) << name;
    EXPECT_THAT(error.what(), HasSubstr("redis.subscribe(")) << name;
  }
  // Before the fix the first PUBLISH to the channel crashed the process.
  asyncfix_test::Admin admin(RedisEnvironment::instance().url());
  admin.command({"PUBLISH", channel, "hello"});
  loop.run(manager.ping());  // the same manager still answers
}

/// SET then GET of its own key `rounds` times; RedisErrors are collected, not thrown.
awaitable<void> churn(RedisManager& manager, std::string key, int rounds, int& ok,
                      std::vector<std::string>& errors) {
  for (int i = 0; i < rounds; ++i) {
    try {
      co_await manager.set(key, std::to_string(i));
      const auto value = co_await manager.get(key);
      if (value == std::to_string(i)) ++ok;
    } catch (const RedisError& e) {
      errors.emplace_back(e.what());
    }
  }
  asyncfix_test::Admin(RedisEnvironment::instance().url()).command({"DEL", key});
}

TEST(Misuse, OneReconnectManagerOnTwoRunningLoopsNeverCrashesAndNamesPerLoop) {
  RedisManager manager({.url = RedisEnvironment::instance().url()});
  const std::string prefix =
      std::string(asyncfix::redis::test_key_root) + "misuse:" + std::to_string(::getpid()) + ":";
  struct Result {
    int ok = 0;
    std::vector<std::string> errors;
  };
  auto run_on_own_loop = [&](const std::string& name) {
    Result result;
    asyncfix::TestLoop loop("Misuse.TwoLoops " + name);
    loop.run(churn(manager, prefix + name, 300, result.ok, result.errors), 30s);
    return result;
  };
  auto first = std::async(std::launch::async, run_on_own_loop, "a");
  auto second = std::async(std::launch::async, run_on_own_loop, "b");
  const auto a = first.get();
  const auto b = second.get();
  // They take the connection from each other (a loop may lose every round under load); what
  // matters is that nothing crashed and every failure says why.
  EXPECT_GT(a.ok + b.ok, 0);
  for (const auto* errors : {&a.errors, &b.errors}) {
    for (const auto& error : *errors) {
      EXPECT_THAT(error, HasSubstr("LoopPolicy::PerLoop")) << "an error that does not say why";
    }
  }
}

// The crash behind the test above, made certain: the loop that made a connection closes its
// resources while another thread (a loop taking the connection over) closes it too. Each must find
// the other's close done, never free the hiredis context a second time.
TEST(Misuse, TwoThreadsClosingOneConnectionAtOnceCloseItOnce) {
  for (int round = 0; round < 50; ++round) {
    auto loop = std::make_unique<asyncfix::TestLoop>("Misuse.CloseTwice");
    auto connection = loop->run(
        asyncfix::redis::RedisConnection::connect({.url = RedisEnvironment::instance().url()}));
    std::latch start(2);
    std::thread taker([&] {
      start.arrive_and_wait();
      connection->close();
    });
    start.arrive_and_wait();
    loop->close();
    taker.join();
    EXPECT_FALSE(connection->is_open()) << "round " << round;
  }
}

TEST(Misuse, DestroyingAManagerWithCommandsInFlightResumesEveryWaiterSafely) {
  constexpr int waiters = 20;
  asyncfix::TestLoop loop("Misuse.Destroyed");
  auto manager = std::make_unique<RedisManager>(
      asyncfix::redis::RedisOptions{.url = RedisEnvironment::instance().url()});
  loop.run(manager->ping());
  auto shut_down = std::make_shared<std::atomic<int>>(0);
  auto finished = std::make_shared<std::atomic<int>>(0);
  loop.run([](std::unique_ptr<RedisManager>& owned, std::shared_ptr<std::atomic<int>> shut,
              std::shared_ptr<std::atomic<int>> done) -> awaitable<void> {
    auto executor = co_await boost::asio::this_coro::executor;
    const std::string key =
        std::string(asyncfix::redis::test_key_root) + "misuse:blpop:" + std::to_string(::getpid());
    for (int i = 0; i < waiters; ++i) {
      boost::asio::co_spawn(
          executor,
          [](RedisManager& m, std::string k, std::shared_ptr<std::atomic<int>> s,
             std::shared_ptr<std::atomic<int>> d) -> awaitable<void> {
            try {
              std::vector<std::string> blpop{std::string("BLPOP"), k, std::string("2")};
              co_await m.command(std::move(blpop));
            } catch (const RedisError& e) {
              if (e.errc() == Errc::shut_down) s->fetch_add(1);
            }
            d->fetch_add(1);
          }(*owned, key, shut, done),
          boost::asio::detached);
    }
    boost::asio::steady_timer settle(executor, 50ms);
    co_await settle.async_wait(boost::asio::use_awaitable);
    owned.reset();  // destroyed while every command is in flight
    boost::asio::steady_timer wait(executor, 5ms);
    while (done->load() < waiters) {
      wait.expires_after(5ms);
      co_await wait.async_wait(boost::asio::use_awaitable);
    }
  }(manager, shut_down, finished));
  EXPECT_EQ(finished->load(), waiters);
  EXPECT_EQ(shut_down->load(), waiters);
}

/// Shuts redis() down in the body; checks after teardown that its keys are gone anyway.
class ShutdownInBody : public asyncfix::redis::RedisTest {
 protected:
  void TearDown() override {
    RedisTest::TearDown();
    asyncfix_test::Admin admin(redis_url());
    EXPECT_EQ(admin.command({"KEYS", asyncfix::redis::escape_glob(key_prefix()) + "*"}), "0")
        << "teardown left this test's keys on the server";
  }
};

ASYNC_TEST_F(ShutdownInBody, TeardownStillDeletesTheTestsKeys) {
  co_await redis().set(key("a"), "1");
  co_await redis().set(key("b"), "2");
  co_await redis().shutdown();
  EXPECT_TRUE(redis().is_shut_down());
}

TEST(SyncClient, ACommandWithoutAReplyInTimeIsATimeout) {
  auto server = asyncfix::redis::RedisServer::start();
  auto sleeper = std::async(std::launch::async, [&] {
    asyncfix::redis::detail::SyncClient client(server->url(), 2s);
    client.command({"DEBUG", "SLEEP", "0.5"});
  });
  std::this_thread::sleep_for(50ms);  // the server is asleep now
  try {
    asyncfix::redis::detail::SyncClient slow(server->url(), 100ms);
    (void)slow.command({"PING"});
    ADD_FAILURE() << "PING answered while the server slept";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.errc(), Errc::timeout) << e.what();
    EXPECT_THAT(e.what(), HasSubstr("no reply within 100 ms"));
  }
  sleeper.get();
}

}  // namespace
