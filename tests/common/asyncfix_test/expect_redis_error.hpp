#pragma once
// Runs a coroutine that must fail with a RedisError, and hands the error back for assertions.
#include <asyncfix/loop/test_loop.hpp>
#include <asyncfix/redis/redis_error.hpp>

#include <gtest/gtest.h>
#include <boost/asio/awaitable.hpp>

namespace asyncfix_test {

/// Runs `work` on `loop` expecting a RedisError and returns it; when none is thrown, records a
/// failure and returns an error whose code no test expects (protocol_error, "none").
inline asyncfix::redis::RedisError expect_redis_error(asyncfix::TestLoop& loop,
                                                      boost::asio::awaitable<void> work) {
  try {
    loop.run(std::move(work));
  } catch (const asyncfix::redis::RedisError& e) {
    return e;
  }
  ADD_FAILURE() << "no RedisError";
  return asyncfix::redis::RedisError(asyncfix::redis::Errc::protocol_error, "none");
}

}  // namespace asyncfix_test
