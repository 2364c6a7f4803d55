// Redis throughput: N agents, each doing SET then GET of its own key in a loop, through one shared
// RedisManager on one TestLoop, against the same workload on the raw hiredis-on-Asio floor
// (raw_floor.hpp), interleaved, best of R rounds, plus redis-benchmark -c 50 (and -P 16) against
// the same private server, and the cost of a passthrough FaultProxy (PING and 50 agents). Prints
// the table and the ratios, writes every figure as JSON, and exits 1 when a target is missed (see
// docs/benchmarks.md).
//
//   asyncfix_redis_throughput [--agents 1,5,50,500,10000] [--seconds 1] [--rounds 3]
//                             [--target 0.9] [--json FILE] [--smoke]
#include "raw_floor.hpp"

#include <asyncfix/fault/fault_proxy.hpp>
#include <asyncfix/loop/test_loop.hpp>
#include <asyncfix/redis/redis_manager.hpp>
#include <asyncfix/redis/redis_server.hpp>
#include <asyncfix/testing/child_run.hpp>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>

namespace {

using boost::asio::awaitable;
using boost::asio::use_awaitable;
using Clock = std::chrono::steady_clock;

/// What every agent shares: the stop flag, the op count and how many are still running.
struct Run {
  bool stop = false;
  std::uint64_t ops = 0;
  std::size_t active = 0;
  std::uint64_t errors = 0;
};

std::string key_of(std::size_t agent) {
  return "bench:agent:" + std::to_string(agent);
}

/// Waits (on the running coroutine's executor) for `seconds`, sets stop, then until all agents
/// returned; the elapsed wall time from the first spawn.
awaitable<double> time_agents(Run& run, double seconds, Clock::time_point start) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  timer.expires_after(
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)));
  co_await timer.async_wait(use_awaitable);
  run.stop = true;
  while (run.active > 0) {
    timer.expires_after(std::chrono::microseconds(200));
    co_await timer.async_wait(use_awaitable);
  }
  co_return std::chrono::duration<double>(Clock::now() - start).count();
}

awaitable<void> raw_agent(bench::raw::Connection& connection, std::size_t index, Run& run) {
  const std::string key = key_of(index);
  const std::string value = "value-" + std::to_string(index);
  const char* set_argv[] = {"SET", key.c_str(), value.c_str()};
  const std::size_t set_lengths[] = {3, key.size(), value.size()};
  const char* get_argv[] = {"GET", key.c_str()};
  const std::size_t get_lengths[] = {3, key.size()};
  while (!run.stop) {
    co_await connection.command(3, set_argv, set_lengths, use_awaitable);
    auto [type, text] = co_await connection.command(2, get_argv, get_lengths, use_awaitable);
    if (text != value) ++run.errors;
    run.ops += 2;
  }
  --run.active;
}

awaitable<void> asyncfix_agent(asyncfix::redis::RedisManager& redis, std::size_t index, Run& run) {
  const std::string key = key_of(index);
  const std::string value = "value-" + std::to_string(index);
  while (!run.stop) {
    co_await redis.set(key, value);
    auto got = co_await redis.get(key);
    if (got != value) ++run.errors;
    run.ops += 2;
  }
  --run.active;
}

/// ops/s of `agents` raw agents for `seconds`.
double measure_raw(const std::string& socket, std::size_t agents, double seconds, Run& run,
                   bench::raw::Formatter formatter) {
  boost::asio::io_context io(1);
  bench::raw::Connection connection(io, socket, formatter);
  double elapsed = 0;
  const auto start = Clock::now();
  run.active = agents;
  for (std::size_t i = 0; i < agents; ++i) {
    boost::asio::co_spawn(io, raw_agent(connection, i, run), boost::asio::detached);
  }
  boost::asio::co_spawn(io, time_agents(run, seconds, start), [&](std::exception_ptr, double e) {
    elapsed = e;
    io.stop();  // the connection's read wait would keep run() going
  });
  io.run();
  return static_cast<double>(run.ops) / elapsed;
}

