#pragma once
// What the matrix's reports share (tools-internal): the grid of binaries by faults, one entry of
// it, and text made safe for XML and HTML.
#include "matrix/report.hpp"
#include "safe_text.hpp"
#include "support/xml_escape.hpp"

#include <algorithm>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace asyncfix::cli {

/// Text for XML and HTML: valid UTF-8, escaped.
inline std::string xml_text(std::string_view text) {
  return detail::xml_escape(valid_utf8(text));
}

/// The cells of one binary under one fault (its repeats), in first-seen order of both. A binary is
/// its path as given; its column shows the file name, or the whole path when two binaries share a
/// file name.
struct Grid {
  std::vector<std::string> faults;
  std::vector<std::string> binaries;
  std::map<std::pair<std::string, std::string>, std::vector<const CellResult*>> entries;

  explicit Grid(const MatrixReport& report) {
    for (const auto& cell : report.cells) {
      const auto& binary = cell.cell.binary;
      if (std::find(faults.begin(), faults.end(), cell.cell.fault.name) == faults.end()) {
        faults.push_back(cell.cell.fault.name);
      }
      if (std::find(binaries.begin(), binaries.end(), binary) == binaries.end()) {
        binaries.push_back(binary);
      }
      entries[{cell.cell.fault.name, binary}].push_back(&cell);
    }
    for (const auto& binary : binaries) {
      const auto name = std::filesystem::path(binary).filename().string();
      const bool shared = std::count_if(binaries.begin(), binaries.end(), [&](const auto& other) {
                            return std::filesystem::path(other).filename().string() == name;
                          }) > 1;
      labels[binary] = valid_utf8(shared ? binary : name);
    }
  }

  /// The column label of `binary`.
  [[nodiscard]] const std::string& label(const std::string& binary) const {
    return labels.at(binary);
  }

 private:
  std::map<std::string, std::string> labels;
};

/// One grid entry: the worst outcome, passes/runs when repeated, whether all were expected.
struct Entry {
  Outcome worst = Outcome::skipped;
  int runs = 0;
  int passes = 0;
  bool expected = true;
  const CellResult* first_unexpected = nullptr;
  const CellResult* worst_cell = nullptr;

  explicit Entry(const std::vector<const CellResult*>& cells) {
    for (const auto* cell : cells) {
      ++runs;
      if (cell->outcome == Outcome::passed || cell->outcome == Outcome::skipped) ++passes;
      if (worst_cell == nullptr || cell->outcome > worst) {
        worst = cell->outcome;
        worst_cell = cell;
      }
      if (!cell->expected) {
        expected = false;
        if (first_unexpected == nullptr) first_unexpected = cell;
      }
    }
  }

  [[nodiscard]] std::string text() const {
    std::string label = to_string(worst);
    if (runs > 1) label = std::to_string(passes) + "/" + std::to_string(runs) + " passed, " + label;
    return expected ? label : label + " !";
  }
};

/// One test across the runs of a grid entry: how often it ran and failed, its worst outcome, and
/// the run where it first failed.
struct TestSummary {
  std::string name;
  Outcome worst = Outcome::skipped;
  int runs = 0;
  int failures = 0;                        ///< runs worse than passed
  const TestOutcome* first_bad = nullptr;  ///< its first run neither passed nor skipped
  const CellResult* first_bad_cell = nullptr;

  /// Failed in some runs and passed in others.
  [[nodiscard]] bool flaky() const { return failures > 0 && failures < runs; }
};

/// The tests of an entry's cells, in first-seen order.
inline std::vector<TestSummary> summarize_tests(const std::vector<const CellResult*>& cells) {
  std::vector<TestSummary> tests;
  for (const auto* cell : cells) {
    for (const auto& test : cell->tests) {
      auto found = std::find_if(tests.begin(), tests.end(),
                                [&](const TestSummary& t) { return t.name == test.name; });
      if (found == tests.end()) found = tests.insert(tests.end(), TestSummary{test.name});
      ++found->runs;
      if (test.outcome > found->worst) found->worst = test.outcome;
      if (test.outcome > Outcome::passed) ++found->failures;
      if (test.outcome != Outcome::passed && test.outcome != Outcome::skipped &&
          found->first_bad == nullptr) {
        found->first_bad = &test;
        found->first_bad_cell = cell;
      }
    }
  }
  return tests;
}

inline std::string allowed_text(const std::vector<Outcome>& allowed) {
  std::string text;
  for (const auto outcome : allowed) text += (text.empty() ? "" : ", ") + to_string(outcome);
  return text;
}

/// Writes the JUnit XML report (report_junit.cpp).
void write_junit(const MatrixReport& report, const std::filesystem::path& path);
/// Writes the HTML page (report_html.cpp).
void write_html(const MatrixReport& report, const std::filesystem::path& path);
/// The HTML id of the drill-down of the grid entry of fault `fault_index` and binary
/// `binary_index`: indexes only, never text from a test.
std::string entry_id(std::size_t fault_index, std::size_t binary_index);
/// Writes the drill-down of one grid entry (report_cells_html.cpp): its fault and seeds, time,
/// the tests that did not pass with their first failure and replay command, the flaky ones, and
/// the logs, linked relative to the page at `page`.
void write_entry_html(std::ostream& out, const std::filesystem::path& page, const std::string& id,
                      const std::string& title, const std::vector<const CellResult*>& cells);
/// The href of a log relative to the page at `page`, or "" when it is no plain file path.
std::string link_to(const std::filesystem::path& page, const std::string& log);
/// The background colour of an outcome on the page.
const char* colour(Outcome outcome);

}  // namespace asyncfix::cli
