// PostgreSQL through PgManager on a real private server: the issue's own example, typed rows,
// errors with their SQLSTATE and line, many agents on one pipelined connection, loop policies,
// timeouts, cancellation, transactions, and Redis with PostgreSQL in one test.
#include "asyncfix_test/child_process.hpp"
#include "support/shared_memory.hpp"

#include <asyncfix/asyncfix.hpp>
#include <asyncfix/fault/fault_proxy.hpp>
#include <asyncfix/fault/toxic.hpp>
#include <asyncfix/pg/pg.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <signal.h>
#include <stdlib.h>
#include <sys/shm.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using asyncfix::pg::Errc;
using asyncfix::pg::PgError;
using ::testing::HasSubstr;
using ::testing::Not;

boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds how_long) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, how_long);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

class Orders : public asyncfix::pg::PgTest {};

ASYNC_TEST_F(Orders, InsertThenSelect) {
  co_await pg().execute("CREATE TABLE orders (id int PRIMARY KEY, item text, note text)");
  auto n = co_await pg().execute("INSERT INTO orders VALUES ($1, $2, NULL)", 1, "tea");
  CO_ASSERT_EQ(n, 1);
  auto rows = co_await pg().query("SELECT id, item, note FROM orders WHERE id = $1", 1);
  CO_ASSERT_EQ(rows.size(), 1u);
  CO_ASSERT_EQ(rows[0].get<int>(0), 1);
  CO_ASSERT_EQ(rows[0].get<std::string>("item"), "tea");
  CO_ASSERT_FALSE(rows[0].get<std::optional<std::string>>("note").has_value());
}

