// With handler tracking, a loop that starts an operation on another io_context's object fails at
// once with a LoopMismatch naming the line, and hangs and leaks list the pending operations with
// their lines.
#include "asyncfix_test/harness.hpp"
#include "helper_library.hpp"

#include <asyncfix/asyncfix.hpp>
#include <asyncfix/loop/allow_foreign_context.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#if !defined(ASYNCFIX_HANDLER_TRACKING)
#error "asyncfix_track_handlers() did not give this target the tracking definitions"
#endif

namespace {

using namespace std::chrono_literals;
using asyncfix::LoopMismatch;
using asyncfix::MismatchKind;
using asyncfix_test::Harness;
using boost::asio::awaitable;
using Clock = std::chrono::steady_clock;
using ::testing::HasSubstr;
using ::testing::Not;

/// `__FILE__:line`, as the messages name a line of this file.
std::string here(int line) {
  return std::string(__FILE__) + ":" + std::to_string(line);
}

/// Runs `body` on a fresh loop and returns the LoopMismatch it failed with (fails the test when
/// it did not fail with one, or took longer than a tenth of its 10 s deadline to fail).
template <class Body>
LoopMismatch mismatch_of(Body body) {
  asyncfix::TestLoop loop("Tracked");
  const auto started = Clock::now();
  try {
    loop.run(body(), 10s);
  } catch (const LoopMismatch& e) {
    EXPECT_LT(Clock::now() - started, 1s) << "the mismatch waited for the deadline";
    return e;
  }
  ADD_FAILURE() << "the run did not fail with a LoopMismatch";
  return LoopMismatch(MismatchKind::other_context, "none", std::nullopt, std::nullopt, "none");
}

TEST(HandlerTracking, ATimerOfAnotherIoContextFailsAtOnceNamingTheLineAndBothContexts) {
  boost::asio::io_context other;  // nothing runs it: without tracking, a hang until the deadline
  static int line = 0;
  auto error = mismatch_of([&]() -> awaitable<void> {
    boost::asio::steady_timer timer(other, 1h);
    line = __LINE__ + 1;
    co_await timer.async_wait(boost::asio::use_awaitable_t<>());
  });
  EXPECT_EQ(error.kind(), MismatchKind::other_context);
  EXPECT_EQ(error.used_site(), here(line));
  EXPECT_THAT(error.what(), HasSubstr("loop mismatch: 'deadline_timer async_wait' was started on "
                                      "loop #"));
  EXPECT_THAT(error.what(), HasSubstr("'Tracked' (at " + here(line) +
                                      ") on an object of another "
                                      "io_context ("));
  EXPECT_THAT(error.what(), HasSubstr("not an asyncfix loop). Its completion waits for that "
                                      "context to run it"));
  EXPECT_THAT(error.what(), HasSubstr("asyncfix::AllowForeignContext"));
}

TEST(HandlerTracking, AnObjectWithADefaultTokenIsNamedAtItsLineToo) {
  using Timer = boost::asio::use_awaitable_t<>::as_default_on_t<boost::asio::steady_timer>;
  boost::asio::io_context other;
  static int line = 0;
  auto error = mismatch_of([&]() -> awaitable<void> {
    Timer timer(other, 1h);
    line = __LINE__ + 1;
    co_await timer.async_wait();
  });
  EXPECT_EQ(error.used_site(), here(line));
}

TEST(HandlerTracking, ThePlainUseAwaitableTokenIsNamedAtTheLineOfTheCoAwait) {
  boost::asio::io_context other;
  static int line = 0;
  auto error = mismatch_of([&]() -> awaitable<void> {
    boost::asio::steady_timer timer(other, 1h);
    line = __LINE__ + 1;
    co_await timer.async_wait(boost::asio::use_awaitable);
  });
  EXPECT_EQ(error.used_site(), here(line));
  EXPECT_THAT(error.what(), HasSubstr("'Tracked' (at " + here(line) + ")"));
}

/// A coroutine of the user's between the test and the wait: the line is the wait's, in it.
awaitable<void> wait_in_helper(boost::asio::io_context& other, int& line) {
  boost::asio::steady_timer timer(other, 1h);
  line = __LINE__ + 1;
  co_await timer.async_wait(boost::asio::use_awaitable);
}

TEST(HandlerTracking, AWaitInsideAHelperCoroutineIsNamedAtTheHelpersLine) {
  boost::asio::io_context other;
  static int line = 0;
  static int helper_line = 0;
  auto error = mismatch_of([&]() -> awaitable<void> {
    co_await boost::asio::post(co_await boost::asio::this_coro::executor,
                               boost::asio::use_awaitable);  // an earlier co_await of the body
    line = __LINE__ + 1;
    co_await wait_in_helper(other, helper_line);
  });
  EXPECT_EQ(error.used_site(), here(helper_line)) << "the body's line is " << line;
}

TEST(HandlerTracking, AnAdaptedPlainTokenAndADeferredWaitAreNamedAtTheirLines) {
  boost::asio::io_context other;
  static int tuple_line = 0;
  auto tuple_error = mismatch_of([&]() -> awaitable<void> {
    boost::asio::steady_timer timer(other, 1h);
    tuple_line = __LINE__ + 1;
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  });
  EXPECT_EQ(tuple_error.used_site(), here(tuple_line));
  static int deferred_line = 0;
  auto deferred_error = mismatch_of([&]() -> awaitable<void> {
    boost::asio::steady_timer timer(other, 1h);
    deferred_line = __LINE__ + 1;
    co_await timer.async_wait(boost::asio::deferred);
  });
  EXPECT_EQ(deferred_error.used_site(), here(deferred_line));
}

// co_spawn of an operation itself: Asio's entry point awaits it, no coroutine of the user's. The
// body's last co_await, the line before, is not that operation's line.
TEST(HandlerTracking, AnOperationCoSpawnedDirectlyIsNotGivenTheLineOfAnEarlierCoAwait) {
  boost::asio::io_context other;
  static int earlier_line = 0;
  auto error = mismatch_of([&]() -> awaitable<void> {
    boost::asio::steady_timer foreign(other, 1h);
    const auto executor = co_await boost::asio::this_coro::executor;
    earlier_line = __LINE__ + 1;
    co_await boost::asio::post(executor, boost::asio::use_awaitable);
    boost::asio::co_spawn(executor, foreign.async_wait(boost::asio::use_awaitable),
                          boost::asio::detached);
    boost::asio::steady_timer own(executor, 1h);
    co_await own.async_wait(boost::asio::use_awaitable);
  });
  EXPECT_THAT(error.used_site(), Not(HasSubstr(here(earlier_line))));
  EXPECT_THAT(error.used_site(), HasSubstr("a line Asio was not told"));
}

// An awaitable operator awaits the operations from coroutines of Asio's own: no line of the
// user's is known there, and none is made up; the message says how to get it.
TEST(HandlerTracking, AWaitInsideAnAwaitableOperatorNamesNoWrongLine) {
  using namespace boost::asio::experimental::awaitable_operators;
  boost::asio::io_context other;
  auto error = mismatch_of([&]() -> awaitable<void> {
    boost::asio::steady_timer foreign(other, 1h);
    boost::asio::steady_timer own(co_await boost::asio::this_coro::executor, 1h);
    co_await (foreign.async_wait(boost::asio::use_awaitable) ||
              own.async_wait(boost::asio::use_awaitable));
  });
  EXPECT_THAT(error.used_site(), HasSubstr("a line Asio was not told, in the test HandlerTracking."
                                           "AWaitInsideAnAwaitableOperatorNamesNoWrongLine (" +
                                           std::string(__FILE__) + ":"));
  EXPECT_THAT(error.used_site(), HasSubstr("use_awaitable_t<>(), names it"));
}

TEST(HandlerTracking, ATimerOfAnotherLoopIsNamedByThatLoop) {
  asyncfix::TestLoop suite_loop("Suite [SetUpTestSuite]");
  auto error = mismatch_of([&]() -> awaitable<void> {
    boost::asio::steady_timer timer(suite_loop.context(), 1h);
    co_await timer.async_wait(boost::asio::use_awaitable_t<>());
  });
  EXPECT_THAT(error.what(),
              HasSubstr("on an object of loop " + suite_loop.id().to_string() + ". Its"));
  ASSERT_TRUE(error.bound_loop().has_value());
  EXPECT_EQ(error.bound_loop()->serial, suite_loop.id().serial);
}

TEST(HandlerTracking, AWorkerThreadOfAMultiThreadedLoopIsCaughtToo) {
  boost::asio::io_context other;
  asyncfix::TestLoop loop("Tracked x4", 4);
  EXPECT_THROW(loop.run(
                   [&]() -> awaitable<void> {
                     boost::asio::steady_timer timer(other, 1h);
                     co_await timer.async_wait(boost::asio::use_awaitable_t<>());
                   }(),
                   10s),
               LoopMismatch);
}

TEST(HandlerTracking, ALibraryThatDoesNotLinkAsyncfixIsTrackedToo) {
  ASSERT_TRUE(tracking_helper::compiled_with_tracking())
      << "asyncfix_track_handlers() did not give the library the tracking definitions";
  boost::asio::io_context other;
  auto error = mismatch_of([&] { return tracking_helper::wait_on(other); });
  EXPECT_THAT(error.used_site(), HasSubstr("helper_library.cpp:"));
}

TEST(HandlerTracking, AnAllowedContextThatAnotherThreadRunsIsNoMismatch) {
  boost::asio::io_context server_io;
  auto work = boost::asio::make_work_guard(server_io);
  std::thread server_thread([&] { server_io.run(); });
  {
    asyncfix::AllowForeignContext allow(server_io);
    asyncfix::TestLoop loop("Tracked");
    EXPECT_NO_THROW(loop.run(
        [&]() -> awaitable<void> {
          boost::asio::steady_timer timer(server_io, 1ms);
          co_await timer.async_wait(boost::asio::use_awaitable_t<>());
        }(),
        10s));
  }
  work.reset();
  server_thread.join();
}

TEST(HandlerTracking, PostingToAnotherContextIsAHandOffNotAMismatch) {
  boost::asio::io_context other;
  asyncfix::TestLoop loop("Tracked");
  EXPECT_NO_THROW(loop.run(
      [&]() -> awaitable<void> {
        boost::asio::post(other, [] {});
        boost::asio::steady_timer own(co_await boost::asio::this_coro::executor, 1ms);
        co_await own.async_wait(boost::asio::use_awaitable_t<>());
      }(),
      10s));
  EXPECT_EQ(other.poll(), 1U);
}

/// The failures (fatal or not) an AsyncTest with `body` records, gtest-spi style, in order.
std::vector<::testing::TestPartResult> failures_of(Harness::Body body) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    Harness h(asyncfix_test::quick_options(), std::move(body));
    h.run_all();
  }
  std::vector<::testing::TestPartResult> failures;
  for (int i = 0; i < results.size(); ++i) failures.push_back(results.GetTestPartResult(i));
  return failures;
}

