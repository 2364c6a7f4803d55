// The matrix's HTML drill-down and `asyncfix report diff`, end to end on the subject binary: what a
// reader of a red cell sees on the page, the replay command it gives (run, and seen to fail the
// same way), flaky tests under --repeat, and the diff's verdict and exit code.
#include "cli_matrix_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace {

namespace fs = std::filesystem;
using cli_matrix::CliMatrix;
using ::testing::HasSubstr;
using ::testing::Not;

/// The drill-down section of the first grid entry whose class starts with `outcome`.
std::string section_of(const std::string& html, const std::string& outcome) {
  const auto td = html.find("<td class=\"" + outcome);
  if (td == std::string::npos) return "";
  const auto href = cli_matrix::attribute(html, html.find("<a ", td), "href");
  const auto begin = html.find("id=\"" + href.substr(1) + "\"");
  if (href.empty() || begin == std::string::npos) return "";
  return html.substr(begin, html.find("</section>", begin) - begin);
}

TEST_F(CliMatrix, TheDrillDownNamesTheFailedTestItsFirstFailureAndAReplayThatFailsTheSameWay) {
  const auto profile = write("p.txt", "slow = latency:latency=1\n");
  const auto result =
      cli(matrix_args(profile, "--seed 500 --html '" + (dir_ / "m.html").string() + "'"),
          "unclassified");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  const auto html = read(dir_ / "m.html");
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("Content-Security-Policy"));
  const auto section = section_of(html, "failed-unclassified");
  ASSERT_FALSE(section.empty()) << html;
  EXPECT_THAT(section, HasSubstr("<code>latency:latency=1</code>")) << "the fault's spec";
  EXPECT_THAT(section, HasSubstr("<dt>seed</dt><dd>500</dd>"));
  EXPECT_THAT(section, HasSubstr("<td>Subject.Behaves</td>"));
  EXPECT_THAT(section, HasSubstr("matrix_subject.cpp:")) << "the first failure's file:line";
  EXPECT_THAT(section, HasSubstr("a plain assertion that no fault explains"));
  EXPECT_THAT(section, ::testing::ContainsRegex("<dt>time</dt><dd>[0-9.]+ m?s</dd>"));

  const auto cell = report()["cells"][0];
  EXPECT_THAT(cell["tests"][0]["failure"].get<std::string>(),
              ::testing::ContainsRegex("matrix_subject\\.cpp:[0-9]+: "));
  const auto replay = cell["replay"].get<std::string>() + " --gtest_filter=Subject.Behaves";
  EXPECT_THAT(replay, HasSubstr(" run --seed 500 --fault latency:latency=1 -- "));
  ASSERT_EQ(replay.find_first_of("<>&'\""), std::string::npos)
      << "the same on the page: " << replay;
  EXPECT_THAT(section, HasSubstr("<code class=\"replay\">" + replay + "</code>"));

  // The command on the page runs the cell again, alone, and it fails the same way.
  const auto again = asyncfix_test::run_child("ASYNCFIX_SUBJECT=unclassified TMPDIR='" +
                                              dir_.string() + "' timeout 60 " + replay);
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_THAT(again.output, HasSubstr("asyncfix run: failed-unclassified"));
  EXPECT_THAT(again.output, HasSubstr("seed 500;"));
}

TEST_F(CliMatrix, WithRepeatsTheDrillDownNamesTheFlakyTestAndHowOftenItFailed) {
  const auto profile = write("p.txt", "none =\n");
  const auto result =
      cli(matrix_args(profile, "--seed 10 --repeat 2 --html '" + (dir_ / "m.html").string() + "'"),
          "fails_on_odd_seed");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  const auto html = read(dir_ / "m.html");
  const auto section = section_of(html, "failed-unclassified");
  ASSERT_FALSE(section.empty()) << html;
  EXPECT_THAT(section, HasSubstr("<dt>seed</dt><dd>10, 11</dd>"));
  EXPECT_THAT(section, HasSubstr("<td>1 of 2</td>")) << "failed once in two runs";
  EXPECT_THAT(section, HasSubstr("<tr><td>Subject.Behaves</td><td>1 of 2</td><td>50%</td></tr>"));
  EXPECT_THAT(section, HasSubstr(" run --seed 11 ")) << "the replay of the run that failed";
  EXPECT_THAT(section, HasSubstr(">run 1</a>, <a class=\"log\""));
}

