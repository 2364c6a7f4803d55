// What handler tracking costs: the same two workloads, built once with the plain asyncfix
// (asyncfix_tracking_cost) and once with asyncfix_track_handlers (asyncfix_tracking_cost_tracked);
// tracking_cost.py runs both, interleaved, and prints the ratios.
//  - timer waits: one coroutine on a TestLoop awaiting an already expired steady_timer, each wait
//    one Asio operation started, queued and completed (the tracked build links and unlinks it);
//    once with a token that carries its line (use_awaitable_t<>()) and once with the plain
//    use_awaitable, whose line the tracked build takes from the co_await (await_site.hpp);
//  - coroutine calls: co_await of a coroutine that returns at once (no operation at all: what the
//    tracked build's noting of each co_await costs);
//  - posts: the same coroutine posting itself to its executor (the cheapest operation there is);
//  - Redis: 50 agents doing SET then GET through one RedisManager on a TestLoop.
// Prints one JSON object: {"variant", "timer_waits_per_s", "plain_token_waits_per_s",
// "coroutine_calls_per_s", "posts_per_s", "redis_ops_per_s"}.
//
//   asyncfix_tracking_cost[_tracked] [--seconds 1]
#include <asyncfix/loop/test_loop.hpp>
#include <asyncfix/redis/redis_manager.hpp>
#include <asyncfix/redis/redis_server.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using boost::asio::awaitable;
using Clock = std::chrono::steady_clock;

#if defined(ASYNCFIX_HANDLER_TRACKING)
constexpr const char* variant = "tracked";
#else
constexpr const char* variant = "plain";
#endif

Clock::duration of_seconds(double seconds) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

/// Expired-timer waits per second, each with the token `Token` makes.
template <class Token>
awaitable<double> timer_waits(double seconds, Token token) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  std::uint64_t waits = 0;
  const auto start = Clock::now();
  const auto end = start + of_seconds(seconds);
  while (Clock::now() < end) {
    for (int i = 0; i < 256; ++i) {
      timer.expires_at(Clock::time_point::min());
      co_await timer.async_wait(token());
    }
    waits += 256;
  }
  co_return static_cast<double>(waits) /
      std::chrono::duration<double>(Clock::now() - start).count();
}

awaitable<int> returns_at_once(int value) {
  co_return value + 1;
}

awaitable<double> coroutine_calls(double seconds) {
  std::uint64_t calls = 0;
  int value = 0;
  const auto start = Clock::now();
  const auto end = start + of_seconds(seconds);
  while (Clock::now() < end) {
    for (int i = 0; i < 256; ++i) value = co_await returns_at_once(value);
    calls += 256;
  }
  if (value == -1) std::abort();  // keeps the calls
  co_return static_cast<double>(calls) /
      std::chrono::duration<double>(Clock::now() - start).count();
}

awaitable<double> posts(double seconds) {
  const auto executor = co_await boost::asio::this_coro::executor;
  std::uint64_t count = 0;
  const auto start = Clock::now();
  const auto end = start + of_seconds(seconds);
  while (Clock::now() < end) {
    for (int i = 0; i < 256; ++i)
      co_await boost::asio::post(executor, boost::asio::use_awaitable_t<>());
    count += 256;
  }
  co_return static_cast<double>(count) /
      std::chrono::duration<double>(Clock::now() - start).count();
}

struct Agents {
  bool stop = false;
  std::uint64_t ops = 0;
  std::size_t active = 0;
};

awaitable<void> agent(asyncfix::redis::RedisManager& redis, std::size_t index, Agents& agents) {
  const std::string key = "tracking-cost:" + std::to_string(index);
  while (!agents.stop) {
    co_await redis.set(key, "v");
    if (co_await redis.get(key) != "v") std::abort();
    agents.ops += 2;
  }
  --agents.active;
}

awaitable<double> redis_ops(asyncfix::redis::RedisManager& redis, double seconds) {
  const auto executor = co_await boost::asio::this_coro::executor;
  Agents agents;
  agents.active = 50;
  const auto start = Clock::now();
  for (std::size_t i = 0; i < agents.active; ++i) {
    boost::asio::co_spawn(executor, agent(redis, i, agents), boost::asio::detached);
  }
  boost::asio::steady_timer timer(executor, of_seconds(seconds));
  co_await timer.async_wait(boost::asio::use_awaitable_t<>());
  agents.stop = true;
  while (agents.active > 0) {
    timer.expires_after(std::chrono::microseconds(200));
    co_await timer.async_wait(boost::asio::use_awaitable_t<>());
  }
  co_return static_cast<double>(agents.ops) /
      std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      char* end = nullptr;
      seconds = std::strtod(argv[++i], &end);
      if (*end != '\0' || seconds <= 0) {
        std::fprintf(stderr, "tracking_cost: --seconds '%s' is not a positive number\n", argv[i]);
        return 2;
      }
    } else {
      std::fprintf(stderr, "tracking_cost: unknown argument '%s'; expected [--seconds S]\n",
                   argv[i]);
      return 2;
    }
  }
  const auto limit = std::chrono::milliseconds(static_cast<long>(seconds * 1000) + 30'000);
  asyncfix::TestLoop loop("bench.tracking_cost");
  const double waits =
      loop.run(timer_waits(seconds, [] { return boost::asio::use_awaitable_t<>(); }), limit);
  const double plain_token_waits =
      loop.run(timer_waits(seconds, [] { return boost::asio::use_awaitable; }), limit);
  const double calls = loop.run(coroutine_calls(seconds), limit);
  const double posted = loop.run(posts(seconds), limit);

  auto server = asyncfix::redis::RedisServer::start();
  asyncfix::redis::RedisManager redis({.url = server->url()});
  loop.run(redis.ping());
  const double ops = loop.run(redis_ops(redis, seconds), limit);
  loop.run(redis.shutdown());
  std::printf(
      "{\"variant\": \"%s\", \"timer_waits_per_s\": %.0f, \"plain_token_waits_per_s\": %.0f, "
      "\"coroutine_calls_per_s\": %.0f, \"posts_per_s\": %.0f, \"redis_ops_per_s\": %.0f}\n",
      variant, waits, plain_token_waits, calls, posted, ops);
  return 0;
}
