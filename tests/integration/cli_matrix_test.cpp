// `asyncfix matrix`, `asyncfix run` and `asyncfix report merge` end to end, on a subject binary
// that produces each outcome class on purpose: the classification, the exit codes, the shards
// joined by merge, and the JUnit XML and HTML a CI system reads.
#include "asyncfix_test/child_process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

/// A private directory for one test's profile, reports and cell logs; removed at the end.
class CliMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "afx-matrix-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  static std::string read(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  /// The CLI with `args`, the subject doing `subject`; bounded so a runner bug cannot hang.
  asyncfix_test::ChildResult cli(const std::string& args, const std::string& subject = "pass") {
    return asyncfix_test::run_child("ASYNCFIX_SUBJECT=" + subject + " timeout 60 '" + ASYNCFIX_CLI +
                                    "' " + args);
  }
  std::string matrix_args(const fs::path& profile, const std::string& extra = "") {
    return "matrix --profile '" + profile.string() + "' --work-dir '" + (dir_ / "cells").string() +
           "' --json '" + (dir_ / "m.json").string() + "' " + extra + " -- " +
           ASYNCFIX_MATRIX_SUBJECT;
  }
  nlohmann::json report(const std::string& name = "m.json") {
    return nlohmann::json::parse(read(dir_ / name));
  }

  fs::path dir_;
};

TEST_F(CliMatrix, ClassifiesEachOutcomeOfTheSubjectAndExitsOneWhenACellIsNotAsExpected) {
  const auto profile = write("p.txt", "none =\n");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"pass", "passed"},
      {"unclassified", "failed-unclassified"},
      {"crash", "crash"},
      {"orphan", "orphan"}};
  for (const auto& [subject, outcome] : cases) {
    const auto result = cli(matrix_args(profile), subject);
    EXPECT_EQ(result.exit_code, subject == "pass" ? 0 : 1) << subject << "\n" << result.output;
    const auto json = report();
    ASSERT_EQ(json["cells"].size(), 1U) << subject;
    EXPECT_EQ(json["cells"][0]["outcome"], outcome) << subject << "\n" << result.output;
  }
}

TEST_F(CliMatrix, AHangIsEndedByTheCellTimeoutOrTheHardWatchdogAndReportedAsAHang) {
  const auto profile = write("p.txt", "none =\n");
  auto result = cli(matrix_args(profile, "--cell-timeout 500"), "hang");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_EQ(report()["cells"][0]["outcome"], "hang");
  EXPECT_THAT(report()["cells"][0]["reason"].get<std::string>(),
              HasSubstr("still running after the cell timeout of 500 ms"));
  result = asyncfix_test::run_child(
      "ASYNCFIX_SUBJECT=hang ASYNCFIX_DEADLINE_MS=100 ASYNCFIX_WATCHDOG_MARGIN_MS=100 timeout 60 "
      "'" +
      std::string(ASYNCFIX_CLI) + "' " + matrix_args(profile));
  EXPECT_EQ(report()["cells"][0]["outcome"], "hang") << result.output;
  EXPECT_THAT(report()["cells"][0]["reason"].get<std::string>(), HasSubstr("hard watchdog"));
}

TEST_F(CliMatrix, FaultsReachTheBinaryAndTheErrorsTheyCauseAreClassified) {
  const auto profile = write("p.txt",
                             "# a comment\n"
                             "reset = reset_peer:timeout=0\n"
                             "nth = fail_nth_command=2\n"
                             "slow = latency:latency=20\n");
  const auto result = cli(matrix_args(profile));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  const auto cells = report()["cells"];
  ASSERT_EQ(cells.size(), 3U);
  EXPECT_EQ(cells[0]["outcome"], "failed-classified");
  EXPECT_THAT(cells[0]["reason"].get<std::string>(), HasSubstr("connection_lost"));
  EXPECT_EQ(cells[1]["outcome"], "failed-classified");
  EXPECT_EQ(cells[2]["outcome"], "passed") << "latency loses nothing";
  EXPECT_THAT(result.output, HasSubstr("| reset | failed-classified"));
  EXPECT_THAT(result.output, HasSubstr("3 of 3 cells as expected"));
}

/// A minimal XML check: every tag closed in order, attributes quoted, only XML's own entities.
std::string xml_problem(const std::string& xml) {
  std::vector<std::string> open;
  const std::regex tag(
      R"(<(/?)([A-Za-z_][\w.-]*)((?:\s+[\w.:-]+="[^"<]*")*)\s*(/?)>|<\?xml[^>]*\?>)");
  std::size_t at = 0;
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), tag); it != std::sregex_iterator();
       ++it) {
    const auto& m = *it;
    const auto between = xml.substr(at, static_cast<std::size_t>(m.position()) - at);
    if (between.find('<') != std::string::npos) return "stray '<' in: " + between;
    if (std::regex_search(between, std::regex("&(?!(amp|lt|gt|quot|apos);)"))) {
      return "bad entity in: " + between;
    }
    at = static_cast<std::size_t>(m.position() + m.length());
    if (m[2].length() == 0) continue;  // the declaration
    if (m[1] == "/") {
      if (open.empty() || open.back() != m[2]) return "mismatched </" + m[2].str() + ">";
      open.pop_back();
    } else if (m[4] != "/") {
      open.push_back(m[2]);
    }
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  return "";
}

