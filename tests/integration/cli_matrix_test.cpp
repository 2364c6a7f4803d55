// `asyncfix matrix`, `asyncfix run` and `asyncfix report merge` end to end, on a subject binary
// that produces each outcome class on purpose: the classification, the exit codes, the shards
// joined by merge, and the JUnit XML and HTML a CI system reads.
#include "cli_matrix_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using cli_matrix::attribute;
using cli_matrix::CliMatrix;
using cli_matrix::xml_problem;
using ::testing::HasSubstr;

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

TEST_F(CliMatrix, WritesJUnitXmlAndAnHtmlGridThatLinksEachCellToItsDrillDownAndLog) {
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
  std::vector<std::string> outcomes;
  for (auto td = html.find("<td class="); td != std::string::npos;
       td = html.find("<td class=", td + 1)) {
    outcomes.push_back(attribute(html, td, "class"));
    EXPECT_TRUE(attribute(html, td, "style").starts_with("background:#")) << html.substr(td, 80);
    const auto link = html.find("<a ", td);
    ASSERT_NE(link, std::string::npos);
    const auto href = attribute(html, link, "href");
    ASSERT_TRUE(href.starts_with("#entry-")) << href;
    const auto section = html.find("<section class=\"entry\" id=\"" + href.substr(1) + "\"");
    ASSERT_NE(section, std::string::npos) << "the entry's drill-down: " << href;
    const auto log = html.find("<a class=\"log\" ", section);
    ASSERT_NE(log, std::string::npos);
    EXPECT_LT(log, html.find("</section>", section));
    EXPECT_TRUE(fs::exists(dir_ / attribute(html, log, "href"))) << "the drill-down links the log";
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

TEST_F(CliMatrix, DownResetsTheBinarysConnectionsFromDownAtUntilUpAt) {
  // Down from the start to long after the binary ends: its first command is reset.
  const auto profile = write("p.txt", "down = down_at_ms=0,up_at_ms=60000\n");
  const auto result = cli(matrix_args(profile));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  const auto cell = report()["cells"][0];
  EXPECT_EQ(cell["outcome"], "failed-classified") << result.output;
  EXPECT_THAT(cell["reason"].get<std::string>(), HasSubstr("connect")) << cell.dump();
}

TEST_F(CliMatrix, RepeatRunsEachCellThatOftenAndShowsItsPassRate) {
  const auto profile = write("p.txt", "none =\n");
  const auto result = cli(matrix_args(profile, "--repeat 3 --seed 100"));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("| none  | 3/3 passed, passed"));
  const auto cells = report()["cells"];
  ASSERT_EQ(cells.size(), 3U);
  for (int r = 0; r < 3; ++r) {
    EXPECT_EQ(cells[r]["repeat"], r + 1);
    EXPECT_EQ(cells[r]["seed"], 100 + r);
  }
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
