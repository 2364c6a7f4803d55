// One grid entry of the matrix's HTML page, in full: what a reader of a red cell needs without
// opening a log.
#include "matrix/replay.hpp"
#include "matrix/report_grid.hpp"

#include <ostream>

namespace asyncfix::cli {

namespace {

std::string duration_text(std::chrono::milliseconds duration) {
  if (duration.count() < 1000) return std::to_string(duration.count()) + " ms";
  const auto tenths = (duration.count() + 50) / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

std::string outcome_html(Outcome outcome) {
  return std::string("<span style=\"background:") + colour(outcome) + ";padding:1px 4px\">" +
         to_string(outcome) + "</span>";
}

/// The tests that did not pass: outcome, first failure, time, how often, and the replay of the
/// run where each first went wrong.
void write_bad_tests(std::ostream& out, const std::vector<TestSummary>& tests, int runs) {
  out << "<table class=\"tests\">\n<colgroup><col style=\"width:22%\"><col style=\"width:9em\">"
         "<col><col style=\"width:5em\">"
      << (runs > 1 ? "<col style=\"width:5em\">" : "")
      << "<col style=\"width:30%\"></colgroup>\n<tr><th>test</th><th>outcome</th>"
         "<th>first failure</th><th>time</th>"
      << (runs > 1 ? "<th>failed</th>" : "") << "<th>replay</th></tr>\n";
  for (const auto& test : tests) {
    if (test.first_bad == nullptr) continue;
    const auto& bad = *test.first_bad;
    out << "<tr class=\"test\"><td>" << xml_text(test.name) << "</td><td>"
        << outcome_html(test.worst) << "</td><td>"
        << xml_text(bad.failure.empty() ? bad.reason : bad.failure) << "</td><td>"
        << duration_text(bad.duration) << "</td>";
    if (runs > 1) {
      out << "<td>" << test.failures << " of " << test.runs << "</td>";
    }
    const auto replay = replay_command(*test.first_bad_cell, test.name);
    out << "<td>"
        << (replay.empty() ? "" : "<code class=\"replay\">" + xml_text(replay) + "</code>")
        << "</td></tr>\n";
  }
  out << "</table>\n";
}

/// With repeats: each test that both passed and failed, and its failure rate.
void write_flaky(std::ostream& out, const std::vector<TestSummary>& tests) {
  int flaky = 0;
  for (const auto& test : tests) flaky += test.flaky() ? 1 : 0;
  if (flaky == 0) {
    out << "<p class=\"flaky\">No flaky test: each test failed in every run or in none.</p>\n";
    return;
  }
  out << "<table class=\"flaky\">\n<tr><th>flaky test</th><th>failed</th><th>rate</th></tr>\n";
  for (const auto& test : tests) {
    if (!test.flaky()) continue;
    out << "<tr><td>" << xml_text(test.name) << "</td><td>" << test.failures << " of " << test.runs
        << "</td><td>" << (100 * test.failures + test.runs / 2) / test.runs << "%</td></tr>\n";
  }
  out << "</table>\n";
}

}  // namespace

void write_entry_html(std::ostream& out, const std::filesystem::path& page, const std::string& id,
                      const std::string& title, const std::vector<const CellResult*>& cells) {
  const Entry entry(cells);
  const auto& first = *cells.front();
  const auto* shown = entry.first_unexpected != nullptr ? entry.first_unexpected : entry.worst_cell;
  out << "<section class=\"entry\" id=\"" << id << "\">\n<h3>" << xml_text(title) << ": "
      << outcome_html(entry.worst) << (entry.expected ? "" : " <strong>not as expected</strong>")
      << "</h3>\n<dl>";
  out << "<dt>fault</dt><dd><code>"
      << xml_text(first.cell.fault.spec.empty() ? "(none)" : first.cell.fault.spec)
      << "</code></dd>";
  std::string seeds;
  std::chrono::milliseconds total{0};
  for (const auto* cell : cells) {
    seeds += (seeds.empty() ? "" : ", ") + std::to_string(cell->cell.seed);
    total += cell->duration;
  }
  out << "<dt>seed</dt><dd>" << seeds << "</dd>";
  out << "<dt>time</dt><dd>" << duration_text(total)
      << (cells.size() > 1 ? " (" + std::to_string(cells.size()) + " runs)" : "") << "</dd>";
  out << "<dt>expected</dt><dd>" << xml_text(allowed_text(first.allowed)) << "</dd>";
  out << "<dt>exit</dt><dd>" << xml_text(shown->exit) << "</dd>";
  if (!shown->reason.empty()) out << "<dt>why</dt><dd>" << xml_text(shown->reason) << "</dd>";
  if (const auto replay = replay_command(*shown); !replay.empty()) {
    out << "<dt>replay</dt><dd><code class=\"replay\">" << xml_text(replay) << "</code></dd>";
  }
  out << "<dt>log</dt><dd>";
  for (std::size_t run = 0; run < cells.size(); ++run) {
    const auto href = link_to(page, cells[run]->log);
    const auto label = cells.size() > 1 ? "run " + std::to_string(run + 1) : std::string("log");
    if (run > 0) out << ", ";
    if (href.empty()) {
      out << xml_text(label) << " (" << xml_text(cells[run]->log.empty() ? "none" : "not a file")
          << ")";
    } else {
      out << "<a class=\"log\" href=\"" << xml_text(href) << "\">" << xml_text(label) << "</a>";
    }
  }
  out << "</dd></dl>\n";
  const auto tests = summarize_tests(cells);
  const auto bad = std::count_if(tests.begin(), tests.end(),
                                 [](const TestSummary& t) { return t.first_bad != nullptr; });
  out << "<p>" << tests.size() << (tests.size() == 1 ? " test" : " tests");
  if (bad == 0) {
    out << ", none of which failed.</p>\n";
  } else {
    out << "; " << bad << " of them did not pass" << (cells.size() > 1 ? " in every run" : "")
        << ":</p>\n";
  }
  if (bad > 0) write_bad_tests(out, tests, static_cast<int>(cells.size()));
  if (cells.size() > 1) write_flaky(out, tests);
  out << "</section>\n";
}

}  // namespace asyncfix::cli
