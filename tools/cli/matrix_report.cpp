#include "matrix_report.hpp"

#include "support/xml_escape.hpp"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace asyncfix::cli {
namespace {

using detail::xml_escape;

namespace fs = std::filesystem;

std::string binary_name(const CellResult& cell) {
  return fs::path(cell.cell.binary).filename().string();
}

/// The cells of one binary under one fault (its repeats), in first-seen order of both.
struct Grid {
  std::vector<std::string> faults;
  std::vector<std::string> binaries;
  std::map<std::pair<std::string, std::string>, std::vector<const CellResult*>> entries;

  explicit Grid(const MatrixReport& report) {
    for (const auto& cell : report.cells) {
      const auto binary = binary_name(cell);
      if (std::find(faults.begin(), faults.end(), cell.cell.fault.name) == faults.end()) {
        faults.push_back(cell.cell.fault.name);
      }
      if (std::find(binaries.begin(), binaries.end(), binary) == binaries.end()) {
        binaries.push_back(binary);
      }
      entries[{cell.cell.fault.name, binary}].push_back(&cell);
    }
  }
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

std::string allowed_text(const std::vector<Outcome>& allowed) {
  std::string text;
  for (const auto outcome : allowed) text += (text.empty() ? "" : ", ") + to_string(outcome);
  return text;
}

void write_junit(const MatrixReport& report, const fs::path& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  const Grid grid(report);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"asyncfix matrix\" tests=\""
      << report.cells.size() << "\" failures=\"" << report.unexpected() << "\">\n";
  for (const auto& binary : grid.binaries) {
    std::vector<const CellResult*> cells;
    for (const auto& cell : report.cells) {
      if (binary_name(cell) == binary) cells.push_back(&cell);
    }
    const auto failures =
        std::count_if(cells.begin(), cells.end(), [](const CellResult* c) { return !c->expected; });
    out << "  <testsuite name=\"" << xml_escape(binary) << "\" tests=\"" << cells.size()
        << "\" failures=\"" << failures << "\">\n";
    for (const auto* cell : cells) {
      std::string name = cell->cell.fault.name;
      if (cell->cell.repeat > 1) name += " #" + std::to_string(cell->cell.repeat);
      out << "    <testcase classname=\"asyncfix.matrix." << xml_escape(binary) << "\" name=\""
          << xml_escape(name) << "\" time=\"" << std::fixed << std::setprecision(3)
          << static_cast<double>(cell->duration.count()) / 1000.0 << "\">\n";
      if (!cell->expected) {
        out << "      <failure type=\"" << to_string(cell->outcome) << "\" message=\""
            << xml_escape(to_string(cell->outcome) + " (expected " + allowed_text(cell->allowed) +
                          "): " + cell->reason)
            << "\"/>\n";
      }
      out << "      <system-out>"
          << xml_escape("fault: " + cell->cell.fault.spec + "\nseed: " +
                        std::to_string(cell->cell.seed) + "\noutcome: " + to_string(cell->outcome) +
                        "\nexit: " + cell->exit + "\nlog: " + cell->log + "\n")
          << "</system-out>\n    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

const char* colour(Outcome outcome) {
  switch (outcome) {
    case Outcome::passed:
      return "#b7e1b0";
    case Outcome::skipped:
      return "#e0e0e0";
    case Outcome::failed_classified:
      return "#f3e2a0";
    case Outcome::failed_unclassified:
      return "#f2b880";
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

std::string link_to(const fs::path& html, const std::string& log) {
  std::error_code ec;
  const auto relative = fs::relative(log, fs::absolute(html).parent_path(), ec);
  return ec || relative.empty() ? log : relative.string();
}

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
  for (const auto& binary : grid.binaries) out << "<th>" << xml_escape(binary) << "</th>";
  out << "</tr>\n";
  for (const auto& fault : grid.faults) {
    out << "<tr><th>" << xml_escape(fault) << "</th>";
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
          << xml_escape(shown->reason) << "\"><a href=\"" << xml_escape(link_to(path, shown->log))
          << "\">" << xml_escape(entry.text()) << "</a></td>";
    }
    out << "</tr>\n";
  }
  out << "</table>\n<h2>Legend</h2>\n<p>";
  for (const auto outcome :
       {Outcome::passed, Outcome::skipped, Outcome::failed_classified, Outcome::failed_unclassified,
        Outcome::leak, Outcome::orphan, Outcome::hang, Outcome::crash}) {
    out << "<span style=\"background:" << colour(outcome) << ";padding:2px 6px;margin-right:4px\">"
        << to_string(outcome) << "</span>";
  }
  out << "; a cell marked \"!\" is not as expected. A cell links to its log.</p>\n</body></html>\n";
}

}  // namespace

std::size_t MatrixReport::unexpected() const {
  return static_cast<std::size_t>(
      std::count_if(cells.begin(), cells.end(), [](const CellResult& c) { return !c.expected; }));
}

nlohmann::json to_json(const MatrixReport& report) {
  nlohmann::json cells = nlohmann::json::array();
  for (const auto& cell : report.cells) {
    nlohmann::json tests = nlohmann::json::array();
    for (const auto& test : cell.tests) {
      tests.push_back(
          {{"name", test.name}, {"outcome", to_string(test.outcome)}, {"reason", test.reason}});
    }
    nlohmann::json allowed = nlohmann::json::array();
    for (const auto outcome : cell.allowed) allowed.push_back(to_string(outcome));
    cells.push_back({{"index", cell.cell.index},
                     {"binary", cell.cell.binary},
                     {"filter", cell.cell.filter},
                     {"fault", cell.cell.fault.name},
                     {"spec", cell.cell.fault.spec},
                     {"repeat", cell.cell.repeat},
                     {"seed", cell.cell.seed},
                     {"outcome", to_string(cell.outcome)},
                     {"allowed", allowed},
                     {"expected", cell.expected},
                     {"exit", cell.exit},
                     {"reason", cell.reason},
                     {"duration_ms", cell.duration.count()},
                     {"log", cell.log},
                     {"tests", tests}});
  }
  return {
      {"asyncfix_matrix", 1}, {"seed", report.seed}, {"shards", report.shards}, {"cells", cells}};
}

MatrixReport report_from_json(const nlohmann::json& json, const std::string& where) {
  if (!json.is_object() || json.value("asyncfix_matrix", 0) != 1 || !json.contains("cells")) {
    throw std::invalid_argument(where +
                                ": not an asyncfix matrix JSON report (asyncfix matrix --json)");
  }
  MatrixReport report;
  try {
    report.seed = json.at("seed").get<std::uint64_t>();
    report.shards = json.at("shards").get<std::vector<std::string>>();
    for (const auto& c : json.at("cells")) {
      CellResult cell;
      cell.cell.index = c.at("index").get<std::size_t>();
      cell.cell.binary = c.at("binary").get<std::string>();
      cell.cell.filter = c.at("filter").get<std::string>();
      cell.cell.fault = {c.at("fault").get<std::string>(), c.at("spec").get<std::string>()};
      cell.cell.repeat = c.at("repeat").get<int>();
      cell.cell.seed = c.at("seed").get<std::uint64_t>();
      cell.outcome = outcome_from_string(c.at("outcome").get<std::string>());
      for (const auto& a : c.at("allowed"))
        cell.allowed.push_back(outcome_from_string(a.get<std::string>()));
      cell.expected = c.at("expected").get<bool>();
      cell.exit = c.at("exit").get<std::string>();
      cell.reason = c.at("reason").get<std::string>();
      cell.duration = std::chrono::milliseconds(c.at("duration_ms").get<long long>());
      cell.log = c.at("log").get<std::string>();
      for (const auto& t : c.at("tests")) {
        cell.tests.push_back({t.at("name").get<std::string>(),
                              outcome_from_string(t.at("outcome").get<std::string>()),
                              t.at("reason").get<std::string>()});
      }
      report.cells.push_back(std::move(cell));
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(where + ": " + e.what());
  }
  return report;
}

void write_reports(const MatrixReport& report, const fs::path& json, const fs::path& junit,
                   const fs::path& html) {
  if (!json.empty()) {
    std::ofstream out(json);
    if (!out) throw std::runtime_error("cannot write " + json.string());
    out << to_json(report).dump(2) << "\n";
  }
  if (!junit.empty()) write_junit(report, junit);
  if (!html.empty()) write_html(report, html);
}

void print_summary(const MatrixReport& report, std::ostream& out) {
  const Grid grid(report);
  std::vector<std::size_t> width{5};
  for (const auto& fault : grid.faults) width[0] = std::max(width[0], fault.size());
  std::vector<std::vector<std::string>> rows;
  for (const auto& binary : grid.binaries) width.push_back(binary.size());
  for (const auto& fault : grid.faults) {
    std::vector<std::string> row{fault};
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
  std::vector<std::string> header{"fault"};
  header.insert(header.end(), grid.binaries.begin(), grid.binaries.end());
  line(header);
  std::vector<std::string> rule;
  for (const auto w : width) rule.emplace_back(w, '-');
  line(rule);
  for (const auto& row : rows) line(row);
  for (const auto& cell : report.cells) {
    if (cell.expected) continue;
    out << "! " << cell.cell.fault.name << " x " << binary_name(cell) << ": "
        << to_string(cell.outcome) << " (expected " << allowed_text(cell.allowed)
        << "): " << cell.reason << "\n  log: " << cell.log << "\n";
  }
}

}  // namespace asyncfix::cli
