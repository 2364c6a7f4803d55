// `asyncfix run`, `asyncfix matrix` and `asyncfix report merge`: test binaries under faults, each
// cell on a private redis-server behind a FaultProxy, classified and reported (see matrix/cell.hpp
// and matrix/report.hpp).
#include "matrix/matrix_command.hpp"
#include "commands.hpp"
#include "matrix/report.hpp"
#include "redis/host_lookup.hpp"
#include "safe_text.hpp"

#include <asyncfix/redis/redis_url.hpp>

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
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

/// The directory every cell's log and report go below: `requested`, or a new one under /tmp. A
/// requested path that cannot be made or written is a usage error naming it.
fs::path make_work_dir(const std::string& requested) {
  if (!requested.empty()) {
    std::error_code ec;
    fs::create_directories(requested, ec);
    if (ec || !fs::is_directory(requested) || ::access(requested.c_str(), W_OK | X_OK) != 0) {
      usage_error("--work-dir '" + requested + "': cannot create or write that directory" +
                  (ec ? " (" + ec.message() + ")" : std::string()));
    }
    return fs::absolute(requested);
  }
  std::string pattern = (fs::temp_directory_path() / "asyncfix-matrix-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

/// Each report path can be written (a file in a directory that exists, not a directory itself):
/// checked before the first cell, so a run is never lost to a typo in a path.
void check_outputs(const Outputs& outputs) {
  for (const auto& [option, path] :
       {std::pair<const char*, const std::string&>{"--json", outputs.json},
        {"--junit", outputs.junit},
        {"--html", outputs.html}}) {
    if (path.empty()) continue;
    const auto parent = fs::absolute(path).parent_path();
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      usage_error(std::string(option) + " '" + path + "': is a directory; expected a file path");
    }
    if (!fs::is_directory(parent, ec) || ::access(parent.c_str(), W_OK | X_OK) != 0 ||
        (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0)) {
      usage_error(std::string(option) + " '" + path +
                  "': cannot write there (its directory must exist and be writable)");
    }
  }
}

/// The server given with --redis or --redis-file, checked now: a URL that parses and a host that
/// resolves. nullopt for a private server per cell.
std::optional<std::string> redis_for_cells(const std::string& given, const std::string& file) {
  if (!given.empty() && !file.empty()) usage_error("--redis and --redis-file: give one of them");
  std::string text = given;
  std::string option = "--redis";
  if (!file.empty()) {
    option = "--redis-file '" + file + "'";
    std::ifstream in(file);
    if (!in || !std::getline(in, text)) {
      usage_error(option + ": cannot read a URL from that file");
    }
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
  }
  if (text.empty()) return std::nullopt;
  redis::RedisUrl url;
  try {
    url = redis::RedisUrl::parse(text);
  } catch (const std::invalid_argument& e) {
    usage_error(option + ": " + std::string(without_prefix(e.what())));
  }
  if (file.empty() && !url.password.empty()) {
    usage_error("--redis '" + url.redacted() +
                "': a password on the command line is visible to every user of this machine; "
                "put the URL in a file and pass --redis-file FILE");
  }
  if (url.kind == redis::RedisUrl::Kind::tcp) {
    try {
      (void)redis::detail::resolve_host_sync(url, std::chrono::seconds(5));
    } catch (const std::exception& e) {
      usage_error(option + ": " + std::string(without_prefix(e.what())));
    }
  }
  return text;
}

/// How many tests each distinct binary and filter lists, set on every cell.
void count_listed(std::vector<Cell>& cells, const std::vector<std::string>& gtest_args) {
  std::map<std::pair<std::string, std::string>, std::size_t> listed;
  for (auto& cell : cells) {
    const std::pair key{cell.binary, cell.filter};
    auto found = listed.find(key);
    if (found == listed.end()) {
      found = listed
                  .emplace(key, count_listed_tests(cell.binary, cell.filter, gtest_args,
                                                   std::chrono::seconds(60)))
                  .first;
    }
    cell.listed = found->second;
  }
}

/// Removes a work directory asyncfix made itself once every cell was as expected and no report
/// points into it (the run's first line named it; it stays in every other case).
void settle_work_dir(const fs::path& dir, bool requested, bool all_expected,
                     const Outputs& outputs) {
  const bool reported = !outputs.json.empty() || !outputs.junit.empty() || !outputs.html.empty();
  if (requested || !all_expected || reported) return;
  std::error_code ec;
  fs::remove_all(dir, ec);
}

/// Writes each report asked for; one that cannot be written is said and the others still are.
/// Returns false when one failed.
bool write_all_reports(const MatrixReport& report, const Outputs& outputs) {
  bool all = true;
  for (const auto& [json, junit, html] :
       {Outputs{outputs.json, "", ""}, Outputs{"", outputs.junit, ""},
        Outputs{"", "", outputs.html}}) {
    if (json.empty() && junit.empty() && html.empty()) continue;
    try {
      write_reports(report, json, junit, html);
    } catch (const std::exception& e) {
      std::cerr << "asyncfix: cannot write a report: " << for_terminal(e.what()) << "\n";
      all = false;
    }
  }
  return all;
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
/// cell. Throws CannotRun (after the running cells end) when a cell could not start at all, and
/// std::runtime_error when a cell failed in the runner itself.
std::vector<CellResult> run_cells(const std::vector<Cell>& cells, const RunSettings& settings,
                                  const Expectation& expectation, unsigned jobs) {
  std::vector<CellResult> results(cells.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::size_t done = 0;
  std::size_t unexpected = 0;
  std::string cannot_run;
  bool internal_error = false;
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
      } catch (const std::exception& e) {  // never out of a thread: std::terminate would follow
        std::lock_guard lock(mutex);
        cannot_run = e.what();
        internal_error = true;
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
        std::cout << "[" << done << "/" << cells.size() << "] " << for_terminal(cells[i].fault.name)
                  << " x " << for_terminal(fs::path(cells[i].binary).filename().string()) << ": "
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
  if (internal_error) throw std::runtime_error(cannot_run);  // main: "internal error", exit 99
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
  const Outputs outputs{args.json, args.junit, args.html};
  check_outputs(outputs);
  const std::uint64_t seed = args.seed.value_or(std::random_device{}());
  RunSettings settings;
  settings.redis_url = redis_for_cells(args.redis, args.redis_file);
  settings.work_dir = make_work_dir(args.work_dir);
  settings.cell_timeout = std::chrono::milliseconds(args.cell_timeout_ms);

  std::vector<Cell> cells;
  std::size_t index = 0;
  for (const auto& binary : args.binaries) {
    for (const auto& fault : profile) {
      for (int r = 1; r <= args.repeat; ++r, ++index) {
        if (index % shards != shard - 1) continue;
        cells.push_back(
            {index, binary, filter_for(binary, args.filters), 0, fault, r, seed + index});
      }
    }
  }
  count_listed(cells, settings.gtest_args);
  std::cout << "asyncfix matrix: " << cells.size() << " cells (" << profile.size() << " faults x "
            << args.binaries.size() << " binaries x " << args.repeat
            << (args.repeat == 1 ? " run" : " runs")
            << (shards > 1 ? ", shard " + args.shard : std::string()) << "), seed " << seed << ", "
            << args.jobs << " jobs; logs in " << for_terminal(settings.work_dir.string()) << "\n"
            << std::flush;
  MatrixReport report;
  report.seed = seed;
  report.shards = {args.shard};
  report.binaries = args.binaries;
  try {
    report.cells = run_cells(cells, settings, expectation, args.jobs);
  } catch (const CannotRun& e) {
    std::cerr << "asyncfix matrix: nothing could run: " << for_terminal(without_prefix(e.what()))
              << "\n";
    return skipped;
  }
  print_summary(report, std::cout);
  const bool written = write_all_reports(report, outputs);
  std::cout << report.cells.size() - report.unexpected() << " of " << report.cells.size()
            << " cells as expected\n";
  settle_work_dir(settings.work_dir, !args.work_dir.empty(), report.unexpected() == 0, outputs);
  if (!written) return internal;
  return report.unexpected() == 0 ? ok : failed;
}

namespace {

void print_tests(const CellResult& result) {
  std::size_t width = 4;
  for (const auto& test : result.tests) width = std::max(width, test.name.size());
  for (const auto& test : result.tests) {
    std::cout << "  " << std::left << std::setw(static_cast<int>(width)) << for_terminal(test.name)
              << "  " << std::setw(19) << to_string(test.outcome) << " "
              << for_terminal(test.reason) << "\n";
  }
}

/// What `asyncfix run` takes.
struct RunArgs {
  std::vector<std::string> faults;
  std::string redis;
  std::string redis_file;
  std::optional<std::uint64_t> seed;
  std::string work_dir;
  long long cell_timeout_ms = 120'000;
  std::vector<std::string> command;  ///< the binary, then its arguments
  Outputs outputs;
};

int run_one(const RunArgs& args) {
  check_binary(args.command.front());
  for (const auto& arg : std::vector(args.command.begin() + 1, args.command.end())) {
    if (arg.starts_with("--gtest_output")) {
      usage_error("'" + arg +
                  "' after --: asyncfix writes the gtest report it reads itself; use "
                  "--json/--junit/--html for reports of your own");
    }
  }
  std::string spec;
  for (const auto& fault : args.faults) spec += (spec.empty() ? "" : ",") + fault;
  const FaultCase fault{spec.empty() ? "none" : "run", spec};
  try {
    (void)FaultPlan::parse(spec, "--fault");
  } catch (const std::invalid_argument& e) {
    usage_error(e.what());
  }
  check_outputs(args.outputs);
  RunSettings settings;
  settings.redis_url = redis_for_cells(args.redis, args.redis_file);
  settings.work_dir = make_work_dir(args.work_dir);
  settings.cell_timeout = std::chrono::milliseconds(args.cell_timeout_ms);
  settings.gtest_args.assign(args.command.begin() + 1, args.command.end());
  const auto seed = args.seed.value_or(std::random_device{}());
  std::vector<Cell> cells{{0, args.command.front(), "", 0, fault, 1, seed}};
  count_listed(cells, settings.gtest_args);
  const auto expectation = Expectation::defaults({fault});
  MatrixReport report;
  report.seed = seed;
  report.shards = {"1/1"};
  report.binaries = {args.command.front()};
  try {
    report.cells = run_cells(cells, settings, expectation, 1);
  } catch (const CannotRun& e) {
    std::cerr << "asyncfix run: nothing could run: " << for_terminal(without_prefix(e.what()))
              << "\n";
    return skipped;
  }
  const auto& result = report.cells.front();
  print_tests(result);
  const bool written = write_all_reports(report, args.outputs);
  settle_work_dir(settings.work_dir, !args.work_dir.empty(), result.expected, args.outputs);
  std::cout << "asyncfix run: " << to_string(result.outcome)
            << (result.expected ? "" : " (not as expected: " + for_terminal(result.reason) + ")")
            << "; " << result.exit << "; seed " << seed << "; log "
            << (fs::exists(result.log)
                    ? for_terminal(result.log)
                    : std::string("removed (all as expected; --work-dir keeps it)"))
            << "\n";
  if (!written) return internal;
  return result.expected ? ok : failed;
}

/// One-line refusal of `report merge`.
[[noreturn]] void merge_refused(const std::string& why) {
  usage_error("report merge: " + why);
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : ", ") + word;
  return text;
}

int merge_reports(const std::vector<std::string>& inputs, const Outputs& outputs) {
  check_outputs(outputs);
  MatrixReport merged;
  std::vector<fs::path> read;
  std::map<std::string, std::string> shard_from;  // "I/N" -> the report holding it
  std::map<std::size_t, std::string> cell_from;   // cell index -> the report holding it
  for (const auto& input : inputs) {
    std::ifstream in(input);
    if (!in) merge_refused("cannot read '" + input + "'");
    std::error_code ec;
    const auto canonical = fs::weakly_canonical(input, ec);
    if (std::find(read.begin(), read.end(), canonical) != read.end()) {
      merge_refused("'" + input + "' is given twice");
    }
    read.push_back(canonical);
    const auto json = nlohmann::json::parse(in, nullptr, false);
    MatrixReport shard;
    try {
      shard = report_from_json(json, input);
    } catch (const std::invalid_argument& e) {
      merge_refused(e.what());
    }
    if (read.size() == 1) {
      merged.seed = shard.seed;
      merged.binaries = shard.binaries;
    } else if (shard.seed != merged.seed) {
      merge_refused("'" + input + "' ran with seed " + std::to_string(shard.seed) + ", '" +
                    inputs.front() + "' with " + std::to_string(merged.seed) +
                    ": shards of one matrix share a seed");
    } else if (shard.binaries != merged.binaries) {
      merge_refused("'" + input + "' ran " + joined(shard.binaries) + ", '" + inputs.front() +
                    "' ran " + joined(merged.binaries) +
                    ": shards of one matrix run the same binaries");
    }
    for (const auto& label : shard.shards) {
      if (const auto [at, fresh] = shard_from.emplace(label, input); !fresh) {
        merge_refused("shard " + label + " is in both '" + at->second + "' and '" + input + "'");
      }
    }
    for (const auto& cell : shard.cells) {
      if (const auto [at, fresh] = cell_from.emplace(cell.cell.index, input); !fresh) {
        merge_refused("cell " + std::to_string(cell.cell.index) + " is in both '" + at->second +
                      "' and '" + input + "'");
      }
    }
    merged.shards.insert(merged.shards.end(), shard.shards.begin(), shard.shards.end());
    for (auto& cell : shard.cells) merged.cells.push_back(std::move(cell));
  }
  std::stable_sort(
      merged.cells.begin(), merged.cells.end(),
      [](const CellResult& a, const CellResult& b) { return a.cell.index < b.cell.index; });
  print_summary(merged, std::cout);
  const bool written = write_all_reports(merged, outputs);
  std::cout << merged.cells.size() - merged.unexpected() << " of " << merged.cells.size()
            << " cells as expected (" << inputs.size() << " reports)\n";
  if (!written) return internal;
  return merged.unexpected() == 0 ? ok : failed;
}

void add_redis_options(CLI::App& command, std::string& url, std::string& url_file) {
  command.add_option("--redis", url,
                     "Use this server instead of a private one per cell (a URL without a "
                     "password: the command line is visible to every user)");
  command.add_option("--redis-file", url_file,
                     "Read that server's URL, password and all, from the first line of this file");
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
    auto args = std::make_shared<RunArgs>();
    command
        ->add_option("--fault", args->faults,
                     "A fault (toxic, in-process fault, down_at_ms/up_at_ms); repeatable")
        ->allow_extra_args(false);
    add_redis_options(*command, args->redis, args->redis_file);
    command
        ->add_option("--seed", args->seed,
                     "Seed of every random choice (default: random, printed to replay with)")
        ->check(seed_check());
    command->add_option("--work-dir", args->work_dir,
                        "Where the log and gtest report go (default: a new /tmp directory, "
                        "removed when the run is as expected and writes no report)");
    command
        ->add_option("--cell-timeout", args->cell_timeout_ms,
                     "Milliseconds before the binary is a hang")
        ->check(CLI::Range(1LL, 24LL * 3600 * 1000))
        ->capture_default_str();
    add_outputs(*command, args->outputs.json, args->outputs.junit, args->outputs.html);
    command->add_option("command", args->command, "-- TEST_BINARY [gtest arguments]")->required();
    command->callback([args] {
      if (const int code = run_one(*args); code != ok) throw CLI::RuntimeError(code);
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
    command
        ->add_option("--seed", args->seed, "Seed of every random choice (default: random, printed)")
        ->check(seed_check());
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
    add_redis_options(*command, args->redis, args->redis_file);
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
