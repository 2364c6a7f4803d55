#pragma once
// What `asyncfix run`, `matrix` and `report merge` share: the report paths and the work directory,
// checked before the first cell; the server the cells use; running cells on threads; writing
// the reports; the options the three commands have in common.
#include "matrix/cell.hpp"
#include "matrix/report.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace asyncfix::cli {

/// Report paths and the settings every cell shares.
struct Outputs {
  std::string json;
  std::string junit;
  std::string html;
};

/// Prints "asyncfix: MESSAGE" and ends the command with exit code 2 (usage).
[[noreturn]] void usage_error(const std::string& message);

/// The directory every cell's log and report go below: `requested`, or a new one under /tmp. A
/// requested path that cannot be made or written is a usage error naming it.
std::filesystem::path make_work_dir(const std::string& requested);

/// Each report path can be written (a file in a directory that exists, not a directory itself):
/// checked before the first cell, so a run is never lost to a typo in a path.
void check_outputs(const Outputs& outputs);

/// The server given with --redis or --redis-file, checked now: a URL that parses and a host that
/// resolves. nullopt for a private server per cell.
std::optional<std::string> redis_for_cells(const std::string& given, const std::string& file);

/// How many tests each distinct binary and filter lists, set on every cell.
void count_listed(std::vector<Cell>& cells, const std::vector<std::string>& gtest_args);

/// Removes a work directory asyncfix made itself once every cell was as expected and no report
/// points into it (the run's first line named it; it stays in every other case).
void settle_work_dir(const std::filesystem::path& dir, bool requested, bool all_expected,
                     const Outputs& outputs);

/// Writes each report asked for; one that cannot be written is said and the others still are.
/// Returns false when one failed.
bool write_all_reports(const MatrixReport& report, const Outputs& outputs);

/// A usage error unless `binary` exists and is executable.
void check_binary(const std::string& binary);

/// Runs `cells` on `jobs` threads; reports progress as a live line on a terminal, else a line per
/// cell. Throws CannotRun (after the running cells end) when a cell could not start at all, and
/// std::runtime_error when a cell failed in the runner itself.
std::vector<CellResult> run_cells(const std::vector<Cell>& cells, const RunSettings& settings,
                                  const Expectation& expectation, unsigned jobs);

/// --redis and --redis-file.
void add_redis_options(CLI::App& command, std::string& url, std::string& url_file);
/// --postgres (in a CLI built with PostgreSQL; none otherwise).
void add_postgres_option(CLI::App& command, bool& postgres);
/// --json, --junit and --html.
void add_outputs(CLI::App& command, std::string& json, std::string& junit, std::string& html);

}  // namespace asyncfix::cli
