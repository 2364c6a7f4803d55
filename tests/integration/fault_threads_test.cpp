// FaultProxy's thread-safety: toxics added, removed and described from one thread while traffic
// flows through the proxy's own thread and a test loop's. Run by the tsan preset (label *-tsan).
#include <asyncfix/asyncfix.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

namespace {

using asyncfix::fault::FaultProxy;
using asyncfix::redis::RedisManager;
using asyncfix::redis::RedisServer;

boost::asio::awaitable<int> round_trips(RedisManager& redis, int count) {
  int intact = 0;
  for (int i = 0; i < count; ++i) {
    const std::string value = "value-" + std::to_string(i);
    co_await redis.set("threads:key", value);
    if (co_await redis.get("threads:key") == value) ++intact;
  }
  co_return intact;
}

TEST(FaultProxyThreads, ToxicsChangeFromAnotherThreadWhileTrafficFlowsAndNothingIsLost) {
  auto server = RedisServer::start();
  auto proxy = FaultProxy::start(server->url(), 5);
  std::atomic<bool> done{false};
  std::thread changer([&] {
    for (int i = 0; !done; ++i) {
      const auto name = proxy->add(asyncfix::fault::Toxic::parse(
          i % 2 == 0 ? "latency:latency=1,jitter=1" : "slicer:average_size=3"));
      (void)proxy->describe_pending();
      (void)proxy->connections();
      (void)proxy->toxics();
      proxy->remove(name);
    }
  });
  asyncfix::TestLoop loop("FaultProxyThreads");
  RedisManager redis({.url = proxy->url()});
  const int intact = loop.run(round_trips(redis, 300), std::chrono::seconds(30));
  done = true;
  changer.join();
  EXPECT_EQ(intact, 300);
  loop.run(redis.shutdown());
}

}  // namespace
