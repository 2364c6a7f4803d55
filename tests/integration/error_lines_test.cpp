// A Redis error that escapes a test body is reported at the line of the co_await that failed,
// whichever way the command failed: an error reply, a timeout, a refused command.
#include "asyncfix_test/harness.hpp"

#include <asyncfix/asyncfix.hpp>
#include <asyncfix/fault/fault_proxy.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using asyncfix::fault::Toxic;
using asyncfix::redis::RedisEnvironment;
using asyncfix::redis::RedisManager;
using asyncfix_test::Harness;
using boost::asio::awaitable;
using ::testing::HasSubstr;

/// The one failure `body` records, with its file and line.
::testing::TestPartResult only_failure(Harness::Body body) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    Harness h(asyncfix_test::quick_options(), std::move(body));
    h.run_all();
  }
  if (results.size() != 1) {
    ADD_FAILURE() << results.size() << " failures, expected 1";
    return ::testing::TestPartResult(::testing::TestPartResult::kSuccess, "", 0, "");
  }
  return results.GetTestPartResult(0);
}

/// A key of this process alone (ctest may run this binary twice at once against one server).
std::string own_key(const char* name) {
  return "afx:error-lines:" + std::to_string(::getpid()) + ":" + name;
}

std::string at(int line) {
  return " at " + std::string(__FILE__) + ":" + std::to_string(line) + ": ";
}

TEST(ErrorLines, AnErrorReplyOnAReadyConnectionIsReportedAtItsCoAwait) {
  static int line = 0;
  const auto failure = only_failure([](Harness&) -> awaitable<void> {
    RedisManager redis({.url = RedisEnvironment::instance().url()});
    co_await redis.set(own_key("text"), "not a number");
    line = __LINE__ + 1;
    co_await redis.incr(own_key("text"));
  });
  EXPECT_EQ(failure.line_number(), line);
  EXPECT_THAT(failure.message(), HasSubstr("threw asyncfix::redis::RedisError" + at(line)));
  EXPECT_THAT(failure.message(), HasSubstr("not an integer"));
  RedisManager cleanup({.url = RedisEnvironment::instance().url()});
  asyncfix::TestLoop loop("ErrorLines.cleanup");
  loop.run(cleanup.del(own_key("text")));
}

TEST(ErrorLines, ATimeoutIsReportedAtItsCoAwait) {
  static int line = 0;
  const auto failure = only_failure([](Harness&) -> awaitable<void> {
    RedisManager redis({.url = RedisEnvironment::instance().url()});
    co_await redis.ping();
    line = __LINE__ + 1;
    co_await redis.with_timeout(20ms).command("BLPOP", own_key("never"), 5);
  });
  EXPECT_EQ(failure.line_number(), line);
  EXPECT_THAT(failure.message(), HasSubstr("threw asyncfix::redis::RedisError" + at(line)));
}

TEST(ErrorLines, ARefusedCommandIsReportedAtItsCoAwait) {
  static int line = 0;
  const auto failure = only_failure([](Harness&) -> awaitable<void> {
    RedisManager redis({.url = RedisEnvironment::instance().url()});
    co_await redis.ping();
    line = __LINE__ + 1;
    co_await redis.command("SUBSCRIBE", own_key("channel"));
  });
  EXPECT_EQ(failure.line_number(), line);
  EXPECT_THAT(failure.message(), HasSubstr("threw asyncfix::redis::RedisError" + at(line)));
  EXPECT_THAT(failure.message(), HasSubstr("redis.subscribe("));
}

TEST(ErrorLines, ALoopMismatchWithoutHandlerTrackingIsReportedAtTheUseSite) {
  // Connected on a loop of its own, then used from the test's loop: LoopPolicy::Fail throws.
  static std::unique_ptr<RedisManager> manager;
  manager = std::make_unique<RedisManager>(asyncfix::redis::RedisOptions{
      .url = RedisEnvironment::instance().url(), .on_loop_change = asyncfix::LoopPolicy::Fail});
  {
    asyncfix::TestLoop setup("ErrorLines.setup");
    setup.run(manager->ping());
  }
  static int line = 0;
  const auto failure = only_failure([](Harness&) -> awaitable<void> {
    line = __LINE__ + 1;
    co_await manager->ping();
  });
  manager.reset();
  EXPECT_EQ(failure.line_number(), line) << failure.message();
  EXPECT_THAT(failure.message(), HasSubstr("threw asyncfix::LoopMismatch" + at(line)));
}

TEST(ErrorLines, AFailedHandshakeIsReportedAtTheCoAwaitThatConnected) {
  // Each connection may send 5 bytes: the TCP connect works, the handshake's CLIENT SETNAME does
  // not.
  static std::unique_ptr<asyncfix::fault::FaultProxy> proxy;
  proxy = asyncfix::fault::FaultProxy::start(RedisEnvironment::instance().url(), 1);
  proxy->announce_seed(false);
  proxy->add(Toxic::parse("limit_data:bytes=5@upstream"));
  static int line = 0;
  const auto failure = only_failure([](Harness&) -> awaitable<void> {
    RedisManager redis({.url = proxy->url(), .client_name = "afx-handshake"});
    line = __LINE__ + 1;
    co_await redis.ping();
  });
  proxy.reset();
  EXPECT_EQ(failure.line_number(), line) << failure.message();
  EXPECT_THAT(failure.message(), HasSubstr("threw asyncfix::redis::RedisError" + at(line)));
  EXPECT_THAT(failure.message(), HasSubstr("CLIENT SETNAME"));
}

}  // namespace
