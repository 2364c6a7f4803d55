#include "matrix/profile.hpp"

#include <asyncfix/fault/fault_plan.hpp>

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
bool lossless(const fault::FaultPlan& plan) {
  if (plan.in_process.any() || plan.down_at) return false;
  return std::all_of(plan.toxics.begin(), plan.toxics.end(), [](const fault::Toxic& toxic) {
    return toxic.kind == fault::ToxicKind::latency || toxic.kind == fault::ToxicKind::bandwidth ||
           toxic.kind == fault::ToxicKind::slicer || toxic.kind == fault::ToxicKind::slow_close;
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

std::vector<FaultCase> default_profile() {
  const std::pair<const char*, const char*> cases[] = {
      {"none", ""},
      {"latency", "latency:latency=40,jitter=10"},
      {"bandwidth", "bandwidth:rate=64"},
      {"slicer", "slicer:average_size=16,size_variation=8,delay=200"},
      {"slow_close", "slow_close:delay=100"},
      {"timeout", "timeout:timeout=300"},
      {"reset_peer", "reset_peer:timeout=200"},
      {"limit_data", "limit_data:bytes=2048"},
      {"down", "down_at_ms=5,up_at_ms=250"},
      {"kill_server", "kill_server_at_ms=1"},
      {"restart_server", "restart_server_at_ms=1"},
      {"loop_swap", "loop_swap"},
      {"close_loop_before_teardown", "close_loop_before_teardown"},
      {"fail_nth_command", "fail_nth_command=3"},
  };
  std::vector<FaultCase> profile;
  for (const auto& [name, spec] : cases) {
    profile.push_back({name, spec, fault::FaultPlan::parse(spec, "the default profile")});
  }
  return profile;
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
    const auto spec = trim(line.substr(equals + 1));
    FaultCase entry{name, spec, fault::FaultPlan::parse(spec, where)};
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
  // A cell reads `skipped` only when every one of its tests skipped: nothing ran, so it proves
  // nothing, and no default accepts it (`--expect 'FAULT: skipped'` does).
  expectation.rules_.push_back({"*", {Outcome::passed, Outcome::failed_classified}});
  for (const auto& fault : profile) {
    if (lossless(fault.plan)) expectation.rules_.push_back({fault.name, {Outcome::passed}});
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
