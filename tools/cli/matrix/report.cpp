#include "matrix/report.hpp"

#include "safe_text.hpp"
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

/// Text for XML and HTML: valid UTF-8, escaped.
std::string xml_text(std::string_view text) {
  return detail::xml_escape(valid_utf8(text));
}

namespace fs = std::filesystem;

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
      const auto name = fs::path(binary).filename().string();
      const bool shared = std::count_if(binaries.begin(), binaries.end(), [&](const auto& other) {
                            return fs::path(other).filename().string() == name;
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
      if (cell.cell.binary == binary) cells.push_back(&cell);
    }
    const auto failures =
        std::count_if(cells.begin(), cells.end(), [](const CellResult* c) { return !c->expected; });
    out << "  <testsuite name=\"" << xml_text(grid.label(binary)) << "\" tests=\"" << cells.size()
        << "\" failures=\"" << failures << "\">\n";
    for (const auto* cell : cells) {
      std::string name = cell->cell.fault.name;
      if (cell->cell.repeat > 1) name += " #" + std::to_string(cell->cell.repeat);
      out << "    <testcase classname=\"asyncfix.matrix." << xml_text(grid.label(binary))
          << "\" name=\"" << xml_text(name) << "\" time=\"" << std::fixed << std::setprecision(3)
          << static_cast<double>(cell->duration.count()) / 1000.0 << "\">\n";
      if (!cell->expected) {
        out << "      <failure type=\"" << to_string(cell->outcome) << "\" message=\""
            << xml_text(to_string(cell->outcome) + " (expected " + allowed_text(cell->allowed) +
                        "): " + cell->reason)
            << "\"/>\n";
      }
      out << "      <system-out>"
          << xml_text("fault: " + cell->cell.fault.spec + "\nseed: " +
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
       {Outcome::passed, Outcome::skipped, Outcome::failed_classified, Outcome::failed_unclassified,
        Outcome::no_report, Outcome::leak, Outcome::orphan, Outcome::hang, Outcome::crash}) {
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
                     {"listed", cell.cell.listed},
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
  return {{"asyncfix_matrix", report_format},
          {"seed", report.seed},
          {"shards", report.shards},
          {"binaries", report.binaries},
          {"cells", cells}};
}

MatrixReport report_from_json(const nlohmann::json& json, const std::string& where) {
  const bool tagged = json.is_object() && json.contains("asyncfix_matrix");
  if (!tagged || !json["asyncfix_matrix"].is_number_integer()) {
    throw std::invalid_argument(where +
                                ": not an asyncfix matrix JSON report (asyncfix matrix --json)");
  }
  if (json["asyncfix_matrix"] != report_format) {
    throw std::invalid_argument(where + ": report format " + json["asyncfix_matrix"].dump() +
                                ", expected " + std::to_string(report_format) +
                                " (re-run the matrix with this asyncfix)");
  }
  // A field of the wrong type or sign is named, never converted.
  const auto field = [&](const nlohmann::json& object, const char* name) -> const nlohmann::json& {
    if (!object.is_object() || !object.contains(name)) {
      throw std::invalid_argument(where + ": missing field '" + name + "'");
    }
    return object[name];
  };
  const auto text = [&](const nlohmann::json& object, const char* name) {
    const auto& value = field(object, name);
    if (!value.is_string()) throw std::invalid_argument(where + ": '" + name + "' is not a string");
    return value.get<std::string>();
  };
  const auto count = [&](const nlohmann::json& object, const char* name) {
    const auto& value = field(object, name);
    if (!value.is_number_unsigned()) {
      throw std::invalid_argument(where + ": '" + name + "' is " + value.dump() +
                                  ", expected a whole number >= 0");
    }
    return value.get<std::uint64_t>();
  };
  const auto list = [&](const nlohmann::json& object, const char* name) -> const nlohmann::json& {
    const auto& value = field(object, name);
    if (!value.is_array()) throw std::invalid_argument(where + ": '" + name + "' is not a list");
    return value;
  };
  const auto strings = [&](const nlohmann::json& object, const char* name) {
    std::vector<std::string> out;
    for (const auto& value : list(object, name)) {
      if (!value.is_string()) {
        throw std::invalid_argument(where + ": '" + name + "' holds a non-string");
      }
      out.push_back(value.get<std::string>());
    }
    return out;
  };
  const auto outcome = [&](const std::string& name) {
    try {
      return outcome_from_string(name);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(where + ": " + e.what());
    }
  };
  MatrixReport report;
  report.seed = count(json, "seed");
  report.shards = strings(json, "shards");
  report.binaries = strings(json, "binaries");
  for (const auto& c : list(json, "cells")) {
    CellResult cell;
    cell.cell.index = count(c, "index");
    cell.cell.binary = text(c, "binary");
    cell.cell.filter = text(c, "filter");
    cell.cell.listed = count(c, "listed");
    cell.cell.fault = {text(c, "fault"), text(c, "spec"), {}};
    cell.cell.repeat = static_cast<int>(count(c, "repeat"));
    cell.cell.seed = count(c, "seed");
    cell.outcome = outcome(text(c, "outcome"));
    for (const auto& allowed : strings(c, "allowed")) cell.allowed.push_back(outcome(allowed));
    if (!field(c, "expected").is_boolean()) {
      throw std::invalid_argument(where + ": 'expected' is not true or false");
    }
    cell.expected = c["expected"].get<bool>();
    cell.exit = text(c, "exit");
    cell.reason = text(c, "reason");
    cell.duration = std::chrono::milliseconds(count(c, "duration_ms"));
    cell.log = text(c, "log");
    for (const auto& t : list(c, "tests")) {
      cell.tests.push_back({text(t, "name"), outcome(text(t, "outcome")), text(t, "reason")});
    }
    report.cells.push_back(std::move(cell));
  }
  return report;
}

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
