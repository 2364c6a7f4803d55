// ASYNC_TEST_P on a RedisTest fixture written the gtest way, with INSTANTIATE_TEST_SUITE_P.
#include <asyncfix/asyncfix.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace {

/// ASYNC_TEST_P on a RedisTest written the gtest way.
class ExpiringKeys : public asyncfix::redis::RedisTest,
                     public ::testing::WithParamInterface<int> {};

ASYNC_TEST_P(ExpiringKeys, CarryTheirParamAsTtl) {
  co_await redis().set(key("k"), "v", std::chrono::milliseconds(GetParam() * 1000));
  const auto ttl = (co_await redis().command("PTTL", key("k"))).as_integer();
  CO_ASSERT_GT(ttl, (GetParam() - 1) * 1000);
  CO_ASSERT_LE(ttl, GetParam() * 1000);
}

INSTANTIATE_TEST_SUITE_P(Seconds, ExpiringKeys, ::testing::Values(5, 60));

}  // namespace