/// Spawns the agents on the running coroutine's executor and times them.
awaitable<double> spawn_and_time(asyncfix::redis::RedisManager& redis, std::size_t agents,
                                 double seconds, Run& run) {
  const auto executor = co_await boost::asio::this_coro::executor;
  const auto start = Clock::now();
  run.active = agents;
  for (std::size_t i = 0; i < agents; ++i) {
    boost::asio::co_spawn(executor, asyncfix_agent(redis, i, run), boost::asio::detached);
  }
  co_return co_await time_agents(run, seconds, start);
}

/// ops/s of `agents` agents sharing one RedisManager on one TestLoop, for `seconds`.
double measure_asyncfix(const asyncfix::redis::RedisUrl& url, std::size_t agents, double seconds,
                        Run& run) {
  asyncfix::TestLoop loop("bench.throughput");
  asyncfix::redis::RedisManager redis({.url = url});
  loop.run(redis.ping());  // connected before the clock starts, as the raw floor is
  const double elapsed =
      loop.run(spawn_and_time(redis, agents, seconds, run),
               std::chrono::milliseconds(static_cast<long>(seconds * 1000) + 30'000));
  loop.run(redis.shutdown());
  return static_cast<double>(run.ops) / elapsed;
}

/// Microseconds `probe` took.
template <class Probe>
double time_us(Probe&& probe) {
  const auto start = Clock::now();
  probe();
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

double median(std::vector<double> samples) {
  const auto middle = samples.begin() + static_cast<std::ptrdiff_t>(samples.size() / 2);
  std::nth_element(samples.begin(), middle, samples.end());
  return *middle;
}

/// Medians of a raw blocking hiredis connect + PING, and of asyncfix's lazy first connect + PING:
/// a fresh manager's first command on a loop (what every test pays once; the loop itself is the
/// fixture's cost, measured by asyncfix_bench). Interleaved, so both see the same machine.
std::pair<double, double> first_connect_us(const asyncfix::redis::RedisUrl& url, int times) {
  asyncfix::TestLoop loop("bench.first_connect");
  std::vector<double> raw;
  std::vector<double> lazy;
  for (int i = 0; i < times; ++i) {
    raw.push_back(time_us([&] {
      redisContext* c = redisConnectUnix(url.path.c_str());
      auto* reply = static_cast<redisReply*>(redisCommand(c, "PING"));
      if (reply != nullptr) freeReplyObject(reply);
      redisFree(c);
    }));
    lazy.push_back(time_us([&] {
      asyncfix::redis::RedisManager redis({.url = url});
      loop.run(redis.ping());
      redis.shutdown_now();
    }));
  }
  return {median(std::move(lazy)), median(std::move(raw))};
}

/// Medians of one PING round trip on an open connection: direct, and through a passthrough
/// FaultProxy (no toxics) in front of the same server. Interleaved.
std::pair<double, double> proxy_ping_us(const asyncfix::redis::RedisUrl& url,
                                        const asyncfix::fault::FaultProxy& proxy, int times) {
  asyncfix::TestLoop loop("bench.proxy_ping");
  asyncfix::redis::RedisManager direct({.url = url});
  asyncfix::redis::RedisManager proxied({.url = proxy.url()});
  loop.run(direct.ping());
  loop.run(proxied.ping());
  std::vector<double> through;
  std::vector<double> plain;
  for (int i = 0; i < times; ++i) {
    plain.push_back(time_us([&] { loop.run(direct.ping()); }));
    through.push_back(time_us([&] { loop.run(proxied.ping()); }));
  }
  loop.run(direct.shutdown());
  loop.run(proxied.shutdown());
  return {median(std::move(through)), median(std::move(plain))};
}

/// The process's peak resident set size in MiB.
double peak_rss_mib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

/// redis-benchmark's requests per second for SET and GET (their mean), or 0 when unavailable.
double redis_benchmark(const std::string& socket, int clients, int pipeline, int requests) {
  const auto run = asyncfix::run_child(
      {.argv = {"redis-benchmark", "-s", socket, "-c", std::to_string(clients), "-P",
                std::to_string(pipeline), "-n", std::to_string(requests), "-t", "set,get", "--csv"},
       .env = {},
       .unset_env = {},
       .bound = std::chrono::minutes(5)});
  if (run.exit_code != 0) return 0;
  std::istringstream lines(run.output);
  std::string text;
  double sum = 0;
  int count = 0;
  while (std::getline(lines, text)) {
    if (!text.starts_with("\"SET\"") && !text.starts_with("\"GET\"")) continue;
    const auto first = text.find("\",\"");
    if (first == std::string::npos) continue;
    sum += std::stod(text.substr(first + 3));
    ++count;
  }
  return count == 0 ? 0 : sum / count;
}

std::vector<std::size_t> parse_agents(const std::string& list) {
  std::vector<std::size_t> agents;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) agents.push_back(std::stoul(item));
  return agents;
}

/// The figures beside the throughput rows: first connect, the fault proxy's cost, peak RSS and
/// (not in a smoke run) redis-benchmark. Adds them to `report`; false when a target is missed.
bool measure_extras(const asyncfix::redis::RedisUrl& url, bool smoke, int rounds, double seconds,
                    nlohmann::json& report, std::uint64_t& errors) {
  bool missed = false;
  const auto [lazy_us, raw_us] = first_connect_us(url, smoke ? 5 : 200);
  const bool connect_ok = smoke || lazy_us <= 1.5 * raw_us;
  std::printf(
      "first connect + PING: asyncfix %.0f us, raw blocking %.0f us, ratio %.2f <= 1.50 %s\n",
      lazy_us, raw_us, lazy_us / raw_us, connect_ok ? "ok" : "MISSED");
  // The fault proxy's cost with no toxic: a PING round trip and 50 agents' throughput.
  {
    auto proxy = asyncfix::fault::FaultProxy::start(url, 1);
    const auto [through_us, direct_us] = proxy_ping_us(url, *proxy, smoke ? 20 : 2000);
    double best_direct = 0;
    double best_through = 0;
    for (int round = 0; round < rounds; ++round) {
      Run direct_run;
      best_direct = std::max(best_direct, measure_asyncfix(url, 50, seconds, direct_run));
      Run through_run;
      best_through =
          std::max(best_through, measure_asyncfix(proxy->url(), 50, seconds, through_run));
      errors += direct_run.errors + through_run.errors;
    }
    const bool ping_ok = smoke || through_us <= 2.0 * direct_us;
    const bool rate_ok = smoke || best_through >= 0.6 * best_direct;
    std::printf("fault proxy passthrough: PING %.0f us vs %.0f us direct, ratio %.2f <= 2.00 %s\n",
                through_us, direct_us, through_us / direct_us, ping_ok ? "ok" : "MISSED");
    std::printf(
        "fault proxy passthrough: 50 agents %.0f ops/s vs %.0f direct, ratio %.2f >= 0.60 %s\n",
        best_through, best_direct, best_through / best_direct, rate_ok ? "ok" : "MISSED");
    missed |= !ping_ok || !rate_ok;
    report["fault_proxy"] = {{"ping_us", through_us},
                             {"direct_ping_us", direct_us},
                             {"agents50_ops", best_through},
                             {"direct_agents50_ops", best_direct}};
  }
  const double rss = peak_rss_mib();
  const bool rss_ok = smoke || rss <= 64.0;
  std::printf("peak RSS of this process (both sides, all rows): %.1f MiB <= 64 %s\n", rss,
              rss_ok ? "ok" : "MISSED");
  missed |= !connect_ok || !rss_ok;
  report["first_connect_us"] = {{"asyncfix", lazy_us}, {"raw", raw_us}};
  report["peak_rss_mib"] = rss;
  if (!smoke) {
    const double plain = redis_benchmark(url.path, 50, 1, 200'000);
    const double pipelined = redis_benchmark(url.path, 50, 16, 1'000'000);
    std::printf("redis-benchmark -c 50 SET/GET: %.0f ops/s; -c 50 -P 16: %.0f ops/s\n", plain,
                pipelined);
    report["redis_benchmark"] = {{"c50", plain}, {"c50_p16", pipelined}};
  }
  return !missed;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"asyncfix Redis throughput against the raw hiredis-on-Asio floor"};
  std::string agent_list = "1,5,50,500,10000";
  double seconds = 1.0;
  int rounds = 3;
  double target = 0.9;
  std::string json_path;
  bool smoke = false;
  std::string side = "both";
  bool each_round = false;
  std::string floor_formatter = "hiredis";
  app.add_option("--agents", agent_list, "comma-separated agent counts");
  app.add_option("--seconds", seconds, "measuring time per run")->check(CLI::PositiveNumber);
  app.add_option("--rounds", rounds, "interleaved rounds; the best of each is kept")
      ->check(CLI::PositiveNumber);
  app.add_option("--target", target, "minimum asyncfix/raw ratio at every agent count");
  app.add_option("--json", json_path, "write every figure to this file");
  app.add_flag("--smoke", smoke,
               "seconds-long run that checks the workload works (no ratio target, no "
               "redis-benchmark)");
  app.add_option("--side", side,
                 "measure only one side, and only the agent rows (for profiling: asyncfix or raw)")
      ->check(CLI::IsMember({"both", "asyncfix", "raw"}));
  app.add_option("--floor-formatter", floor_formatter,
                 "how the raw floor formats commands: hiredis (redisAsyncCommandArgv, what code "
                 "written by hand does) or own (RESP on the stack, as asyncfix does: the "
                 "framework's own cost; no target, and only the agent rows)")
      ->check(CLI::IsMember({"hiredis", "own"}));
  app.add_flag("--each-round", each_round,
               "also print every round's ops/s to stderr (the spread behind the best)");
  CLI11_PARSE(app, argc, argv);
  const auto formatter =
      floor_formatter == "own" ? bench::raw::Formatter::own : bench::raw::Formatter::hiredis;
  // The target is against the floor as written by hand; against the own-formatter floor the
  // ratio is the framework's own cost, reported without a target (and without the extras).
  const bool has_target = !smoke && formatter == bench::raw::Formatter::hiredis;
  std::vector<std::size_t> agent_counts;
  try {
    agent_counts = parse_agents(agent_list);
  } catch (const std::exception&) {
    std::cerr << "asyncfix_redis_throughput: --agents '" << agent_list
              << "' is not a comma-separated list of numbers\n";
    return 2;
  }

  auto server = asyncfix::redis::RedisServer::start();
  const auto url = server->url();
  nlohmann::json report = {{"seconds", seconds},
                           {"rounds", rounds},
                           {"floor_formatter", floor_formatter},
                           {"target", target},
                           {"rows", nlohmann::json::array()}};
  bool missed = false;
  std::uint64_t errors = 0;
  std::printf("%8s %16s %16s %7s %8s\n", "agents", "asyncfix ops/s", "raw floor ops/s", "ratio",
              "target");
  for (const auto agents : agent_counts) {
    double best_raw = 0;
    double best_asyncfix = 0;
    for (int round = 0; round < rounds; ++round) {
      Run raw_run;
      if (side != "asyncfix") {
        const double ops = measure_raw(url.path, agents, seconds, raw_run, formatter);
        if (each_round)
          std::fprintf(stderr, "%zu agents, round %d: raw floor %.0f ops/s\n", agents, round, ops);
        best_raw = std::max(best_raw, ops);
      }
      Run asyncfix_run;
      if (side != "raw") {
        const double ops = measure_asyncfix(url, agents, seconds, asyncfix_run);
        if (each_round)
          std::fprintf(stderr, "%zu agents, round %d: asyncfix %.0f ops/s\n", agents, round, ops);
        best_asyncfix = std::max(best_asyncfix, ops);
      }
      errors += raw_run.errors + asyncfix_run.errors;
    }
    const double ratio = best_asyncfix / best_raw;
    const bool ok = !has_target || ratio >= target;
    missed |= !ok;
    std::printf("%8zu %16.0f %16.0f %7.2f %8s %s\n", agents, best_asyncfix, best_raw, ratio,
                has_target ? (">= " + std::to_string(target).substr(0, 4)).c_str() : "none",
                ok ? "ok" : "MISSED");
    report["rows"].push_back(
        {{"agents", agents}, {"asyncfix", best_asyncfix}, {"raw", best_raw}, {"ratio", ratio}});
  }
  if (side == "both" && formatter == bench::raw::Formatter::hiredis) {
    missed |= !measure_extras(url, smoke, rounds, seconds, report, errors);
  }
  report["errors"] = errors;
  if (!json_path.empty()) std::ofstream(json_path) << report.dump(2) << '\n';
  if (errors > 0) {
    std::printf("%llu GETs did not return the value just SET\n",
                static_cast<unsigned long long>(errors));
    return 1;
  }
  return missed ? 1 : 0;
}
