// The matrix's reports written together (write_reports), and its table on the terminal.
#include "matrix/report_grid.hpp"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace asyncfix::cli {

namespace fs = std::filesystem;

void write_reports(const MatrixReport& report, const fs::path& json, const fs::path& junit,
                   const fs::path& html) {
  if (!json.empty()) {
    std::ofstream out(json);
    if (!out) throw std::runtime_error("cannot write " + json.string());
    out << to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    if (!out) throw std::runtime_error("cannot write " + json.string());
  }
  if (!junit.empty()) write_junit(report, junit);
  if (!html.empty()) write_html(report, html);
}

void print_summary(const MatrixReport& report, std::ostream& out) {
  const Grid grid(report);
  std::vector<std::size_t> width{5};
  for (const auto& fault : grid.faults) width[0] = std::max(width[0], for_terminal(fault).size());
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"fault"};
  for (const auto& binary : grid.binaries) {
    header.push_back(for_terminal(grid.label(binary)));
    width.push_back(header.back().size());
  }
  for (const auto& fault : grid.faults) {
    std::vector<std::string> row{for_terminal(fault)};
    for (std::size_t b = 0; b < grid.binaries.size(); ++b) {
      const auto found = grid.entries.find({fault, grid.binaries[b]});
      row.push_back(found == grid.entries.end() ? "-" : Entry(found->second).text());
      width[b + 1] = std::max(width[b + 1], row.back().size());
    }
    rows.push_back(std::move(row));
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::ostringstream text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      text << (i == 0 ? "| " : " | ") << std::left << std::setw(static_cast<int>(width[i]))
           << cells[i];
    }
    out << text.str() << " |\n";
  };
  line(header);
  std::vector<std::string> rule;
  for (const auto w : width) rule.emplace_back(w, '-');
  line(rule);
  for (const auto& row : rows) line(row);
  for (const auto& cell : report.cells) {
    if (cell.expected) continue;
    out << "! " << for_terminal(cell.cell.fault.name) << " x "
        << for_terminal(grid.label(cell.cell.binary)) << ": " << to_string(cell.outcome)
        << " (expected " << allowed_text(cell.allowed) << "): " << for_terminal(cell.reason)
        << "\n  log: " << for_terminal(cell.log) << "\n";
  }
}

}  // namespace asyncfix::cli
