#include "matrix/cell_servers.hpp"

#include <asyncfix/fault/fault_proxy.hpp>
#include <asyncfix/redis/redis_server.hpp>
#include <asyncfix/redis/redis_url.hpp>
#ifdef ASYNCFIX_WITH_POSTGRES
#include <asyncfix/pg/postgres_server.hpp>
#endif

#include <exception>

namespace asyncfix::cli {

namespace {

std::unique_ptr<fault::FaultProxy> proxy_for(const redis::RedisUrl& upstream,
                                             const fault::FaultPlan& plan, std::uint64_t seed) {
  auto proxy = fault::FaultProxy::start(upstream, seed);
  proxy->announce_seed(false);  // the report records it
  for (const auto& toxic : plan.toxics) proxy->add(toxic);
  return proxy;
}

}  // namespace

RunPostgres::RunPostgres(RunSettings& settings) {
  if (!settings.postgres) return;
#ifdef ASYNCFIX_WITH_POSTGRES
  try {
    server_ = pg::PostgresServer::start({.tcp = true});
  } catch (const std::exception& e) {
    throw CannotRun(e.what());
  }
  settings.postgres_port = server_->port();
#else
  throw CannotRun(
      "--postgres: this asyncfix was built without PostgreSQL (ASYNCFIX_WITH_POSTGRES)");
#endif
}

RunPostgres::~RunPostgres() = default;

CellServers::CellServers(const RunSettings& settings, const fault::FaultPlan& plan,
                         std::uint64_t seed) {
  redis::RedisUrl upstream;
  if (settings.redis_url) {
    upstream = redis::RedisUrl::parse(*settings.redis_url);
  } else {
    try {
      redis_ = redis::RedisServer::start();
    } catch (const std::exception& e) {
      throw CannotRun(e.what());
    }
    upstream = redis_->url();
  }
  redis_proxy_ = proxy_for(upstream, plan, seed);
  if (!settings.postgres) return;
  if (settings.postgres_port == 0) throw CannotRun("--postgres: the run's PostgreSQL is not up");
  pg_proxy_ = proxy_for(redis::RedisUrl::tcp("127.0.0.1", settings.postgres_port), plan, seed);
  pg_url_ = "postgresql://asyncfix@127.0.0.1:" + std::to_string(pg_proxy_->port()) + "/postgres";
}

CellServers::~CellServers() = default;

std::vector<std::pair<std::string, std::string>> CellServers::env() const {
  std::vector<std::pair<std::string, std::string>> entries{
      {"ASYNCFIX_REDIS_URL", redis_proxy_->url().to_string()}};
  if (pg_proxy_) entries.emplace_back("ASYNCFIX_PG_URL", pg_url_);
  return entries;
}

void CellServers::down() {
  redis_proxy_->down();
  if (pg_proxy_) pg_proxy_->down();
}

void CellServers::up() {
  redis_proxy_->up();
  if (pg_proxy_) pg_proxy_->up();
}

}  // namespace asyncfix::cli
