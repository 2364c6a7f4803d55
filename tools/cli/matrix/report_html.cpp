// The matrix as an HTML page: the grid of outcomes, each entry linking to its drill-down below.
// The page runs no script at all: its Content-Security-Policy allows none, so no test's name or
// message can run as one even if escaping missed it.
#include "matrix/report_grid.hpp"

#include <fstream>
#include <stdexcept>

namespace asyncfix::cli {

namespace fs = std::filesystem;

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

std::string link_to(const fs::path& page, const std::string& log) {
  // A report read back may say anything in its log field: only a plain file path is linked.
  if (log.empty() || log.find(':') != std::string::npos || log.find('\\') != std::string::npos ||
      log.find_first_of("\"'<>`") != std::string::npos) {
    return "";
  }
  std::error_code ec;
  const auto relative = fs::relative(log, fs::absolute(page).parent_path(), ec);
  return ec ? std::string() : relative.string();
}

std::string entry_id(std::size_t fault_index, std::size_t binary_index) {
  return "entry-" + std::to_string(fault_index) + "-" + std::to_string(binary_index);
}

void write_html(const MatrixReport& report, const fs::path& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  const Grid grid(report);
  out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'\"><title>asyncfix fault matrix</title>\n<style>"
         "body{font-family:sans-serif}table{border-collapse:collapse}"
         "td,th{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}"
         "td.unexpected{outline:3px solid #900;font-weight:bold}a{color:inherit}"
         "section.entry{border-top:1px solid #999;margin-top:1em}"
         "dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}dd{margin:0}"
         "code{background:#f4f4f4;padding:1px 4px;word-break:break-all}"
         "table.tests{width:100%;table-layout:fixed}table.tests td{overflow-wrap:anywhere}"
         "</style></head><body>\n";
  out << "<h1>asyncfix fault matrix</h1>\n<p>" << report.cells.size() << " cells, "
      << report.unexpected() << " not as expected; seed " << report.seed
      << ". Each entry links to its tests, its logs and the command that replays it.</p>\n";
  out << "<table id=\"matrix\">\n<tr><th>fault</th>";
  for (const auto& binary : grid.binaries) {
    out << "<th>" << xml_text(grid.label(binary)) << "</th>";
  }
  out << "</tr>\n";
  for (std::size_t f = 0; f < grid.faults.size(); ++f) {
    out << "<tr><th>" << xml_text(grid.faults[f]) << "</th>";
    for (std::size_t b = 0; b < grid.binaries.size(); ++b) {
      const auto found = grid.entries.find({grid.faults[f], grid.binaries[b]});
      if (found == grid.entries.end()) {
        out << "<td></td>";
        continue;
      }
      const Entry entry(found->second);
      const auto* shown =
          entry.first_unexpected != nullptr ? entry.first_unexpected : entry.worst_cell;
      out << "<td class=\"" << to_string(entry.worst) << (entry.expected ? "" : " unexpected")
          << "\" style=\"background:" << colour(entry.worst) << "\" title=\""
          << xml_text(shown->reason) << "\"><a href=\"#" << entry_id(f, b) << "\">"
          << xml_text(entry.text()) << "</a></td>";
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
  out << "; an entry marked \"!\" is not as expected.</p>\n";
  // The entries a reader came for first: not as expected, then failed, then the rest.
  const auto write_entries = [&](const char* heading, auto wanted) {
    bool any = false;
    for (std::size_t f = 0; f < grid.faults.size(); ++f) {
      for (std::size_t b = 0; b < grid.binaries.size(); ++b) {
        const auto found = grid.entries.find({grid.faults[f], grid.binaries[b]});
        if (found == grid.entries.end() || !wanted(Entry(found->second))) continue;
        if (!any) out << "<h2>" << heading << "</h2>\n";
        any = true;
        write_entry_html(out, path, entry_id(f, b),
                         grid.faults[f] + " \u00d7 " + grid.label(grid.binaries[b]), found->second);
      }
    }
  };
  write_entries("Not as expected", [](const Entry& e) { return !e.expected; });
  write_entries("Failed as expected",
                [](const Entry& e) { return e.expected && e.worst > Outcome::passed; });
  write_entries("Passed, skipped or not applied",
                [](const Entry& e) { return e.expected && e.worst <= Outcome::passed; });
  out << "</body></html>\n";
}

}  // namespace asyncfix::cli
