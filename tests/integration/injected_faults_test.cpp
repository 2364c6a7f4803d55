// The in-process faults of ASYNCFIX_FAULTS (InjectedFaults), each taking effect in a real
// RedisTest against a real server: fail_nth_command, loop_swap, close_loop_before_teardown, the
// network faults FaultRedisTest applies, and kill/restart of the server (in a child process, the
// matrix subject, on a private server of its own, so the shared one is never touched).
#include <asyncfix/asyncfix.hpp>
#include <asyncfix/fault/fault_redis_test.hpp>

#include "asyncfix_test/admin.hpp"
#include "asyncfix_test/child_process.hpp"
#include "support/process_identity.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>

namespace {

using asyncfix::AsyncOptions;
using asyncfix::AsyncTest;
using asyncfix::InjectedFaults;
using asyncfix::redis::Errc;
using asyncfix::redis::RedisError;
using asyncfix::redis::RedisTest;
using ::testing::HasSubstr;

AsyncOptions with_faults(std::string_view text) {
  AsyncOptions options;
  options.faults = InjectedFaults::parse(text);
  return options;
}

/// A RedisTest driven by hand, with the faults given, whose body is set by the test.
template <class Base>
class Probe : public Base {
 public:
  using Body = std::function<boost::asio::awaitable<void>(Probe&)>;
  Probe(AsyncOptions options, Body body) : Base(options), body_(std::move(body)) {}
  using Base::SetUp;
  using Base::setup_failed;
  using Base::TearDown;
  using Base::TestBody;

 protected:
  boost::asio::awaitable<void> co_body() override { return body_(*this); }

