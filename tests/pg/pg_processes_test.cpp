// Many processes on one PostgreSQL: 8 runs of the PgTest suite, 3 repeats each, at once. Run
// alone (RUN_SERIAL): it loads every core for seconds, which would skew the timing of others.
#include <asyncfix/asyncfix.hpp>
#include <asyncfix/pg/pg.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;

TEST(PgProcesses, EightProcessesThreeRepeatsOnOneServerCollideNowhereAndLeaveNothing) {
  auto server = asyncfix::pg::PostgresServer::start();
  std::vector<asyncfix::ChildRunResult> runs(8);
  std::vector<std::thread> threads;
  for (auto& run : runs) {
    threads.emplace_back([&run, url = server->url()] {
      run = asyncfix::run_child(
          {.argv = {ASYNCFIX_PG_TESTS, "--gtest_filter=Orders.*:BothServers.*", "--gtest_repeat=3"},
           .env = {{"ASYNCFIX_PG_URL", url}},
           .unset_env = {"ASYNCFIX_FAULTS", "DATABASE_URL"},
           .bound = 100s});
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& run : runs) {
    EXPECT_EQ(run.exit_code, 0) << run.output.substr(
        run.output.size() > 3000 ? run.output.size() - 3000 : 0);
  }
  asyncfix::TestLoop loop("leftovers");
  asyncfix::pg::PgManager admin({.url = server->url()});
  const auto left = loop.run(
      [&]() -> boost::asio::awaitable<long long> {
        co_return (co_await admin.query(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'afx\\_%'"))[0]
            .get<long long>(0);
      }(),
      10s);
  EXPECT_EQ(left, 0) << "every process dropped its database at exit";
}

}  // namespace
