// `asyncfix run`, `asyncfix matrix` and `asyncfix report merge`: test binaries under faults, each
// cell on a private redis-server behind a FaultProxy, classified and reported (see fault_matrix.hpp
// and matrix_report.hpp).
#include "matrix_command.hpp"
#include "commands.hpp"
#include "matrix_report.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// Report paths and the settings every cell shares.
struct Outputs {
  std::string json;
  std::string junit;
  std::string html;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "asyncfix: " << message << "\n";
  throw CLI::RuntimeError(usage);
}

fs::path make_work_dir(const std::string& requested) {
  if (!requested.empty()) {
    fs::create_directories(requested);
    return fs::absolute(requested);
  }
  std::string pattern = (fs::temp_directory_path() / "asyncfix-matrix-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

void check_binary(const std::string& binary) {
  if (::access(binary.c_str(), X_OK) != 0) {
    usage_error("test binary '" + binary + "' does not exist or is not executable");
  }
}

std::string elapsed_text(Clock::time_point start) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count();
  std::ostringstream text;
  text << std::setfill('0') << std::setw(2) << seconds / 60 << ":" << std::setw(2) << seconds % 60;
  return text.str();
}

/// Runs `cells` on `jobs` threads; reports progress as a live line on a terminal, else a line per
/// cell. Throws CannotRun (after the running cells end) when a cell could not start at all.
std::vector<CellResult> run_cells(const std::vector<Cell>& cells, const RunSettings& settings,
                                  const Expectation& expectation, unsigned jobs) {
  std::vector<CellResult> results(cells.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::size_t done = 0;
  std::size_t unexpected = 0;
  std::string cannot_run;
  const bool live = ::isatty(STDOUT_FILENO) != 0;
  const auto start = Clock::now();
  auto worker = [&] {
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (!cannot_run.empty()) return;
      }
      const auto i = next.fetch_add(1);
      if (i >= cells.size()) return;
      CellResult result;
      try {
        result = run_cell(cells[i], settings);
      } catch (const CannotRun& e) {
        std::lock_guard lock(mutex);
        cannot_run = e.what();
        return;
      }
      result.allowed = expectation.allowed(cells[i].fault.name);
      result.expected = std::find(result.allowed.begin(), result.allowed.end(), result.outcome) !=
                        result.allowed.end();
      std::lock_guard lock(mutex);
      ++done;
      if (!result.expected) ++unexpected;
      if (live) {
        std::cout << "\r[" << done << "/" << cells.size() << "] " << elapsed_text(start)
                  << " elapsed, " << unexpected << " not as expected " << std::flush;
      } else {
        std::cout << "[" << done << "/" << cells.size() << "] " << cells[i].fault.name << " x "
                  << fs::path(cells[i].binary).filename().string() << ": "
                  << to_string(result.outcome) << (result.expected ? "" : " (not as expected)")
                  << " in " << result.duration.count() << " ms\n"
                  << std::flush;
      }
      results[i] = std::move(result);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < std::max(1U, jobs); ++j) threads.emplace_back(worker);
  for (auto& thread : threads) thread.join();
  if (live) std::cout << "\n";
  if (!cannot_run.empty()) throw CannotRun(cannot_run);
  return results;
}

/// "BINARY_NAME=GLOB" filters by the binary's file name.
std::string filter_for(const std::string& binary, const std::vector<std::string>& filters) {
  for (const auto& filter : filters) {
    const auto equals = filter.find('=');
    if (filter.substr(0, equals) == fs::path(binary).filename().string()) {
      return filter.substr(equals + 1);
    }
  }
  return "";
}

std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  try {
    if (slash == std::string::npos) throw 0;
    const auto i = std::stoul(text.substr(0, slash));
    const auto n = std::stoul(text.substr(slash + 1));
    if (n == 0 || i == 0 || i > n || std::to_string(i) + "/" + std::to_string(n) != text) {
      throw 0;
    }
    return {i, n};
  } catch (...) {
    usage_error("--shard '" + text + "': expected I/N with 1 <= I <= N, e.g. 2/4");
  }
}

}  // namespace

