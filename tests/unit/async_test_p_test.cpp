// ASYNC_TEST_P: a value-parameterized fixture written the gtest way, instantiated with the ordinary
// INSTANTIATE_TEST_SUITE_P, its coroutine body on the test's loop with GetParam().
#include <asyncfix/asyncfix.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

class Delays : public asyncfix::AsyncTest, public ::testing::WithParamInterface<int> {};

ASYNC_TEST_P(Delays, EachRunsOnItsOwnLoopWithItsOwnParam) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                  std::chrono::milliseconds(GetParam()));
  co_await timer.async_wait(boost::asio::use_awaitable);
  CO_ASSERT_EQ(asyncfix::current_loop(), &loop());
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  // Instance i of Values(1, 2, 3) has the parameter i + 1.
  const std::string name = info->name();
  CO_ASSERT_EQ(name, "EachRunsOnItsOwnLoopWithItsOwnParam/" + std::to_string(GetParam() - 1));
  EXPECT_STREQ(info->test_suite_name(), "Short/Delays");
}

INSTANTIATE_TEST_SUITE_P(Short, Delays, ::testing::Values(1, 2, 3));

}  // namespace
