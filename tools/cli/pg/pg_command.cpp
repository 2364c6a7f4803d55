// `asyncfix pg start --dir D [--shared]` / `stop` / `status` / `url`: one private PostgreSQL for a
// ctest run (see asyncfix_discover_tests' POSTGRES) or a script, as `asyncfix redis` does for
// Redis. D holds `url` (0600: it may carry a password), `server` (pid, start time and executable of
// the postmaster, so a reused pid is never signalled) and `socketdir` (removed only when it carries
// asyncfix's marker).
#include "commands.hpp"
#include "run_holders.hpp"
#include "server_state.hpp"

#include <asyncfix/pg/pg_error.hpp>
#include <asyncfix/pg/pg_url.hpp>
#include <asyncfix/pg/postgres_server.hpp>

#include "support/private_file.hpp"
#include "support/process_identity.hpp"

#include <libpq-fe.h>

#include <signal.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;

State read_pg_state(const fs::path& dir) {
  return read_state(dir, [](const std::string& text) {
    try {
      pg::check_url(text);
    } catch (const pg::PgError& e) {
      throw std::invalid_argument(e.what());
    }
  });
}

int start(const fs::path& dir, bool tcp, bool shared) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  // Two starts at once take turns: the second finds the first's server running.
  const StateLock lock(dir);
  const auto state = read_pg_state(dir);
  if (shared && state.server && !state.url_text.empty() &&
      asyncfix::detail::still_running(*state.server)) {
    // Another ctest run of this build tree started it: share it; the last run to stop ends it.
    join_holders(dir, live_holders(dir));
    std::cerr << "asyncfix pg start: sharing the server another run started (pid "
              << state.server->pid << ")\n";
    std::cout << pg::redact_url(state.url_text) << std::endl;
    return ok;
  }
  if (state.server && asyncfix::detail::still_running(*state.server)) {
    std::cerr << "asyncfix pg start: a server is already recorded in " << dir.string() << " (pid "
              << state.server->pid << "); `asyncfix pg stop --dir " << dir.string() << "` first\n";
    return failed;
  }
  std::unique_ptr<pg::PostgresServer> server;
  try {
    server = pg::PostgresServer::start({.tcp = tcp, .die_with_parent = false});
  } catch (const std::exception& e) {
    std::cerr << "asyncfix pg start: " << e.what() << "\n";
    return failed;
  }
  const auto url = tcp ? server->tcp_url() : server->url();
  const auto identity = asyncfix::detail::process_identity(server->pid());
  if (!identity || !asyncfix::detail::write_private_file(dir / "url", url + "\n") ||
      !asyncfix::detail::write_private_file(dir / "server", identity->to_line() + "\n") ||
      !asyncfix::detail::write_private_file(dir / "socketdir", server->dir().string() + "\n")) {
    std::cerr << "asyncfix pg start: cannot record the server in " << dir.string() << "\n";
    return failed;  // `server` stops it on the way out
  }
  if (shared) join_holders(dir, {});
  std::cout << pg::redact_url(url) << std::endl;
  server->detach();  // left running; `pg stop` ends it
  return ok;
}

/// The databases a test process made (`afx_<pid>_...`) still on the server at `url`, or nullopt
/// when it cannot be asked.
std::optional<std::vector<std::string>> leftover_databases(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::optional<std::vector<std::string>> names;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* result =
        PQexec(conn, "SELECT datname FROM pg_database WHERE datname LIKE 'afx\\_%' ORDER BY 1");
    if (PQresultStatus(result) == PGRES_TUPLES_OK) {
      names.emplace();
      for (int i = 0; i < PQntuples(result); ++i) names->push_back(PQgetvalue(result, i, 0));
    }
    PQclear(result);
  }
  PQfinish(conn);
  return names;
}

