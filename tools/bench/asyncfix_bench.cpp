// Overheads of asyncfix, each next to a baseline measured in the same run (see docs/benchmarks.md):
//   TestLoop::run vs a raw io_context + co_spawn + run;
//   a whole AsyncTest lifecycle (SetUp, body, TearDown) vs one loopback Redis PING round trip;
//   RedisManager::ping (lazy lookup, loop check, counters) vs RedisConnection::command(PING).
#include <asyncfix/asyncfix.hpp>

#include <benchmark/benchmark.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <csignal>

namespace {

using boost::asio::awaitable;

awaitable<int> trivial() {
  co_return 1;
}

void BM_RawIoContextCoSpawn(benchmark::State& state) {
  for (auto _ : state) {
    boost::asio::io_context io;
    int result = 0;
    boost::asio::co_spawn(io, trivial(), [&](std::exception_ptr, int v) { result = v; });
    io.run();
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_RawIoContextCoSpawn);

void BM_TestLoopRun(benchmark::State& state) {
  for (auto _ : state) {
    asyncfix::TestLoop loop("bench");
    benchmark::DoNotOptimize(loop.run(trivial()));
  }
}
BENCHMARK(BM_TestLoopRun);

/// An AsyncTest driven by hand, as gtest would.
class LifecycleProbe : public asyncfix::AsyncTest {
 public:
  using asyncfix::AsyncTest::SetUp;
  using asyncfix::AsyncTest::TearDown;
  using asyncfix::AsyncTest::TestBody;

 protected:
  awaitable<void> co_body() override { co_return; }
};

void BM_AsyncTestLifecycle(benchmark::State& state) {
  for (auto _ : state) {
    LifecycleProbe probe;
    probe.SetUp();
    probe.TestBody();
    probe.TearDown();
  }
}
BENCHMARK(BM_AsyncTestLifecycle);

/// One private server for the Redis benchmarks.
asyncfix::redis::RedisServer& server() {
  static auto instance = asyncfix::redis::RedisServer::start();
  return *instance;
}

void BM_RedisConnectionPing(benchmark::State& state) {
  asyncfix::TestLoop loop("bench.redis.direct");
  auto connection = loop.run(asyncfix::redis::RedisConnection::connect({.url = server().url()}));
  for (auto _ : state) {
    loop.run([](asyncfix::redis::RedisConnection& c) -> awaitable<void> {
      std::vector<std::string> ping(1, "PING");
      co_await c.command(std::move(ping));
    }(*connection));
  }
  connection->close_now();
}
BENCHMARK(BM_RedisConnectionPing);

void BM_RedisManagerPing(benchmark::State& state) {
  asyncfix::TestLoop loop("bench.redis.manager");
  asyncfix::redis::RedisManager manager({.url = server().url()});
  loop.run(manager.ping());
  for (auto _ : state) loop.run(manager.ping());
  manager.shutdown_now();
}
BENCHMARK(BM_RedisManagerPing);

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