TEST_F(CliMatrix, WritesJUnitXmlAndAnHtmlGridThatLinksEachCellToItsLog) {
  const auto profile = write("p.txt", "none =\nnth = fail_nth_command=2\n");
  const auto expect = write("e.txt", "nth: passed  # pretend this fault must not fail\n");
  const auto result = cli(matrix_args(profile, "--expect '" + expect.string() + "' --junit '" +
                                                   (dir_ / "m.xml").string() + "' --html '" +
                                                   (dir_ / "m.html").string() + "'"));
  EXPECT_EQ(result.exit_code, 1) << "the expectation says nth must pass\n" << result.output;

  const auto xml = read(dir_ / "m.xml");
  EXPECT_EQ(xml_problem(xml), "") << xml;
  EXPECT_THAT(xml, HasSubstr(R"(<testsuites name="asyncfix matrix" tests="2" failures="1">)"));
  EXPECT_THAT(xml,
              HasSubstr(R"(<testsuite name="asyncfix_matrix_subject" tests="2" failures="1">)"));
  EXPECT_THAT(xml, HasSubstr(R"(name="none" time=")"));
  EXPECT_THAT(
      xml,
      HasSubstr(
          R"(<failure type="failed-classified" message="failed-classified (expected passed): )"));

  const auto html = read(dir_ / "m.html");
  EXPECT_THAT(html, HasSubstr(R"(<table id="matrix">)"));
  const std::regex cell(
      R"re(<td class="([a-z-]+)( unexpected)?" style="background:#[0-9a-f]{6}" title="[^"]*"><a href="([^"]+)">)re");
  std::vector<std::string> outcomes;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), cell); it != std::sregex_iterator();
       ++it) {
    outcomes.push_back((*it)[1].str() + (*it)[2].str());
    EXPECT_TRUE(fs::exists(dir_ / (*it)[3].str())) << "a cell links to its log: " << (*it)[3];
  }
  EXPECT_THAT(outcomes, ::testing::ElementsAre("passed", "failed-classified unexpected"));
}

TEST_F(CliMatrix, ShardsJoinedByReportMergeAreTheWholeMatrix) {
  const auto profile = write("p.txt", "a =\nb = latency:latency=1\nc = fail_nth_command=2\n");
  for (const char* shard : {"1/2", "2/2"}) {
    const std::string name = std::string("s") + shard[0] + ".json";
    const auto result =
        cli("matrix --profile '" + profile.string() + "' --shard " + shard + " --seed 7 --json '" +
            (dir_ / name).string() + "' -- " + ASYNCFIX_MATRIX_SUBJECT);
    EXPECT_EQ(result.exit_code, 0) << result.output;
  }
  EXPECT_EQ(report("s1.json")["cells"].size(), 2U) << "cells 0 and 2";
  EXPECT_EQ(report("s2.json")["cells"].size(), 1U) << "cell 1";
  const auto merged =
      cli("report merge '" + (dir_ / "s1.json").string() + "' '" + (dir_ / "s2.json").string() +
          "' --json '" + (dir_ / "all.json").string() + "'");
  EXPECT_EQ(merged.exit_code, 0) << merged.output;
  const auto all = report("all.json");
  ASSERT_EQ(all["cells"].size(), 3U);
  std::vector<std::string> faults;
  for (const auto& c : all["cells"]) faults.push_back(c["fault"]);
  EXPECT_THAT(faults, ::testing::ElementsAre("a", "b", "c"));
  EXPECT_EQ(all["cells"][1]["seed"], 8) << "seed + cell index, whichever shard ran it";
  EXPECT_THAT(merged.output, HasSubstr("3 of 3 cells as expected (2 reports)"));
}

TEST_F(CliMatrix, BadArgumentsAreOneLineErrorsNamingTheInput) {
  const auto bad_profile = write("bad.txt", "ok =\nbroken = latency:latency=abc\n");
  const auto bad_expect = write("bad-expect.txt", "*: passed, fine\n");
  const auto good_profile = write("p.txt", "none =\n");
  const std::vector<std::pair<std::string, std::string>> cases{
      {matrix_args(good_profile, "--shard 3/2"), "--shard '3/2': expected I/N"},
      {matrix_args(bad_profile), "bad.txt:2"},
      {matrix_args(good_profile, "--expect '" + bad_expect.string() + "'"),
       "'fine' is not an outcome"},
      {"matrix -- /nonexistent/binary", "test binary '/nonexistent/binary' does not exist"},
      {"report merge '" + good_profile.string() + "'", "report merge"},
  };
  for (const auto& [args, message] : cases) {
    const auto result = cli(args);
    EXPECT_EQ(result.exit_code, 2) << args << "\n" << result.output;
    EXPECT_THAT(result.output, HasSubstr(message)) << args;
    EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
  }
}

TEST_F(CliMatrix, NoRedisServerToStartMeansNothingCouldRunExit77) {
  const auto profile = write("p.txt", "none =\n");
  const auto result =
      asyncfix_test::run_child("ASYNCFIX_REDIS_SERVER=/nonexistent/redis-server '" +
                               std::string(ASYNCFIX_CLI) + "' " + matrix_args(profile));
  EXPECT_EQ(result.exit_code, 77) << result.output;
  EXPECT_THAT(result.output, HasSubstr("nothing could run"));
}

TEST_F(CliMatrix, RunAppliesItsFaultsToOneBinaryAndClassifiesEachTest) {
  auto result = cli(std::string("run --fault fail_nth_command=2 -- ") + ASYNCFIX_MATRIX_SUBJECT);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("Subject.Behaves  failed-classified"));
  result = cli(std::string("run -- ") + ASYNCFIX_MATRIX_SUBJECT + " --gtest_repeat=2");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("asyncfix run: passed"));
  result = cli(std::string("run -- ") + ASYNCFIX_MATRIX_SUBJECT, "unclassified");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("a plain assertion that no fault explains"));
}

}  // namespace