int run_matrix(const MatrixArgs& args) {
  for (const auto& filter : args.filters) {
    if (filter.find('=') == std::string::npos) {
      usage_error("--filter '" + filter + "': expected BINARY_NAME=GTEST_FILTER");
    }
  }
  for (const auto& binary : args.binaries) check_binary(binary);
  std::vector<FaultCase> profile;
  Expectation expectation;
  try {
    profile = args.profile == "default" ? default_profile() : read_profile(args.profile);
    expectation = args.expect.empty() ? Expectation::defaults(profile)
                                      : Expectation::read(args.expect, profile);
  } catch (const std::invalid_argument& e) {
    usage_error(e.what());
  }
  const auto [shard, shards] = parse_shard(args.shard);
  const std::uint64_t seed = args.seed.value_or(std::random_device{}());
  RunSettings settings;
  settings.work_dir = make_work_dir(args.work_dir);
  settings.cell_timeout = std::chrono::milliseconds(args.cell_timeout_ms);
  if (!args.redis.empty()) settings.redis_url = args.redis;

  std::vector<Cell> cells;
  std::size_t index = 0;
  for (const auto& binary : args.binaries) {
    for (const auto& fault : profile) {
      for (int r = 1; r <= args.repeat; ++r, ++index) {
        if (index % shards != shard - 1) continue;
        cells.push_back({index, binary, filter_for(binary, args.filters), fault, r, seed + index});
      }
    }
  }
  std::cout << "asyncfix matrix: " << cells.size() << " cells (" << profile.size() << " faults x "
            << args.binaries.size() << " binaries x " << args.repeat
            << (args.repeat == 1 ? " run" : " runs")
            << (shards > 1 ? ", shard " + args.shard : std::string()) << "), seed " << seed << ", "
            << args.jobs << " jobs; logs in " << settings.work_dir.string() << "\n"
            << std::flush;
  MatrixReport report;
  report.seed = seed;
  report.shards = {args.shard};
  try {
    report.cells = run_cells(cells, settings, expectation, args.jobs);
  } catch (const CannotRun& e) {
    std::cerr << "asyncfix matrix: nothing could run: " << without_prefix(e.what()) << "\n";
    return skipped;
  }
  print_summary(report, std::cout);
  write_reports(report, args.json, args.junit, args.html);
  std::cout << report.cells.size() - report.unexpected() << " of " << report.cells.size()
            << " cells as expected\n";
  return report.unexpected() == 0 ? ok : failed;
}

namespace {

void print_tests(const CellResult& result) {
  std::size_t width = 4;
  for (const auto& test : result.tests) width = std::max(width, test.name.size());
  for (const auto& test : result.tests) {
    std::cout << "  " << std::left << std::setw(static_cast<int>(width)) << test.name << "  "
              << std::setw(19) << to_string(test.outcome) << " " << test.reason << "\n";
  }
}

int run_one(const std::vector<std::string>& faults, const std::string& redis,
            long long cell_timeout_ms, const std::vector<std::string>& command,
            const Outputs& outputs) {
  check_binary(command.front());
  std::string spec;
  for (const auto& fault : faults) spec += (spec.empty() ? "" : ",") + fault;
  const FaultCase fault{spec.empty() ? "none" : "run", spec};
  try {
    (void)FaultPlan::parse(spec, "--fault");
  } catch (const std::invalid_argument& e) {
    usage_error(e.what());
  }
  RunSettings settings;
  settings.work_dir = make_work_dir("");
  settings.cell_timeout = std::chrono::milliseconds(cell_timeout_ms);
  settings.gtest_args.assign(command.begin() + 1, command.end());
  if (!redis.empty()) settings.redis_url = redis;
  const auto seed = std::random_device{}();
  const std::vector<Cell> cells{{0, command.front(), "", fault, 1, seed}};
  const auto expectation = Expectation::defaults({fault});
  MatrixReport report;
  report.seed = seed;
  report.shards = {"1/1"};
  try {
    report.cells = run_cells(cells, settings, expectation, 1);
  } catch (const CannotRun& e) {
    std::cerr << "asyncfix run: nothing could run: " << without_prefix(e.what()) << "\n";
    return skipped;
  }
  const auto& result = report.cells.front();
  print_tests(result);
  std::cout << "asyncfix run: " << to_string(result.outcome)
            << (result.expected ? "" : " (not as expected: " + result.reason + ")") << "; "
            << result.exit << "; seed " << seed << "; log " << result.log << "\n";
  write_reports(report, outputs.json, outputs.junit, outputs.html);
  return result.expected ? ok : failed;
}

int merge_reports(const std::vector<std::string>& inputs, const Outputs& outputs) {
  MatrixReport merged;
  for (const auto& input : inputs) {
    std::ifstream in(input);
    if (!in) usage_error("report merge: cannot read '" + input + "'");
    const auto json = nlohmann::json::parse(in, nullptr, false);
    MatrixReport shard;
    try {
      shard = report_from_json(json, input);
    } catch (const std::invalid_argument& e) {
      usage_error(std::string("report merge: ") + e.what());
    }
    if (merged.shards.empty()) merged.seed = shard.seed;
    merged.shards.insert(merged.shards.end(), shard.shards.begin(), shard.shards.end());
    for (auto& cell : shard.cells) merged.cells.push_back(std::move(cell));
  }
  std::stable_sort(
      merged.cells.begin(), merged.cells.end(),
      [](const CellResult& a, const CellResult& b) { return a.cell.index < b.cell.index; });
  print_summary(merged, std::cout);
  write_reports(merged, outputs.json, outputs.junit, outputs.html);
  std::cout << merged.cells.size() - merged.unexpected() << " of " << merged.cells.size()
            << " cells as expected (" << inputs.size() << " reports)\n";
  return merged.unexpected() == 0 ? ok : failed;
}

void add_outputs(CLI::App& command, std::string& json, std::string& junit, std::string& html) {
  command.add_option("--json", json, "Write every cell as JSON (what report merge reads)");
  command.add_option("--junit", junit, "Write JUnit XML (one testcase per cell)");
  command.add_option("--html", html, "Write a self-contained HTML grid of the cells");
}

}  // namespace

