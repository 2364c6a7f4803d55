// `asyncfix run`: one test binary under the faults given, on a private redis-server behind a
// FaultProxy, its tests listed with their outcomes.
#include "commands.hpp"
#include "matrix/cell_servers.hpp"
#include "matrix/run_support.hpp"
#include "safe_text.hpp"

#include <iomanip>
#include <iostream>
#include <memory>
#include <random>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;

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
  bool postgres = false;
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
  FaultCase fault{spec.empty() ? "none" : "run", spec, {}};
  try {
    fault.plan = fault::FaultPlan::parse(spec, "--fault");
  } catch (const std::invalid_argument& e) {
    usage_error(e.what());
  }
  check_outputs(args.outputs);
  RunSettings settings;
  settings.redis_url = redis_for_cells(args.redis, args.redis_file);
  settings.postgres = args.postgres;
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
    const RunPostgres postgres(settings);
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

}  // namespace

void add_run_command(CLI::App& app) {
  {
    auto* command = app.add_subcommand(
        "run", "Run one test binary on a private redis-server behind a fault proxy, with faults");
    auto args = std::make_shared<RunArgs>();
    command
        ->add_option("--fault", args->faults,
                     "A fault (toxic, in-process fault, down_at_ms/up_at_ms); repeatable")
        ->allow_extra_args(false);
    add_redis_options(*command, args->redis, args->redis_file);
    add_postgres_option(*command, args->postgres);
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
}

}  // namespace asyncfix::cli
