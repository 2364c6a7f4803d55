// `asyncfix demo`: the main job. Starts one private redis-server, runs the five-agent scenario and
// the sample regression suite against it (from the build tree), and prints a result table built
// from their gtest JSON reports (the asyncfix.* properties AsyncTest records).
#include "commands.hpp"

#include <asyncfix/redis/redis_server.hpp>
#include <asyncfix/teardown_report.hpp>

#include <nlohmann/json.hpp>

#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;

/// One row of the table.
struct Row {
  std::string test;
  std::string agents = "-";
  std::string outcome;
  std::string operations = "-";
  std::string loop_changes = "-";
  std::string teardown_ms = "-";
};

/// A suite the demo runs: a gtest binary and its filter.
struct Suite {
  std::string title;
  fs::path binary;
  std::string filter;
};

std::string text_of(const nlohmann::json& test, const char* key) {
  if (!test.contains(key)) return "-";
  const auto& value = test[key];
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::vector<Row> rows_from_report(const fs::path& report) {
  std::vector<Row> rows;
  std::ifstream in(report);
  if (!in) return rows;
  const auto json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded()) return rows;
  for (const auto& suite : json.value("testsuites", nlohmann::json::array())) {
    for (const auto& test : suite.value("testsuite", nlohmann::json::array())) {
      Row row;
      row.test = suite.value("name", "") + "." + test.value("name", "");
      if (test.value("result", "") == "SKIPPED") {
        row.outcome = "skipped";
      } else {
        row.outcome = test.contains("failures") ? "FAILED" : "passed";
      }
      row.agents = text_of(test, "agents");
      row.operations = text_of(test, "redis_operations");
      row.loop_changes = text_of(test, asyncfix::property::loop_changes);
      row.teardown_ms = text_of(test, asyncfix::property::teardown_ms);
      rows.push_back(row);
    }
  }
  return rows;
}

int run_suite(const Suite& suite, const redis::RedisUrl& url, const fs::path& work,
              std::vector<Row>& rows) {
  const auto report = work / (suite.binary.filename().string() + ".json");
  const auto log = work / (suite.binary.filename().string() + ".log");
  // The URL (it may carry a password) reaches the child through its environment, never its
  // command line, which any local user can read in /proc.
  ::setenv("ASYNCFIX_REDIS_URL", url.to_string().c_str(), 1);
  const std::string command = "'" + suite.binary.string() + "' --gtest_filter='" + suite.filter +
                              "' --gtest_output=json:'" + report.string() + "' > '" + log.string() +
                              "' 2>&1";
  const int status = std::system(command.c_str());
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  auto suite_rows = rows_from_report(report);
  if (suite_rows.empty()) {
    std::cerr << "asyncfix demo: " << suite.title << " produced no report (exit " << code
              << "); see " << log << "\n";
    return failed;
  }
  rows.insert(rows.end(), suite_rows.begin(), suite_rows.end());
  return code == 0 ? ok : failed;
}

void print_table(const std::vector<Row>& rows) {
  std::vector<std::size_t> width{4, 6, 7, 16, 12, 13};
  const std::vector<std::string> header{
      "test", "agents", "outcome", "redis operations", "loop changes", "teardown (ms)"};
  for (const auto& r : rows) {
    width[0] = std::max(width[0], r.test.size());
    width[3] = std::max(width[3], r.operations.size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::ostringstream out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out << (i == 0 ? "| " : " | ") << std::left << std::setw(static_cast<int>(width[i]))
          << cells[i];
    }
    std::cout << out.str() << " |\n";
  };
  line(header);
  std::vector<std::string> rule;
  for (const auto w : width) rule.emplace_back(w, '-');
  line(rule);
  for (const auto& r : rows) {
    line({r.test, r.agents, r.outcome, r.operations, r.loop_changes, r.teardown_ms});
  }
}

int demo(const fs::path& build_dir) {
  const std::vector<Suite> suites{
      {"the five-agent scenario", build_dir / "tests/agents/asyncfix_agent_tests",
       "AgentExecution.*:AgentScale.OneLoop_5"},
      {"the sample regression suite", build_dir / "samples/regression/asyncfix_samples", "*"}};
  for (const auto& suite : suites) {
    if (!fs::exists(suite.binary)) {
      std::cerr << "asyncfix demo: " << suite.binary
                << " not found; build first (tools/dev.sh demo does) or pass --build-dir\n";
      return usage;
    }
  }
  auto server = redis::RedisServer::start();
  std::cout << "asyncfix demo: private redis-server " << server->url().redacted() << " (pid "
            << server->pid() << ")\n\n";
  const fs::path work = server->dir();
  std::vector<Row> rows;
  int result = ok;
  for (const auto& suite : suites) {
    if (run_suite(suite, server->url(), work, rows) != ok) result = failed;
  }
  print_table(rows);
  int passed = 0;
  int failures = 0;
  for (const auto& r : rows) {
    if (r.outcome == "passed") ++passed;
    if (r.outcome == "FAILED") ++failures;
  }
  std::cout << "\n" << passed << " passed, " << failures << " failed\n";
  if (failures > 0) {
    std::cout << "logs: " << (work / "*.log").string() << " (kept)\n";
    server->detach();
    return failed;
  }
  return result;
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "demo", "Run the five-agent scenario and the sample suite on a private redis-server");
  auto build_dir = std::make_shared<std::string>(ASYNCFIX_BUILD_DIR);
  command
      ->add_option("--build-dir", *build_dir, "The asyncfix build tree holding the test binaries")
      ->capture_default_str();
  command->callback([build_dir] {
    if (const int code = demo(*build_dir); code != ok) throw CLI::RuntimeError(code);
  });
}

}  // namespace asyncfix::cli
