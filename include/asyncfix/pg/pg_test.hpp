#pragma once
/// @file
/// PgTest and PgRedisTest: fixtures with a PostgreSQL database of their own per test, and
/// PgRedisTest with Redis too.

#include <asyncfix/pg/pg_environment.hpp>
#include <asyncfix/pg/pg_manager.hpp>
#include <asyncfix/redis/redis_test.hpp>
#include <asyncfix/testing/async_test.hpp>
#include <asyncfix/testing/teardown_report.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <type_traits>
#include <vector>

namespace asyncfix::detail {
class DelayedAction;
}  // namespace asyncfix::detail

namespace asyncfix::pg {

namespace detail {
/// PgEnvironment::skips_without_server(), without its header.
[[nodiscard]] bool skips_without_server();
}  // namespace detail

/// The PostgreSQL half of a fixture: a fresh state for the test on the PgEnvironment's server (a
/// schema of its own by default, see PgIsolation), a PgManager on it made on first use, and the
/// state dropped at teardown. Tests write no cleanup code.
class PgFixtureState {
 public:
  PgFixtureState();
  ~PgFixtureState();
  PgFixtureState(const PgFixtureState&) = delete;
  PgFixtureState& operator=(const PgFixtureState&) = delete;

  /// Makes the state; false with `why` when there is no server or it fails, and `code` set when
  /// a PgError said why (connect_failed, connection_lost, ...: the matrix classifies by it).
  bool set_up(PgIsolation isolation, std::string& why, std::error_code& code);
  /// Arms the in-process faults of `faults` that concern PostgreSQL: fail_nth_query, and
  /// kill_pg_at_ms or restart_pg_at_ms (also kill_server_at_ms or restart_server_at_ms when
  /// `server_faults_too`: the test uses no other server). `fired` gets a fault's name when it
  /// takes effect, from any thread. A server fault gives the test a private server of its own,
  /// started here (killing a shared one would break every other test on it): call before
  /// set_up(). Throws std::runtime_error when that server cannot start.
  void arm_faults(const InjectedFaults& faults, bool server_faults_too,
                  std::function<void(std::string)> fired);
  /// Runs a server fault whose time has not come yet (a body shorter than the fault's time still
  /// meets it) and waits for it; returns what it could not do ("" when nothing).
  std::string disarm_faults() noexcept;
  /// Closes the manager and drops the state. Never throws.
  void tear_down() noexcept;
  /// The manager of this test's database (created on first call; no I/O until its first query).
  PgManager& manager(const PgOptions& options);
  [[nodiscard]] const std::string& url() const noexcept { return url_; }

 private:
  std::string url_;
  PgIsolation isolation_ = PgIsolation::schema;
  std::mutex mutex_;
  std::unique_ptr<PgManager> manager_;
  std::uint64_t fail_nth_query_ = 0;
  std::function<void(std::string)> fired_;
  std::unique_ptr<PostgresServer> own_server_;  ///< the server a server fault kills
  std::unique_ptr<asyncfix::detail::DelayedAction> server_fault_;
};

/// Adds pg() to an AsyncTest-derived fixture `Base` (AsyncTest, redis::RedisTest, ...).
template <class Base>
class WithPg : public Base {
 public:
  using Base::Base;
  /// The manager of this test's own database. Thread-safe.
  PgManager& pg() { return state_.manager(pg_options()); }
  /// The URL of this test's state (password included when the server has one).
  [[nodiscard]] const std::string& pg_url() const noexcept { return state_.url(); }

 protected:
  /// The options pg() is built with: this test's database. Override to change timeouts or the
  /// loop policy.
  [[nodiscard]] virtual PgOptions pg_options() const { return {.url = state_.url()}; }
  /// How this test's state is made: a schema (default) or a database of its own.
  [[nodiscard]] virtual PgIsolation pg_isolation() const { return PgIsolation::schema; }
  /// Makes the state (failing the test with the reason, or skipping it when
  /// ASYNCFIX_PG_OPTIONAL=1, without a server), then Base::SetUp().
  void SetUp() override {
    try {
      state_.arm_faults(this->options().faults, !std::is_base_of_v<redis::RedisTest, Base>,
                        [this](std::string name) { this->note_injected_fault(std::move(name)); });
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    std::string why;
    std::error_code code;
    if (!state_.set_up(pg_isolation(), why, code)) {
      if (detail::skips_without_server()) GTEST_SKIP() << why;
      if (code) {
        this->RecordProperty(asyncfix::property::error, std::string(code.category().name()) + ":" +
                                                            std::to_string(code.value()));
      }
      FAIL() << why;
    }
    Base::SetUp();
  }
  /// Base::TearDown() (the loop and its connections close), then the state is dropped.
  void TearDown() override {
    if (const auto error = state_.disarm_faults(); !error.empty()) ADD_FAILURE() << error;
    Base::TearDown();
    state_.tear_down();
  }

 private:
  PgFixtureState state_;
};

/// An AsyncTest with a PostgreSQL database of its own:
///
///     class Orders : public asyncfix::pg::PgTest {};
///     ASYNC_TEST_F(Orders, InsertThenSelect) {
///       co_await pg().execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
///       co_await pg().execute("INSERT INTO orders VALUES ($1, $2)", 1, "tea");
///       auto rows = co_await pg().query("SELECT item FROM orders WHERE id = $1", 1);
///       CO_ASSERT_EQ(rows[0].get<std::string>("item"), "tea");
///     }
class PgTest : public WithPg<AsyncTest> {
 public:
  using WithPg<AsyncTest>::WithPg;
};

/// A RedisTest with a PostgreSQL database of its own too: redis(), key() and pg() in one test.
class PgRedisTest : public WithPg<redis::RedisTest> {
 public:
  using WithPg<redis::RedisTest>::WithPg;
};

}  // namespace asyncfix::pg