std::string all_messages(const std::vector<::testing::TestPartResult>& failures) {
  std::string text;
  for (const auto& failure : failures) text += std::string(failure.message()) + "\n";
  return text;
}

TEST(HandlerTracking, AnAsyncTestFailsWithTheMismatchAtTheLineOfTheWait) {
  static int line = 0;
  const auto failures = failures_of([](Harness&) -> awaitable<void> {
    boost::asio::io_context other;
    boost::asio::steady_timer timer(other, 1h);
    line = __LINE__ + 1;
    co_await timer.async_wait(boost::asio::use_awaitable_t<>());
  });
  ASSERT_EQ(failures.size(), 1U) << all_messages(failures);
  EXPECT_THAT(
      failures[0].message(),
      HasSubstr("asyncfix: the body of "
                "'HandlerTracking.AnAsyncTestFailsWithTheMismatchAtTheLineOfTheWait' threw "
                "asyncfix::LoopMismatch at " +
                here(line) + ": loop mismatch: 'deadline_timer async_wait' was started on loop #"));
  EXPECT_THAT(failures[0].message(), HasSubstr("(at " + here(line) + ")"));
  EXPECT_EQ(failures[0].line_number(), line) << "not reported at the line of the wait";
}

// The task's wait is refused while it starts, so its frames are kept suspended, never resumed:
// teardown must not cancel it (its timer's cancellation handler is in them, for a context that is
// not running).
TEST(HandlerTracking, ASpawnedTaskThatWaitsOnAnotherContextFailsTheTestAndTeardownStaysSafe) {
  static int line = 0;
  static boost::asio::io_context* other = nullptr;
  boost::asio::io_context other_io;
  other = &other_io;
  const auto failures = failures_of([](Harness& self) -> awaitable<void> {
    self.spawn("foreign waiter", []() -> awaitable<void> {
      boost::asio::steady_timer timer(*other, 1h);
      line = __LINE__ + 1;
      co_await timer.async_wait(boost::asio::use_awaitable_t<>());
    }());
    boost::asio::steady_timer own(co_await boost::asio::this_coro::executor, 1h);
    co_await own.async_wait(boost::asio::use_awaitable_t<>());
  });
  ASSERT_EQ(failures.size(), 1U) << all_messages(failures);
  EXPECT_THAT(failures[0].message(), HasSubstr("threw asyncfix::LoopMismatch at " + here(line)));
}

