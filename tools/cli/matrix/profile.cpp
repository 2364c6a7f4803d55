#include "matrix/profile.hpp"

#include <asyncfix/fault/toxic.hpp>
#include <asyncfix/injected_faults.hpp>

#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <stdexcept>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;

std::string trim(std::string text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
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

}  // namespace

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

}  // namespace asyncfix::cli
