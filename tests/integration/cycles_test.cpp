// 1,000 connect/command/shutdown cycles leave no file descriptors and no server connections.
#include "asyncfix_test/admin.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gtest/gtest.h>

#include <filesystem>

namespace {

std::size_t open_fds() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
    ++count;
  return count;
}

TEST(Cycles, AThousandConnectCommandShutdownCyclesLeakNothing) {
  asyncfix::redis::RedisOptions options;
  options.url = asyncfix::redis::RedisEnvironment::instance().url();
  options.client_name = "afx-cycles-" + std::to_string(::getpid());
  asyncfix::TestLoop loop("Cycles");
  // Warm up once so lazily created process-wide descriptors (epoll, timerfd) are counted.
  {
    asyncfix::redis::RedisManager manager(options);
    loop.run(manager.ping());
    loop.run(manager.shutdown());
  }
  const auto fds_before = open_fds();
  for (int i = 0; i < 1000; ++i) {
    asyncfix::redis::RedisManager manager(options);
    loop.run([](asyncfix::redis::RedisManager& m) -> boost::asio::awaitable<void> {
      co_await m.ping();
      co_await m.shutdown();
    }(manager));
  }
  EXPECT_EQ(open_fds(), fds_before);
  asyncfix_test::Admin admin(options.url);
  EXPECT_EQ(admin.wait_clients_named(options.client_name, 0), 0);
}

}  // namespace
