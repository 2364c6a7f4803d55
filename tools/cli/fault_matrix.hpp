#pragma once
// The fault matrix: which faults (a profile), what each cell may end as (an expectation), how one
// cell runs (a private redis-server, a FaultProxy, the test binary in its own process group) and
// how its outcome is classified from gtest's JSON report and the asyncfix.* properties.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace asyncfix::cli {

/// How a cell or a test ended, worst last (a cell's outcome is its worst).
enum class Outcome {
  skipped,
  passed,
  failed_classified,    ///< a failure the fault explains (timeout, connection_lost, ...)
  failed_unclassified,  ///< a failure nothing classifies: a real bug, or an assertion the fault
                        ///< broke
  no_report,  ///< the binary wrote no gtest report, or one with fewer tests than it listed: its
              ///< tests did not (all) run, whatever its exit code says
  leak,       ///< teardown found something left behind
  orphan,     ///< a process of the cell's group outlived the test binary
  hang,       ///< a deadline or the cell's timeout fired
  crash,      ///< the test binary died of a signal
};

/// "passed", "failed-classified", ...
[[nodiscard]] std::string to_string(Outcome outcome);
/// The inverse of to_string(); throws std::invalid_argument naming the text and the valid names.
[[nodiscard]] Outcome outcome_from_string(const std::string& text);

/// One fault of a profile: a name and its spec, an ASYNCFIX_FAULTS list (toxics and in-process
/// faults) plus the runner's own actions down_at_ms=T and up_at_ms=U (the proxy refuses and cuts
/// connections from T to U). An empty spec is the no-fault baseline.
struct FaultCase {
  std::string name;
  std::string spec;
};

/// A FaultCase split into what the proxy, the test binary and the runner each apply.
struct FaultPlan {
  std::vector<std::string> toxics;  ///< for the proxy (each checked with Toxic::parse)
  std::string in_process;           ///< ASYNCFIX_FAULTS for the test binary
  std::optional<std::chrono::milliseconds> down_at;
  std::optional<std::chrono::milliseconds> up_at;
  /// Parses `spec`; throws std::invalid_argument naming `where` and the bad item.
  static FaultPlan parse(const std::string& spec, const std::string& where);
};

/// The default profile: the baseline, every toxic, `down` mid-run, kill and restart of the
/// server, and each in-process fault.
[[nodiscard]] std::vector<FaultCase> default_profile();
/// Reads a profile file: one `NAME = SPEC` per line; '#' starts a comment. Throws
/// std::invalid_argument naming the file and line.
[[nodiscard]] std::vector<FaultCase> read_profile(const std::filesystem::path& file);

/// The outcomes a cell may end as, by fault name.
class Expectation {
 public:
  /// The default: no hang, crash, orphan, leak or unclassified failure anywhere; under the
  /// baseline and the lossless toxics (latency, bandwidth, slicer, slow_close) every test passes.
  static Expectation defaults(const std::vector<FaultCase>& profile);
  /// The defaults, then each `FAULT_GLOB: OUTCOME[, OUTCOME]...` line of `file` (later lines
  /// win). Throws std::invalid_argument naming the file, line and bad outcome.
  static Expectation read(const std::filesystem::path& file, const std::vector<FaultCase>& profile);

  /// What `fault` may end as.
  [[nodiscard]] std::vector<Outcome> allowed(const std::string& fault) const;

 private:
  std::vector<std::pair<std::string, std::vector<Outcome>>> rules_;  // glob, outcomes
};

/// One test of a cell, as classified.
struct TestOutcome {
  std::string name;  ///< Suite.Test
  Outcome outcome = Outcome::passed;
  std::string reason;  ///< the error class or the first failure line
};

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
};

/// How cells run.
struct RunSettings {
  std::filesystem::path work_dir;        ///< each cell gets a directory below it
  std::optional<std::string> redis_url;  ///< use this server instead of a private one per cell
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

/// A gtest JSON report as read back.
struct GtestReport {
  bool found = false;              ///< the file exists and is a gtest JSON report
  std::size_t reported = 0;        ///< tests it names as run, or as disabled
  std::vector<TestOutcome> tests;  ///< the tests that were meant to run, classified
};

/// Reads a gtest JSON report and classifies each test (failures by the error class their
/// messages name).
[[nodiscard]] GtestReport classify_report(const std::filesystem::path& report);

/// How many tests `binary --gtest_list_tests` lists with `filter` and `gtest_args` (0 when it is
/// no gtest binary or the listing fails); waits at most `bound`.
[[nodiscard]] std::size_t count_listed_tests(const std::string& binary, const std::string& filter,
                                             const std::vector<std::string>& gtest_args,
                                             std::chrono::milliseconds bound);

}  // namespace asyncfix::cli
