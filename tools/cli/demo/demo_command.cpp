// `asyncfix demo`: the main job. Starts one private redis-server, runs the five-agent scenario and
// the sample regression suite against it, prints a result table built from their gtest JSON
// reports (the asyncfix.* properties AsyncTest records), then runs both under the default fault
// matrix and prints its table. The binaries are arguments, found by default next to the CLI (an
// install's libexec/asyncfix, or the build tree).
#include "commands.hpp"
#include "matrix/matrix_command.hpp"
#include "safe_text.hpp"

#include <asyncfix/redis/redis_server.hpp>
#include <asyncfix/testing/teardown_report.hpp>

#include "support/child_process.hpp"

#include <nlohmann/json.hpp>

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
  detail::ChildOptions options;
  options.argv = {suite.binary.string(), "--gtest_filter=" + suite.filter,
                  "--gtest_output=json:" + report.string()};
  options.env = {{"ASYNCFIX_REDIS_URL", url.to_string()}};
  options.output = log;
  detail::ChildProcess child(options);
  const auto exit = child.wait_or_terminate(std::chrono::minutes(5));
  auto suite_rows = rows_from_report(report);
  if (suite_rows.empty()) {
    std::cerr << "asyncfix demo: " << suite.title << " produced no report (" << exit.describe()
              << "); see " << log << "\n";
    return failed;
  }
  rows.insert(rows.end(), suite_rows.begin(), suite_rows.end());
  return exit.code == 0 ? ok : failed;
}

void print_table(const std::vector<Row>& rows) {
  // No time column: every test here takes about a millisecond, so the figure said nothing.
  std::vector<std::size_t> width{4, 6, 7, 16, 12};
  const std::vector<std::string> header{"test", "agents", "outcome", "redis operations",
                                        "loop changes"};
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
    line({r.test, r.agents, r.outcome, r.operations, r.loop_changes});
  }
}

/// The demo's test binary `name`: beside an installed CLI (../libexec/asyncfix/), else where the
/// build tree puts it (../`build_subdir`/).
std::string find_beside_cli(const std::string& name, const std::string& build_subdir) {
  std::error_code ec;
  const auto cli_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  for (const auto& candidate :
       {cli_dir / ".." / "libexec" / "asyncfix" / name, cli_dir / ".." / build_subdir / name}) {
    if (fs::exists(candidate, ec)) return fs::weakly_canonical(candidate, ec).string();
  }
  return "";
}

/// The binaries and whether to run the matrix.
struct DemoArgs {
  std::string agents;
  std::string samples;
  bool matrix = true;
  unsigned jobs = 2;
  std::string html;  ///< the matrix's HTML page, or "" for none
};

constexpr const char* five_agents_filter = "AgentExecution.*:AgentScale.OneLoop_5";

int demo(const DemoArgs& args) {
  const std::vector<Suite> suites{{"the five-agent scenario", args.agents, five_agents_filter},
                                  {"the sample regression suite", args.samples, "*"}};
  for (const auto& suite : suites) {
    if (suite.binary.empty() || !fs::exists(suite.binary)) {
      std::cerr << "asyncfix demo: " << suite.title << ": test binary '" << suite.binary.string()
                << "' not found; build first (tools/dev.sh demo does) or pass --agents/--samples\n";
      return usage;
    }
  }
  std::unique_ptr<redis::RedisServer> server;
  try {
    server = redis::RedisServer::start();
  } catch (const std::runtime_error& e) {  // no redis-server, or it did not start
    std::cerr << "asyncfix demo: " << without_prefix(e.what()) << "\n";
    return failed;
  }
  std::cout << "asyncfix demo: private redis-server " << server->url().redacted() << " (pid "
            << server->pid() << ")\n\n";
  const fs::path work = server->dir();
  std::vector<Row> rows;
  int result = ok;
  for (const auto& suite : suites) {
    if (run_suite(suite, server->url(), work, rows) != ok) result = failed;
  }
  std::cout
      << "The five-agent scenario: five agents (coroutines) on one test's loop share one lazily\n"
         "connected RedisManager, each writing and reading its own keys; then the sample suite.\n"
         "agents: agents at once; redis operations: commands they sent; loop changes: rebinds of\n"
         "a manager to another loop (the bug class asyncfix catches, here healed on purpose).\n\n";
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
  server.reset();
  if (!args.matrix) return result;
  std::cout << "\nThe same suites under the default fault matrix (asyncfix matrix):\n"
            << std::flush;
  MatrixArgs matrix;
  matrix.jobs = args.jobs;
  matrix.filters = {fs::path(args.agents).filename().string() + "=" + five_agents_filter};
  matrix.binaries = {args.agents, args.samples};
#ifdef ASYNCFIX_WITH_POSTGRES
  matrix.postgres = true;  // the sample suite has a PostgreSQL sample
#endif
  matrix.html = args.html;
  if (!args.html.empty()) {
    // The page links the cells' logs: they go beside it (NAME-cells/), reused by the next demo,
    // instead of a new /tmp directory each run.
    const fs::path page(args.html);
    matrix.work_dir = (page.parent_path() / (page.stem().string() + "-cells")).string();
  }
  const int code = run_matrix(matrix);
  if (!args.html.empty() && std::filesystem::exists(args.html)) {
    std::cout << "Each cell's tests, first failure lines and replay commands: "
              << for_terminal(fs::absolute(args.html).string()) << "\n";
  }
  return code != ok ? code : result;
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "demo",
      "Run the five-agent scenario and the sample suite on a private redis-server, then under "
      "the default fault matrix");
  auto args = std::make_shared<DemoArgs>();
  args->agents = find_beside_cli("asyncfix_agent_tests", "tests/agents");
  args->samples = find_beside_cli("asyncfix_samples", "samples/regression");
  command->add_option("--agents", args->agents, "The agent suite's test binary")
      ->capture_default_str();
  command->add_option("--samples", args->samples, "The sample regression suite's test binary")
      ->capture_default_str();
  command->add_flag("!--no-matrix", args->matrix, "Skip the fault matrix");
  command->add_option("--jobs", args->jobs, "Matrix cells run at once")
      ->check(CLI::Range(1U, 64U))
      ->capture_default_str();
  command->add_option("--html", args->html,
                      "Also write the matrix's HTML page (each cell's tests and replay commands)");
  command->callback([args] {
    if (const int code = demo(*args); code != ok) throw CLI::RuntimeError(code);
  });
}

}  // namespace asyncfix::cli
