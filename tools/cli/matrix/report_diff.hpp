#pragma once
// Two matrix reports compared: which grid entries (fault by binary) and which of their tests got
// worse or better. What `asyncfix report diff` prints, writes as HTML, and turns into its exit
// code.
#include "matrix/report.hpp"

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace asyncfix::cli {

/// One entry, or one test of an entry, whose outcome moved.
struct OutcomeChange {
  std::string fault;
  std::string binary;  ///< the grid's column label (the file name unless two binaries share it)
  std::string test;    ///< Suite.Test, or "" for the entry as a whole
  std::string before;  ///< an outcome's name, with " !" when not as expected; "absent"
  std::string after;
  std::string detail;  ///< the new first failure or reason, when there is one
};

/// What changed from BASE to NEW. An entry is its worst outcome over its runs, a test likewise.
struct ReportDiff {
  std::vector<OutcomeChange> worse;  ///< regressions: any one makes `report diff` exit 1
  std::vector<OutcomeChange> better;
  std::vector<OutcomeChange> added;  ///< entries only NEW has, as expected
  std::size_t unchanged = 0;         ///< entries in both, no worse and no better, tests included
};

/// Compares by fault name, column label and test name. Worse: an outcome further from passed
/// (passed, skipped, not-applied, failed-classified, failed-unclassified, no-report, leak, orphan,
/// hang, crash), an entry as expected before and not now, or an entry or test of BASE missing
/// from NEW (it no longer runs). An entry only in NEW is worse when it is not as expected.
[[nodiscard]] ReportDiff diff_reports(const MatrixReport& base, const MatrixReport& next);

/// The summary line, then one line per change (worse first).
void print_diff(const ReportDiff& diff, std::ostream& out);

/// The same as a page of its own, which runs no script. Throws std::runtime_error when it cannot
/// be written.
void write_diff_html(const ReportDiff& diff, const std::string& base_name,
                     const std::string& next_name, const std::filesystem::path& path);

}  // namespace asyncfix::cli
