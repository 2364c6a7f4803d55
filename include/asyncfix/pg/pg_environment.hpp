#pragma once
/// @file
/// PgEnvironment: the PostgreSQL server a test process uses, and a database of its own per test.

#include <asyncfix/pg/postgres_server.hpp>

#include <memory>
#include <mutex>
#include <string>

namespace asyncfix::pg {

/// How a test gets a database state of its own.
enum class PgIsolation {
  /// A schema of its own (the URL's search_path), in one database per process: the fastest
  /// (docs/benchmarks.md), and every connection of the test sees it.
  schema,
  /// A database of its own, made from template0: for tests that need database-level objects
  /// (extensions, other schemas); about 100 ms each.
  database,
};

/// The process's PostgreSQL: the server named by $ASYNCFIX_PG_URL (or $DATABASE_URL), else the one
/// whose URL is in the file $ASYNCFIX_PG_URL_FILE (the ctest fixture's `asyncfix pg start`), else
/// a private PostgresServer started on first use and stopped at exit. Thread-safe.
class PgEnvironment {
 public:
  /// The process-wide instance.
  static PgEnvironment& instance();

  /// The URL of the maintenance database (`postgres`); starts the private server on first call.
  /// Throws std::runtime_error with the reason when there is no server.
  [[nodiscard]] std::string url();
  /// True when $ASYNCFIX_PG_OPTIONAL=1: a test without a server is skipped, saying why.
  [[nodiscard]] static bool skips_without_server();
  /// The private server, or null (an external one, or none yet).
  [[nodiscard]] PostgresServer* server();

  /// Creates an empty database of its own (`afx_<pid>_<n>`, from template0) and returns its URL.
  /// Databases of processes that are gone are dropped first, once per process.
  [[nodiscard]] std::string create_database();
  /// Drops the database of `database_url` (WITH (FORCE): its sessions end). Never throws.
  void drop_database(const std::string& database_url) noexcept;
  /// Creates an empty schema of its own in this process's database (`afx_<pid>_schemas`, made
  /// on first use and dropped at exit) and returns a URL whose search_path is that schema.
  [[nodiscard]] std::string create_schema();
  /// Drops the schema of `schema_url` with what is in it. Never throws.
  void drop_schema(const std::string& schema_url) noexcept;
  /// A fresh state per `isolation`, and its removal.
  [[nodiscard]] std::string create_state(PgIsolation isolation);
  void drop_state(PgIsolation isolation, const std::string& url) noexcept;

 private:
  struct SchemaHome;
  PgEnvironment() = default;
  void sweep_abandoned_databases(const std::string& admin_url);
  void sweep_once(const std::string& admin_url);

  std::mutex mutex_;
  bool resolved_ = false;
  std::string url_;
  std::string failure_;
  std::unique_ptr<PostgresServer> server_;
  bool swept_ = false;
  std::shared_ptr<SchemaHome> schemas_;
};

}  // namespace asyncfix::pg
