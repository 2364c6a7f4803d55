// The fault matrix classifies a failure from what the fixture recorded as data (the error's
// category and value, the deadline, the injected fault), never from its words: real reports of a
// real subject under real faults keep every verdict when every message in them is renamed.
#include "matrix/classify.hpp"

#include <asyncfix/redis/redis_server.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <asyncfix_test/child_process.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using asyncfix::cli::classify_report;
using asyncfix::cli::Outcome;

/// A private directory, removed at the end of the test.
struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "afx-rename-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

/// Rewrites every failure message of a gtest JSON report to words that name nothing.
fs::path renamed_copy(const fs::path& report) {
  std::ifstream in(report);
  auto json = nlohmann::json::parse(in);
  int n = 0;
  for (auto& suite : json["testsuites"]) {
    for (auto& test : suite["testsuite"]) {
      if (!test.contains("failures")) continue;
      for (auto& failure : test["failures"]) {
        const auto number = std::to_string(++n);
        failure["failure"] = "renamed.cpp:" + number + "\nmessage " + number + " says nothing";
      }
    }
  }
  auto out = report;
  out.replace_extension(".renamed.json");
  std::ofstream(out) << json.dump();
  return out;
}

TEST(ClassifyFromData, RenamingEveryMessageOfRealReportsMovesNoVerdict) {
  const auto server = asyncfix::redis::RedisServer::start();
  const TempDir dir;
  struct Run {
    std::string name;
    std::string env;
    Outcome expected;
  };
  const std::vector<Run> runs{
      {"redis_error", "ASYNCFIX_SUBJECT=echo ASYNCFIX_FAULTS=fail_nth_command=2",
       Outcome::failed_classified},
      // A plain assertion under an injected fault: the fault explains it.
      {"injected_fault", "ASYNCFIX_SUBJECT=unclassified ASYNCFIX_FAULTS=close_loop_before_teardown",
       Outcome::failed_classified},
      {"deadline", "ASYNCFIX_SUBJECT=await_forever ASYNCFIX_DEADLINE_MS=300", Outcome::hang},
      {"assertion", "ASYNCFIX_SUBJECT=unclassified", Outcome::failed_unclassified},
      {"pass", "ASYNCFIX_SUBJECT=pass", Outcome::passed},
  };
  std::set<Outcome> seen;
  for (const auto& run : runs) {
    const auto url = server->url().to_string();
    const auto report = dir.path / (run.name + ".json");
    const auto child = asyncfix_test::run_child("ASYNCFIX_REDIS_URL='" + url + "' " + run.env +
                                                " " + ASYNCFIX_MATRIX_SUBJECT +
                                                " --gtest_output=json:" + report.string());
    const auto original = classify_report(report);
    ASSERT_TRUE(original.found) << run.name << "\n" << child.output;
    ASSERT_EQ(original.tests.size(), 1U) << run.name;
    EXPECT_EQ(original.tests[0].outcome, run.expected)
        << run.name << ": " << original.tests[0].reason << "\n"
        << child.output;
    seen.insert(original.tests[0].outcome);

    const auto renamed = classify_report(renamed_copy(report));
    ASSERT_EQ(renamed.tests.size(), 1U) << run.name;
    EXPECT_EQ(renamed.tests[0].outcome, original.tests[0].outcome) << run.name;
    if (original.tests[0].outcome == Outcome::failed_classified) {
      EXPECT_EQ(renamed.tests[0].reason, original.tests[0].reason) << run.name;
    }
  }
  EXPECT_EQ(seen.size(), 4U) << "the runs cover classified, hang, unclassified and passed";
}

}  // namespace
