// What failed a test is recorded as data, the gtest property asyncfix.error = "CATEGORY:VALUE", at
// every place AsyncTest reports a failure: an exception out of the body, a spawned task that
// failed, a teardown cleanup that failed. The fault matrix classifies from it, never from words.
#include "asyncfix_test/harness.hpp"
#include "asyncfix_test/sleep.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <cerrno>
#include <string>
#include <system_error>

namespace {

using namespace std::chrono_literals;
using asyncfix_test::Harness;
using asyncfix_test::quick_options;
using boost::asio::awaitable;

/// The value of the current test's property `key`, or "" when it has none.
std::string property(const char* key) {
  const auto* result = ::testing::UnitTest::GetInstance()->current_test_info()->result();
  for (int i = 0; i < result->test_property_count(); ++i) {
    if (std::string(result->GetTestProperty(i).key()) == key) {
      return result->GetTestProperty(i).value();
    }
  }
  return "";
}

/// Runs `h` with its failures intercepted: they are expected, and checked by the caller.
void run_failing(Harness& h) {
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    h.run_all();
  }
  EXPECT_GT(failures.size(), 0) << "the harness was to fail";
}

TEST(ErrorRecord, ARedisErrorOutOfTheBodyIsRecordedByItsCode) {
  Harness h(quick_options(), [](Harness&) -> awaitable<void> {
    co_await asyncfix_test::sleep_for(1ms);
    throw asyncfix::redis::make_redis_error(asyncfix::redis::Errc::timeout, "GET k", "unix:///x",
                                            "words that may change");
  });
  run_failing(h);
  EXPECT_EQ(property(asyncfix::property::error), "asyncfix.redis:2");
}

TEST(ErrorRecord, ASocketErrorOfASpawnedTaskIsRecordedByItsSystemCode) {
  Harness h(quick_options(), [](Harness& self) -> awaitable<void> {
    self.spawn("reader", []() -> awaitable<void> {
      throw boost::system::system_error(boost::asio::error::connection_reset, "read");
      co_return;
    }());
    co_await asyncfix_test::sleep_for(5ms);
  });
  run_failing(h);
  EXPECT_EQ(property(asyncfix::property::error), "system:" + std::to_string(ECONNRESET));
}

TEST(ErrorRecord, AFailedCleanupIsRecordedByItsCode) {
  Harness h(quick_options(), [](Harness& self) -> awaitable<void> {
    self.on_teardown("close", []() -> awaitable<void> {
      throw std::system_error(std::make_error_code(std::errc::broken_pipe), "flush");
      co_return;
    });
    co_return;
  });
  run_failing(h);
  EXPECT_EQ(property(asyncfix::property::error), "generic:" + std::to_string(EPIPE));
}

TEST(ErrorRecord, ALoopMismatchOutOfTheBodyIsRecordedAsTheLoopClass) {
  Harness h(quick_options(), [](Harness&) -> awaitable<void> {
    co_await asyncfix_test::sleep_for(1ms);
    throw asyncfix::LoopMismatch(asyncfix::MismatchKind::different_loop, "redis unix:///x",
                                 std::nullopt, std::nullopt, "words that may change");
  });
  run_failing(h);
  EXPECT_EQ(property(asyncfix::property::error), "asyncfix.loop:1");
}

TEST(ErrorRecord, AnExceptionWithoutACodeRecordsNothing) {
  Harness h(quick_options(), [](Harness&) -> awaitable<void> {
    co_await asyncfix_test::sleep_for(1ms);
    throw std::runtime_error("no code here");
  });
  run_failing(h);
  EXPECT_EQ(property(asyncfix::property::error), "");
}

}  // namespace