// Destroying the body's frames would destroy its joinable std::thread: std::terminate, and the
// whole binary gone. The frames are kept instead; the test fails and the process goes on.
TEST(HandlerTracking, AMismatchInABodyWithAJoinableThreadFailsTheTestAndTheProcessStands) {
  static std::atomic<bool> release{false};
  const auto failures = failures_of([](Harness&) -> awaitable<void> {
    std::thread helper([] {
      while (!release) std::this_thread::sleep_for(1ms);
    });
    boost::asio::io_context other;
    boost::asio::steady_timer timer(other, 1h);
    co_await timer.async_wait(boost::asio::use_awaitable_t<>());
    helper.join();
  });
  release = true;  // the helper ends; its std::thread stays with the kept frame
  ASSERT_EQ(failures.size(), 1U) << all_messages(failures);
  EXPECT_THAT(failures[0].message(), HasSubstr("threw asyncfix::LoopMismatch"));
}

// A context of the test's own that the body runs itself (ctx.run() in the body) is the test's
// business: a callback on it, or a coroutine spawned on it, is no mismatch.
TEST(HandlerTracking, APrivateContextTheBodyRunsItselfIsNoMismatch) {
  asyncfix::TestLoop loop("Tracked");
  int fired = 0;
  EXPECT_NO_THROW(loop.run(
      [&]() -> awaitable<void> {
        boost::asio::io_context own;
        boost::asio::steady_timer callback_timer(own, 1ms);
        callback_timer.async_wait([&](boost::system::error_code) { ++fired; });
        boost::asio::co_spawn(
            own,
            [&]() -> awaitable<void> {
              boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 1ms);
              co_await timer.async_wait(boost::asio::use_awaitable_t<>());
              ++fired;
            },
            boost::asio::detached);
        own.run();
        co_return;
      }(),
      10s));
  EXPECT_EQ(fired, 2);
}

