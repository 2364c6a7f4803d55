// AsyncTest: one loop for setup/body/teardown, the deadline watchdog, bounded teardown, fallbacks,
// leak reports and the recorded report.
#include "asyncfix_test/free_port.hpp"
#include "asyncfix_test/harness.hpp"
#include "asyncfix_test/sleep.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <set>

namespace {

using namespace std::chrono_literals;
using asyncfix_test::Harness;
using asyncfix_test::quick_options;
using boost::asio::awaitable;
using boost::asio::use_awaitable;
using ::testing::HasSubstr;

using asyncfix_test::sleep_for;

ASYNC_TEST(AsyncTestBasics, BodyRunsOnTheTestsOwnNamedLoop) {
  co_await sleep_for(1ms);
  CO_ASSERT_EQ(asyncfix::current_loop(), &loop());
  EXPECT_EQ(loop().id().name, "AsyncTestBasics.BodyRunsOnTheTestsOwnNamedLoop");
}

/// Records the loop each phase ran on.
class SameLoopFixture : public asyncfix::AsyncTest {
 protected:
  awaitable<void> co_setup() override {
    co_await sleep_for(1ms);
    setup_loop_ = asyncfix::current_loop()->id().serial;
  }
  awaitable<void> co_teardown() override {
    EXPECT_EQ(asyncfix::current_loop()->id().serial, setup_loop_) << "teardown on another loop";
    co_return;
  }
  std::uint64_t setup_loop_ = 0;
};

ASYNC_TEST_F(SameLoopFixture, SetupBodyAndTeardownShareOneLoop) {
  CO_ASSERT_NE(setup_loop_, 0U);
  CO_ASSERT_EQ(asyncfix::current_loop()->id().serial, setup_loop_);
}

TEST(AsyncTestWatchdog, AHungBodyFailsByNameWithWhatWasPending) {
  EXPECT_FATAL_FAILURE(
      {
        Harness h(quick_options(), [](Harness&) -> awaitable<void> {
          asyncfix::PendingOperation op("GET answer from a server that never replies");
          boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, 1h);
          co_await t.async_wait(use_awaitable);
        });
        h.run_all();
      },
      "GET answer from a server that never replies");
  EXPECT_FATAL_FAILURE(
      {
        Harness h(quick_options(), [](Harness&) -> awaitable<void> {
          boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, 1h);
          co_await t.async_wait(use_awaitable);
        });
        h.run_all();
      },
      "'AsyncTestWatchdog.AHungBodyFailsByNameWithWhatWasPending' did not finish within its "
      "deadline of 150 ms");
}

TEST(AsyncTestWatchdog, AHungSetupFailsAndSkipsTheBody) {
  static bool body_ran = false;
  EXPECT_FATAL_FAILURE(
      {
        class HungSetup : public Harness {
         public:
          HungSetup()
              : Harness(quick_options(), [](Harness&) -> awaitable<void> {
                  body_ran = true;
                  co_return;
                }) {}

         protected:
          awaitable<void> co_setup() override { co_await sleep_for(1h); }
        } h;
        h.run_all();
      },
      "asyncfix watchdog: co_setup(): ");
  EXPECT_FALSE(body_ran);
}

TEST(AsyncTestTeardown, FinishesWithinTheGraceWhenACleanupHangsAndUsesItsFallback) {
  bool fallback_ran = false;
  Harness h(quick_options(), [&](Harness& self) -> awaitable<void> {
    self.on_teardown(
        "hanging close", []() -> awaitable<void> { co_await sleep_for(1h); },
        [&] { fallback_ran = true; });
    co_return;
  });
  const auto start = std::chrono::steady_clock::now();
  h.run_all();
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(fallback_ran);
  EXPECT_THAT(h.teardown_report().fallbacks, ::testing::Contains("hanging close"));
  EXPECT_LT(took, 3s) << "teardown must be bounded by the grace, not by the hanging cleanup";
}

