// Sample 7: PostgreSQL next to Redis, as the seed's agents needed. PgRedisTest gives each test pg()
// and redis(): both connect on first use, on the test's loop; the test's tables live in a schema of
// its own, dropped at teardown (no cleanup code); and concurrent agents share one PostgreSQL
// connection, pipelined, as they share one Redis connection. Needs the PostgreSQL component
// (asyncfix::pg) and postgresql-15; under ctest, asyncfix_discover_tests(... POSTGRES).
#include <asyncfix/asyncfix.hpp>
#include <asyncfix/pg/pg.hpp>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <string>

using boost::asio::awaitable;
using namespace boost::asio::experimental::awaitable_operators;

class AgentRunsSample : public asyncfix::pg::PgRedisTest {
 protected:
  // On the test's loop, like the body: the table goes into this test's own schema.
  awaitable<void> co_setup() override {
    co_await pg().execute("CREATE TABLE runs (agent int, step int, PRIMARY KEY (agent, step))");
  }

  // One step of an agent: its run record in a transaction, then its state in Redis.
  awaitable<void> step(int agent, int n) {
    co_await pg().transaction([agent, n](asyncfix::pg::Transaction& tx) -> awaitable<void> {
      co_await tx.execute("INSERT INTO runs VALUES ($1, $2)", agent, n);
    });
    co_await redis().set(key("agent:" + std::to_string(agent)), "step " + std::to_string(n));
  }
};

ASYNC_TEST_F(AgentRunsSample, ThreeAgentsShareBothServersOnTheTestsLoop) {
  co_await (step(1, 1) && step(2, 1) && step(3, 1));  // three agents at once
  const auto rows = co_await pg().query("SELECT count(*) FROM runs");
  CO_ASSERT_EQ(rows[0].get<int>(0), 3);
  CO_ASSERT_EQ(co_await redis().get(key("agent:2")), "step 1");
  EXPECT_ON_CURRENT_LOOP(pg());
  EXPECT_ON_CURRENT_LOOP(redis());
  EXPECT_EQ(pg().loop_changes(), 0U);
}
