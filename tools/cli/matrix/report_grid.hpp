#pragma once
// What the matrix's reports share (tools-internal): the grid of binaries by faults, one entry of
// it, and text made safe for XML and HTML.
#include "matrix/report.hpp"
#include "safe_text.hpp"
#include "support/xml_escape.hpp"

#include <algorithm>
#include <filesystem>
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

inline std::string allowed_text(const std::vector<Outcome>& allowed) {
  std::string text;
  for (const auto outcome : allowed) text += (text.empty() ? "" : ", ") + to_string(outcome);
  return text;
}

/// Writes the JUnit XML report (report_junit.cpp).
void write_junit(const MatrixReport& report, const std::filesystem::path& path);
/// Writes the HTML page (report_html.cpp).
void write_html(const MatrixReport& report, const std::filesystem::path& path);

}  // namespace asyncfix::cli
