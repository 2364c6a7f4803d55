// Sample 3: a test that stops its own loop. Teardown cannot run async cleanups on a stopped loop,
// so each cleanup's synchronous fallback runs instead (RedisTest's closes the connection and
// deletes the test's keys with a blocking client). The test passes without errors or warnings.
#include <asyncfix/asyncfix.hpp>

class StoppedLoopSample : public asyncfix::redis::RedisTest {
 protected:
  void TearDown() override {
    RedisTest::TearDown();
    // What teardown did is in the report (and in the gtest XML as asyncfix.* properties).
    EXPECT_TRUE(teardown_report().loop_stopped_by_test);
    EXPECT_TRUE(teardown_report().leaks.empty()) << teardown_report().summary();
  }
};

ASYNC_TEST_F(StoppedLoopSample, TeardownStillCleansUp) {
  co_await redis().set(key("left-behind?"), "no");
  io().stop();  // e.g. code under test that shuts its io_context down
}
