#pragma once
// How a cell or a test of the fault matrix ended, and the outcomes' names.
#include <string>

namespace asyncfix::cli {

/// How a cell or a test ended, worst last (a cell's outcome is its worst).
enum class Outcome {
  skipped,
  not_applied,  ///< the test passed, but the cell's in-process fault never took effect in it (too
                ///< few commands or queries, it ended before the fault's time, or its fixture
                ///< does not apply that fault): it says nothing about the fault
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

}  // namespace asyncfix::cli
