// Tests that fail on purpose. Not registered with ctest: watchdog_child_test.cpp runs this binary
// as a child process and checks that each failure is reported by name and the run goes on.
#include <asyncfix/asyncfix.hpp>
#include <asyncfix/testing/hard_watchdog.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;

/// A fixture with a short deadline and grace.
class Hang : public asyncfix::AsyncTest {
 public:
  Hang()
      : asyncfix::AsyncTest(
            asyncfix::AsyncOptions::from_env({.deadline = 300ms, .teardown_grace = 200ms})) {}
};

ASYNC_TEST_F(Hang, BodyNeverCompletes) {
  spawn("idle listener", []() -> awaitable<void> {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 1h);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }());
  asyncfix::PendingOperation op("waiting for godot");
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 1h);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

ASYNC_TEST_F(Hang, TeardownCleanupNeverCompletes) {
  on_teardown("close that hangs", []() -> awaitable<void> {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 1h);
    co_await timer.async_wait(boost::asio::use_awaitable);
  });
  co_return;
}

ASYNC_TEST(After, StillRuns) {
  co_return;
}

/// A typed test whose body fails for one of its two types.
template <class T>
class TypedFailure : public asyncfix::AsyncTest {};
using TypedFailureTypes = ::testing::Types<char, int>;
TYPED_TEST_SUITE(TypedFailure, TypedFailureTypes);

ASYNC_TYPED_TEST(TypedFailure, FailsForInt) {
  CO_ASSERT_EQ(sizeof(TypeParam), 1U)
      << "on purpose for " << ::testing::internal::GetTypeName<TypeParam>();
}

/// Retries forever and catches everything, the cancellation included. Asio's default would make
/// every co_await after the cancellation throw at once, so this would never return to the loop;
/// asyncfix turns that off, so each retry suspends and the test can give up on it.
awaitable<void> retry_swallowing_cancellation() {
  for (;;) {
    try {
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 10ms);
      co_await timer.async_wait(boost::asio::use_awaitable);
    } catch (...) {
    }
  }
}

ASYNC_TEST_F(Hang, SpawnedTaskSwallowsCancellation) {
  spawn("stubborn poller", retry_swallowing_cancellation());
  co_return;
}

ASYNC_TEST_F(Hang, BodySwallowsCancellation) {
  asyncfix::PendingOperation op("retrying forever");
  co_await retry_swallowing_cancellation();
}

/// Short limits and a short hard-watchdog margin.
class HardHang : public asyncfix::AsyncTest {
 public:
  HardHang()
      : asyncfix::AsyncTest(asyncfix::AsyncOptions::from_env(
            {.deadline = 300ms, .teardown_grace = 200ms, .watchdog_margin = 700ms})) {}
};

ASYNC_TEST_F(HardHang, TeardownCleanupBlocksItsThread) {
  on_teardown("a blocking close", []() -> awaitable<void> {
    std::this_thread::sleep_for(1h);
    co_return;
  });
  co_return;
}

ASYNC_TEST_F(HardHang, BodyBlocksItsThread) {
  asyncfix::PendingOperation op("a blocking sleep");
  std::this_thread::sleep_for(1h);
  co_return;
}

// The watchdog thread sleeps until the innermost guard is due; arming and disarming wake it only
// when that changes to an earlier time. Each body first lets it fall asleep for an hour (an inner
// guard of an hour, held past the body's own bound of 1 s), then needs it back on time.
ASYNC_TEST_F(HardHang, BodyBlocksAfterAnInnerGuardOfAnHourEnded) {
  {
    const asyncfix::HardWatchdogGuard inner("HardHang.inner", "an inner section", 1h, nullptr);
    std::this_thread::sleep_for(1500ms);
  }
  std::this_thread::sleep_for(1h);  // the body's guard is in force again, and long past due
  co_return;
}

ASYNC_TEST_F(HardHang, ShortSectionBlocksInsideAnHourLongGuard) {
  const asyncfix::HardWatchdogGuard outer("HardHang.outer", "an hour-long section", 1h, nullptr);
  std::this_thread::sleep_for(1500ms);
  const asyncfix::HardWatchdogGuard inner("HardHang.ShortSectionBlocksInsideAnHourLongGuard",
                                          "a short section", 200ms, nullptr);
  std::this_thread::sleep_for(1h);
  co_return;
}

/// A resource whose pending operations can be listed only under `mutex`.
class LockedResource : public asyncfix::LoopResource {
 public:
  std::string resource_name() const override { return "locked resource"; }
  bool resource_open() const noexcept override { return true; }
  void close_now() noexcept override {}
  void describe_pending(std::vector<std::string>& out) const override {
    std::lock_guard lock(mutex);
    out.push_back("a locked operation");
  }
  mutable std::mutex mutex;
};

ASYNC_TEST_F(HardHang, BodyDeadlocksHoldingTheLockItsResourceIsDescribedUnder) {
  auto resource = std::make_shared<LockedResource>();
  loop().register_resource(resource);
  std::lock_guard lock(resource->mutex);
  std::this_thread::sleep_for(1h);
  co_return;
}

}  // namespace
