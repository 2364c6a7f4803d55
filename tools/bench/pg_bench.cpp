// PostgreSQL costs, each as a ratio to a baseline measured in the same run:
//  - server start: the first (initdb into an empty cache, then start) and later ones (from cache);
//  - a fresh per-test state three ways (a database from template0, a schema, a rolled-back
//    transaction) against one test's Redis-free lifecycle plus one query;
//  - PgManager's throughput (N agents, INSERT then SELECT of their own row, one pipelined
//    connection) against a raw libpq floor (the same statements in pipeline mode, one thread
//    polling the socket, no loop).
// Run: build/default/tools/bench/asyncfix_pg_bench [--agents 1,50,500] [--rounds 5]
#include <asyncfix/loop/test_loop.hpp>
#include <asyncfix/pg/pg.hpp>

#include <libpq-fe.h>
#include <CLI/CLI.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <poll.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

/// A blocking connection for setup work.
struct Blocking {
  explicit Blocking(const std::string& url) : conn(PQconnectdb(url.c_str())) {
    if (PQstatus(conn) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn));
  }
  ~Blocking() { PQfinish(conn); }
  void run(const std::string& sql) {
    PGresult* r = PQexec(conn, sql.c_str());
    const auto status = PQresultStatus(r);
    const std::string why = PQresultErrorMessage(r);
    PQclear(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      throw std::runtime_error(sql + ": " + why);
    }
  }
  PGconn* conn;
};

/// Median milliseconds of `rounds` runs of `work`.
double timed(int rounds, const std::function<void()>& work) {
  std::vector<double> samples;
  for (int i = 0; i < rounds; ++i) {
    const auto start = Clock::now();
    work();
    samples.push_back(ms_since(start));
  }
  return median(samples);
}

/// Reads results until `syncs` pipeline syncs arrived, flushing what is queued on the way.
void await_syncs(PGconn* conn, int syncs) {
  int seen = 0;
  while (seen < syncs) {
    while (PQflush(conn) == 1) {
      pollfd fd{PQsocket(conn), POLLIN | POLLOUT, 0};
      ::poll(&fd, 1, 1000);
      if ((fd.revents & POLLIN) != 0) PQconsumeInput(conn);
    }
    pollfd fd{PQsocket(conn), POLLIN, 0};
    ::poll(&fd, 1, 1000);
    PQconsumeInput(conn);
    int nulls = 0;
    while (PQisBusy(conn) == 0 && nulls < 2) {
      PGresult* r = PQgetResult(conn);
      if (r == nullptr) {
        ++nulls;
        continue;
      }
      nulls = 0;
      if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) ++seen;
      PQclear(r);
    }
  }
}

/// The raw floor: the same statements in pipeline mode on one connection, one thread polling.
/// Every agent's INSERT is answered before the SELECTs go, as each agent waits for its INSERT.
double raw_floor_ms(const std::string& url, int agents, int base) {
  PGconn* conn = PQconnectdb(url.c_str());
  PQsetnonblocking(conn, 1);
  PQenterPipelineMode(conn);
  const auto start = Clock::now();
  std::vector<std::string> ids;
  for (int i = 0; i < agents; ++i) ids.push_back(std::to_string(base + i));
  for (int i = 0; i < agents; ++i) {
    const char* values[] = {ids[static_cast<std::size_t>(i)].c_str(), "x"};
    PQsendQueryParams(conn, "INSERT INTO bench VALUES ($1, $2)", 2, nullptr, values, nullptr,
                      nullptr, 0);
    PQpipelineSync(conn);
  }
  await_syncs(conn, agents);
  for (int i = 0; i < agents; ++i) {
    const char* values[] = {ids[static_cast<std::size_t>(i)].c_str()};
    PQsendQueryParams(conn, "SELECT v FROM bench WHERE id = $1", 1, nullptr, values, nullptr,
                      nullptr, 0);
    PQpipelineSync(conn);
  }
  await_syncs(conn, agents);
  const double elapsed = ms_since(start);
  PQfinish(conn);
  return elapsed;
}