TEST(AsyncTestTeardown, TheWaitForCancelledTasksCountsAgainstTheOneGrace) {
  // Grace 300 ms: a task that swallows its cancellation holds teardown's task wait for its 200 ms
  // limit, which leaves 100 ms for a cleanup that needs 250 ms. Had each step its own budget, the
  // cleanup would finish.
  auto options = quick_options();
  options.teardown_grace = 300ms;
  Harness h(options, [](Harness& self) -> awaitable<void> {
    self.spawn("stubborn", []() -> awaitable<void> {
      const auto until = std::chrono::steady_clock::now() + 1s;
      while (std::chrono::steady_clock::now() < until) {
        try {
          co_await sleep_for(10ms);
        } catch (...) {  // swallows the cancellation on purpose
        }
      }
    }());
    self.on_teardown("slow close", []() -> awaitable<void> { co_await sleep_for(250ms); });
    co_return;
  });
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    h.run_all();
  }
  std::string leaks;
  for (const auto& leak : h.teardown_report().leaks) leaks += leak + "\n";
  EXPECT_THAT(leaks, HasSubstr("teardown cleanup 'slow close' did not finish within the 300 ms"))
      << h.teardown_report().summary();
}

TEST(AsyncTestTeardown, CleanupsRunLifoOnTheTestLoop) {
  std::vector<std::string> order;
  std::uint64_t body_loop = 0;
  std::vector<std::uint64_t> cleanup_loops;
  Harness h(quick_options(), [&](Harness& self) -> awaitable<void> {
    body_loop = asyncfix::current_loop()->id().serial;
    for (const char* name : {"first", "second", "third"}) {
      self.on_teardown(name, [&, name]() -> awaitable<void> {
        order.emplace_back(name);
        cleanup_loops.push_back(asyncfix::current_loop()->id().serial);
        co_return;
      });
    }
    co_return;
  });
  h.run_all();
  EXPECT_EQ(order, (std::vector<std::string>{"third", "second", "first"}));
  EXPECT_THAT(cleanup_loops, ::testing::Each(body_loop));
  EXPECT_EQ(h.teardown_report().cleanups, 4U);  // three cleanups and co_teardown()
  EXPECT_TRUE(h.teardown_report().fallbacks.empty());
}

TEST(AsyncTestTeardown, UsesTheSyncFallbackWhenTheBodyStoppedTheLoop) {
  bool graceful_ran = false;
  bool fallback_ran = false;
  Harness h(quick_options(), [&](Harness& self) -> awaitable<void> {
    self.on_teardown(
        "close connection",
        [&]() -> awaitable<void> {
          graceful_ran = true;
          co_return;
        },
        [&] { fallback_ran = true; });
    self.io().stop();
    co_return;
  });
  h.run_all();
  EXPECT_FALSE(graceful_ran);
  EXPECT_TRUE(fallback_ran);
  EXPECT_TRUE(h.teardown_report().loop_stopped_by_test);
  EXPECT_THAT(h.teardown_report().fallbacks, ::testing::Contains("close connection"));
  EXPECT_TRUE(h.teardown_report().leaks.empty()) << h.teardown_report().summary();
}

TEST(AsyncTestTeardown, UnnamedCleanupsAreNumbered) {
  Harness h(quick_options(), [](Harness& self) -> awaitable<void> {
    self.on_teardown([]() -> awaitable<void> { co_await sleep_for(1h); }, [] {});
    co_return;
  });
  h.run_all();
  EXPECT_THAT(h.teardown_report().fallbacks, ::testing::Contains("cleanup #1"));
}

TEST(AsyncTestTeardown, ALeakedTimerFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(
      {
        Harness h(quick_options(), [](Harness& self) -> awaitable<void> {
          auto timer = std::make_shared<boost::asio::steady_timer>(self.io(), 1h);
          timer->async_wait([timer](boost::system::error_code) {});
          co_return;
        });
        h.run_all();
      },
      "outstanding handlers after teardown");
}

TEST(AsyncTestTeardown, LeakPolicyWarnReportsWithoutFailing) {
  auto options = quick_options();
  options.leaks = asyncfix::LeakPolicy::Warn;
  Harness h(options, [](Harness& self) -> awaitable<void> {
    auto timer = std::make_shared<boost::asio::steady_timer>(self.io(), 1h);
    timer->async_wait([timer](boost::system::error_code) {});
    co_return;
  });
  h.run_all();
  EXPECT_FALSE(HasFailure());
  ASSERT_EQ(h.teardown_report().leaks.size(), 1U);
  EXPECT_THAT(h.teardown_report().leaks[0], HasSubstr("outstanding handlers"));
}

