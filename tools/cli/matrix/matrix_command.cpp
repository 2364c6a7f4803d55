// `asyncfix matrix`: test binaries under every fault of a profile, each cell on a private
// redis-server behind a FaultProxy, classified and reported (see matrix/cell.hpp and
// matrix/report.hpp); it also registers `run` (run_command.cpp) and `report merge`
// (merge_command.cpp).
#include "matrix/matrix_command.hpp"
#include "commands.hpp"
#include "matrix/cell_servers.hpp"
#include "matrix/run_support.hpp"
#include "safe_text.hpp"

#include <iostream>
#include <random>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;

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
  settings.postgres = args.postgres;
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
    const RunPostgres postgres(settings);
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

void add_matrix_commands(CLI::App& app) {
  add_run_command(app);
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
    add_postgres_option(*command, args->postgres);
    add_outputs(*command, args->json, args->junit, args->html);
    command->add_option("binaries", args->binaries, "-- TEST_BINARY...")->required();
    command->callback([args] {
      if (const int code = run_matrix(*args); code != ok) throw CLI::RuntimeError(code);
    });
  }
  add_report_command(app);
}

}  // namespace asyncfix::cli
