// ASYNC_TYPED_TEST: a class template fixture written the gtest way, with TYPED_TEST_SUITE, its
// coroutine body on the test's loop with TypeParam.
#include "asyncfix_test/child_process.hpp"

#include <asyncfix/asyncfix.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace {

using ::testing::HasSubstr;

template <class T>
class Widths : public asyncfix::AsyncTest {
 protected:
  /// A fixture member the body reaches through this->, as in any typed test.
  [[nodiscard]] std::size_t expected_size() const { return sizeof(T); }
};

using WidthTypes = ::testing::Types<std::uint8_t, std::uint32_t, std::uint64_t>;
TYPED_TEST_SUITE(Widths, WidthTypes);

ASYNC_TYPED_TEST(Widths, EachTypeRunsOnItsOwnLoop) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                  std::chrono::milliseconds(1));
  co_await timer.async_wait(boost::asio::use_awaitable);
  CO_ASSERT_EQ(asyncfix::current_loop(), &this->loop());
  CO_ASSERT_EQ(sizeof(TypeParam), this->expected_size());
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  // Widths/0 is uint8_t, Widths/1 uint32_t, Widths/2 uint64_t; the loop is named after the test.
  const std::string suite = info->test_suite_name();
  const std::size_t index = sizeof(TypeParam) == 1 ? 0 : sizeof(TypeParam) == 4 ? 1 : 2;
  CO_ASSERT_EQ(suite, "Widths/" + std::to_string(index));
  CO_ASSERT_EQ(this->loop().id().name, suite + ".EachTypeRunsOnItsOwnLoop");
  EXPECT_STREQ(info->type_param(), ::testing::internal::GetTypeName<TypeParam>().c_str());
}

TEST(AsyncTypedTest, AFailingTypedBodyFailsForItsTypeOnlyAtTheAssertionsLine) {
  const auto child = asyncfix_test::run_child(std::string(ASYNCFIX_FAILURE_FIXTURES) +
                                              " --gtest_filter=TypedFailure/*");
  EXPECT_EQ(child.exit_code, 1) << child.output;
  EXPECT_THAT(child.output, HasSubstr("[       OK ] TypedFailure/0.FailsForInt"));
  EXPECT_THAT(child.output,
              HasSubstr("[  FAILED  ] TypedFailure/1.FailsForInt, where TypeParam = int"));
  EXPECT_THAT(child.output, HasSubstr("failure_fixtures.cpp:"));
  EXPECT_THAT(child.output, HasSubstr("on purpose for int"));
}

}  // namespace
