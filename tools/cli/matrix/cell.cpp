#include "matrix/cell.hpp"

#include <asyncfix/fault/fault_plan.hpp>
#include <asyncfix/testing/hard_watchdog.hpp>
#include <asyncfix/testing/teardown_report.hpp>

#include "matrix/cell_cgroup.hpp"
#include "matrix/cell_servers.hpp"
#include "matrix/replay.hpp"
#include "safe_text.hpp"
#include "support/child_process.hpp"
#include "support/delayed_action.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <thread>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// The environment variable that marks every process a cell's binary starts: its descendants
/// inherit it whatever session or process group they move to.
constexpr const char* cell_mark_variable = "ASYNCFIX_CELL_MARK";

/// True when /proc/`pid` is a zombie (it has exited; nothing to kill).
bool zombie(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat;
  std::getline(in, stat);
  const auto paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] == 'Z';
}

/// The live processes whose environment holds `mark` (as NAME=VALUE), but `except`.
std::vector<pid_t> marked_processes(const std::string& mark, pid_t except) {
  std::vector<pid_t> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto pid = static_cast<pid_t>(std::stol(name));
    if (pid == except || pid == ::getpid()) continue;
    std::ifstream in(entry.path() / "environ", std::ios::binary);
    bool has_mark = false;
    for (std::string variable; !has_mark && std::getline(in, variable, '\0');) {
      has_mark = variable == mark;
    }
    if (has_mark && !zombie(name)) found.push_back(pid);
  }
  return found;
}

/// What the child left running: the live processes of its group, of its cgroup, and every live
/// process carrying its mark (a descendant that left the group with setsid or setpgid, a server it
/// started and left, which may have rewritten its environment: the cgroup still has it), given
/// up to `grace` to exit on their own (a redis-server with PR_SET_PDEATHSIG dies a moment after
/// its parent).
std::vector<pid_t> orphans_after(const detail::ChildProcess& child, const std::string& mark,
                                 const CellCgroup& cgroup, std::chrono::milliseconds grace) {
  const auto survivors = [&] {
    auto alive = child.group_survivors();
    auto add = [&](pid_t pid) {
      if (pid != child.pid() && !zombie(std::to_string(pid)) &&
          std::find(alive.begin(), alive.end(), pid) == alive.end()) {
        alive.push_back(pid);
      }
    };
    for (const pid_t pid : marked_processes(mark, child.pid())) add(pid);
    for (const pid_t pid : cgroup.members()) add(pid);
    return alive;
  };
  const auto until = Clock::now() + grace;
  auto alive = survivors();
  while (!alive.empty() && Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    alive = survivors();
  }
  return alive;
}

std::string safe_name(const std::string& text) {
  std::string out;
  for (const char c : text)
    out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-') ? c : '_';
  return out;
}

}  // namespace

