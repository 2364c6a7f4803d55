#include "fault_matrix.hpp"

#include <asyncfix/fault/fault_proxy.hpp>
#include <asyncfix/fault/toxic.hpp>
#include <asyncfix/hard_watchdog.hpp>
#include <asyncfix/injected_faults.hpp>
#include <asyncfix/redis/redis_error.hpp>
#include <asyncfix/redis/redis_server.hpp>
#include <asyncfix/teardown_report.hpp>

#include "cell_cgroup.hpp"
#include "safe_text.hpp"
#include "support/child_process.hpp"
#include "support/delayed_action.hpp"

#include <fnmatch.h>
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <thread>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::pair<Outcome, const char*> outcome_names[] = {
    {Outcome::skipped, "skipped"},
    {Outcome::passed, "passed"},
    {Outcome::failed_classified, "failed-classified"},
    {Outcome::failed_unclassified, "failed-unclassified"},
    {Outcome::no_report, "no-report"},
    {Outcome::leak, "leak"},
    {Outcome::orphan, "orphan"},
    {Outcome::hang, "hang"},
    {Outcome::crash, "crash"},
};

/// The error classes a fault explains, by the category and value of the error code the fixture
/// records (property::error): never by message text, so a renamed message moves no verdict.
struct ErrorClass {
  const char* category;
  int value;
  const char* name;
};
constexpr ErrorClass error_classes[] = {
    {"asyncfix.redis", static_cast<int>(redis::Errc::connect_failed), "connect_failed"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::timeout), "timeout"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::connection_lost), "connection_lost"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::server_error), "server_error"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::protocol_error), "protocol_error"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::shut_down), "shut_down"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::auth_failed), "auth_failed"},
    {"asyncfix.loop", 1, "loop_mismatch"},
    // The operating system's codes, from a test's own sockets (system_error of either library).
    {"system", ECONNRESET, "connection_lost"},
    {"system", EPIPE, "connection_lost"},
    {"system", ECONNREFUSED, "connect_failed"},
    {"system", ETIMEDOUT, "timeout"},
    {"generic", ECONNRESET, "connection_lost"},
    {"generic", EPIPE, "connection_lost"},
    {"generic", ECONNREFUSED, "connect_failed"},
    {"generic", ETIMEDOUT, "timeout"},
    {"asio.misc", 2, "connection_lost"},  // end of file
};

