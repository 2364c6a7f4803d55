// The seed's second test, "agent execution with real database operations": agents write their run
// records to PostgreSQL and their state to Redis, in one transaction per step, from 5 to 500 at
// once, and every acknowledged row is read back. Then the original bug with a database: a
// connection made on a fixture's setup loop and used in the body, reproduced (LoopPolicy::Fail
// names both loops) and fixed (the lazy manager heals onto the body's loop).
#include <asyncfix/asyncfix.hpp>
#include <asyncfix/pg/pg.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class AgentDatabase : public asyncfix::pg::PgRedisTest,
                      public ::testing::WithParamInterface<int> {};

/// One agent: `steps` steps, each a transaction writing its run record, then its state to Redis.
/// Returns the steps acknowledged (committed and stored).
boost::asio::awaitable<int> run_agent(AgentDatabase& test, int agent, int steps) {
  int acknowledged = 0;
  for (int step = 1; step <= steps; ++step) {
    co_await test.pg().transaction(
        [&](asyncfix::pg::Transaction& tx) -> boost::asio::awaitable<void> {
          co_await tx.execute("INSERT INTO runs (agent, step, outcome) VALUES ($1, $2, $3)", agent,
                              step, "ok");
          co_await tx.execute("UPDATE agents SET steps = steps + 1 WHERE agent = $1", agent);
        });
    co_await test.redis().set(test.key("agent:" + std::to_string(agent)),
                              "step " + std::to_string(step));
    ++acknowledged;
  }
  co_return acknowledged;
}

TEST_P(AgentDatabase, EveryAcknowledgedRowIsReadBack) {
  const int agents = GetParam();
  constexpr int steps = 2;
  run([&]() -> boost::asio::awaitable<void> {
    co_await pg().execute("CREATE TABLE agents (agent int PRIMARY KEY, steps int NOT NULL)");
    co_await pg().execute(
        "CREATE TABLE runs (agent int, step int, outcome text, PRIMARY KEY (agent, step))");
    co_await pg().execute("INSERT INTO agents SELECT g, 0 FROM generate_series(1, $1) g", agents);
    auto acknowledged = std::make_shared<std::atomic<int>>(0);
    auto finished = std::make_shared<std::atomic<int>>(0);
    for (int agent = 1; agent <= agents; ++agent) {
      spawn("agent " + std::to_string(agent),
            [](AgentDatabase& self, int id, auto ack, auto done) -> boost::asio::awaitable<void> {
              *ack += co_await run_agent(self, id, steps);
              ++*done;
            }(*this, agent, acknowledged, finished));
    }
    boost::asio::steady_timer tick(co_await boost::asio::this_coro::executor);
    while (*finished < agents) {
      tick.expires_after(5ms);
      co_await tick.async_wait(boost::asio::use_awaitable);
    }
    EXPECT_EQ(*acknowledged, agents * steps);
    auto rows = co_await pg().query("SELECT count(*) FROM runs WHERE outcome = 'ok'");
    EXPECT_EQ(rows[0].get<int>(0), *acknowledged) << "every acknowledged step is in the table";
    auto wrong = co_await pg().query("SELECT count(*) FROM agents WHERE steps <> $1", steps);
    EXPECT_EQ(wrong[0].get<int>(0), 0) << "each agent's counter moved once per committed step";
    for (int agent = 1; agent <= agents; agent += std::max(1, agents / 10)) {
      EXPECT_EQ(co_await redis().get(key("agent:" + std::to_string(agent))),
                "step " + std::to_string(steps));
    }
  }());
}

INSTANTIATE_TEST_SUITE_P(Agents, AgentDatabase, ::testing::Values(5, 50, 500),
                         [](const auto& case_info) {
                           return std::to_string(case_info.param) + "Agents";
                         });

/// The original bug: the fixture connects on its own setup loop; the body runs on another.
class OriginalBugWithADatabase : public asyncfix::pg::PgTest {
 protected:
  boost::asio::awaitable<void> connect_in_setup(asyncfix::pg::PgManager& pg) {
    asyncfix::TestLoop setup_loop("fixture setup loop");
    setup_loop.run([&]() -> boost::asio::awaitable<void> { co_await pg.query("SELECT 1"); }(), 5s);
    co_return;
  }
};

ASYNC_TEST_F(OriginalBugWithADatabase, ReproducedAConnectionFromTheSetupLoopFailsByName) {
  asyncfix::pg::PgManager pg({.url = pg_url(), .on_loop_change = asyncfix::LoopPolicy::Fail});
  co_await connect_in_setup(pg);
  try {
    co_await pg.query("SELECT 2");
    ADD_FAILURE() << "the body's loop is not the one the connection was made on";
  } catch (const asyncfix::LoopMismatch& e) {
    EXPECT_THAT(e.what(), HasSubstr("fixture setup loop"));
    EXPECT_THAT(e.what(), HasSubstr("OriginalBugWithADatabase"));
  }
}

ASYNC_TEST_F(OriginalBugWithADatabase, FixedTheLazyManagerHealsOntoTheBodysLoop) {
  asyncfix::pg::PgManager pg({.url = pg_url(), .on_loop_change = asyncfix::LoopPolicy::Reconnect});
  co_await connect_in_setup(pg);
  auto rows = co_await pg.query("SELECT 2");
  CO_ASSERT_EQ(rows[0].get<int>(0), 2);
  EXPECT_EQ(pg.loop_changes(), 1u);
}

}  // namespace
