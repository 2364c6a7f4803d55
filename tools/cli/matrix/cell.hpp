#pragma once
// One cell of the fault matrix run end to end: a private redis-server (and PostgreSQL when asked),
// a FaultProxy in front of each, the test binary in its own process group and cgroup, then its
// outcome and what it left running.
#include "matrix/classify.hpp"
#include "matrix/profile.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace asyncfix::cli {

/// One cell: a test binary under one fault, once.
struct Cell {
  std::size_t index = 0;
  std::string binary;      ///< as given
  std::string filter;      ///< --gtest_filter, or ""
  std::size_t listed = 0;  ///< how many tests the binary lists for this filter and arguments
  FaultCase fault;
  int repeat = 1;
  std::uint64_t seed = 0;
};

/// What a cell did.
struct CellResult {
  Cell cell;
  Outcome outcome = Outcome::passed;
  std::vector<Outcome> allowed;
  bool expected = true;
  std::string exit;    ///< ChildExit::describe()
  std::string reason;  ///< why the outcome (the first unclassified failure, the signal, ...)
  std::chrono::milliseconds duration{0};
  std::string log;  ///< the test binary's output
  std::vector<TestOutcome> tests;
  /// `asyncfix run` that replays this cell alone, without a test filter (see replay.hpp).
  std::string replay;
};

/// How cells run.
struct RunSettings {
  std::filesystem::path work_dir;        ///< each cell gets a directory below it
  std::optional<std::string> redis_url;  ///< use this server instead of a private one per cell
  /// Also give each cell PostgreSQL behind a FaultProxy of its own (ASYNCFIX_PG_URL), under the
  /// same toxics and down/up schedule as Redis's: one private server for the run (RunPostgres
  /// starts it; each test gets a schema of its own). Only in a CLI built with PostgreSQL.
  bool postgres = false;
  std::uint16_t postgres_port = 0;  ///< that server's 127.0.0.1 port, set by RunPostgres
  std::chrono::milliseconds cell_timeout{120'000};
  std::vector<std::string> gtest_args;  ///< passed to every binary
};

/// Runs one cell end to end and classifies it. Throws CannotRun when the cell cannot start at all
/// (no redis-server, a binary that cannot be executed).
[[nodiscard]] CellResult run_cell(const Cell& cell, const RunSettings& settings);

/// Thrown when nothing can run: no redis-server to start, the test binary is missing.
struct CannotRun : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// How many tests `binary --gtest_list_tests` lists with `filter` and `gtest_args` (0 when it is
/// no gtest binary or the listing fails); waits at most `bound`.
[[nodiscard]] std::size_t count_listed_tests(const std::string& binary, const std::string& filter,
                                             const std::vector<std::string>& gtest_args,
                                             std::chrono::milliseconds bound);

}  // namespace asyncfix::cli