/// The class of a recorded "CATEGORY:VALUE", or "" when no fault explains it.
std::string error_class(const std::string& record) {
  const auto colon = record.rfind(':');
  if (colon == std::string::npos) return "";
  const auto category = record.substr(0, colon);
  int value = 0;
  const auto text = std::string_view(record).substr(colon + 1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return "";
  for (const auto& known : error_classes) {
    if (category == known.category && value == known.value) return known.name;
  }
  return "";
}

/// The toxics under which nothing may fail: they slow or cut bytes but lose none.
bool lossless(const std::string& spec) {
  if (spec.empty()) return true;
  FaultPlan plan;
  try {
    plan = FaultPlan::parse(spec, "profile");
  } catch (const std::invalid_argument&) {
    return false;
  }
  if (!plan.in_process.empty() || plan.down_at) return false;
  return std::all_of(plan.toxics.begin(), plan.toxics.end(), [](const std::string& toxic) {
    const auto kind = fault::Toxic::parse(toxic).kind;
    return kind == fault::ToxicKind::latency || kind == fault::ToxicKind::bandwidth ||
           kind == fault::ToxicKind::slicer || kind == fault::ToxicKind::slow_close;
  });
}

std::string trim(std::string text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::string first_line(const std::string& text) {
  return truncate_utf8(text.substr(0, text.find('\n')), 300);
}

/// A failure message on one line: its lines joined with " ", runs of spaces squeezed, cut to 300.
std::string one_line(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const char d = (c == '\n' || c == '\t') ? ' ' : c;
    if (d == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += d;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return truncate_utf8(out, 300);
}

TestOutcome classify_test(const std::string& suite, const nlohmann::json& test) {
  TestOutcome result;
  result.name = valid_utf8(suite + "." + test.value("name", ""));
  if (test.value("result", "") == "SKIPPED" || test.value("status", "") == "NOTRUN") {
    result.outcome = Outcome::skipped;
    return result;
  }
  std::string messages;
  for (const auto& failure : test.value("failures", nlohmann::json::array())) {
    messages += failure.value("failure", "") + "\n";
  }
  const auto property = [&](const char* name) {
    return test.contains(name) ? test[name].dump() : std::string();
  };
  if (!property(property::deadline_exceeded).empty()) {
    result.outcome = Outcome::hang;
    result.reason = "deadline exceeded: " + first_line(messages);
  } else if (!property(property::leaks).empty()) {
    result.outcome = Outcome::leak;
    result.reason = "leak: " + truncate_utf8(test[property::leaks].dump(), 300);
  } else if (!messages.empty()) {
    result.outcome = Outcome::failed_unclassified;
    if (test.contains(property::error) && test[property::error].is_string()) {
      if (auto name = error_class(test[property::error].get<std::string>()); !name.empty()) {
        result.outcome = Outcome::failed_classified;
        result.reason = std::move(name);
      }
    }
    if (result.outcome == Outcome::failed_unclassified &&
        test.contains(property::injected_faults)) {
      // The test's own assertion caught what the fixture injected (an eager connection on another
      // loop, a loop stopped before teardown): the fault explains it.
      result.outcome = Outcome::failed_classified;
      result.reason = "injected " + truncate_utf8(test[property::injected_faults].dump(), 300);
    }
    if (result.outcome == Outcome::failed_unclassified) {
      // The assertion's own text, without its file:line.
      const auto newline = messages.find('\n');
      result.reason =
          one_line(newline == std::string::npos ? messages : messages.substr(newline + 1));
    }
  }
  return result;
}

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

std::string to_string(Outcome outcome) {
  for (const auto& [value, name] : outcome_names) {
    if (value == outcome) return name;
  }
  return "unknown";
}

Outcome outcome_from_string(const std::string& text) {
  std::string known;
  for (const auto& [value, name] : outcome_names) {
    if (text == name) return value;
    known += (known.empty() ? "" : ", ") + std::string(name);
  }
  throw std::invalid_argument("'" + text + "' is not an outcome; expected one of " + known);
}

FaultPlan FaultPlan::parse(const std::string& spec, const std::string& where) {
  FaultPlan plan;
  std::string rest;
  std::size_t begin = 0;
  while (begin <= spec.size() && !trim(spec).empty()) {
    auto end = spec.find(',', begin);
    if (end == std::string::npos) end = spec.size();
    const auto item = trim(spec.substr(begin, end - begin));
    const auto runner_action = [&](const char* name, std::optional<std::chrono::milliseconds>& at) {
      const std::string prefix = std::string(name) + "=";
      if (!item.starts_with(prefix)) return false;
      try {
        const auto value = std::stoll(item.substr(prefix.size()));
        if (value < 0 || std::to_string(value) != item.substr(prefix.size())) throw 0;
        at = std::chrono::milliseconds(value);
      } catch (...) {
        throw std::invalid_argument(where + ": '" + item + "': expected " + name +
                                    "=MILLISECONDS (a whole number)");
      }
      return true;
    };
    if (!runner_action("down_at_ms", plan.down_at) && !runner_action("up_at_ms", plan.up_at)) {
      rest += (rest.empty() ? "" : ",") + item;
    }
    if (end == spec.size()) break;
    begin = end + 1;
  }
  if (plan.up_at && (!plan.down_at || *plan.up_at <= *plan.down_at)) {
    throw std::invalid_argument(where + ": up_at_ms needs a down_at_ms before it");
  }
  const auto faults = InjectedFaults::parse(rest, where);
  for (const auto& toxic : faults.network) {
    try {
      (void)fault::Toxic::parse(toxic);
    } catch (const std::invalid_argument& e) {
      std::string why = e.what();
      if (why.starts_with("asyncfix: ")) why.erase(0, 10);
      throw std::invalid_argument(where + ": " + why);
    }
    plan.toxics.push_back(toxic);
  }
  plan.in_process = faults.in_process_text();
  return plan;
}

std::vector<FaultCase> default_profile() {
  return {
      {"none", ""},
      {"latency", "latency:latency=40,jitter=10"},
      {"bandwidth", "bandwidth:rate=64"},
      {"slicer", "slicer:average_size=16,size_variation=8,delay=200"},
      {"slow_close", "slow_close:delay=100"},
      {"timeout", "timeout:timeout=300"},
      {"reset_peer", "reset_peer:timeout=200"},
      {"limit_data", "limit_data:bytes=2048"},
      {"down", "down_at_ms=5,up_at_ms=250"},
      {"kill_redis", "kill_redis_at_ms=1"},
      {"restart_redis", "restart_redis_at_ms=1"},
      {"loop_swap", "loop_swap"},
      {"close_loop_before_teardown", "close_loop_before_teardown"},
      {"fail_nth_command", "fail_nth_command=3"},
  };
}

/// Calls `read(line, where)` for each line of `file` that holds something once its '#' comment
/// and surrounding blanks are removed; `where` is "FILE:LINE". Throws std::invalid_argument naming
/// `option` and the file when it cannot be read.
void for_each_setting(const fs::path& file, const char* option,
                      const std::function<void(const std::string&, const std::string&)>& read) {
  std::ifstream in(file);
  if (!in)
    throw std::invalid_argument(std::string(option) + " " + file.string() +
                                ": cannot read the file");
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = trim(line.substr(0, line.find('#')));
    if (!line.empty()) read(line, file.string() + ":" + std::to_string(number));
  }
}

std::vector<FaultCase> read_profile(const fs::path& file) {
  std::vector<FaultCase> profile;
  for_each_setting(file, "--profile", [&](const std::string& line, const std::string& where) {
    const auto equals = line.find('=');
    const auto name = trim(line.substr(0, equals));
    if (equals == std::string::npos || name.empty() ||
        name.find_first_of(" \t,:") != std::string::npos) {
      throw std::invalid_argument(where + ": expected 'NAME = SPEC' (NAME without spaces), got '" +
                                  line + "'");
    }
    FaultCase entry{name, trim(line.substr(equals + 1))};
    (void)FaultPlan::parse(entry.spec, where);
    if (std::any_of(profile.begin(), profile.end(),
                    [&](const FaultCase& c) { return c.name == name; })) {
      throw std::invalid_argument(where + ": fault '" + name + "' is named twice");
    }
    profile.push_back(std::move(entry));
  });
  if (profile.empty()) throw std::invalid_argument("--profile " + file.string() + ": no faults");
  return profile;
}

Expectation Expectation::defaults(const std::vector<FaultCase>& profile) {
  Expectation expectation;
  expectation.rules_.push_back(
      {"*", {Outcome::passed, Outcome::failed_classified, Outcome::skipped}});
  for (const auto& fault : profile) {
    if (lossless(fault.spec))
      expectation.rules_.push_back({fault.name, {Outcome::passed, Outcome::skipped}});
  }
  return expectation;
}

Expectation Expectation::read(const fs::path& file, const std::vector<FaultCase>& profile) {
  auto expectation = defaults(profile);
  for_each_setting(file, "--expect", [&](const std::string& line, const std::string& where) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || trim(line.substr(0, colon)).empty()) {
      throw std::invalid_argument(where + ": expected 'FAULT_GLOB: OUTCOME[, OUTCOME]...', got '" +
                                  line + "'");
    }
    std::vector<Outcome> outcomes;
    std::string list = line.substr(colon + 1);
    for (std::size_t begin = 0; begin <= list.size();) {
      auto end = list.find(',', begin);
      if (end == std::string::npos) end = list.size();
      try {
        outcomes.push_back(outcome_from_string(trim(list.substr(begin, end - begin))));
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(where + ": " + e.what());
      }
      begin = end + 1;
    }
    expectation.rules_.emplace_back(trim(line.substr(0, colon)), std::move(outcomes));
  });
  return expectation;
}

