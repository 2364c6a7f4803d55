#pragma once
// The fault matrix's reports: the summary table, JSON with every cell (also what `asyncfix report
// merge` reads back), JUnit XML for CI systems and a self-contained HTML grid.
#include "matrix/cell.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace asyncfix::cli {

/// Every cell of one run or of merged shards.
struct MatrixReport {
  std::uint64_t seed = 0;
  std::vector<std::string> shards;    ///< "I/N" of each run it holds
  std::vector<std::string> binaries;  ///< every binary of the matrix, as given (all shards')
  std::vector<CellResult> cells;

  /// Cells not as expected.
  [[nodiscard]] std::size_t unexpected() const;
};

/// The version of to_json()'s form; report_from_json() reads this one only.
inline constexpr int report_format = 2;

[[nodiscard]] nlohmann::json to_json(const MatrixReport& report);
/// Reads to_json()'s form; throws std::invalid_argument naming `where` and the field that is
/// missing or of the wrong type or sign.
[[nodiscard]] MatrixReport report_from_json(const nlohmann::json& json, const std::string& where);

/// Writes `report` in each form whose path is not empty. Text from the binaries is written as
/// valid UTF-8 whatever bytes it held.
void write_reports(const MatrixReport& report, const std::filesystem::path& json,
                   const std::filesystem::path& junit, const std::filesystem::path& html);

/// Faults down, binaries across; each entry the outcome (with repeats: passes/runs and the worst),
/// marked "!" when not as expected; then the unexpected cells with their reasons and logs.
void print_summary(const MatrixReport& report, std::ostream& out);

}  // namespace asyncfix::cli
