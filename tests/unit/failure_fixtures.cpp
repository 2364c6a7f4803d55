// Tests that fail on purpose. Not registered with ctest: watchdog_child_test.cpp runs this binary
// as a child process and checks that each failure is reported by name and the run goes on.
#include <asyncfix/asyncfix.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

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

}  // namespace
