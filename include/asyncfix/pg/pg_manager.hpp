#pragma once
/// @file
/// PgManager: the PostgreSQL client tests inject. Lazy on first use, on the running loop, with the
/// same LoopPolicy as RedisManager; many coroutines share one pipelined connection per loop.

#include <asyncfix/affinity/loop_affinity.hpp>
#include <asyncfix/affinity/loop_policy.hpp>
#include <asyncfix/pg/pg_error.hpp>
#include <asyncfix/pg/rows.hpp>

#include <boost/asio/awaitable.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace asyncfix::pg {

namespace detail {
class PgConnection;
struct ManagerState;
using Param = std::optional<std::string>;

/// A query argument as text ($1...): strings as they are, numbers in decimal, bools as t/f,
/// std::nullopt (or an empty std::optional) as NULL.
inline Param to_param(std::string_view text) {
  return std::string(text);
}
inline Param to_param(const char* text) {
  return std::string(text);
}
inline Param to_param(const std::string& text) {
  return text;
}
inline Param to_param(bool value) {
  return std::string(value ? "t" : "f");
}
inline Param to_param(std::nullopt_t) {
  return std::nullopt;
}
template <class T>
requires std::is_arithmetic_v<T> Param to_param(T value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}
template <class T>
Param to_param(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  return to_param(*value);
}
}  // namespace detail

/// How a PgManager connects.
struct PgOptions {
  /// A libpq URI (`postgresql://user@host/db?host=/socket/dir`) or keyword string; the password is
  /// masked in every message.
  std::string url;
  /// What the manager does when used from another loop (see LoopPolicy).
  LoopPolicy on_loop_change = LoopPolicy::Reconnect;
  std::chrono::milliseconds connect_timeout{5'000};
  /// Bound on each query: the client's deadline, after which the query is cancelled on the server
  /// (PgError timeout, SQLSTATE 57014) and the connection dropped if that does not end it within
  /// 1 s; the server's statement_timeout is set 500 ms past it, as a backstop.
  std::chrono::milliseconds query_timeout{5'000};
  /// Connections kept for transaction() (each transaction holds one from BEGIN to COMMIT); more
  /// transactions at once wait for one to be free. A transaction body that starts another
  /// transaction with every connection taken waits for itself until its deadline.
  unsigned max_transaction_connections = 8;
  /// Shown in pg_stat_activity.
  std::string application_name = "asyncfix";
  /// Consulted before each query is sent; returns the error to fail it with (fail_nth_query), or
  /// null. Empty by default.
  std::function<std::exception_ptr(const std::string& sql)> query_fault;
};

/// The SQL of a query and the line of its `co_await` (so a failure and a LoopMismatch name it).
struct Sql {
  /// Implicit, so `pg.query("SELECT 1")` records the caller's line.
  Sql(const char* sql_text, std::source_location at = std::source_location::current())
      : text(sql_text), where(at) {}
  Sql(std::string sql_text, std::source_location at = std::source_location::current())
      : text(std::move(sql_text)), where(at) {}
  std::string text;
  std::source_location where;
};

class Transaction;

/// The PostgreSQL client tests inject. Constructing it does no I/O; the first query connects on
/// the loop that is running. From another loop it heals or throws LoopMismatch per
/// PgOptions::on_loop_change, naming both loops and both lines. The coroutines of a loop share one
/// connection in pipeline mode: each query is sent at once and answered in order, and an error in
/// one does not touch the others. A connection that broke is replaced on the next query.
///
///     asyncfix::pg::PgManager pg({.url = server->url()});
///     co_await pg.execute("CREATE TABLE t (id int PRIMARY KEY)");
///     auto rows = co_await pg.query("SELECT $1::int + 1", 41);  // rows[0].get<int>(0) == 42
///
/// Cancellation: a cancelled query resumes its coroutine at once with operation_aborted; its
/// result is discarded when it comes.
class PgManager {
 public:
  explicit PgManager(PgOptions options);
  /// Closes every connection; coroutines still waiting get PgError(shut_down).
  ~PgManager();
  PgManager(const PgManager&) = delete;
  PgManager& operator=(const PgManager&) = delete;

  /// Runs `sql` with `args` as $1, $2... and returns its rows.
  template <class... Args>
  boost::asio::awaitable<Rows> query(Sql sql, const Args&... args) {
    return run(std::move(sql), {detail::to_param(args)...});
  }
  /// Runs a command and returns the rows it affected (INSERT/UPDATE/DELETE; 0 for DDL).
  template <class... Args>
  boost::asio::awaitable<long long> execute(Sql sql, const Args&... args) {
    return affected(run(std::move(sql), {detail::to_param(args)...}));
  }
  /// Runs `body` in a transaction on a connection of its own (so other coroutines' queries stay
  /// out of it), taken from a pool of at most PgOptions::max_transaction_connections: BEGIN, then
  /// COMMIT when `body` returns, ROLLBACK when it throws (the exception goes on).
  boost::asio::awaitable<void> transaction(
      std::function<boost::asio::awaitable<void>(Transaction&)> body,
      std::source_location where = std::source_location::current());

  /// The URL, password masked.
  [[nodiscard]] std::string redacted_url() const;
  /// How many connections were opened, and replaced because of a loop change.
  [[nodiscard]] std::uint64_t connects() const noexcept;
  [[nodiscard]] std::uint64_t loop_changes() const noexcept;
  /// The affinity of the shared connection for the running loop (or of any held); unbound before
  /// first use. EXPECT_ON_CURRENT_LOOP(pg()) checks it.
  [[nodiscard]] LoopAffinity affinity() const;
  /// The server process of the running loop's connection (0 when none); lets a test kill it.
  [[nodiscard]] int backend_pid() const;
  /// Closes every connection now.
  void close() noexcept;

 private:
  boost::asio::awaitable<Rows> run(Sql sql, std::vector<detail::Param> params);
  static boost::asio::awaitable<long long> affected(boost::asio::awaitable<Rows> rows);

  std::shared_ptr<detail::ManagerState> state_;
};

/// A transaction's own connection: query() and execute() as PgManager's, inside BEGIN...COMMIT.
class Transaction {
 public:
  template <class... Args>
  boost::asio::awaitable<Rows> query(Sql sql, const Args&... args) {
    return run(std::move(sql), {detail::to_param(args)...});
  }
  template <class... Args>
  boost::asio::awaitable<long long> execute(Sql sql, const Args&... args) {
    return affected(run(std::move(sql), {detail::to_param(args)...}));
  }

 private:
  friend class PgManager;
  explicit Transaction(std::shared_ptr<detail::PgConnection> connection)
      : connection_(std::move(connection)) {}
  boost::asio::awaitable<Rows> run(Sql sql, std::vector<detail::Param> params);
  static boost::asio::awaitable<long long> affected(boost::asio::awaitable<Rows> rows);
  std::shared_ptr<detail::PgConnection> connection_;
};

}  // namespace asyncfix::pg