std::size_t count_listed_tests(const std::string& binary, const std::string& filter,
                               const std::vector<std::string>& gtest_args,
                               std::chrono::milliseconds bound) {
  std::string pattern = (fs::temp_directory_path() / "asyncfix-list-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) return 0;
  ::close(fd);
  const fs::path output = pattern;
  detail::ChildOptions options;
  options.argv = {binary};
  options.argv.insert(options.argv.end(), gtest_args.begin(), gtest_args.end());
  if (!filter.empty()) options.argv.push_back("--gtest_filter=" + filter);
  options.argv.push_back("--gtest_list_tests");
  options.env = {{"GTEST_COLOR", "no"}};
  options.output = output;
  std::size_t listed = 0;
  try {
    detail::ChildProcess child(options);
    const auto exit = child.wait_or_terminate(bound);
    if (exit.code == 0) {
      // "Suite." then one "  Test" line per test (a comment may follow each).
      std::ifstream in(output);
      for (std::string line; std::getline(in, line);) {
        if (line.starts_with("  ") && line.size() > 2 && line[2] != ' ') ++listed;
      }
    }
  } catch (const std::runtime_error&) {
  }
  std::error_code ec;
  fs::remove(output, ec);
  return listed;
}

CellResult run_cell(const Cell& cell, const RunSettings& settings) {
  CellResult result;
  result.cell = cell;
  result.replay = replay_prefix(cell, settings);
  const auto& plan = cell.fault.plan;
  const auto dir =
      settings.work_dir /
      (std::to_string(cell.index) + "-" + safe_name(fs::path(cell.binary).filename().string()) +
       "-" + safe_name(cell.fault.name) + "-r" + std::to_string(cell.repeat));
  // Fresh each run: a --work-dir given again still holds an earlier run's report, which a binary
  // that exits before writing its own would otherwise pass off as this run's.
  fs::remove_all(dir);
  fs::create_directories(dir);
  result.log = (dir / "log.txt").string();
  const auto report = dir / "report.json";

  CellServers servers(settings, plan, cell.seed);

  detail::ChildOptions options;
  options.argv = {cell.binary};
  options.argv.insert(options.argv.end(), settings.gtest_args.begin(), settings.gtest_args.end());
  if (!cell.filter.empty()) options.argv.push_back("--gtest_filter=" + cell.filter);
  options.argv.push_back("--gtest_output=json:" + report.string());  // last: it wins
  // The URL may carry a password: the environment, never the command line.
  const auto mark_value = std::to_string(::getpid()) + "-" + std::to_string(cell.index) + "-" +
                          std::to_string(cell.seed) + "-" + std::to_string(cell.repeat);
  const auto mark = std::string(cell_mark_variable) + "=" + mark_value;
  options.env = servers.env();
  options.env.insert(options.env.end(),
                     {{cell_mark_variable, mark_value},
                      {"ASYNCFIX_FAULTS", plan.in_process.to_string()},
                      {"ASYNCFIX_SCHEDULE", plan.schedule ? plan.schedule->to_string() : "fifo"},
                      {"ASYNCFIX_FAULT_SEED", std::to_string(cell.seed)},
                      {"GTEST_COLOR", "no"}});
  options.output = result.log;
  const CellCgroup cgroup("asyncfix-cell-" + mark_value);
  options.cgroup_procs_fd = cgroup.procs_fd();
  // Down from the start means before the binary's first byte, not a timer thread's race with it.
  const bool down_from_start = plan.down_at && plan.down_at->count() == 0;
  if (down_from_start) servers.down();
  const auto start = Clock::now();
  std::optional<detail::ChildProcess> child;
  try {
    child.emplace(options);
  } catch (const std::runtime_error& e) {
    throw CannotRun(e.what());
  }
  // The runner's own actions, timed from the binary's start; `up` is armed after `down`.
  std::optional<detail::DelayedAction> down;
  std::optional<detail::DelayedAction> up;
  if (plan.down_at && !down_from_start) {
    down.emplace(*plan.down_at, [&servers] { servers.down(); });
  }
  if (plan.up_at) up.emplace(*plan.up_at, [&servers] { servers.up(); });
  const auto exit = child->wait_or_terminate(settings.cell_timeout);
  std::string schedule_error;
  for (auto* action : {&down, &up}) {
    if (!*action) continue;
    (*action)->cancel();
    if (schedule_error.empty()) schedule_error = (*action)->error();
  }
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  result.exit = exit.describe();
  const auto orphans = orphans_after(*child, mark, cgroup, std::chrono::milliseconds(1'000));
  child->kill_group();
  for (const pid_t pid : orphans) ::kill(pid, SIGKILL);
  cgroup.kill_all();

  const auto gtest =
      classify_report(report, plan.in_process.any(), plan.schedule && !plan.schedule->is_fifo());
  result.tests = gtest.tests;
  result.outcome = Outcome::skipped;
  for (const auto& test : result.tests) {
    if (test.outcome > result.outcome) {
      result.outcome = test.outcome;
      result.reason = test.reason.empty() ? "" : test.name + ": " + test.reason;
    }
  }
  const auto raise = [&](Outcome outcome, std::string reason) {
    if (outcome >= result.outcome) {
      result.outcome = outcome;
      result.reason = std::move(reason);
    }
  };
  if (!schedule_error.empty()) {
    raise(Outcome::failed_unclassified, "the runner's down/up schedule failed: " + schedule_error);
  }
  if (cell.listed == 0) {
    raise(Outcome::no_report,
          "the binary lists no test" +
              (cell.filter.empty() ? std::string() : " for filter '" + cell.filter + "'") +
              ": nothing ran (" + exit.describe() + ")");
  } else if (!gtest.found) {
    raise(Outcome::no_report, "no gtest report (" + exit.describe() + ", " +
                                  std::to_string(cell.listed) +
                                  " tests listed): its tests did not all run (see the log)");
  } else if (gtest.reported < cell.listed) {
    raise(Outcome::no_report, "the gtest report names " + std::to_string(gtest.reported) +
                                  " of the " + std::to_string(cell.listed) +
                                  " tests the binary lists (" + exit.describe() + ")");
  }
  if (!orphans.empty()) {
    std::string pids;
    for (const pid_t pid : orphans) pids += (pids.empty() ? "" : ", ") + std::to_string(pid);
    raise(Outcome::orphan, "left running after it exited: pid " + pids + " (killed)");
  }
  if (exit.code > 0 && exit.code != hard_watchdog_exit_code && result.outcome <= Outcome::passed &&
      gtest.found) {
    // gtest exits 1 when a test fails; nothing in the report failed, so the failure is elsewhere
    // (an environment's TearDown, an exit handler, a report of an earlier --gtest_repeat run).
    raise(Outcome::failed_unclassified,
          exit.describe() +
              " while every test in its gtest report passed or was skipped: "
              "something outside the tests failed (see the log)");
  }
  if (exit.timed_out) {
    raise(Outcome::hang, "still running after the cell timeout of " +
                             std::to_string(settings.cell_timeout.count()) + " ms (terminated)");
  } else if (exit.code == hard_watchdog_exit_code) {
    raise(Outcome::hang, "the hard watchdog ended it (exit " +
                             std::to_string(hard_watchdog_exit_code) +
                             "): a handler never returned to its loop");
  }
  if (exit.signal != 0 && !exit.timed_out) raise(Outcome::crash, "died of " + exit.describe());
  return result;
}

}  // namespace asyncfix::cli
