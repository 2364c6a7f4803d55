// PgManager on a loop run by four threads: agents' queries, their transactions and cancellations
// race on one pipelined connection's state. Also run by the tsan preset (label pg-tsan).
#include <asyncfix/asyncfix.hpp>
#include <asyncfix/pg/pg.hpp>

#include <gtest/gtest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

namespace {

using namespace std::chrono_literals;

class PgOnFourThreads : public asyncfix::pg::PgTest {
 public:
  PgOnFourThreads() : PgTest(asyncfix::AsyncOptions::from_env({.deadline = 30s, .threads = 4})) {}
};

ASYNC_TEST_F(PgOnFourThreads, AgentsQueryTransactAndCancelAtOnce) {
  co_await pg().execute("CREATE TABLE runs (agent int PRIMARY KEY, step int)");
  constexpr int agents = 40;
  auto done = std::make_shared<std::atomic<int>>(0);
  auto good = std::make_shared<std::atomic<int>>(0);
  for (int agent = 0; agent < agents; ++agent) {
    spawn("agent " + std::to_string(agent),
          [](PgOnFourThreads& self, int id, std::shared_ptr<std::atomic<int>> finished,
             std::shared_ptr<std::atomic<int>> ok) -> boost::asio::awaitable<void> {
            using namespace boost::asio::experimental::awaitable_operators;
            co_await self.pg().execute("INSERT INTO runs VALUES ($1, 0)", id);
            co_await self.pg().transaction(
                [id](asyncfix::pg::Transaction& tx) -> boost::asio::awaitable<void> {
                  co_await tx.execute("UPDATE runs SET step = step + 1 WHERE agent = $1", id);
                });
            // A query cancelled by a timer: its late result goes to nobody.
            boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 1ms);
            (void)co_await (self.pg().query("SELECT pg_sleep(0.05)") ||
                            timer.async_wait(boost::asio::use_awaitable));
            auto rows = co_await self.pg().query("SELECT step FROM runs WHERE agent = $1", id);
            if (rows.size() == 1 && rows[0].get<int>(0) == 1) ++*ok;
            ++*finished;
          }(*this, agent, done, good));
  }
  boost::asio::steady_timer tick(co_await boost::asio::this_coro::executor);
  while (*done < agents) {
    tick.expires_after(5ms);
    co_await tick.async_wait(boost::asio::use_awaitable);
  }
  EXPECT_EQ(*good, agents);
}

}  // namespace
