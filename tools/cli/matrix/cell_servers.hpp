#pragma once
// The servers a cell's test binary talks to, each behind a FaultProxy of its own: a private
// redis-server (or the one given with --redis), and the run's PostgreSQL when asked (--postgres).
#include "matrix/cell.hpp"

#include <asyncfix/fault/fault_plan.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace asyncfix::redis {
class RedisServer;
}  // namespace asyncfix::redis
namespace asyncfix::pg {
class PostgresServer;
}  // namespace asyncfix::pg
namespace asyncfix::fault {
class FaultProxy;
}  // namespace asyncfix::fault

namespace asyncfix::cli {

/// The PostgreSQL every cell of a run shares when settings.postgres (each behind a proxy of its
/// own; the kill and restart faults start a private server per test anyway): started once,
/// stopped when destroyed.
class RunPostgres {
 public:
  /// Starts it and sets settings.postgres_port; nothing when !settings.postgres. Throws CannotRun
  /// when it cannot start.
  explicit RunPostgres(RunSettings& settings);
  ~RunPostgres();
  RunPostgres(const RunPostgres&) = delete;
  RunPostgres& operator=(const RunPostgres&) = delete;

 private:
  std::unique_ptr<pg::PostgresServer> server_;
};

/// Starts the cell's servers and proxies with the plan's toxics; stops them when destroyed.
class CellServers {
 public:
  /// Throws CannotRun when a server cannot start (no redis-server, no PostgreSQL).
  CellServers(const RunSettings& settings, const fault::FaultPlan& plan, std::uint64_t seed);
  ~CellServers();
  CellServers(const CellServers&) = delete;
  CellServers& operator=(const CellServers&) = delete;

  /// The environment entries that point the binary at the proxies: ASYNCFIX_REDIS_URL, and
  /// ASYNCFIX_PG_URL with PostgreSQL (URLs go in the environment, never on a command line).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> env() const;
  /// Every proxy resets its connections and refuses new ones (the runner's down_at_ms).
  void down();
  /// Every proxy passes connections again (up_at_ms).
  void up();

 private:
  std::unique_ptr<redis::RedisServer> redis_;
  std::unique_ptr<fault::FaultProxy> redis_proxy_;
  std::unique_ptr<fault::FaultProxy> pg_proxy_;
  std::string pg_url_;  ///< through pg_proxy_
};

}  // namespace asyncfix::cli