/// A resource that stays open unless closed.
struct OpenResource final : asyncfix::LoopResource {
  std::string resource_name() const override { return "forgotten socket"; }
  bool resource_open() const noexcept override { return open; }
  void close_now() noexcept override { open = false; }
  bool open = true;
};

/// Runs a test whose body registers `resource` with its loop and leaves it open.
void run_test_leaving_open(const std::shared_ptr<OpenResource>& resource) {
  Harness h(quick_options(), [&](Harness& self) -> awaitable<void> {
    self.loop().register_resource(resource);
    co_return;
  });
  h.run_all();
}

TEST(AsyncTestTeardown, AResourceLeftOpenIsClosedAndReported) {
  auto resource = std::make_shared<OpenResource>();
  EXPECT_NONFATAL_FAILURE(run_test_leaving_open(resource), "resource left open: forgotten socket");
  EXPECT_FALSE(resource->open);
}

TEST(AsyncTestTeardown, TheLeakReportNamesThePerResourceRemedy) {
  auto resource = std::make_shared<OpenResource>();
  EXPECT_NONFATAL_FAILURE(run_test_leaving_open(resource),
                          "LoopResource::closes_with_loop(), for Redis "
                          "RedisOptions::closes_with_loop or LoopPolicy::Reconnect/PerLoop");
}

TEST(AsyncTestTeardown, SpawnedTasksAreCancelledAndListed) {
  bool task_saw_cancel = false;
  Harness h(quick_options(), [&](Harness& self) -> awaitable<void> {
    self.spawn("background poller", [](bool& saw) -> awaitable<void> {
      try {
        co_await sleep_for(1h);
      } catch (const boost::system::system_error&) {
        saw = true;
      }
    }(task_saw_cancel));
    co_return;
  });
  h.run_all();
  EXPECT_TRUE(task_saw_cancel);
  EXPECT_THAT(h.teardown_report().cancelled_tasks, ::testing::Contains("background poller"));
  EXPECT_TRUE(h.teardown_report().leaks.empty()) << h.teardown_report().summary();
}

TEST(AsyncTestBody, AnExceptionFailsTheTestWithItsMessage) {
  EXPECT_FATAL_FAILURE(
      {
        Harness h(quick_options(), [](Harness&) -> awaitable<void> {
          co_await sleep_for(1ms);
          throw std::runtime_error("database said no");
        });
        h.run_all();
      },
      "database said no");
}