void add_matrix_commands(CLI::App& app) {
  {
    auto* command = app.add_subcommand(
        "run", "Run one test binary on a private redis-server behind a fault proxy, with faults");
    auto faults = std::make_shared<std::vector<std::string>>();
    auto redis = std::make_shared<std::string>();
    auto timeout = std::make_shared<long long>(120'000);
    auto binary_and_args = std::make_shared<std::vector<std::string>>();
    auto outputs = std::make_shared<Outputs>();
    command->add_option("--fault", *faults,
                        "A fault (toxic, in-process fault, down_at_ms/up_at_ms); repeatable");
    command->add_option("--redis", *redis, "Use this server instead of a private one");
    command->add_option("--cell-timeout", *timeout, "Milliseconds before the binary is a hang")
        ->check(CLI::Range(1LL, 24LL * 3600 * 1000))
        ->capture_default_str();
    add_outputs(*command, outputs->json, outputs->junit, outputs->html);
    command->add_option("command", *binary_and_args, "-- TEST_BINARY [gtest arguments]")
        ->required();
    command->callback([=] {
      if (const int code = run_one(*faults, *redis, *timeout, *binary_and_args, *outputs);
          code != ok) {
        throw CLI::RuntimeError(code);
      }
    });
  }
  {
    auto* command = app.add_subcommand(
        "matrix", "Run test binaries under every fault of a profile and report each cell");
    auto args = std::make_shared<MatrixArgs>();
    command->add_option("--profile", args->profile, "'default' or a file of NAME = SPEC lines")
        ->capture_default_str();
    command->add_option("--expect", args->expect,
                        "A file of FAULT_GLOB: OUTCOME[, OUTCOME]... lines (over the defaults)");
    command->add_option("--jobs", args->jobs, "Cells run at once")
        ->check(CLI::Range(1U, 64U))
        ->capture_default_str();
    command->add_option("--repeat", args->repeat, "Runs of each cell (flaky cells show a rate)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    command->add_option("--seed", args->seed,
                        "Seed of every random choice (default: random, printed)");
    command->add_option("--shard", args->shard, "Run slice I of N of the cells (for CI matrices)")
        ->capture_default_str();
    command->add_option("--work-dir", args->work_dir,
                        "Where each cell's log and report go (default: a new /tmp directory)");
    command
        ->add_option("--cell-timeout", args->cell_timeout_ms,
                     "Milliseconds before a cell is a hang")
        ->check(CLI::Range(1LL, 24LL * 3600 * 1000))
        ->capture_default_str();
    command->add_option(
        "--filter", args->filters,
        "BINARY_NAME=GTEST_FILTER: run only these tests of that binary; repeatable");
    command->add_option("--redis", args->redis,
                        "Use this server instead of a private one per cell");
    add_outputs(*command, args->json, args->junit, args->html);
    command->add_option("binaries", args->binaries, "-- TEST_BINARY...")->required();
    command->callback([args] {
      if (const int code = run_matrix(*args); code != ok) throw CLI::RuntimeError(code);
    });
  }
  {
    auto* report = app.add_subcommand("report", "Work with matrix reports");
    report->require_subcommand(1);
    auto* merge =
        report->add_subcommand("merge", "Join the JSON reports of matrix shards into one report");
    auto inputs = std::make_shared<std::vector<std::string>>();
    auto outputs = std::make_shared<Outputs>();
    merge->add_option("reports", *inputs, "SHARD.json...")->required();
    add_outputs(*merge, outputs->json, outputs->junit, outputs->html);
    merge->callback([inputs, outputs] {
      if (const int code = merge_reports(*inputs, *outputs); code != ok)
        throw CLI::RuntimeError(code);
    });
  }
}

}  // namespace asyncfix::cli
