// `asyncfix explore --runs N [--strategy random|pct] [--depth D] [--seed S] [--time-budget S]
// [--jobs J] [--json F] -- BIN [gtest args]`: runs the tests under N seeded schedules
// (ASYNCFIX_SCHEDULE) and stops at the first that fails, printing its seed, the failure and the
// command that replays it. Exit 1 when it found one, 0 when every run passed, 2 on bad arguments.
#include "commands.hpp"
#include "matrix/cell.hpp"
#include "matrix/classify.hpp"
#include "matrix/run_support.hpp"
#include "safe_text.hpp"

#include <asyncfix/loop/schedule.hpp>
#include <asyncfix/testing/child_run.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct ExploreArgs {
  unsigned runs = 100;
  std::string strategy = "pct";
  unsigned depth = 3;
  std::optional<std::uint64_t> seed;
  double time_budget_s = 0;  ///< 0: none
  unsigned jobs = 1;
  std::string json;
  std::vector<std::string> command;
};

/// A run that failed: what `explore` prints and writes.
struct Found {
  unsigned run = 0;
  Schedule schedule;
  std::string test;     ///< Suite.Name of the first failed test ("" when the report has none)
  std::string failure;  ///< its first failure line, or how the process ended
  std::string replay;
};

std::string replay_command(const Schedule& schedule, const std::vector<std::string>& command,
                           const std::string& test) {
  std::string text = "ASYNCFIX_SCHEDULE=" + schedule.to_string() + " " + command.front();
  if (!test.empty()) return text + " --gtest_filter=" + test;
  for (std::size_t i = 1; i < command.size(); ++i) text += " " + command[i];
  return text;
}