ASYNC_TEST_F(Orders, ParametersAndTypesRoundTrip) {
  auto rows = co_await pg().query(
      "SELECT $1::int + 1 AS n, $2::bigint AS big, $3::float8 AS x, $4::bool AS yes, "
      "$5::text AS nothing",
      41, 9'000'000'000LL, 2.5, true, std::nullopt);
  CO_ASSERT_EQ(rows.columns(), (std::vector<std::string>{"n", "big", "x", "yes", "nothing"}));
  EXPECT_EQ(rows[0].get<int>("n"), 42);
  EXPECT_EQ(rows[0].get<long long>("big"), 9'000'000'000LL);
  EXPECT_DOUBLE_EQ(rows[0].get<double>("x"), 2.5);
  EXPECT_TRUE(rows[0].get<bool>("yes"));
  EXPECT_TRUE(rows[0].is_null(4));
}

ASYNC_TEST_F(Orders, ReadingANullOrAMissingColumnOrTheWrongTypeNamesTheColumn) {
  auto rows = co_await pg().query("SELECT NULL::int AS maybe, 'abc' AS word");
  try {
    (void)rows[0].get<int>("maybe");
    ADD_FAILURE() << "a NULL read as int must throw";
  } catch (const PgError& e) {
    EXPECT_EQ(e.errc(), Errc::bad_value);
    EXPECT_THAT(e.what(), HasSubstr("column 0 (maybe) is NULL"));
  }
  try {
    (void)rows[0].get<int>("word");
    ADD_FAILURE() << "'abc' read as int must throw";
  } catch (const PgError& e) {
    EXPECT_THAT(e.what(), HasSubstr("column 1 (word) holds 'abc'"));
  }
  try {
    (void)rows[0].get<int>("missing");
    ADD_FAILURE() << "a missing column must throw";
  } catch (const PgError& e) {
    EXPECT_THAT(e.what(), HasSubstr("no column named 'missing'; the columns are: maybe, word"));
  }
}

ASYNC_TEST_F(Orders, AUniqueViolationCarriesItsSqlstateAndTheLineOfItsCoAwait) {
  co_await pg().execute("CREATE TABLE t (id int PRIMARY KEY)");
  co_await pg().execute("INSERT INTO t VALUES (1)");
  int line = 0;
  try {
    line = __LINE__ + 1;
    co_await pg().execute("INSERT INTO t VALUES (1)");
    ADD_FAILURE() << "a duplicate key must throw";
  } catch (const PgError& e) {
    EXPECT_EQ(e.errc(), Errc::server_error);
    EXPECT_EQ(e.sqlstate(), asyncfix::pg::sqlstate::unique_violation);
    EXPECT_EQ(e.code().category().name(), std::string("asyncfix.pg"));
    EXPECT_THAT(e.what(), HasSubstr("duplicate key value violates unique constraint"));
    EXPECT_THAT(e.what(), HasSubstr("(SQLSTATE 23505)"));
    EXPECT_THAT(e.thrown_file(), ::testing::EndsWith("pg_test.cpp"));
    EXPECT_EQ(e.thrown_line(), line) << "the line of the co_await";
  }
  // The connection is still usable.
  CO_ASSERT_EQ((co_await pg().query("SELECT count(*) FROM t"))[0].get<int>(0), 1);
}

ASYNC_TEST_F(Orders, AnErrorInTheMiddleOfThePipelineFailsOnlyItsOwnQuery) {
  using namespace boost::asio::experimental::awaitable_operators;
  co_await pg().execute("CREATE TABLE t (id int PRIMARY KEY)");
  std::vector<std::string> outcomes(5);
  auto agent = [&](int i) -> boost::asio::awaitable<void> {
    try {
      // Agent 2 sends a query that fails; the others' queries around it in the pipeline succeed.
      asyncfix::pg::Rows rows;
      if (i == 2) {
        rows = co_await pg().query("SELECT * FROM no_such_table");
      } else {
        rows = co_await pg().query("SELECT $1::int * 10", i);
      }
      outcomes[static_cast<std::size_t>(i)] = rows[0].text(0).value_or("null");
    } catch (const PgError& e) {
      outcomes[static_cast<std::size_t>(i)] = "error " + e.sqlstate();
    }
  };
  co_await (agent(0) && agent(1) && agent(2) && agent(3) && agent(4));
  EXPECT_EQ(outcomes, (std::vector<std::string>{"0", "10", "error 42P01", "30", "40"}));
  EXPECT_EQ(pg().connects(), 1u) << "five agents, one connection";
}

ASYNC_TEST_F(Orders, FiveHundredAgentsShareOneConnectionAndEveryRowIsReadBack) {
  co_await pg().execute("CREATE TABLE runs (agent int PRIMARY KEY, step text)");
  constexpr int agents = 500;
  int inserted = 0;
  int read_back = 0;
  auto agent = [&](int i) -> boost::asio::awaitable<void> {
    inserted += static_cast<int>(
        co_await pg().execute("INSERT INTO runs VALUES ($1, $2)", i, "step-" + std::to_string(i)));
    auto rows = co_await pg().query("SELECT step FROM runs WHERE agent = $1", i);
    if (rows.size() == 1 && rows[0].get<std::string>(0) == "step-" + std::to_string(i)) ++read_back;
  };
  for (int i = 0; i < agents; ++i) spawn("agent " + std::to_string(i), agent(i));
  while (read_back < agents && inserted <= agents) {
    co_await sleep_for(5ms);
    if ((co_await pg().query("SELECT count(*) FROM runs"))[0].get<int>(0) == agents &&
        read_back == agents) {
      break;
    }
  }
  EXPECT_EQ(inserted, agents);
  EXPECT_EQ(read_back, agents);
  EXPECT_EQ(pg().connects(), 1u);
}

ASYNC_TEST_F(Orders, ATransactionCommitsOnReturnAndRollsBackOnThrow) {
  co_await pg().execute("CREATE TABLE t (id int)");
  co_await pg().transaction([](asyncfix::pg::Transaction& tx) -> boost::asio::awaitable<void> {
    co_await tx.execute("INSERT INTO t VALUES (1)");
  });
  try {
    co_await pg().transaction([](asyncfix::pg::Transaction& tx) -> boost::asio::awaitable<void> {
      co_await tx.execute("INSERT INTO t VALUES (2)");
      throw std::runtime_error("changed my mind");
    });
    ADD_FAILURE() << "the body's exception must go on";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "changed my mind");
  }
  auto rows = co_await pg().query("SELECT id FROM t ORDER BY id");
  CO_ASSERT_EQ(rows.size(), 1u) << "the second transaction rolled back";
  EXPECT_EQ(rows[0].get<int>(0), 1);
}

class ShortTimeout : public asyncfix::pg::PgTest {
 protected:
  asyncfix::pg::PgOptions pg_options() const override {
    auto options = PgTest::pg_options();
    options.query_timeout = 200ms;
    return options;
  }
};

ASYNC_TEST_F(ShortTimeout, AQueryPastItsTimeoutIsCancelledOnTheServerAndTheNextOneRuns) {
  const auto start = std::chrono::steady_clock::now();
  try {
    co_await pg().query("SELECT pg_sleep(5)");
    ADD_FAILURE() << "pg_sleep(5) must time out";
  } catch (const PgError& e) {
    EXPECT_EQ(e.errc(), Errc::timeout) << e.what();
    EXPECT_EQ(e.sqlstate(), asyncfix::pg::sqlstate::query_canceled);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  CO_ASSERT_EQ((co_await pg().query("SELECT 7"))[0].get<int>(0), 7);
}

ASYNC_TEST_F(ShortTimeout, WithoutTheServersStatementTimeoutTheClientsDeadlineCancelsTheQuery) {
  co_await pg().execute("SET statement_timeout = 0");  // only the client's deadline is left
  const auto start = std::chrono::steady_clock::now();
  try {
    co_await pg().query("SELECT pg_sleep(5)");
    ADD_FAILURE() << "pg_sleep(5) must time out";
  } catch (const PgError& e) {
    EXPECT_EQ(e.errc(), Errc::timeout) << e.what();
    EXPECT_EQ(e.sqlstate(), asyncfix::pg::sqlstate::query_canceled) << "cancelled on the server";
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "well before the cancel grace";
  CO_ASSERT_EQ((co_await pg().query("SELECT 7"))[0].get<int>(0), 7);
  EXPECT_EQ(pg().connects(), 1u) << "the cancel kept the connection";
}

ASYNC_TEST_F(Orders, ACancelledQueryResumesAtOnceAndTheConnectionGoesOn) {
  using namespace boost::asio::experimental::awaitable_operators;
  const auto start = std::chrono::steady_clock::now();
  auto first = co_await (pg().query("SELECT pg_sleep(0.5)") || sleep_for(20ms));
  EXPECT_EQ(first.index(), 1u) << "the timer wins";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 400ms) << "resumed before the sleep ended";
  CO_ASSERT_EQ((co_await pg().query("SELECT 8"))[0].get<int>(0), 8);
}

ASYNC_TEST_F(Orders, TheServerEndingTheSessionMidQueryIsConnectionLostAndTheNextQueryReconnects) {
  const int backend = co_await [&]() -> boost::asio::awaitable<int> {
    co_return (co_await pg().query("SELECT pg_backend_pid()"))[0].get<int>(0);
  }();
  asyncfix::pg::PgManager admin({.url = pg_url()});
  using namespace boost::asio::experimental::awaitable_operators;
  auto killer = [&]() -> boost::asio::awaitable<void> {
    co_await sleep_for(100ms);
    co_await admin.query("SELECT pg_terminate_backend($1)", backend);
  };
  auto victim = [&]() -> boost::asio::awaitable<std::string> {
    try {
      co_await pg().query("SELECT pg_sleep(5)");
      co_return "no error";
    } catch (const PgError& e) {
      co_return std::string(e.what()) + " [" + std::to_string(static_cast<int>(e.errc())) + "]";
    }
  };
  const auto outcome = co_await (victim() && killer());
  EXPECT_THAT(outcome, HasSubstr("[4]")) << "connection_lost: " << outcome;
  CO_ASSERT_EQ((co_await pg().query("SELECT 9"))[0].get<int>(0), 9);
  EXPECT_EQ(pg().connects(), 2u);
}

class OwnDatabase : public asyncfix::pg::PgTest {
 protected:
  asyncfix::pg::PgIsolation pg_isolation() const override {
    return asyncfix::pg::PgIsolation::database;
  }
};

ASYNC_TEST_F(OwnDatabase, ATestCanHaveADatabaseOfItsOwn) {
  auto rows = co_await pg().query("SELECT current_database(), current_schema()");
  EXPECT_THAT(rows[0].get<std::string>(0), ::testing::StartsWith("afx_"));
  EXPECT_EQ(rows[0].get<std::string>(1), "public");
}

ASYNC_TEST_F(Orders, EachTestHasASchemaOfItsOwnThatEveryConnectionSees) {
  auto rows = co_await pg().query("SELECT current_schema()");
  const auto schema = rows[0].get<std::string>(0);
  EXPECT_THAT(schema, ::testing::StartsWith("t"));
  co_await pg().execute("CREATE TABLE mine (x int)");
  co_await pg().transaction([&](asyncfix::pg::Transaction& tx) -> boost::asio::awaitable<void> {
    auto seen = co_await tx.query("SELECT current_schema(), count(*) FROM mine");
    EXPECT_EQ(seen[0].get<std::string>(0), schema) << "the transaction's own connection too";
  });
}

TEST(PgUrl, ABadUrlIsOneLineNamingItWithThePasswordMasked) {
  try {
    asyncfix::pg::PgManager pg({.url = "postgresql://me:hunter2@host/db?no_such_option=1"});
    ADD_FAILURE() << "a bad URL must throw";
  } catch (const PgError& e) {
    EXPECT_EQ(e.errc(), Errc::invalid_argument);
    EXPECT_THAT(e.what(), HasSubstr("postgresql://me:***@host/db?no_such_option=1"));
    EXPECT_THAT(e.what(), HasSubstr("no_such_option"));
    EXPECT_THAT(e.what(), Not(HasSubstr("hunter2")));
    EXPECT_THAT(std::string(e.what()), Not(HasSubstr("\n")));
  }
}

TEST(PgUrl, RedactionMasksEveryFormOfPassword) {
  using asyncfix::pg::redact_url;
  EXPECT_EQ(redact_url("postgresql://u:pw@h/db"), "postgresql://u:***@h/db");
  EXPECT_EQ(redact_url("postgresql://u@h/db?password=pw&x=1"),
            "postgresql://u@h/db?password=***&x=1");
  EXPECT_EQ(redact_url("host=h password=pw dbname=d"), "host=h password=*** dbname=d");
  EXPECT_EQ(redact_url("host=h password='p w' dbname=d"), "host=h password=*** dbname=d");
  EXPECT_EQ(redact_url("postgresql:///db?host=/tmp/x"), "postgresql:///db?host=/tmp/x");
}

/// A loop of its own running `work` to the end.
template <class T>
T run_on(asyncfix::TestLoop& loop, boost::asio::awaitable<T> work) {
  return loop.run(std::move(work), 10s);
}

class PgPolicies : public ::testing::Test {
 protected:
  void SetUp() override { url_ = asyncfix::pg::PgEnvironment::instance().create_database(); }
  void TearDown() override { asyncfix::pg::PgEnvironment::instance().drop_database(url_); }
  std::string url_;
};

TEST_F(PgPolicies, FailNamesBothLoopsAndBothLines) {
  asyncfix::pg::PgManager pg({.url = url_, .on_loop_change = asyncfix::LoopPolicy::Fail});
  asyncfix::TestLoop setup("setup loop");
  asyncfix::TestLoop body("body loop");
  run_on(setup, [&]() -> boost::asio::awaitable<int> {
    co_return (co_await pg.query("SELECT 1"))[0].get<int>(0);
  }());
  try {
    run_on(body, [&]() -> boost::asio::awaitable<int> {
      co_return (co_await pg.query("SELECT 2"))[0].get<int>(0);
    }());
    ADD_FAILURE() << "LoopPolicy::Fail must refuse the second loop";
  } catch (const asyncfix::LoopMismatch& e) {
    EXPECT_THAT(e.what(), HasSubstr("setup loop"));
    EXPECT_THAT(e.what(), HasSubstr("body loop"));
    EXPECT_THAT(e.what(), HasSubstr("pg_test.cpp"));
  }
}

TEST_F(PgPolicies, ReconnectHealsOntoTheRunningLoop) {
  asyncfix::pg::PgManager pg({.url = url_, .on_loop_change = asyncfix::LoopPolicy::Reconnect});
  asyncfix::TestLoop first("first");
  asyncfix::TestLoop second("second");
  auto select = [&](int n) -> boost::asio::awaitable<int> {
    co_return (co_await pg.query("SELECT $1::int", n))[0].get<int>(0);
  };
  EXPECT_EQ(run_on(first, select(1)), 1);
  EXPECT_EQ(run_on(second, select(2)), 2);
  EXPECT_EQ(pg.loop_changes(), 1u);
  EXPECT_EQ(pg.connects(), 2u);
}

TEST_F(PgPolicies, PerLoopKeepsAConnectionForEachLoop) {
  asyncfix::pg::PgManager pg({.url = url_, .on_loop_change = asyncfix::LoopPolicy::PerLoop});
  asyncfix::TestLoop first("first");
  asyncfix::TestLoop second("second");
  auto backend = [&]() -> boost::asio::awaitable<int> {
    co_return (co_await pg.query("SELECT pg_backend_pid()"))[0].get<int>(0);
  };
  const int a = run_on(first, backend());
  const int b = run_on(second, backend());
  EXPECT_NE(a, b) << "a connection of its own per loop";
  EXPECT_EQ(run_on(first, backend()), a) << "the first loop's connection is kept";
  EXPECT_EQ(pg.connects(), 2u);
  EXPECT_EQ(pg.loop_changes(), 0u);
}

TEST(PgServer, WithoutPostgresATestFailsWithTheReasonOrSkipsWhenOptional) {
  const std::vector<std::string> argv{ASYNCFIX_PG_TESTS, "--gtest_filter=Orders.InsertThenSelect"};
  const std::vector<std::string> unset{"ASYNCFIX_PG_URL", "DATABASE_URL", "ASYNCFIX_PG_URL_FILE",
                                       "ASYNCFIX_FAULTS"};
  // printable(): the skip marker of a child's output must not make ctest read this test skipped.
  const auto failed = asyncfix::run_child(
      {.argv = argv, .env = {{"ASYNCFIX_PG_BINDIR", "/nonexistent/bin"}}, .unset_env = unset});
  const auto failed_output = asyncfix_test::printable(failed.output);
  EXPECT_EQ(failed.exit_code, 1) << failed_output;
  EXPECT_THAT(failed_output, HasSubstr("apt-get install postgresql-15"));
  EXPECT_THAT(failed_output, HasSubstr("[  FAILED  ] Orders.InsertThenSelect"));
  const auto skipped = asyncfix::run_child(
      {.argv = argv,
       .env = {{"ASYNCFIX_PG_BINDIR", "/nonexistent/bin"}, {"ASYNCFIX_PG_OPTIONAL", "1"}},
       .unset_env = unset});
  const auto skipped_output = asyncfix_test::printable(skipped.output);
  EXPECT_EQ(skipped.exit_code, 0) << skipped_output;
  EXPECT_THAT(skipped_output, HasSubstr("[ (skipped) ] Orders.InsertThenSelect"));
  EXPECT_THAT(skipped_output, HasSubstr("skipped: ASYNCFIX_PG_OPTIONAL=1"));
}

TEST(PgServer, AWrongPasswordIsAuthFailedAndThePasswordIsNeverPrinted) {
  auto server = asyncfix::pg::PostgresServer::start({.password = "right-pw-1"});
  asyncfix::TestLoop loop("auth");
  {
    asyncfix::pg::PgManager good({.url = server->url()});
    EXPECT_EQ(run_on(loop,
                     [&]() -> boost::asio::awaitable<int> {
                       co_return (co_await good.query("SELECT 5"))[0].get<int>(0);
                     }()),
              5);
  }
  // The right password to a database that does not exist: refused, but not for the password.
  asyncfix::pg::PgManager nowhere({.url = server->url_for("no_such_database")});
  try {
    run_on(loop, [&]() -> boost::asio::awaitable<int> {
      co_return (co_await nowhere.query("SELECT 5"))[0].get<int>(0);
    }());
    ADD_FAILURE() << "a missing database must be refused";
  } catch (const PgError& e) {
    EXPECT_EQ(e.errc(), Errc::connect_failed) << e.what();
    EXPECT_EQ(e.sqlstate(), "3D000") << e.what();
  }
  std::string url = server->url();
  url.replace(url.find("right-pw-1"), 10, "wrong-pw-2");
  asyncfix::pg::PgManager bad({.url = url});
  try {
    run_on(loop, [&]() -> boost::asio::awaitable<int> {
      co_return (co_await bad.query("SELECT 5"))[0].get<int>(0);
    }());
    ADD_FAILURE() << "a wrong password must be refused";
  } catch (const PgError& e) {
    EXPECT_EQ(e.errc(), Errc::auth_failed) << e.what();
    EXPECT_EQ(e.sqlstate(), asyncfix::pg::sqlstate::invalid_password) << e.what();
    EXPECT_THAT(e.what(), Not(HasSubstr("wrong-pw-2")));
    EXPECT_THAT(e.what(), Not(HasSubstr("right-pw-1")));
  }
}

TEST(PgServer, LaterStartsComeFromTheCacheAndStopLeavesNoProcessNorDirectory) {
  auto server = asyncfix::pg::PostgresServer::start();
  EXPECT_TRUE(server->started_from_cache()) << "the environment's server made the cache";
  const auto pid = server->pid();
  const auto dir = server->dir();
  EXPECT_TRUE(std::filesystem::exists(dir));
  server->stop();
  EXPECT_NE(::kill(pid, 0), 0) << "the postmaster is gone";
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(PgServer, MissingBinariesAreOneLineNamingThePackageAndTheVariable) {
  try {
    (void)asyncfix::pg::PostgresServer::start({.bindir = "/nonexistent/pg/bin"});
    ADD_FAILURE() << "a bindir without postgres must be refused";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/pg/bin"));
    EXPECT_THAT(e.what(), HasSubstr("apt-get install postgresql-15"));
    EXPECT_THAT(e.what(), HasSubstr("ASYNCFIX_PG_BINDIR"));
    EXPECT_THAT(std::string(e.what()), Not(HasSubstr("\n")));
  }
}

TEST(PgServer, TheServerKilledMidQueryIsConnectionLostAndARestartHeals) {
  auto server = asyncfix::pg::PostgresServer::start();
  asyncfix::pg::PgManager pg({.url = server->url()});
  asyncfix::TestLoop loop("killed");
  const auto outcome = run_on(loop, [&]() -> boost::asio::awaitable<std::string> {
    using namespace boost::asio::experimental::awaitable_operators;
    co_await pg.query("SELECT 1");
    auto kill_soon = [&]() -> boost::asio::awaitable<void> {
      co_await sleep_for(100ms);
      server->kill();
    };
    auto victim = [&]() -> boost::asio::awaitable<std::string> {
      try {
        co_await pg.query("SELECT pg_sleep(5)");
        co_return "no error";
      } catch (const PgError& e) {
        co_return std::to_string(static_cast<int>(e.errc())) + " " + e.what();
      }
    };
    co_return co_await (victim() && kill_soon());
  }());
  EXPECT_THAT(outcome, ::testing::StartsWith("4 ")) << "connection_lost: " << outcome;
  server->restart();
  EXPECT_EQ(run_on(loop,
                   [&]() -> boost::asio::awaitable<int> {
                     co_return (co_await pg.query("SELECT 3"))[0].get<int>(0);
                   }()),
            3);
}

// A killed postmaster leaves its shared memory block, and a new one refuses to start while any
// process is still attached to it (its backends, until they see it is gone; here, this test):
// restart() waits for them to let go.
TEST(PgServer, ARestartAfterAKillWaitsForTheOldServersSharedMemoryToBeReleased) {
  auto server = asyncfix::pg::PostgresServer::start();
  const pid_t postmaster = server->pid();
  const auto blocks = asyncfix::detail::memory_blocks_of(postmaster);
  ASSERT_EQ(blocks.size(), 1U) << "the postmaster's System V block";
  void* held = ::shmat(blocks[0].id, nullptr, SHM_RDONLY);
  ASSERT_NE(held, reinterpret_cast<void*>(-1)) << "shmat: " << std::strerror(errno);
  server->kill();
  std::thread lingering_backend([held] {
    std::this_thread::sleep_for(500ms);
    ::shmdt(held);
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_NO_THROW(server->restart());
  lingering_backend.join();
  EXPECT_GE(std::chrono::steady_clock::now() - started, 400ms) << "it did not wait";
  asyncfix::pg::PgManager pg({.url = server->url()});
  asyncfix::TestLoop loop("restarted");
  EXPECT_EQ(run_on(loop,
                   [&]() -> boost::asio::awaitable<int> {
                     co_return (co_await pg.query("SELECT 4"))[0].get<int>(0);
                   }()),
            4);
}

// A killed postmaster leaves its System V block; with the directory gone no server would ever
// reuse it, and each one left counts against kernel.shmmni until the machine reboots.
TEST(PgServer, StoppingAKilledServerLeavesNoSharedMemory) {
  auto server = asyncfix::pg::PostgresServer::start();
  const pid_t postmaster = server->pid();
  ASSERT_EQ(asyncfix::detail::memory_blocks_of(postmaster).size(), 1U);
  server->kill();
  server->stop();
  const auto until = std::chrono::steady_clock::now() + 5s;  // its backends detach as they end
  while (!asyncfix::detail::memory_blocks_of(postmaster).empty() &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(asyncfix::detail::memory_blocks_of(postmaster).empty())
      << "the killed server's shared memory is still there";
}

TEST(PgServer, FaultProxysToxicsWorkInFrontOfPostgres) {
  auto server = asyncfix::pg::PostgresServer::start({.tcp = true});
  const auto direct = server->tcp_url();
  ASSERT_FALSE(direct.empty());
  const auto port = std::stoi(direct.substr(direct.rfind(':') + 1));
  auto proxy = asyncfix::fault::FaultProxy::start(
      asyncfix::redis::RedisUrl::tcp("127.0.0.1", static_cast<std::uint16_t>(port)), 7);
  const auto through =
      "postgresql://asyncfix@127.0.0.1:" + std::to_string(proxy->port()) + "/postgres";
  asyncfix::pg::PgManager pg({.url = through, .connect_timeout = 2s, .query_timeout = 2s});
  asyncfix::TestLoop loop("proxied");
  auto select = [&](int n) -> boost::asio::awaitable<int> {
    co_return (co_await pg.query("SELECT $1::int", n))[0].get<int>(0);
  };
  EXPECT_EQ(run_on(loop, select(1)), 1);
  proxy->add(asyncfix::fault::Toxic::parse("latency:latency=150"));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run_on(loop, select(2)), 2);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms) << "the latency toxic held the reply";
  proxy->clear();
  proxy->add(asyncfix::fault::Toxic::parse("reset_peer"));
  try {
    (void)run_on(loop, select(3));
    ADD_FAILURE() << "reset_peer must end the connection";
  } catch (const PgError& e) {
    EXPECT_THAT(e.errc(), ::testing::AnyOf(Errc::connection_lost, Errc::connect_failed))
        << e.what();
  }
  proxy->clear();
  EXPECT_EQ(run_on(loop, select(4)), 4) << "the next query reconnects through the proxy";
}

TEST(PgServer, APrivateTmpdirStillLetsTheServersUserReachItsFiles) {
  // As root the server runs as `postgres`, which cannot enter a 0700 $TMPDIR of root's.
  char pattern[] = "/tmp/afx-pg-tmpdir-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string tmpdir = pattern;
  const auto child =
      asyncfix::run_child({.argv = {ASYNCFIX_PG_TESTS, "--gtest_filter=Orders.InsertThenSelect"},
                           .env = {{"TMPDIR", tmpdir}},
                           .unset_env = {"ASYNCFIX_PG_URL", "DATABASE_URL", "ASYNCFIX_PG_URL_FILE",
                                         "ASYNCFIX_FAULTS"}});
  std::filesystem::remove_all(tmpdir);
  EXPECT_EQ(child.exit_code, 0) << child.output;
}

TEST(PgServer, AsyncfixRunPostgresPutsTheCellsPostgresBehindTheFaultProxy) {
  // The same test under reset_peer: with --postgres its PostgreSQL is behind the cell's proxy and
  // the fault reaches it (classified by its error code); without, it never does.
  const auto run = [](bool postgres) {
    std::vector<std::string> argv{ASYNCFIX_CLI, "run", "--fault", "reset_peer"};
    if (postgres) argv.emplace_back("--postgres");
    argv.insert(argv.end(), {"--", ASYNCFIX_PG_TESTS, "--gtest_filter=Orders.InsertThenSelect"});
    return asyncfix::run_child(
        {.argv = argv, .unset_env = {"ASYNCFIX_PG_URL", "DATABASE_URL", "ASYNCFIX_PG_URL_FILE"}});
  };
  const auto behind = run(true);
  EXPECT_EQ(behind.exit_code, 0) << behind.output;
  EXPECT_THAT(behind.output, ::testing::ContainsRegex(
                                 "Orders.InsertThenSelect +failed-classified +connect_failed"));
  const auto beside = run(false);
  EXPECT_EQ(beside.exit_code, 0) << beside.output;
  EXPECT_THAT(beside.output, ::testing::ContainsRegex("Orders.InsertThenSelect +passed"));
}

TEST(PgServer, ASigkilledTestProcessLeavesNoPostgresAndItsDirectoryAndMemoryAreSwept) {
  asyncfix_test::BackgroundChild child({ASYNCFIX_PG_CHILD, "hold-server"});
  const auto line = child.line_with(" /tmp/afx-", 30s);  // not the "running as root" note
  ASSERT_TRUE(line) << child.output();
  std::istringstream fields(*line);
  pid_t server = 0;
  std::string dir;
  fields >> server >> dir;
  ASSERT_GT(server, 0);
  ASSERT_TRUE(asyncfix_test::process_alive(server));
  ASSERT_EQ(asyncfix::detail::memory_blocks_of(server).size(), 1U) << "its shared memory";
  ASSERT_EQ(::kill(child.pid(), SIGKILL), 0);
  ASSERT_TRUE(child.wait_for(5s));
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (asyncfix_test::process_alive(server) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_FALSE(asyncfix_test::process_alive(server))
      << "postgres " << server << " outlived its SIGKILLed parent";
  // Its backends notice the postmaster's death and end too; then the sweep removes the directory.
  const auto swept_by = std::chrono::steady_clock::now() + 5s;
  while (std::filesystem::exists(dir) && std::chrono::steady_clock::now() < swept_by) {
    (void)asyncfix::redis::sweep_abandoned_server_dirs("/tmp");
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_FALSE(std::filesystem::exists(dir)) << dir << " was not swept";
  // Marked for removal by the sweep, it goes when the last backend detaches.
  while (!asyncfix::detail::memory_blocks_of(server).empty() &&
         std::chrono::steady_clock::now() < swept_by) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(asyncfix::detail::memory_blocks_of(server).empty())
      << "the killed server's shared memory was left with its directory";
}

/// Ends with a query still in flight: teardown must close it within its grace, not hang.
class InFlightAtTeardown : public asyncfix::pg::PgTest {};

ASYNC_TEST_F(InFlightAtTeardown, ASpawnedQueryStillRunningIsCancelledAndTheTestEnds) {
  co_await pg().query("SELECT 1");
  spawn("slow query",
        [&]() -> boost::asio::awaitable<void> { co_await pg().query("SELECT pg_sleep(30)"); }());
  co_await sleep_for(50ms);
  // Returning now: teardown cancels the task; the query's result is discarded when it comes.
}

/// A PgTest under in-process faults given in code (the matrix gives them by ASYNCFIX_FAULTS).
template <const char* Spec>
class Faulted : public asyncfix::pg::PgTest {
 public:
  Faulted()
      : asyncfix::pg::PgTest(
            asyncfix::AsyncOptions{.faults = asyncfix::InjectedFaults::parse(Spec, "the test")}) {}
};
constexpr char second_query[] = "fail_nth_query=2";
constexpr char restart_soon[] = "restart_pg_at_ms=100";
using FailSecondQuery = Faulted<second_query>;
using RestartPgSoon = Faulted<restart_soon>;

ASYNC_TEST_F(FailSecondQuery, TheSecondQueryFailsAsInjectedAndTheOthersRun) {
  CO_ASSERT_EQ((co_await pg().query("SELECT 1"))[0].get<int>(0), 1);
  try {
    co_await pg().query("SELECT 2");
    ADD_FAILURE() << "the second query must fail";
  } catch (const PgError& e) {
    EXPECT_EQ(e.errc(), Errc::connection_lost);
    EXPECT_THAT(e.what(), HasSubstr("injected: fail_nth_query=2"));
  }
  CO_ASSERT_EQ((co_await pg().query("SELECT 3"))[0].get<int>(0), 3);
}

ASYNC_TEST_F(RestartPgSoon, TheServerRestartsMidTestAndTheManagerReconnects) {
  CO_ASSERT_EQ((co_await pg().query("SELECT 1"))[0].get<int>(0), 1);
  std::string lost;
  try {
    co_await pg().query("SELECT pg_sleep(2)");
  } catch (const PgError& e) {
    lost = e.what();
    EXPECT_EQ(e.errc(), Errc::connection_lost) << e.what();
  }
  EXPECT_FALSE(lost.empty()) << "the restart ends the query in flight";
  for (int attempt = 0; attempt < 100; ++attempt) {  // the server may still be starting
    bool failed = false;
    try {
      CO_ASSERT_EQ((co_await pg().query("SELECT 4"))[0].get<int>(0), 4);
      co_return;
    } catch (const PgError&) {
      failed = true;
    }
    if (failed) co_await sleep_for(20ms);
  }
  ADD_FAILURE() << "the manager never reconnected after the restart";
}

class BothServers : public asyncfix::pg::PgRedisTest {};

ASYNC_TEST_F(BothServers, AnAgentWritesItsRunToPostgresAndItsStateToRedis) {
  co_await pg().execute("CREATE TABLE runs (agent int, step int)");
  co_await pg().execute("INSERT INTO runs VALUES ($1, $2)", 7, 1);
  co_await redis().set(key("agent:7"), "step 1 done");
  CO_ASSERT_EQ((co_await pg().query("SELECT step FROM runs WHERE agent = 7"))[0].get<int>(0), 1);
  CO_ASSERT_EQ(co_await redis().get(key("agent:7")), "step 1 done");
}

}  // namespace
