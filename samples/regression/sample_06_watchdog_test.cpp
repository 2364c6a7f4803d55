// Sample 6: the hang above fails with the watchdog's message, naming the test and the pending
// Redis command, within the deadline, and the process goes on to report it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <array>
#include <cstdio>

TEST(WatchdogSample, AHangFailsByNameWithThePendingCommand) {
  std::string output;
  // The child demonstrates a hang on a server of its own: a fault matrix's proxy and in-process
  // faults given to this test are not passed on, since they would turn the hang into another
  // failure.
  FILE* child =
      ::popen("env -u ASYNCFIX_FAULTS -u ASYNCFIX_REDIS_URL " ASYNCFIX_SAMPLE_HANG " 2>&1", "r");
  ASSERT_NE(child, nullptr);
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), child) != nullptr) output += buffer.data();
  const int status = ::pclose(child);
  EXPECT_EQ(WEXITSTATUS(status), 1) << output;
  EXPECT_THAT(output, ::testing::HasSubstr("asyncfix watchdog: the body: "
                                           "'HangOnPurpose.BlpopOnAnEmptyList' did not finish "
                                           "within its deadline of 500 ms"));
  EXPECT_THAT(output, ::testing::HasSubstr("still pending: redis BLPOP afx:"));
  EXPECT_THAT(output, ::testing::HasSubstr("[  FAILED  ] HangOnPurpose.BlpopOnAnEmptyList"));
}
