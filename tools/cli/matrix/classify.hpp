#pragma once
// A cell's outcome per test, from gtest's JSON report and the asyncfix.* properties (the error's
// category and value, never its message text).
#include "matrix/outcome.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace asyncfix::cli {

/// One test of a cell, as classified.
struct TestOutcome {
  std::string name;  ///< Suite.Test
  Outcome outcome = Outcome::passed;
  std::string reason;  ///< the error class or the first failure line
  /// The first failure as gtest reported it, on one line: "file:line: message" (cut to 300
  /// characters), or "" when it did not fail.
  std::string failure;
  std::chrono::milliseconds duration{0};  ///< as gtest timed it
};

/// A gtest JSON report as read back.
struct GtestReport {
  bool found = false;              ///< the file exists and is a gtest JSON report
  std::size_t reported = 0;        ///< tests it names as run, or as disabled
  std::vector<TestOutcome> tests;  ///< the tests that were meant to run, classified
};

/// Reads a gtest JSON report and classifies each test: a failure by the category and value of
/// the error the fixture recorded (property::error), a hang by property::deadline_exceeded. With
/// `in_process_fault` (the cell gave the binary one), a test that passed without recording that a
/// fault took effect (property::injected_faults) is Outcome::not_applied, never passed; so is one
/// that passed without running under the cell's `schedule` (property::schedule: a plain TEST).
[[nodiscard]] GtestReport classify_report(const std::filesystem::path& report,
                                          bool in_process_fault = false, bool schedule = false);

}  // namespace asyncfix::cli
