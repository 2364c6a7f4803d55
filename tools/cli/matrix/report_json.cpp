// The matrix as JSON (format 2), and read back from it for `report merge`.
#include "matrix/report_grid.hpp"

#include <algorithm>
#include <stdexcept>

namespace asyncfix::cli {

namespace fs = std::filesystem;

std::size_t MatrixReport::unexpected() const {
  return static_cast<std::size_t>(
      std::count_if(cells.begin(), cells.end(), [](const CellResult& c) { return !c.expected; }));
}

nlohmann::json to_json(const MatrixReport& report) {
  nlohmann::json cells = nlohmann::json::array();
  for (const auto& cell : report.cells) {
    nlohmann::json tests = nlohmann::json::array();
    for (const auto& test : cell.tests) {
      tests.push_back({{"name", test.name},
                       {"outcome", to_string(test.outcome)},
                       {"reason", test.reason},
                       {"failure", test.failure},
                       {"duration_ms", test.duration.count()}});
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
                     {"tests", tests},
                     {"replay", cell.replay}});
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
      TestOutcome test{text(t, "name"), outcome(text(t, "outcome")), text(t, "reason")};
      // Recorded since the HTML page's drill-down; a report from before has none of them.
      if (t.contains("failure")) test.failure = text(t, "failure");
      if (t.contains("duration_ms"))
        test.duration = std::chrono::milliseconds(count(t, "duration_ms"));
      cell.tests.push_back(std::move(test));
    }
    if (c.contains("replay")) cell.replay = text(c, "replay");
    report.cells.push_back(std::move(cell));
  }
  return report;
}

}  // namespace asyncfix::cli