 private:
  Body body_;
};

boost::asio::awaitable<void> pings_counting_failures(Probe<RedisTest>& test, int& failures,
                                                     std::vector<Errc>& codes) {
  for (int i = 0; i < 5; ++i) {
    try {
      co_await test.redis().ping();
    } catch (const RedisError& e) {
      ++failures;
      codes.push_back(static_cast<Errc>(e.code().value()));
    }
  }
}

/// The codes of the PINGs that failed among five, in a RedisTest run with `faults`.
std::vector<Errc> failed_pings_with(std::string_view faults) {
  int failures = 0;
  std::vector<Errc> codes;
  Probe<RedisTest> probe(with_faults(faults), [&](auto& self) {
    return pings_counting_failures(self, failures, codes);
  });
  probe.SetUp();
  probe.TestBody();
  probe.TearDown();
  EXPECT_EQ(failures, static_cast<int>(codes.size()));
  return codes;
}

TEST(InjectedFaults, FailNthCommandFailsExactlyOneCommandWithConnectionLostAndTheNextHeals) {
  // Command 1 is the handshake's CLIENT SETNAME; command 2 the first PING.
  EXPECT_THAT(failed_pings_with("fail_nth_command=2"),
              ::testing::ElementsAre(Errc::connection_lost));
}

TEST(InjectedFaults, FailNthCommandOneFailsTheHandshakeAndTheTestSeesIt) {
  // Command 1 is the handshake's CLIENT SETNAME: the connect retry must not absorb it, so the
  // first PING (which connects) fails, and only it.
  EXPECT_THAT(failed_pings_with("fail_nth_command=1"),
              ::testing::ElementsAre(Errc::connection_lost));
}

boost::asio::awaitable<void> ping_twice(Probe<RedisTest>& test) {
  co_await test.redis().ping();
  co_await test.redis().ping();
}

TEST(InjectedFaults, LoopSwapConnectsOnSetUpsOwnLoopSoTheBodySeesOneLoopChange) {
  Probe<RedisTest> probe(with_faults("loop_swap"), ping_twice);
  probe.SetUp();
  ASSERT_TRUE(probe.redis_created()) << "loop_swap must connect redis() during SetUp";
  EXPECT_EQ(probe.redis().stats().connects, 1U);
  probe.TestBody();
  EXPECT_EQ(probe.redis().stats().loop_changes, 1U);
  EXPECT_EQ(probe.redis().stats().connects, 2U);
  probe.TearDown();
  EXPECT_TRUE(probe.teardown_report().leaks.empty()) << probe.teardown_report().summary();
}

boost::asio::awaitable<void> write_a_key(Probe<RedisTest>& test) {
  co_await test.redis().set(test.key("k"), "v");
}

TEST(InjectedFaults, CloseLoopBeforeTeardownStopsTheLoopAndTeardownStillDeletesTheKeys) {
  Probe<RedisTest> probe(with_faults("close_loop_before_teardown"), write_a_key);
  probe.SetUp();
  probe.TestBody();
  const auto pattern = asyncfix::redis::escape_glob(probe.key_prefix()) + "*";
  asyncfix_test::Admin admin(probe.redis_url());
  ASSERT_EQ(admin.command({"KEYS", pattern}), "1");
  probe.TearDown();
  const auto& report = probe.teardown_report();
  EXPECT_TRUE(report.loop_stopped_by_test) << "the fault stops the loop before teardown";
  EXPECT_THAT(report.fallbacks, ::testing::Contains(HasSubstr("delete test keys")));
  EXPECT_EQ(admin.command({"KEYS", pattern}), "0") << "the synchronous fallback deletes them";
}

TEST(InjectedFaults, ANetworkFaultInAPlainRedisTestFailsItSinceNothingWouldApplyIt) {
  ::testing::TestPartResultArray failures;
  {
    const ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    Probe<RedisTest> probe(with_faults("latency:latency=5"), ping_twice);
    probe.SetUp();
    probe.TearDown();
  }
  ASSERT_EQ(failures.size(), 1);
  EXPECT_THAT(failures.GetTestPartResult(0).message(),
              HasSubstr("ASYNCFIX_FAULTS has 'latency:latency=5', which is no in-process fault"));
  EXPECT_THAT(failures.GetTestPartResult(0).message(), HasSubstr("FaultRedisTest"));
}

boost::asio::awaitable<void> nothing(Probe<AsyncTest>&) {
  co_return;
}

TEST(InjectedFaults, AMisspeltInProcessFaultFailsEvenAPlainAsyncTestNeverIgnored) {
  ::testing::TestPartResultArray failures;
  {
    const ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    Probe<AsyncTest> probe(with_faults("close_loop_before_teardown,loop_swp"), nothing);
    probe.SetUp();
    EXPECT_TRUE(probe.setup_failed());
    probe.TearDown();
  }
  ASSERT_EQ(failures.size(), 1);
  EXPECT_THAT(failures.GetTestPartResult(0).message(),
              HasSubstr("ASYNCFIX_FAULTS has 'loop_swp', which is no in-process fault (those are "
                        "loop_swap, close_loop_before_teardown"));
}

TEST(InjectedFaults, FaultRedisTestRefusesAnItemThatIsNoToxicNamingIt) {
  ::testing::TestPartResultArray failures;
  {
    const ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    Probe<asyncfix::fault::FaultRedisTest> probe(
        with_faults("latency:latency=5,rate=1"),
        [](auto&) -> boost::asio::awaitable<void> { co_return; });
    probe.SetUp();
    probe.TearDown();
  }
  ASSERT_EQ(failures.size(), 1);
  EXPECT_THAT(failures.GetTestPartResult(0).message(),
              HasSubstr("ASYNCFIX_FAULTS item 'rate=1': latency has no parameter 'rate'"));
}

boost::asio::awaitable<void> timed_ping(Probe<asyncfix::fault::FaultRedisTest>& test,
                                        std::chrono::milliseconds& took) {
  co_await test.redis().ping();
  const auto start = std::chrono::steady_clock::now();
  co_await test.redis().ping();
  took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

TEST(InjectedFaults, FaultRedisTestAppliesTheNetworkFaultsOfTheListToItsProxy) {
  std::chrono::milliseconds took{0};
  Probe<asyncfix::fault::FaultRedisTest> probe(with_faults("latency:latency=120@downstream"),
                                               [&](auto& self) { return timed_ping(self, took); });
  probe.SetUp();
  EXPECT_THAT(probe.faults().toxics(), ::testing::SizeIs(1));
  probe.TestBody();
  probe.TearDown();
  EXPECT_GE(took, std::chrono::milliseconds(110));
  EXPECT_LT(took, std::chrono::milliseconds(1'000));
}

asyncfix_test::ChildResult run_server_fault_child(const asyncfix::redis::RedisServer& server,
                                                  const std::string& faults) {
  return asyncfix_test::run_child(
      "ASYNCFIX_REDIS_URL='" + server.url().to_string() + "' ASYNCFIX_FAULTS='" + faults + "' " +
      "ASYNCFIX_SUBJECT=ping_through_the_fault " + ASYNCFIX_MATRIX_SUBJECT);
}

TEST(InjectedFaults, KillRedisAtMsKillsTheServerMidTestAndTheTestSeesItGo) {
  auto server = asyncfix::redis::RedisServer::start();
  const auto child = run_server_fault_child(*server, "kill_server_at_ms=100");
  EXPECT_THAT(child.output, HasSubstr("afx-child: saw_error=1 last_ping_ok=0")) << child.output;
  EXPECT_FALSE(asyncfix::detail::process_identity(server->pid()).has_value())
      << "the server must be dead";
}

TEST(InjectedFaults, AKillLaterThanTheBodyStillHappensWhenTheBodyEndsBeforeTeardown) {
  auto server = asyncfix::redis::RedisServer::start();
  const auto child = run_server_fault_child(*server, "kill_server_at_ms=600000");
  EXPECT_THAT(child.output, HasSubstr("injected_faults=kill_server_at_ms")) << child.output;
  EXPECT_FALSE(asyncfix::detail::process_identity(server->pid()).has_value())
      << "the body ended long before 600 s: the kill must come then, not be dropped";
}

TEST(InjectedFaults, RestartRedisAtMsRestartsTheServerEmptyOnItsAddressAndTheTestHeals) {
  auto server = asyncfix::redis::RedisServer::start();
  asyncfix_test::Admin(server->url()).command({"SET", "afx:marker", "1"});
  const auto child = run_server_fault_child(*server, "restart_server_at_ms=100");
  // The manager reconnects on its next command, so a ping may or may not have failed.
  EXPECT_THAT(child.output, HasSubstr("last_ping_ok=1 key_survived=0")) << child.output;
  EXPECT_EQ(child.exit_code, 0) << child.output;
  asyncfix_test::Admin admin(server->url());
  EXPECT_EQ(admin.command({"EXISTS", "afx:marker"}), "0") << "a restart loses the data";
  EXPECT_THAT(admin.command({"INFO", "server"}),
              HasSubstr("process_id:" + std::to_string(server->pid())));
}

}  // namespace
