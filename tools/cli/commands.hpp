#pragma once
// The asyncfix CLI's subcommands: each registers itself on the app.
#include "support/without_prefix.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace asyncfix::cli {

using asyncfix::detail::without_prefix;

/// Exit codes: 0 ok, 1 a check or test failed (or the environment is missing something, e.g. no
/// redis-server), 2 bad usage, 77 skipped, 99 internal error.
enum ExitCode : int { ok = 0, failed = 1, usage = 2, skipped = 77, internal = 99 };

/// The one-line message of a usage error: the subcommands given, what is wrong (an unknown
/// option or subcommand named, with the valid subcommands), and where help is.
std::string usage_error(const CLI::App& app, int argc, char** argv, const std::string& what);

/// Accepts a whole number from 0 to 2^64-1 written in digits only: CLI11 would wrap "-1" or an
/// overflow into a huge seed.
CLI::Validator seed_check();

/// `asyncfix redis start|stop --dir D`.
void add_redis_command(CLI::App& app);
/// `asyncfix pg start|stop|status|url --dir D` (built with the PostgreSQL component).
void add_pg_command(CLI::App& app);
/// `asyncfix explore`.
void add_explore_command(CLI::App& app);
/// `asyncfix demo`.
void add_demo_command(CLI::App& app);
/// `asyncfix faults` and `asyncfix proxy`.
void add_fault_commands(CLI::App& app);
/// `asyncfix run`, `asyncfix matrix` and `asyncfix report merge`, in that order.
void add_matrix_commands(CLI::App& app);
/// `asyncfix run` (matrix/run_command.cpp).
void add_run_command(CLI::App& app);
/// `asyncfix report merge` (matrix/merge_command.cpp) and `report diff`.
void add_report_command(CLI::App& app);
/// `asyncfix report diff` on the `report` subcommand (matrix/diff_command.cpp).
void add_report_diff_command(CLI::App& report);

}  // namespace asyncfix::cli
