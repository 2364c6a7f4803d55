// TestLoop: identity, run() with deadline, stop, close, registry of resources and pending
// operations.
#include <asyncfix/asyncfix.hpp>

#include "asyncfix_test/sleep.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <set>
#include <stdexcept>

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using boost::asio::use_awaitable;
using ::testing::HasSubstr;

using asyncfix_test::sleep_for;

/// A LoopResource that records whether its loop closed it.
struct FakeResource final : asyncfix::LoopResource {
  std::string resource_name() const override { return "fake resource"; }
  bool resource_open() const noexcept override { return open; }
  void close_now() noexcept override { open = false; }
  bool open = true;
};

TEST(TestLoop, RunReturnsTheCoroutineResult) {
  asyncfix::TestLoop loop("TestLoop.Result");
  EXPECT_EQ(loop.run([]() -> awaitable<int> { co_return 42; }()), 42);
  EXPECT_EQ(loop.state(), asyncfix::LoopState::open);
}

TEST(TestLoop, RunRethrowsTheCoroutineExceptionWithItsMessage) {
  asyncfix::TestLoop loop("TestLoop.Throws");
  try {
    loop.run([]() -> awaitable<void> {
      co_await sleep_for(1ms);
      throw std::runtime_error("boom from the coroutine");
    }());
    FAIL() << "run() did not rethrow";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom from the coroutine");
  }
}

TEST(TestLoop, CurrentLoopIsTheRunningLoopOnlyInsideRun) {
  asyncfix::TestLoop loop("TestLoop.Current");
  EXPECT_EQ(asyncfix::current_loop(), nullptr);
  const asyncfix::TestLoop* seen = loop.run([]() -> awaitable<const asyncfix::TestLoop*> {
    co_await sleep_for(1ms);
    co_return asyncfix::current_loop();
  }());
  EXPECT_EQ(seen, &loop);
  EXPECT_EQ(asyncfix::current_loop(), nullptr);
}

TEST(TestLoop, SerialsAreUniqueAcrossOneHundredThousandLoops) {
  std::set<std::uint64_t> serials;
  std::uint64_t previous = 0;
  for (int i = 0; i < 100'000; ++i) {
    asyncfix::TestLoop loop("many");
    ASSERT_GT(loop.id().serial, previous) << "serials must grow and never repeat";
    previous = loop.id().serial;
    serials.insert(previous);
  }
  EXPECT_EQ(serials.size(), 100'000U);
}

TEST(TestLoop, AReusedAddressNeverLooksLikeTheSameLoop) {
  auto first = std::make_unique<asyncfix::TestLoop>("first");
  const auto first_id = first->id();
  auto core = first->core();
  first.reset();
  auto second = std::make_unique<asyncfix::TestLoop>("second");
  EXPECT_NE(second->id(), first_id);
  EXPECT_EQ(core->state.load(), asyncfix::LoopState::closed);
}

TEST(TestLoop, DeadlineTurnsAHangIntoANamedErrorListingPendingOperations) {
  asyncfix::TestLoop loop("TestLoop.Deadline");
  const auto start = std::chrono::steady_clock::now();
  try {
    loop.run(
        []() -> awaitable<void> {
          asyncfix::PendingOperation op("waiting for a reply that never comes");
          co_await sleep_for(1h);
        }(),
        50ms);
    FAIL() << "run() returned although the coroutine hangs";
  } catch (const asyncfix::DeadlineExceeded& e) {
    EXPECT_THAT(e.what(),
                HasSubstr("'TestLoop.Deadline' did not finish within its deadline of 50 ms"));
    EXPECT_THAT(e.what(), HasSubstr("waiting for a reply that never comes"));
    EXPECT_GE(e.elapsed(), 50ms);
  }
  // Bounded: far below the hour the coroutine waited for.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  // The cancelled coroutine unwound and the operation is no longer listed.
  EXPECT_TRUE(loop.pending_operations().empty());
  // The loop is usable afterwards.
  EXPECT_EQ(loop.run([]() -> awaitable<int> { co_return 7; }()), 7);
}

// After its deadline a coroutine gets a short window (100 ms at most, whatever the deadline) to
// unwind; one that catches the cancellation and waits on is given up on when it closes.
TEST(TestLoop, TheUnwindWindowAfterADeadlineIsShortWhateverTheDeadline) {
  asyncfix::TestLoop loop("TestLoop.UnwindWindow");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(loop.run(
                   []() -> awaitable<void> {
                     try {
                       co_await sleep_for(1h);
                     } catch (const boost::system::system_error&) {
                     }
                     co_await sleep_for(2s);  // not cancelled: it started after the cancellation
                   }(),
                   2s),
               asyncfix::DeadlineExceeded);
  // A window as long as the deadline would make it 4 s; this bound leaves a loaded machine 900 ms.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s) << "the unwind window was not bounded";
}

// A retry loop that catches everything, the cancellation included, still suspends at each
// co_await (Asio's throw_if_cancelled is off), so the deadline ends it instead of a spin.
TEST(TestLoop, ARetryLoopThatSwallowsTheCancellationStillEndsAtTheDeadline) {
  asyncfix::TestLoop loop("TestLoop.Swallow");
  auto attempts = std::make_shared<int>(0);
  EXPECT_THROW(loop.run(
                   [](std::shared_ptr<int> tries) -> awaitable<void> {
                     while (*tries < 10'000) {  // a spin ends here instead of hanging the test
                       try {
                         ++*tries;
                         co_await sleep_for(5ms);
                       } catch (...) {
                       }
                     }
                   }(attempts),
                   100ms),
               asyncfix::DeadlineExceeded);
  EXPECT_LT(*attempts, 1000) << "it spun instead of suspending";
}

TEST(TestLoop, ADeadlineMessageListsTenPendingOperationsAndCountsTheRest) {
  asyncfix::TestLoop loop("TestLoop.ManyPending");
  try {
    loop.run(
        []() -> awaitable<void> {
          std::vector<std::unique_ptr<asyncfix::PendingOperation>> ops;
          for (int i = 0; i < 25; ++i) {
            ops.push_back(std::make_unique<asyncfix::PendingOperation>("op " + std::to_string(i)));
          }
          co_await sleep_for(1h);
        }(),
        20ms);
    FAIL();
  } catch (const asyncfix::DeadlineExceeded& e) {
    EXPECT_EQ(e.pending().size(), 25U);
    EXPECT_THAT(e.what(), HasSubstr("still pending (25): op 0; op 1;"));
    EXPECT_THAT(e.what(), HasSubstr("op 9; ... and 15 more"));
    EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("op 10")));
  }
}

