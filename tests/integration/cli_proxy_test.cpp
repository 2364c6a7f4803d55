// `asyncfix faults` and `asyncfix proxy` as a CI script runs them: the catalogue, one-line usage
// errors (exit 2), and a standalone proxy that applies its --fault to real traffic until SIGINT.
#include "asyncfix_test/child_process.hpp"

#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

/// Runs the CLI, bounded: a `proxy` that wrongly started would otherwise wait for SIGINT forever
/// (`timeout` ends it with exit 124, which fails the test's exit-code check).
asyncfix_test::ChildResult bounded_cli(const std::string& args) {
  return asyncfix_test::run_child(std::string("timeout 5 '") + ASYNCFIX_CLI + "' " + args);
}

TEST(CliFaults, ListsEveryKindWithItsParametersUnitsAndDefaults) {
  const auto result = bounded_cli("faults");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  for (const auto& kind : asyncfix::fault::toxic_kinds()) {
    EXPECT_THAT(result.output, HasSubstr(std::string(kind.name) + ": ")) << kind.name;
    for (const auto& param : kind.params) EXPECT_THAT(result.output, HasSubstr(param.name));
  }
  EXPECT_THAT(result.output, HasSubstr("average_size   bytes  default 64"));
  for (const auto& kind : asyncfix::InjectedFaults::kinds()) {
    EXPECT_THAT(result.output, HasSubstr(std::string(kind.name))) << kind.name;
  }
  EXPECT_THAT(result.output, HasSubstr("down_at_ms=T"));
}

TEST(CliProxy, BadArgumentsAreOneLineUsageErrors) {
  // Refused before anything listens or connects: no port is ever bound here.
  const std::string upstream = "--upstream unix:///nonexistent/redis.sock";
  auto result = bounded_cli("proxy " + upstream + " --fault latency:lag=1");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.output, HasSubstr("latency has no parameter 'lag'"));
  result = bounded_cli("proxy " + upstream + " --listen 0.0.0.0:0");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.output, HasSubstr("--listen '0.0.0.0:0' is not 127.0.0.1:PORT"));
  result = bounded_cli("proxy --upstream nowhere");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.output, HasSubstr("bad Redis URL 'nowhere'"));
}

TEST(CliProxy, AppliesItsFaultToRealTrafficAndStopsOnSigint) {
  auto server = asyncfix::redis::RedisServer::start();
  asyncfix_test::BackgroundChild proxy({ASYNCFIX_CLI, "proxy", "--upstream",
                                        server->url().to_string(), "--fault", "latency:latency=150",
                                        "--seed", "9"});
  const auto first = proxy.line_with("asyncfix proxy:", 10s);
  ASSERT_TRUE(first) << proxy.output();
  const std::string banner = *first;  // "asyncfix proxy: redis://127.0.0.1:P -> ... (seed 9)"
  EXPECT_THAT(banner, HasSubstr("(seed 9)"));
  const auto start = banner.find("redis://");
  const auto url =
      asyncfix::redis::RedisUrl::parse(banner.substr(start, banner.find(' ', start) - start));
  {
    asyncfix::TestLoop loop("CliProxy");
    asyncfix::redis::RedisManager redis({.url = url});
    loop.run(redis.ping());
    const auto before = std::chrono::steady_clock::now();
    loop.run(redis.ping());
    EXPECT_GE(std::chrono::steady_clock::now() - before, 150ms);
    loop.run(redis.shutdown());
  }
  ::kill(proxy.pid(), SIGINT);
  const auto exit = proxy.wait_for(10s);
  ASSERT_TRUE(exit) << "the proxy did not stop on SIGINT";
  EXPECT_EQ(exit->describe(), "exit 0");
}

}  // namespace
