#include "matrix/report_diff.hpp"

#include "matrix/report_grid.hpp"
#include "safe_text.hpp"

#include <fstream>
#include <map>
#include <ostream>
#include <stdexcept>

namespace asyncfix::cli {

namespace {

/// How far an outcome is from passed: the order a regression is measured in.
int distance(Outcome outcome) {
  switch (outcome) {
    case Outcome::passed:
      return 0;
    case Outcome::skipped:
      return 1;
    case Outcome::not_applied:
      return 2;
    default:
      return static_cast<int>(outcome);  // failed-classified (3) and on, in the enum's order
  }
}

/// One grid entry as compared: its worst outcome, whether every run was as expected, and the
/// worst outcome of each of its tests.
struct EntryState {
  Outcome worst = Outcome::skipped;
  bool expected = true;
  std::string reason;
  std::map<std::string, const TestSummary*> tests;
  std::vector<TestSummary> summaries;
};

using Key = std::pair<std::string, std::string>;  // fault, column label

std::map<Key, EntryState> entries_of(const MatrixReport& report) {
  const Grid grid(report);
  std::map<Key, EntryState> entries;
  for (const auto& [where, cells] : grid.entries) {
    const Entry entry(cells);
    auto& state = entries[{where.first, grid.label(where.second)}];
    state.worst = entry.worst;
    state.expected = entry.expected;
    const auto* shown =
        entry.first_unexpected != nullptr ? entry.first_unexpected : entry.worst_cell;
    state.reason = shown->reason;
    state.summaries = summarize_tests(cells);
  }
  for (auto& [key, state] : entries) {
    for (const auto& test : state.summaries) state.tests[test.name] = &test;
  }
  return entries;
}

std::string entry_text(const EntryState& state) {
  return to_string(state.worst) + (state.expected ? "" : " !");
}

std::string test_detail(const TestSummary& test) {
  if (test.first_bad == nullptr) return "";
  return test.first_bad->failure.empty() ? test.first_bad->reason : test.first_bad->failure;
}

}  // namespace

ReportDiff diff_reports(const MatrixReport& base, const MatrixReport& next) {
  ReportDiff diff;
  const auto before = entries_of(base);
  const auto after = entries_of(next);
  for (const auto& [key, old_state] : before) {
    const auto found = after.find(key);
    if (found == after.end()) {
      diff.worse.push_back(
          {key.first, key.second, "", entry_text(old_state), "absent", "the entry no longer runs"});
      continue;
    }
    const auto& new_state = found->second;
    const int moved = distance(new_state.worst) - distance(old_state.worst);
    const bool lost_expected = old_state.expected && !new_state.expected;
    const bool gained_expected = !old_state.expected && new_state.expected;
    bool changed = false;
    if (moved > 0 || lost_expected) {
      diff.worse.push_back({key.first, key.second, "", entry_text(old_state), entry_text(new_state),
                            new_state.reason});
      changed = true;
    } else if (moved < 0 || gained_expected) {
      diff.better.push_back(
          {key.first, key.second, "", entry_text(old_state), entry_text(new_state), ""});
      changed = true;
    }
    for (const auto& [name, old_test] : old_state.tests) {
      const auto now = new_state.tests.find(name);
      if (now == new_state.tests.end()) {
        diff.worse.push_back({key.first, key.second, name, to_string(old_test->worst), "absent",
                              "the test no longer runs"});
        changed = true;
        continue;
      }
      const int test_moved = distance(now->second->worst) - distance(old_test->worst);
      if (test_moved == 0) continue;
      changed = true;
      OutcomeChange change{key.first,
                           key.second,
                           name,
                           to_string(old_test->worst),
                           to_string(now->second->worst),
                           test_detail(*now->second)};
      (test_moved > 0 ? diff.worse : diff.better).push_back(std::move(change));
    }
    if (!changed) ++diff.unchanged;
  }
  for (const auto& [key, new_state] : after) {
    if (before.count(key) != 0) continue;
    OutcomeChange change{key.first,       key.second, "", "absent", entry_text(new_state),
                         new_state.reason};
    (new_state.expected ? diff.added : diff.worse).push_back(std::move(change));
  }
  return diff;
}

namespace {

std::string subject(const OutcomeChange& change) {
  return change.fault + " x " + change.binary + (change.test.empty() ? "" : ": " + change.test);
}

}  // namespace

void print_diff(const ReportDiff& diff, std::ostream& out) {
  out << "asyncfix report diff: " << diff.worse.size() << " worse, " << diff.better.size()
      << " better, " << diff.added.size() << " new, " << diff.unchanged << " entries unchanged\n";
  const auto lines = [&](const char* label, const std::vector<OutcomeChange>& changes) {
    for (const auto& change : changes) {
      out << label << for_terminal(subject(change)) << ": " << change.before << " -> "
          << change.after << (change.detail.empty() ? "" : " (" + for_terminal(change.detail) + ")")
          << "\n";
    }
  };
  lines("worse:  ", diff.worse);
  lines("better: ", diff.better);
  lines("new:    ", diff.added);
}

void write_diff_html(const ReportDiff& diff, const std::string& base_name,
                     const std::string& next_name, const std::filesystem::path& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'\"><title>asyncfix report diff</title>\n<style>"
         "body{font-family:sans-serif}table{border-collapse:collapse}"
         "td,th{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}"
         "tr.worse td{background:#f6c0c0}tr.better td{background:#c8e8c0}</style></head><body>\n";
  out << "<h1>asyncfix report diff</h1>\n<p>" << xml_text(base_name) << " \u2192 "
      << xml_text(next_name) << ": " << diff.worse.size() << " worse, " << diff.better.size()
      << " better, " << diff.added.size() << " new, " << diff.unchanged
      << " entries unchanged.</p>\n<table id=\"diff\">\n<tr><th>change</th><th>fault</th>"
         "<th>binary</th><th>test</th><th>before</th><th>after</th><th>detail</th></tr>\n";
  const auto rows = [&](const char* kind, const std::vector<OutcomeChange>& changes) {
    for (const auto& change : changes) {
      out << "<tr class=\"" << kind << "\"><td>" << kind << "</td><td>" << xml_text(change.fault)
          << "</td><td>" << xml_text(change.binary) << "</td><td>" << xml_text(change.test)
          << "</td><td>" << xml_text(change.before) << "</td><td>" << xml_text(change.after)
          << "</td><td>" << xml_text(change.detail) << "</td></tr>\n";
    }
  };
  rows("worse", diff.worse);
  rows("better", diff.better);
  rows("new", diff.added);
  out << "</table>\n</body></html>\n";
}

}  // namespace asyncfix::cli