TEST(HandlerTracking, AHungBodyListsThePendingTimerWithItsLine) {
  static int line = 0;
  const auto failures = failures_of([](Harness&) -> awaitable<void> {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 1h);
    line = __LINE__ + 1;
    co_await timer.async_wait(boost::asio::use_awaitable);
  });
  ASSERT_EQ(failures.size(), 1U) << all_messages(failures);
  EXPECT_THAT(failures[0].message(), HasSubstr("did not finish within its deadline of 150 ms"));
  EXPECT_THAT(failures[0].message(),
              HasSubstr("deadline_timer async_wait started at " + here(line)));
}

TEST(HandlerTracking, ALeakNamesTheTimerAndWhereItWasStarted) {
  static int line = 0;
  const auto failures = failures_of([](Harness&) -> awaitable<void> {
    const auto executor = co_await boost::asio::this_coro::executor;
    auto forgotten = [executor]() -> awaitable<void> {
      boost::asio::steady_timer timer(executor, 1h);
      line = __LINE__ + 1;
      co_await timer.async_wait(boost::asio::use_awaitable);
    };
    boost::asio::co_spawn(executor, forgotten, boost::asio::detached);
    co_return;
  });
  ASSERT_EQ(failures.size(), 1U) << all_messages(failures);
  EXPECT_THAT(failures[0].message(), HasSubstr("outstanding handlers after teardown"));
  EXPECT_THAT(failures[0].message(),
              HasSubstr("pending: deadline_timer async_wait started at " + here(line)));
}

}  // namespace
