// The matrix as an HTML page: the grid of outcomes, each entry linking to its log.
#include "matrix/report_grid.hpp"

#include <fstream>
#include <stdexcept>

namespace asyncfix::cli {

namespace fs = std::filesystem;

namespace {

const char* colour(Outcome outcome) {
  switch (outcome) {
    case Outcome::passed:
      return "#b7e1b0";
    case Outcome::skipped:
      return "#e0e0e0";
    case Outcome::not_applied:
      return "#b8d0f0";
    case Outcome::failed_classified:
      return "#f3e2a0";
    case Outcome::failed_unclassified:
      return "#f2b880";
    case Outcome::no_report:
      return "#f0a040";
    case Outcome::leak:
      return "#e8a0d8";
    case Outcome::orphan:
      return "#c8a0f0";
    case Outcome::hang:
      return "#f08080";
    case Outcome::crash:
      return "#d04040";
  }
  return "#ffffff";
}

/// The href of a cell's log: its path relative to the page, or "" (no link) when the log is no
/// plain file path (a report read back may say anything in its log field).
std::string link_to(const fs::path& html, const std::string& log) {
  if (log.empty() || log.find(':') != std::string::npos || log.find('\\') != std::string::npos ||
      log.find_first_of("\"'<>`") != std::string::npos) {
    return "";
  }
  std::error_code ec;
  const auto relative = fs::relative(log, fs::absolute(html).parent_path(), ec);
  return ec ? std::string() : relative.string();
}

}  // namespace

void write_html(const MatrixReport& report, const fs::path& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  const Grid grid(report);
  out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>asyncfix fault "
         "matrix</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse}"
         "td,th{border:1px solid #999;padding:4px 8px;text-align:left}td.unexpected{outline:3px "
         "solid #900;font-weight:bold}a{color:inherit}</style></head><body>\n";
  out << "<h1>asyncfix fault matrix</h1>\n<p>" << report.cells.size() << " cells, "
      << report.unexpected() << " not as expected; seed " << report.seed << "</p>\n";
  out << "<table id=\"matrix\">\n<tr><th>fault</th>";
  for (const auto& binary : grid.binaries) {
    out << "<th>" << xml_text(grid.label(binary)) << "</th>";
  }
  out << "</tr>\n";
  for (const auto& fault : grid.faults) {
    out << "<tr><th>" << xml_text(fault) << "</th>";
    for (const auto& binary : grid.binaries) {
      const auto found = grid.entries.find({fault, binary});
      if (found == grid.entries.end()) {
        out << "<td></td>";
        continue;
      }
      const Entry entry(found->second);
      const auto* shown =
          entry.first_unexpected != nullptr ? entry.first_unexpected : entry.worst_cell;
      out << "<td class=\"" << to_string(entry.worst) << (entry.expected ? "" : " unexpected")
          << "\" style=\"background:" << colour(entry.worst) << "\" title=\""
          << xml_text(shown->reason) << "\">";
      if (const auto href = link_to(path, shown->log); href.empty()) {
        out << xml_text(entry.text());
      } else {
        out << "<a href=\"" << xml_text(href) << "\">" << xml_text(entry.text()) << "</a>";
      }
      out << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</table>\n<h2>Legend</h2>\n<p>";
  for (const auto outcome :
       {Outcome::passed, Outcome::skipped, Outcome::not_applied, Outcome::failed_classified,
        Outcome::failed_unclassified, Outcome::no_report, Outcome::leak, Outcome::orphan,
        Outcome::hang, Outcome::crash}) {
    out << "<span style=\"background:" << colour(outcome) << ";padding:2px 6px;margin-right:4px\">"
        << to_string(outcome) << "</span>";
  }
  out << "; a cell marked \"!\" is not as expected. A cell links to its log.</p>\n</body></html>\n";
}

}  // namespace asyncfix::cli