/// Intercepts the failures `run` reports into `results`.
template <class Run>
void capture_failures(::testing::TestPartResultArray& results, Run run) {
  ::testing::ScopedFakeTestPartResultReporter reporter(
      ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
  run();
}

TEST(AsyncTestFailureLocation, AnExceptionIsReportedAtTheTestsOwnLineWithItsTypeDemangled) {
  const int test_line = __LINE__ - 1;
  ::testing::TestPartResultArray results;
  capture_failures(results, [] {
    Harness h(quick_options(), [](Harness&) -> awaitable<void> {
      co_await sleep_for(1ms);
      throw std::out_of_range("no such row");
    });
    h.run_all();
  });
  ASSERT_EQ(results.size(), 1);
  const auto& failure = results.GetTestPartResult(0);
  EXPECT_TRUE(failure.fatally_failed());
  EXPECT_THAT(failure.file_name(), ::testing::EndsWith("async_test_test.cpp"));
  EXPECT_EQ(failure.line_number(), test_line);
  EXPECT_THAT(failure.message(), HasSubstr("threw std::out_of_range: no such row"));
}

/// A manager nothing listens for: its first command fails to connect (connect_failed).
asyncfix::redis::RedisOptions unreachable_redis() {
  return {.url = asyncfix::redis::RedisUrl::tcp("127.0.0.1", asyncfix_test::unused_loopback_port()),
          .connect_attempts = 1};
}

/// Expects `results` to be one failure, at `line` of this file, saying a RedisError was thrown
/// there.
void expect_redis_error_at(const ::testing::TestPartResultArray& results, int line) {
  ASSERT_EQ(results.size(), 1);
  const auto& failure = results.GetTestPartResult(0);
  EXPECT_THAT(failure.file_name(), ::testing::EndsWith("async_test_test.cpp"));
  EXPECT_EQ(failure.line_number(), line);
  EXPECT_THAT(failure.message(),
              HasSubstr("threw asyncfix::redis::RedisError at " + std::string(__FILE__) + ":" +
                        std::to_string(line) + ": "));
  EXPECT_THAT(failure.message(), HasSubstr("127.0.0.1"));
}

TEST(AsyncTestFailureLocation, ARedisErrorIsReportedAtTheLineOfItsCoAwait) {
  static int command_line = 0;
  ::testing::TestPartResultArray results;
  capture_failures(results, [] {
    Harness h(quick_options(), [](Harness&) -> awaitable<void> {
      asyncfix::redis::RedisManager redis(unreachable_redis());
      command_line = __LINE__ + 1;
      co_await redis.set("k", "v");
    });
    h.run_all();
  });
  expect_redis_error_at(results, command_line);
}

TEST(AsyncTestFailureLocation, APipelineThatCannotConnectIsReportedAtTheLineOfItsExec) {
  static int exec_line = 0;
  static std::uint64_t errors = 0;
  ::testing::TestPartResultArray results;
  capture_failures(results, [] {
    Harness h(quick_options(), [](Harness&) -> awaitable<void> {
      asyncfix::redis::RedisManager redis(unreachable_redis());
      auto pipeline = redis.pipeline();
      pipeline.add("SET", "k", "v");
      try {
        exec_line = __LINE__ + 1;
        co_await pipeline.exec();
      } catch (...) {
        errors = redis.stats().errors;
        throw;
      }
    });
    h.run_all();
  });
  expect_redis_error_at(results, exec_line);
  EXPECT_EQ(errors, 1U) << "the failed connect counts in stats().errors";
}

TEST(AsyncTestFailureLocation, AHangAndALeakAreReportedAtTheTestsOwnLine) {
  const int test_line = __LINE__ - 1;
  ::testing::TestPartResultArray results;
  capture_failures(results, [] {
    Harness h(quick_options(), [](Harness& self) -> awaitable<void> {
      // A timer left running past the body (a leak), then a wait past the deadline (a hang).
      auto leaked = std::make_shared<boost::asio::steady_timer>(self.io(), 10s);
      leaked->async_wait([leaked](boost::system::error_code) {});
      co_await sleep_for(10s);
    });
    h.run_all();
  });
  ASSERT_GE(results.size(), 2);
  for (int i = 0; i < results.size(); ++i) {
    const auto& failure = results.GetTestPartResult(i);
    EXPECT_THAT(failure.file_name(), ::testing::EndsWith("async_test_test.cpp"))
        << failure.message();
    EXPECT_EQ(failure.line_number(), test_line) << failure.message();
  }
  EXPECT_THAT(results.GetTestPartResult(0).message(), HasSubstr("did not finish"));
}

TEST(AsyncTestFailureText, AFailedCleanupAndAFailedTaskSayAsyncfixOnce) {
  ::testing::TestPartResultArray results;
  capture_failures(results, [] {
    Harness h(quick_options(), [](Harness& self) -> awaitable<void> {
      self.spawn("poller", []() -> awaitable<void> {
        co_await sleep_for(1ms);
        throw std::runtime_error("asyncfix: lost the poller");
      }());
      self.on_teardown("close pool", []() -> awaitable<void> {
        co_await sleep_for(1ms);
        throw std::runtime_error("asyncfix: pool already closed");
      });
      co_await sleep_for(20ms);
    });
    h.run_all();
  });
  ASSERT_EQ(results.size(), 2);
  const std::string cleanup = results.GetTestPartResult(0).message();
  const std::string task = results.GetTestPartResult(1).message();
  EXPECT_THAT(cleanup,
              HasSubstr("asyncfix: teardown cleanup 'close pool' of "
                        "'AsyncTestFailureText.AFailedCleanupAndAFailedTaskSayAsyncfixOnce' "
                        "failed: pool already closed"));
  EXPECT_THAT(task, HasSubstr("asyncfix: task 'poller' spawned by "
                              "'AsyncTestFailureText.AFailedCleanupAndAFailedTaskSayAsyncfixOnce' "
                              "failed: lost the poller"));
  EXPECT_THAT(cleanup + task, ::testing::Not(HasSubstr("failed: asyncfix:")));
}

TEST(AsyncTestReport, IsRecordedAsTestProperties) {
  Harness h(quick_options(), [](Harness&) -> awaitable<void> { co_return; });
  h.run_all();
  const auto* result = ::testing::UnitTest::GetInstance()->current_test_info()->result();
  std::set<std::string> keys;
  for (int i = 0; i < result->test_property_count(); ++i)
    keys.insert(result->GetTestProperty(i).key());
  EXPECT_TRUE(keys.contains("asyncfix.loop"));
  EXPECT_TRUE(keys.contains("asyncfix.teardown_ms"));
  EXPECT_TRUE(keys.contains("asyncfix.loop_changes"));
  EXPECT_THAT(h.teardown_report().summary(), HasSubstr("loop #"));
}

/// Sets its flag when destroyed: tells whether a coroutine frame was destroyed.
struct FrameMarker {
  std::shared_ptr<bool> destroyed;
  ~FrameMarker() { *destroyed = true; }
};

TEST(AsyncTestBody, AStoppedBodyNeverResumesAndItsFrameIsDestroyed) {
  // Statics: EXPECT_FATAL_FAILURE's statement cannot use local variables.
  static auto resumed = std::make_shared<bool>(false);
  static auto destroyed = std::make_shared<bool>(false);
  EXPECT_FATAL_FAILURE(
      {
        Harness h(quick_options(), [](Harness& self) -> awaitable<void> {
          const FrameMarker marker{destroyed};
          self.io().stop();
          co_await sleep_for(20ms);  // due during teardown's drain
          *resumed = true;
        });
        h.run_all();
      },
      "was stopped (io_context::stop())");
  EXPECT_FALSE(*resumed) << "the body ran again after its teardown";
  EXPECT_TRUE(*destroyed) << "the stopped body's frame was never destroyed";
}

TEST(TestLoopRun, ACoroutineGivenUpOnIsDestroyedNotResumed) {
  auto resumed = std::make_shared<bool>(false);
  auto destroyed = std::make_shared<bool>(false);
  asyncfix::TestLoop loop("given up");
  EXPECT_THROW(loop.run([](asyncfix::TestLoop& l, std::shared_ptr<bool> resumed_flag,
                           std::shared_ptr<bool> destroyed_flag) -> awaitable<void> {
    const FrameMarker marker{std::move(destroyed_flag)};
    l.context().stop();
    co_await sleep_for(10ms);
    *resumed_flag = true;
  }(loop, resumed, destroyed)),
               asyncfix::LoopStopped);
  EXPECT_FALSE(*destroyed);  // still suspended on its timer
  loop.drain(200ms);
  EXPECT_FALSE(*resumed);
  EXPECT_TRUE(*destroyed);
}

TEST(AsyncTestTeardown, AFallbackThrowingANonStdExceptionIsReportedAndTheRestStillRuns) {
  bool earlier_fallback_ran = false;
  std::vector<std::string> fallbacks;
  EXPECT_NONFATAL_FAILURE(
      {
        Harness h(quick_options(), [&](Harness& self) -> awaitable<void> {
          self.on_teardown("registered first", nullptr, [&] { earlier_fallback_ran = true; });
          self.on_teardown("throws an int", nullptr, [] { throw 42; });
          self.io().stop();  // teardown takes the fallbacks
          co_return;
        });
        h.run_all();
        fallbacks = h.teardown_report().fallbacks;
      },
      "fallback of teardown cleanup 'throws an int' threw an exception that is not a "
      "std::exception");
  EXPECT_TRUE(earlier_fallback_ran) << "a throwing fallback skipped the others";
  EXPECT_THAT(fallbacks, ::testing::ElementsAre("registered first"));
}

}  // namespace