int explore(const ExploreArgs& args) {
  const auto& binary = args.command.front();
  check_binary(binary);
  const std::vector<std::string> gtest_args(args.command.begin() + 1, args.command.end());
  for (const auto& arg : gtest_args) {
    if (arg.starts_with("--gtest_output")) {
      usage_error("'" + arg + "' after --: explore writes the gtest report it reads itself");
    }
  }
  if (count_listed_tests(binary, "", gtest_args, std::chrono::seconds(60)) == 0) {
    usage_error("'" + binary + "' lists no test for these arguments: nothing to explore");
  }
  const std::uint64_t base = args.seed.value_or(std::random_device{}());
  auto schedule_of = [&](unsigned run) {
    Schedule schedule;
    schedule.kind = args.strategy == "random" ? Schedule::Kind::random : Schedule::Kind::pct;
    schedule.seed = base + run;
    schedule.depth = args.depth;
    return schedule;
  };
  std::cout << "asyncfix explore: up to " << args.runs << " runs of " << for_terminal(binary)
            << " under " << schedule_of(0).to_string() << " and the next seeds (" << args.jobs
            << (args.jobs == 1 ? " job" : " jobs") << ")\n"
            << std::flush;
  const auto work = make_work_dir("");
  const auto start = Clock::now();
  const auto out_of_time = [&] {
    return args.time_budget_s > 0 &&
           std::chrono::duration<double>(Clock::now() - start).count() > args.time_budget_s;
  };
  std::atomic<unsigned> next{0};
  std::atomic<unsigned> done{0};
  std::mutex mutex;
  std::optional<Found> found;
  std::atomic<bool> unscheduled{false};  // a run passed with no test under the schedule
  auto worker = [&] {
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (found || unscheduled) return;
      }
      if (out_of_time()) return;
      const unsigned run = next.fetch_add(1);
      if (run >= args.runs) return;
      const auto schedule = schedule_of(run);
      const auto report = work / ("run-" + std::to_string(run) + ".json");
      auto argv = args.command;
      argv.push_back("--gtest_output=json:" + report.string());
      const auto result =
          run_child({.argv = argv,
                     .env = {{"ASYNCFIX_SCHEDULE", schedule.to_string()}, {"GTEST_COLOR", "no"}},
                     .bound = std::chrono::minutes(2)});
      ++done;
      const auto tests = classify_report(report, false, true).tests;
      if (result.exit_code == 0) {
        // Passing proves something only if a test ran under the schedule (an AsyncTest records
        // it; a plain TEST or a skipped one does not).
        if (std::none_of(tests.begin(), tests.end(),
                         [](const TestOutcome& t) { return t.outcome == Outcome::passed; })) {
          unscheduled = true;
        }
        continue;
      }
      const auto failed = std::find_if(tests.begin(), tests.end(),
                                       [](const TestOutcome& t) { return !t.failure.empty(); });
      const std::string test = failed == tests.end() ? "" : failed->name;
      const std::string failure =
          failed != tests.end() ? failed->failure
                                : "exit " + std::to_string(result.exit_code) +
                                      " (no failure in the gtest report; a hang ends with 86)";
      std::lock_guard lock(mutex);
      if (!found || run < found->run) {
        found = Found{run, schedule, test, failure, replay_command(schedule, args.command, test)};
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < std::max(1U, args.jobs); ++j) threads.emplace_back(worker);
  for (auto& thread : threads) thread.join();
  std::error_code ec;
  fs::remove_all(work, ec);

  nlohmann::json json{{"binary", binary},
                      {"strategy", args.strategy},
                      {"first_seed", base},
                      {"runs", done.load()},
                      {"found", found.has_value()}};
  if (unscheduled && !found) {
    std::cerr << "asyncfix explore: no test of " << for_terminal(binary)
              << " ran under the schedule (plain TESTs or skipped ones ignore it; explore needs "
                 "AsyncTest-based tests): nothing was explored\n";
    return usage;
  }
  if (found) {
    std::cout << "asyncfix explore: run " << found->run + 1 << " of " << done.load()
              << " failed under schedule " << found->schedule.to_string() << " (seed "
              << found->schedule.seed << ")\n  "
              << (found->test.empty() ? "" : for_terminal(found->test) + ": ")
              << for_terminal(found->failure) << "\n  replay: " << for_terminal(found->replay)
              << "\n";
    json["seed"] = found->schedule.seed;
    json["schedule"] = found->schedule.to_string();
    json["test"] = found->test;
    json["failure"] = valid_utf8(found->failure);
    json["replay"] = found->replay;
  } else {
    std::cout << "asyncfix explore: " << done.load() << " runs, every one passed"
              << (done.load() < args.runs ? " (the time budget ended it)" : "") << "\n";
  }
  if (!args.json.empty()) {
    std::ofstream out(args.json);
    out << json.dump(2) << "\n";
    if (!out) {
      std::cerr << "asyncfix explore: cannot write --json " << args.json << "\n";
      return failed;
    }
  }
  return found ? failed : ok;
}

}  // namespace

void add_explore_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "explore",
      "Run tests under N seeded schedules (ASYNCFIX_SCHEDULE); stop at the first failure and "
      "print the command that replays it");
  auto args = std::make_shared<ExploreArgs>();
  command->add_option("--runs", args->runs, "Schedules to try")
      ->check(CLI::Range(1U, 1'000'000U))
      ->capture_default_str();
  command->add_option("--strategy", args->strategy, "random or pct")
      ->check(CLI::IsMember({"random", "pct"}))
      ->capture_default_str();
  command->add_option("--depth", args->depth, "PCT's bug depth (1 to 10)")
      ->check(CLI::Range(1U, 10U))
      ->capture_default_str();
  command->add_option("--seed", args->seed, "The first seed (default: random, printed)")
      ->check(seed_check());
  command->add_option("--time-budget", args->time_budget_s, "Stop starting runs after S seconds")
      ->check(CLI::Range(0.0, 7.0 * 24 * 3600));
  command->add_option("--jobs", args->jobs, "Runs at once")
      ->check(CLI::Range(1U, 64U))
      ->capture_default_str();
  command->add_option("--json", args->json, "Write what was found (or not) as JSON");
  command->add_option("command", args->command, "-- TEST_BINARY [gtest arguments]")->required();
  command->callback([args] {
    if (const int code = explore(*args); code != ok) throw CLI::RuntimeError(code);
  });
}

}  // namespace asyncfix::cli