TEST(TestLoop, StoppingTheContextWhileACoroutineIsPendingIsReported) {
  asyncfix::TestLoop loop("TestLoop.Stopped");
  EXPECT_THROW(loop.run([](asyncfix::TestLoop& l) -> awaitable<void> {
    l.context().stop();
    co_await sleep_for(1h);
  }(loop)),
               asyncfix::LoopStopped);
  EXPECT_EQ(loop.state(), asyncfix::LoopState::stopped);
  EXPECT_TRUE(loop.stopped());
  // run() restarts a stopped loop.
  EXPECT_EQ(loop.run([]() -> awaitable<int> { co_return 1; }()), 1);
}

TEST(TestLoop, FailRunEndsTheRunAtOnceWithItsErrorAndCancelsTheWork) {
  asyncfix::TestLoop loop("TestLoop.FailRun");
  auto cancelled = std::make_shared<bool>(false);
  const auto started = std::chrono::steady_clock::now();
  try {
    loop.run(
        [](asyncfix::TestLoop& self, std::shared_ptr<bool> seen) -> awaitable<void> {
          self.fail_run(std::make_exception_ptr(std::runtime_error("failed by the test")));
          try {
            co_await sleep_for(1h);
          } catch (const boost::system::system_error&) {
            *seen = true;
            throw;
          }
        }(loop, cancelled),
        10s);
    FAIL() << "run() returned";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "failed by the test");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "it waited for the deadline";
  EXPECT_TRUE(*cancelled) << "the work was not cancelled";
  EXPECT_EQ(loop.state(), asyncfix::LoopState::open);
  // The failure belonged to that run only.
  EXPECT_EQ(loop.run([]() -> awaitable<int> { co_return 7; }()), 7);
}

TEST(TestLoop, RunFromInsideTheLoopIsRefused) {
  asyncfix::TestLoop loop("TestLoop.Reentrant");
  EXPECT_THROW(loop.run([](asyncfix::TestLoop& l) -> awaitable<void> {
    l.run([]() -> awaitable<void> { co_return; }());
    co_return;
  }(loop)),
               std::logic_error);
}

TEST(TestLoop, CloseClosesRegisteredResourcesAndRefusesToRunAgain) {
  auto resource = std::make_shared<FakeResource>();
  asyncfix::TestLoop loop("TestLoop.Close");
  loop.register_resource(resource);
  EXPECT_EQ(loop.open_resources(), std::vector<std::string>{"fake resource"});
  loop.close();
  EXPECT_FALSE(resource->open);
  EXPECT_EQ(loop.closed_at_close(), std::vector<std::string>{"fake resource"});
  EXPECT_EQ(loop.state(), asyncfix::LoopState::closed);
  EXPECT_THROW(loop.run([]() -> awaitable<void> { co_return; }()), asyncfix::LoopStopped);
  loop.close();  // idempotent
}

TEST(TestLoop, DrainReportsOutstandingWork) {
  asyncfix::TestLoop loop("TestLoop.Drain");
  auto timer = std::make_shared<boost::asio::steady_timer>(loop.context(), 1h);
  timer->async_wait([timer](boost::system::error_code) {});
  EXPECT_FALSE(loop.drain(20ms));
  timer->cancel();
  EXPECT_TRUE(loop.drain(1s));
}

TEST(TestLoop, RunUntilStopsWhenThePredicateHolds) {
  asyncfix::TestLoop loop("TestLoop.RunUntil");
  bool fired = false;
  boost::asio::steady_timer timer(loop.context(), 5ms);
  timer.async_wait([&](boost::system::error_code) { fired = true; });
  EXPECT_TRUE(loop.run_until([&] { return fired; }, 5s));
  EXPECT_FALSE(loop.run_until([] { return false; }, 10ms));
}

TEST(TestLoop, ZeroThreadsIsAClearError) {
  try {
    asyncfix::TestLoop loop("TestLoop.Zero", 0);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("threads is 0; expected 1 or more"));
  }
}

}  // namespace
