// Must not compile: ASSERT_EQ directly in a coroutine body.
#include <asyncfix/asyncfix.hpp>

ASYNC_TEST(Misuse, AssertInABody) {
  ASSERT_EQ(1 + 1, 2) << "context";
  co_return;
}