/// The same workload through PgManager: `agents` coroutines, each INSERT then SELECT.
double manager_ms(asyncfix::TestLoop& loop, asyncfix::pg::PgManager& pg, int agents, int base) {
  return loop.run(
      [&]() -> boost::asio::awaitable<double> {
        co_await pg.query("SELECT 1");  // connected before the clock starts, as the floor is
        const auto start = Clock::now();
        int done = 0;
        auto executor = co_await boost::asio::this_coro::executor;
        for (int i = 0; i < agents; ++i) {
          boost::asio::co_spawn(
              executor,
              [&, id = base + i]() -> boost::asio::awaitable<void> {
                co_await pg.execute("INSERT INTO bench VALUES ($1, $2)", id, "x");
                auto rows = co_await pg.query("SELECT v FROM bench WHERE id = $1", id);
                if (rows.size() == 1) ++done;
              },
              boost::asio::detached);
        }
        boost::asio::steady_timer tick(executor);
        while (done < agents) {
          tick.expires_after(std::chrono::microseconds(50));
          co_await tick.async_wait(boost::asio::use_awaitable);
        }
        co_return ms_since(start);
      }(),
      std::chrono::seconds(60));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("asyncfix PostgreSQL benchmark");
  std::vector<int> agent_counts{1, 50, 500};
  int rounds = 5;
  bool skip_first_start = false;
  app.add_option("--agents", agent_counts, "agent counts")->delimiter(',');
  app.add_option("--rounds", rounds, "rounds per figure (median)");
  app.add_flag("--skip-first-start", skip_first_start, "do not measure initdb into a new cache");
  CLI11_PARSE(app, argc, argv);

  std::printf("PostgreSQL benchmark (medians of %d rounds)\n\n", rounds);
  if (!skip_first_start) {
    // A new cache: TMPDIR decides where it lives.
    const auto fresh = std::filesystem::temp_directory_path() / "afx-pgbench-cache";
    std::filesystem::remove_all(fresh);
    std::filesystem::create_directories(fresh);
    const char* old = std::getenv("TMPDIR");
    const std::string saved = old != nullptr ? old : "";
    ::setenv("TMPDIR", fresh.c_str(), 1);
    const double first = timed(1, [] { (void)asyncfix::pg::PostgresServer::start(); });
    const double later = timed(rounds, [] { (void)asyncfix::pg::PostgresServer::start(); });
    if (saved.empty()) {
      ::unsetenv("TMPDIR");
    } else {
      ::setenv("TMPDIR", saved.c_str(), 1);
    }
    std::filesystem::remove_all(fresh);
    std::printf("server start+stop: first (initdb) %.0f ms, later (cached) %.0f ms, ratio %.2f\n",
                first, later, later / first);
  }

  auto server = asyncfix::pg::PostgresServer::start();
  Blocking admin(server->url());
  admin.run("CREATE DATABASE bench");
  const auto bench_url = server->url_for("bench");
  Blocking bench(bench_url);

  // One test's Redis-free lifecycle plus one query: a fresh loop, a manager, connect, SELECT 1.
  const double lifecycle = timed(rounds * 4, [&] {
    asyncfix::TestLoop loop("lifecycle");
    asyncfix::pg::PgManager pg({.url = bench_url});
    loop.run([&]() -> boost::asio::awaitable<void> { co_await pg.query("SELECT 1"); }(),
             std::chrono::seconds(10));
    loop.close();
  });
  int n = 0;
  const double database = timed(rounds * 4, [&] {
    const auto name = "iso_" + std::to_string(n++);
    admin.run("CREATE DATABASE " + name + " TEMPLATE template0");
    admin.run("DROP DATABASE " + name + " WITH (FORCE)");
  });
  const double schema = timed(rounds * 4, [&] {
    const auto name = "iso_" + std::to_string(n++);
    bench.run("CREATE SCHEMA " + name);
    bench.run("SET search_path TO " + name);
    bench.run("DROP SCHEMA " + name + " CASCADE");
  });
  const double rollback = timed(rounds * 4, [&] {
    bench.run("BEGIN");
    bench.run("ROLLBACK");
  });
  std::printf("\nfresh per-test state vs one test's lifecycle + one query (%.2f ms):\n", lifecycle);
  std::printf("  %-34s %8.2f ms  ratio %.2f\n", "database from template0 + drop", database,
              database / lifecycle);
  std::printf("  %-34s %8.2f ms  ratio %.2f\n", "schema + search_path + drop", schema,
              schema / lifecycle);
  std::printf("  %-34s %8.2f ms  ratio %.2f\n", "BEGIN + ROLLBACK", rollback, rollback / lifecycle);

  bench.run("SET search_path TO public");
  bench.run("CREATE TABLE bench (id int PRIMARY KEY, v text)");
  std::printf(
      "\nthroughput, INSERT then SELECT of its own row per agent (ratio = floor / manager "
      "time, >= 0.90 wanted):\n");
  std::printf("  %7s %12s %12s %7s\n", "agents", "manager ms", "floor ms", "ratio");
  asyncfix::TestLoop loop("throughput");
  asyncfix::pg::PgManager pg({.url = bench_url, .query_timeout = std::chrono::seconds(60)});
  int base = 0;
  for (const int agents : agent_counts) {
    std::vector<double> manager, floor, ratios;
    for (int r = 0; r < rounds; ++r) {
      manager.push_back(manager_ms(loop, pg, agents, base));
      base += agents;
      floor.push_back(raw_floor_ms(bench_url, agents, base));
      base += agents;
      ratios.push_back(floor.back() / manager.back());
    }
    std::printf("  %7d %12.2f %12.2f %7.2f\n", agents, median(manager), median(floor),
                median(ratios));
  }
  return 0;
}