std::vector<Outcome> Expectation::allowed(const std::string& fault) const {
  std::vector<Outcome> outcomes;
  for (const auto& [glob, allowed] : rules_) {
    if (::fnmatch(glob.c_str(), fault.c_str(), 0) == 0) outcomes = allowed;
  }
  return outcomes;
}

GtestReport classify_report(const fs::path& report) {
  GtestReport result;
  std::ifstream in(report);
  if (!in) return result;
  const auto json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("testsuites") ||
      !json["testsuites"].is_array()) {
    return result;
  }
  result.found = true;
  for (const auto& suite : json["testsuites"]) {
    if (!suite.is_object() || !suite.contains("testsuite") || !suite["testsuite"].is_array()) {
      continue;
    }
    const auto suite_name = suite.contains("name") && suite["name"].is_string()
                                ? suite["name"].get<std::string>()
                                : std::string();
    for (const auto& test : suite["testsuite"]) {
      if (!test.is_object()) continue;
      const bool disabled = test.value("status", "") == "NOTRUN";
      // A test that ran has a result; --gtest_list_tests writes the same report without one.
      if (!disabled && !test.contains("result")) continue;
      ++result.reported;
      if (disabled) continue;
      result.tests.push_back(classify_test(suite_name, test));
    }
  }
  return result;
}

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
  const auto plan = FaultPlan::parse(cell.fault.spec, "fault '" + cell.fault.name + "'");
  const auto dir =
      settings.work_dir /
      (std::to_string(cell.index) + "-" + safe_name(fs::path(cell.binary).filename().string()) +
       "-" + safe_name(cell.fault.name) + "-r" + std::to_string(cell.repeat));
  fs::create_directories(dir);
  result.log = (dir / "log.txt").string();
  const auto report = dir / "report.json";

  std::unique_ptr<redis::RedisServer> server;
  redis::RedisUrl upstream;
  if (settings.redis_url) {
    upstream = redis::RedisUrl::parse(*settings.redis_url);
  } else {
    try {
      server = redis::RedisServer::start();
    } catch (const std::exception& e) {
      throw CannotRun(e.what());
    }
    upstream = server->url();
  }
  auto proxy = fault::FaultProxy::start(upstream, cell.seed);
  proxy->announce_seed(false);  // the report records it
  for (const auto& toxic : plan.toxics) proxy->add(toxic);

  detail::ChildOptions options;
  options.argv = {cell.binary};
  options.argv.insert(options.argv.end(), settings.gtest_args.begin(), settings.gtest_args.end());
  if (!cell.filter.empty()) options.argv.push_back("--gtest_filter=" + cell.filter);
  options.argv.push_back("--gtest_output=json:" + report.string());  // last: it wins
  // The URL may carry a password: the environment, never the command line.
  const auto mark_value = std::to_string(::getpid()) + "-" + std::to_string(cell.index) + "-" +
                          std::to_string(cell.seed) + "-" + std::to_string(cell.repeat);
  const auto mark = std::string(cell_mark_variable) + "=" + mark_value;
  options.env = {{cell_mark_variable, mark_value},
                 {"ASYNCFIX_REDIS_URL", proxy->url().to_string()},
                 {"ASYNCFIX_FAULTS", plan.in_process},
                 {"ASYNCFIX_FAULT_SEED", std::to_string(cell.seed)},
                 {"GTEST_COLOR", "no"}};
  options.output = result.log;
  const CellCgroup cgroup("asyncfix-cell-" + mark_value);
  options.cgroup_procs_fd = cgroup.procs_fd();
  // Down from the start means before the binary's first byte, not a timer thread's race with it.
  const bool down_from_start = plan.down_at && plan.down_at->count() == 0;
  if (down_from_start) proxy->down();
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
  if (plan.down_at && !down_from_start) down.emplace(*plan.down_at, [&proxy] { proxy->down(); });
  if (plan.up_at) up.emplace(*plan.up_at, [&proxy] { proxy->up(); });
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

  const auto gtest = classify_report(report);
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