int stop(const fs::path& dir, bool shared, bool check_clean) {
  std::optional<StateLock> lock;
  if (fs::is_directory(dir)) lock.emplace(dir);
  // Their tests may hold databases right now: the last run to stop checks them.
  if (shared && lock && others_still_share(dir, "asyncfix pg stop")) return ok;
  const auto state = read_pg_state(dir);
  if (!state.any) {
    std::cout << "asyncfix pg stop: nothing to stop: no server is recorded in " << dir.string()
              << "\n";
    return ok;
  }
  int result = ok;
  if (!state.problem.empty()) std::cerr << "asyncfix pg stop: note: " << state.problem << "\n";
  if (check_clean) {
    const auto left = state.url_text.empty() ? std::nullopt : leftover_databases(state.url_text);
    if (!left) {
      std::cerr << "asyncfix pg stop: cannot check for test databases: the server does not "
                   "answer\n";
      result = failed;
    } else if (!left->empty()) {
      report_leftovers("asyncfix pg stop", "test database was", "test databases were",
                       "a test process", *left);
      result = failed;
    }
  }
  if (state.server && asyncfix::detail::still_running(*state.server)) {
    const auto server = *state.server;
    end_recorded_server(server, [&] { ::kill(server.pid, SIGINT); });  // fast shutdown
  } else if (state.server) {
    if (const auto now = asyncfix::detail::process_identity(state.server->pid)) {
      std::cerr << "asyncfix pg stop: pid " << state.server->pid
                << " is no longer the recorded postgres; not signalling it\n";
      result = failed;
    }
  }
  clear_state(state);
  return result;
}

int status(const fs::path& dir) {
  const auto state = read_pg_state(dir);
  if (const auto why = not_running_reason(state); !why.empty()) {
    std::cout << "not running: " << why << "\n";
    return failed;
  }
  const auto url = pg::redact_url(state.url_text);
  if (state.url_text.empty() || PQping(state.url_text.c_str()) != PQPING_OK) {
    std::cout << "not answering: pid " << state.server->pid << " at " << url << "\n";
    return failed;
  }
  std::cout << "running: pid " << state.server->pid << " at " << url << "\n";
  return ok;
}

int print_url(const fs::path& dir) {
  const auto state = read_pg_state(dir);
  if (state.url_text.empty()) {
    std::cerr << "asyncfix pg url: no server URL recorded in " << dir.string()
              << (state.problem.empty() ? "" : " (" + state.problem + ")") << "\n";
    return failed;
  }
  std::cout << pg::redact_url(state.url_text) << "\n";
  return ok;
}

}  // namespace

void add_pg_command(CLI::App& app) {
  auto* pg_app =
      app.add_subcommand("pg", "Start, stop or ask about a private PostgreSQL (for ctest)");
  pg_app->require_subcommand(1);
  auto dir = std::make_shared<std::string>();
  auto tcp = std::make_shared<bool>(false);
  auto shared = std::make_shared<bool>(false);
  auto check_clean = std::make_shared<bool>(false);
  auto* start_cmd =
      pg_app->add_subcommand("start", "Start a server; print its URL; record it in --dir");
  start_cmd->add_option("--dir", *dir, "Directory for the url, server and socketdir files")
      ->required();
  start_cmd->add_flag("--tcp", *tcp, "Also listen on 127.0.0.1 (a free port); print that URL");
  start_cmd->add_flag("--shared", *shared,
                      "Share a server already running in --dir (two ctest runs of one build "
                      "tree at once); `pg stop --shared` ends it with the last run");
  start_cmd->callback([dir, tcp, shared] {
    if (const int code = start(*dir, *tcp, *shared); code != ok) throw CLI::RuntimeError(code);
  });
  auto* stop_cmd = pg_app->add_subcommand(
      "stop", "Stop the server recorded in --dir (exit 0 with a note when none is recorded)");
  stop_cmd->add_option("--dir", *dir, "Directory given to `pg start`")->required();
  stop_cmd->add_flag("--shared", *shared,
                     "Leave the server up while another run that shares it is alive");
  stop_cmd->add_flag("--check-clean", *check_clean,
                     "Fail (exit 1) when test databases (afx_*) are left on the server");
  stop_cmd->callback([dir, shared, check_clean] {
    if (const int code = stop(*dir, *shared, *check_clean); code != ok) {
      throw CLI::RuntimeError(code);
    }
  });
  auto* status_cmd = pg_app->add_subcommand(
      "status", "Say whether the server recorded in --dir runs and answers (exit 0) or not (1)");
  status_cmd->add_option("--dir", *dir, "Directory given to `pg start`")->required();
  status_cmd->callback([dir] {
    if (const int code = status(*dir); code != ok) throw CLI::RuntimeError(code);
  });
  auto* url_cmd = pg_app->add_subcommand(
      "url", "Print the URL of the server recorded in --dir (password masked)");
  url_cmd->add_option("--dir", *dir, "Directory given to `pg start`")->required();
  url_cmd->callback([dir] {
    if (const int code = print_url(*dir); code != ok) throw CLI::RuntimeError(code);
  });
}

}  // namespace asyncfix::cli