TEST_F(CliMatrix, ReportDiffExitsOneOnARegressionNamesItAndWritesItAsHtml) {
  const auto profile = write("p.txt", "none =\nslow = latency:latency=1\n");
  auto result = cli(matrix_args(profile, "--seed 3"), "pass");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  fs::rename(dir_ / "m.json", dir_ / "base.json");
  result = cli(matrix_args(profile, "--seed 3"), "unclassified");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  const auto base = (dir_ / "base.json").string();
  const auto next = (dir_ / "m.json").string();

  const auto worse = cli("report diff '" + base + "' '" + next + "' --html '" +
                         (dir_ / "diff.html").string() + "'");
  EXPECT_EQ(worse.exit_code, 1) << worse.output;
  EXPECT_THAT(worse.output, HasSubstr("asyncfix report diff: 4 worse, 0 better, 0 new, "
                                      "0 entries unchanged"));
  EXPECT_THAT(worse.output, HasSubstr("worse:  none x asyncfix_matrix_subject: passed -> "
                                      "failed-unclassified !"));
  EXPECT_THAT(worse.output,
              HasSubstr("worse:  slow x asyncfix_matrix_subject: Subject.Behaves: passed -> "
                        "failed-unclassified ("))
      << "the test, with its first failure";
  const auto page = read(dir_ / "diff.html");
  EXPECT_THAT(page, HasSubstr("<tr class=\"worse\"><td>worse</td><td>none</td>"));

  // The other way round, everything got better: exit 0.
  const auto better = cli("report diff '" + next + "' '" + base + "'");
  EXPECT_EQ(better.exit_code, 0) << better.output;
  EXPECT_THAT(better.output, HasSubstr("0 worse, 4 better"));
  // A report against itself: nothing moved.
  const auto same = cli("report diff '" + base + "' '" + base + "'");
  EXPECT_EQ(same.exit_code, 0) << same.output;
  EXPECT_THAT(same.output, HasSubstr("0 worse, 0 better, 0 new, 2 entries unchanged"));
}

TEST_F(CliMatrix, ReportDiffCountsAnEntryOrTestThatNoLongerRunsAsWorse) {
  const auto profile = write("p.txt", "none =\nslow = latency:latency=1\n");
  EXPECT_EQ(cli(matrix_args(profile, "--seed 3")).exit_code, 0);
  fs::rename(dir_ / "m.json", dir_ / "base.json");
  auto json = report("base.json");
  json["cells"].erase(1);                               // the `slow` entry is gone
  json["cells"][0]["tests"] = nlohmann::json::array();  // and `none` ran no test
  write("fewer.json", json.dump());
  const auto result = cli("report diff '" + (dir_ / "base.json").string() + "' '" +
                          (dir_ / "fewer.json").string() + "'");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("worse:  slow x asyncfix_matrix_subject: passed -> absent"));
  EXPECT_THAT(result.output,
              HasSubstr("Subject.Behaves: passed -> absent (the test no longer runs)"));
}

TEST_F(CliMatrix, ReportDiffRefusesWhatIsNoMatrixReportInOneLineWithExitTwo) {
  write("not.json", "{\"hello\": 1}");
  const auto missing = cli("report diff '" + (dir_ / "none.json").string() + "' '" +
                           (dir_ / "not.json").string() + "'");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_THAT(missing.output, HasSubstr("cannot read '" + (dir_ / "none.json").string() + "'"));
  const auto wrong = cli("report diff '" + (dir_ / "not.json").string() + "' '" +
                         (dir_ / "not.json").string() + "'");
  EXPECT_EQ(wrong.exit_code, 2) << wrong.output;
  EXPECT_THAT(wrong.output, HasSubstr("not an asyncfix matrix JSON report"));
}

}  // namespace
