// Sample 6 (the child): a test that hangs on purpose under a short deadline. Built as its own
// binary and run by sample_06_watchdog_test.cpp, which expects the watchdog's failure.
#include <asyncfix/asyncfix.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

using namespace std::chrono_literals;

class HangOnPurpose : public asyncfix::redis::RedisTest {
 public:
  HangOnPurpose() : RedisTest(asyncfix::AsyncOptions::from_env({.deadline = 500ms})) {}
};

ASYNC_TEST_F(HangOnPurpose, BlpopOnAnEmptyList) {
  // BLPOP with timeout 0 waits forever: the watchdog turns it into a named failure.
  std::vector<std::string> blpop{std::string("BLPOP"), key("empty"), std::string("0")};
  co_await redis().command(std::move(blpop));
}
