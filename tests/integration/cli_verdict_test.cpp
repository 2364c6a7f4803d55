// The fault runner never gives a false verdict: a binary that did not run its tests is never green,
// a descendant that left the process group is still an orphan, any failure text keeps every report
// and reaches no terminal raw, bad report paths and servers are refused before the first cell, and
// `report merge` refuses what is not one matrix.
#include "cli_matrix_fixture.hpp"

#include <asyncfix/redis/redis_server.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using cli_matrix::CliMatrix;
using cli_matrix::xml_problem;
using ::testing::HasSubstr;
using ::testing::Not;

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_F(CliMatrix, ABinaryThatDidNotRunItsTestsIsNeverGreen) {
  const auto script = write("fake_tests.sh", "#!/bin/sh\necho 'looks fine'\nexit 0\n");
  fs::permissions(script, fs::perms::owner_all);
  const std::string subject = ASYNCFIX_MATRIX_SUBJECT;
  const std::vector<std::pair<std::string, std::string>> runs{
      {"run -- /bin/true", "pass"},
      {"run -- '" + script.string() + "'", "pass"},
      {"run -- " + subject + " --gtest_list_tests", "pass"},
      {"run -- " + subject + " --gtest_filter=NoSuch.Test", "pass"},
      {"run -- " + subject, "exit_after_failure"},
  };
  for (const auto& [args, mode] : runs) {
    const auto result = cli(args + " ", mode);
    EXPECT_EQ(result.exit_code, 1) << args << "\n" << result.output;
    EXPECT_THAT(result.output, HasSubstr("asyncfix run: no-report (not as expected")) << args;
  }
  const auto profile = write("p.txt", "none =\n");
  const auto matrix = cli(matrix_args(profile), "exit_after_failure");
  EXPECT_EQ(matrix.exit_code, 1) << matrix.output;
  EXPECT_EQ(report()["cells"][0]["outcome"], "no-report");
  EXPECT_EQ(report()["cells"][0]["listed"], 1);
  EXPECT_THAT(report()["cells"][0]["reason"].get<std::string>(), HasSubstr("no gtest report"));
}

TEST_F(CliMatrix, ANonZeroExitWithAPassingReportIsNeverGreen) {
  const auto result =
      cli(std::string("run -- ") + ASYNCFIX_MATRIX_SUBJECT, "exit_nonzero_after_report");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("asyncfix run: failed-unclassified (not as expected: exit 3 "
                                       "while every test in its gtest report passed"));
}

TEST_F(CliMatrix, AWorkDirGivenAgainNeverLendsACellAnEarlierRunsReport) {
  // The first run passes and writes its report; the second exits 0 before writing one, in the
  // same cell directory: it must read no-report, never the first run's pass.
  const auto profile = write("p.txt", "none =\n");
  EXPECT_EQ(cli(matrix_args(profile), "pass").exit_code, 0);
  const auto result = cli(matrix_args(profile), "exit_after_failure");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_EQ(report()["cells"][0]["outcome"], "no-report") << result.output;
}

TEST_F(CliMatrix, ACellWhoseEveryTestSkippedRanNothingAndIsNotAsExpectedByDefault) {
  // A fault that loses nothing and one that may fail the test: neither accepts nothing run.
  const auto profile = write("p.txt", "none =\nlimit = limit_data:bytes=1000000\n");
  auto result = cli(matrix_args(profile), "skip");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  const auto json = report();  // a range over report()["cells"] would outlive the temporary
  for (const auto& cell : json["cells"]) {
    EXPECT_EQ(cell["outcome"], "skipped") << cell.dump();
    EXPECT_EQ(cell["expected"], false) << cell.dump();
  }
  EXPECT_THAT(result.output, HasSubstr("0 of 2 cells as expected"));
  // Said on purpose, it is as expected.
  const auto expect = write("e.txt", "*: skipped\n");
  result = cli(matrix_args(profile, "--expect '" + expect.string() + "'"), "skip");
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

TEST_F(CliMatrix, AnInProcessFaultThatNeverTookEffectIsNotAppliedNeverPassed) {
  // The subject makes a handful of commands and no PostgreSQL query.
  for (const char* fault : {"fail_nth_command=1000", "fail_nth_query=1"}) {
    const auto result =
        cli(std::string("run --fault ") + fault + " -- " + ASYNCFIX_MATRIX_SUBJECT, "pass");
    EXPECT_EQ(result.exit_code, 1) << fault << "\n" << result.output;
    EXPECT_THAT(result.output, HasSubstr("Subject.Behaves  not-applied")) << fault;
    EXPECT_THAT(result.output, HasSubstr("asyncfix run: not-applied (not as expected"));
    EXPECT_THAT(result.output, HasSubstr("the in-process fault never took effect"));
  }
  // The same subject under a fault that fires in it is classified as before.
  const auto fired =
      cli(std::string("run --fault fail_nth_command=1 -- ") + ASYNCFIX_MATRIX_SUBJECT, "pass");
  EXPECT_THAT(fired.output, HasSubstr("Subject.Behaves  failed-classified")) << fired.output;
}

TEST_F(CliMatrix, AUsersOwnGtestOutputIsRefusedNotSilentlyLost) {
  const auto result = cli(std::string("run -- ") + ASYNCFIX_MATRIX_SUBJECT +
                          " --gtest_output=json:" + (dir_ / "mine.json").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("'--gtest_output=json:"));
  EXPECT_THAT(result.output, HasSubstr("--json/--junit/--html"));
  EXPECT_EQ(lines(result.output), 1U) << result.output;
}

TEST_F(CliMatrix, EverythingAfterDashDashBelongsToTheBinary) {
  const auto result = cli(std::string("run --fault latency:latency=50 -- ") +
                          ASYNCFIX_MATRIX_SUBJECT + " --gtest_filter='Subject.*' --gtest_repeat=1");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("Subject.Behaves  passed"));
}

TEST_F(CliMatrix, ADescendantThatLeftTheProcessGroupIsStillAnOrphanAndIsKilled) {
  const auto profile = write("p.txt", "none =\n");
  for (const char* mode : {"escaped_orphan", "daemon_server"}) {
    // TMPDIR: where the daemon's socket goes (removed with the test's directory).
    const auto result = asyncfix_test::run_child(std::string("ASYNCFIX_SUBJECT=") + mode +
                                                 " TMPDIR='" + dir_.string() + "' timeout 60 '" +
                                                 ASYNCFIX_CLI + "' " + matrix_args(profile));
    EXPECT_EQ(result.exit_code, 1) << mode << "\n" << result.output;
    const auto cell = report()["cells"][0];
    EXPECT_EQ(cell["outcome"], "orphan") << mode << "\n" << result.output;
    const auto reason = cell["reason"].get<std::string>();
    ASSERT_THAT(reason, HasSubstr("pid ")) << mode;
    const auto pid = std::stoi(reason.substr(reason.find("pid ") + 4));
    // Killed: gone, or a zombie its new parent has not reaped yet.
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto paren = line.rfind(')');
    EXPECT_TRUE(line.empty() || (paren != std::string::npos && line[paren + 2] == 'Z'))
        << mode << ": pid " << pid << " still runs: " << line;
  }
}

TEST_F(CliMatrix, AFailureIsClassifiedByItsRecordedErrorAndDeadlineNeverByItsWords) {
  // A binary whose report says: one test failed with a recorded RedisError timeout under words
  // that name nothing; another with words that read like one but nothing recorded.
  const auto binary = write("fake_suite.sh", R"(#!/bin/sh
for arg in "$@"; do
  case "$arg" in
    --gtest_list_tests) printf 'Fake.\n  Recorded\n  Worded\n  Hung\n  Postgres\n'; exit 0 ;;
    --gtest_output=json:*) out="${arg#--gtest_output=json:}" ;;
  esac
done
cat > "$out" <<'JSON'
{"testsuites": [{"name": "Fake", "testsuite": [
  {"name": "Recorded", "status": "RUN", "result": "COMPLETED", "asyncfix.error": "asyncfix.redis:2",
   "failures": [{"failure": "x.cpp:1\nany words at all"}]},
  {"name": "Worded", "status": "RUN", "result": "COMPLETED",
   "failures": [{"failure": "x.cpp:2\nasyncfix.redis timeout: GET k on unix:///x: no reply"}]},
  {"name": "Hung", "status": "RUN", "result": "COMPLETED", "asyncfix.deadline_exceeded": "true",
   "failures": [{"failure": "x.cpp:3\nwords"}]},
  {"name": "Postgres", "status": "RUN", "result": "COMPLETED", "asyncfix.error": "asyncfix.pg:4",
   "failures": [{"failure": "x.cpp:4\nwords"}]}]}]}
JSON
exit 1
)");
  fs::permissions(binary, fs::perms::owner_all);
  const auto profile = write("p.txt", "none =\n");
  const auto result = cli("matrix --profile '" + profile.string() + "' --json '" +
                          (dir_ / "m.json").string() + "' -- '" + binary.string() + "'");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  const auto tests = report()["cells"][0]["tests"];
  ASSERT_EQ(tests.size(), 4U) << result.output;
  EXPECT_EQ(tests[0]["outcome"], "failed-classified");
  EXPECT_EQ(tests[0]["reason"], "timeout");
  EXPECT_EQ(tests[1]["outcome"], "failed-unclassified") << "words are not a classification";
  EXPECT_EQ(tests[2]["outcome"], "hang") << "asyncfix's deadline tripped";
  EXPECT_EQ(tests[3]["outcome"], "failed-classified") << "a PgError as a RedisError";
  EXPECT_EQ(tests[3]["reason"], "connection_lost");
  EXPECT_EQ(report()["cells"][0]["outcome"], "hang");
}

TEST_F(CliMatrix, ARedisErrorEscapingTheBodyIsClassifiedByTheCodeTheFixtureRecorded) {
  // 20 bytes upstream per connection: the fixture's PING (14 bytes) passes, the body's first
  // command does not, and its RedisError escapes the body.
  const auto profile = write("p.txt", "cut = limit_data:bytes=20@upstream\n");
  const auto result = cli(matrix_args(profile), "echo");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  const auto test = report()["cells"][0]["tests"][0];
  EXPECT_EQ(test["outcome"], "failed-classified") << result.output;
  EXPECT_THAT(test["reason"].get<std::string>(),
              ::testing::AnyOf("connection_lost", "connect_failed"));
}

TEST_F(CliMatrix, WithoutACgroupTheCellsEnvironmentMarkStillFindsAnEscapedOrphan) {
  const auto profile = write("p.txt", "none =\n");
  const auto result = asyncfix_test::run_child(
      "ASYNCFIX_SUBJECT=escaped_orphan ASYNCFIX_CELL_CGROUP=off TMPDIR='" + dir_.string() +
      "' timeout 60 '" + std::string(ASYNCFIX_CLI) + "' " + matrix_args(profile));
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_EQ(report()["cells"][0]["outcome"], "orphan") << result.output;
}

TEST_F(CliMatrix, AnyFailureTextKeepsEveryReportValidAndReachesNoTerminalRaw) {
  const auto profile = write("p.txt", "none =\nodd\xff_name = latency:latency=1\n");
  const auto result = cli(matrix_args(profile, "--junit '" + (dir_ / "m.xml").string() +
                                                   "' --html '" + (dir_ / "m.html").string() + "'"),
                          "nasty_message");
  EXPECT_EQ(result.exit_code, 1) << "failed-unclassified, not an internal error\n" << result.output;
  EXPECT_THAT(result.output, Not(HasSubstr("\x1b"))) << "an ESC reached the terminal";
  EXPECT_THAT(result.output, HasSubstr("\\x1b]0;owned\\x07"));
  const auto json = report();
  ASSERT_EQ(json["cells"].size(), 2U);
  // gtest's JSON already turned each byte over 0x7f into a character; the runner keeps the text
  // valid and cuts it between characters.
  const auto reason = json["cells"][0]["tests"][0]["reason"].get<std::string>();
  EXPECT_LE(reason.size(), 300U);
  EXPECT_THAT(reason, HasSubstr("owned")) << "the message is kept, cut";
  EXPECT_TRUE(reason.ends_with("...")) << reason;
  EXPECT_EQ(json["cells"][1]["fault"], "odd\xef\xbf\xbd_name") << "the invalid byte, replaced";
  const auto xml = read(dir_ / "m.xml");
  EXPECT_EQ(xml_problem(xml), "") << xml;
  const auto html = read(dir_ / "m.html");
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(html, HasSubstr("&quot;quoted&quot; &lt;b&gt;&amp;amp;"));
  EXPECT_THAT(xml, HasSubstr("&quot;quoted&quot; &lt;b&gt;&amp;amp;"));
}

TEST_F(CliMatrix, BadReportPathsAndServersAreRefusedBeforeTheFirstCell) {
  const auto profile = write("p.txt", "none =\n");
  const auto a_file = write("a_file", "x");
  const auto subject = std::string(" -- ") + ASYNCFIX_MATRIX_SUBJECT;
  const std::vector<std::pair<std::string, std::string>> cases{
      {"matrix --json /nonexistent/dir/m.json" + subject, "--json '/nonexistent/dir/m.json'"},
      {"matrix --junit '" + dir_.string() + "'" + subject, "is a directory"},
      {"run --html /nonexistent/m.html" + subject, "--html '/nonexistent/m.html'"},
      {"matrix --work-dir '" + (a_file / "sub").string() + "'" + subject, "--work-dir"},
      {"run --redis garbage" + subject, "--redis: bad Redis URL 'garbage'"},
      {"matrix --redis redis://no-such-host.invalid" + subject, "did not resolve"},
      {"run --redis-file /nonexistent/url" + subject, "--redis-file '/nonexistent/url'"},
  };
  for (const auto& [args, says] : cases) {
    const auto result = cli(args);
    EXPECT_EQ(result.exit_code, 2) << args << "\n" << result.output;
    EXPECT_THAT(result.output, HasSubstr(says)) << args;
    EXPECT_EQ(lines(result.output), 1U) << args << "\n" << result.output;
    EXPECT_THAT(result.output, Not(HasSubstr("[1/1]"))) << "no cell ran: " << args;
  }
}

TEST_F(CliMatrix, APasswordStaysOffTheCommandLineAndComesFromAFile) {
  const auto refused =
      cli(std::string("run --redis redis://u:hunter2@127.0.0.1:1 -- ") + ASYNCFIX_MATRIX_SUBJECT);
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_THAT(refused.output, HasSubstr("--redis-file"));
  EXPECT_THAT(refused.output, Not(HasSubstr("hunter2")));

  asyncfix::redis::RedisServerOptions options;
  options.password = "hunter2";
  const auto server = asyncfix::redis::RedisServer::start(options);
  const auto url_file = write("url", server->url().to_string() + "\n");
  const auto result = cli("run --redis-file '" + url_file.string() + "' -- " +
                          std::string(ASYNCFIX_MATRIX_SUBJECT));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("asyncfix run: passed"));
  EXPECT_THAT(result.output, Not(HasSubstr("hunter2")));
}

TEST_F(CliMatrix, RunTakesTheSeedItPrintsAndRemovesItsLogsOnlyWhenAllIsAsExpected) {
  auto result = cli(std::string("run --seed 4242 -- ") + ASYNCFIX_MATRIX_SUBJECT);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("seed 4242; log removed"));
  result = cli(std::string("run --seed 4242 -- ") + ASYNCFIX_MATRIX_SUBJECT, "unclassified");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  const auto at = result.output.find("; log ");
  ASSERT_NE(at, std::string::npos) << result.output;
  const auto log = result.output.substr(at + 6, result.output.find('\n', at) - at - 6);
  EXPECT_TRUE(fs::exists(log)) << "kept for the failure: " << log;
  fs::remove_all(fs::path(log).parent_path().parent_path());

  const auto profile = write("p.txt", "none =\n");
  result = cli("matrix --profile '" + profile.string() + "' -- " + ASYNCFIX_MATRIX_SUBJECT);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  const auto logs_at = result.output.find("logs in ");
  ASSERT_NE(logs_at, std::string::npos);
  const auto logs =
      result.output.substr(logs_at + 8, result.output.find('\n', logs_at) - logs_at - 8);
  EXPECT_FALSE(fs::exists(logs)) << "a passing matrix with no report leaves nothing in /tmp";
}

TEST_F(CliMatrix, TwoBinariesWithOneFileNameAreTwoColumns) {
  fs::create_directories(dir_ / "a");
  fs::create_directories(dir_ / "b");
  fs::create_symlink(ASYNCFIX_MATRIX_SUBJECT, dir_ / "a" / "suite");
  fs::create_symlink(ASYNCFIX_MATRIX_SUBJECT, dir_ / "b" / "suite");
  const auto profile = write("p.txt", "none =\n");
  const auto result = cli("matrix --profile '" + profile.string() + "' --json '" +
                          (dir_ / "m.json").string() + "' -- '" + (dir_ / "a" / "suite").string() +
                          "' '" + (dir_ / "b" / "suite").string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr((dir_ / "a" / "suite").string() + " | "));
  EXPECT_THAT(result.output, HasSubstr((dir_ / "b" / "suite").string() + " |"));
  EXPECT_THAT(result.output, Not(HasSubstr("2/2 passed"))) << "not shown as repeats";
}

/// A one-cell matrix report of shard `shard`, written by hand.
nlohmann::json shard_json(const std::string& shard, std::size_t first_index) {
  nlohmann::json cell = {{"index", first_index}, {"binary", "/x/suite"},
                         {"filter", ""},         {"listed", 1},
                         {"fault", "none"},      {"spec", ""},
                         {"repeat", 1},          {"seed", 7},
                         {"outcome", "passed"},  {"allowed", {"passed"}},
                         {"expected", true},     {"exit", "exit 0"},
                         {"reason", ""},         {"duration_ms", 5},
                         {"log", "0/log.txt"},   {"tests", nlohmann::json::array()}};
  return {{"asyncfix_matrix", 2},
          {"seed", 7},
          {"shards", {shard}},
          {"binaries", {"/x/suite"}},
          {"cells", {cell}}};
}

TEST_F(CliMatrix, ReportMergeRefusesWhatIsNotOneMatrixInOneLine) {
  const auto save = [&](const std::string& name, const nlohmann::json& json) {
    return "'" + write(name, json.dump()).string() + "'";
  };
  const auto one = save("one.json", shard_json("1/2", 0));
  const auto two = save("two.json", shard_json("2/2", 1));
  auto string_tag = shard_json("1/2", 0);
  string_tag["asyncfix_matrix"] = "2";
  auto negative_seed = shard_json("1/2", 0);
  negative_seed["seed"] = -1;
  auto other_seed = shard_json("2/2", 1);
  other_seed["seed"] = 8;
  auto other_binaries = shard_json("2/2", 1);
  other_binaries["binaries"] = {"/y/other"};
  auto same_cell = shard_json("2/2", 0);
  const std::vector<std::pair<std::string, std::string>> cases{
      {save("tag.json", string_tag), "not an asyncfix matrix JSON report"},
      {save("neg.json", negative_seed), "'seed' is -1, expected a whole number >= 0"},
      {one + " " + one, "is given twice"},
      {one + " " + save("copy.json", shard_json("1/2", 0)), "shard 1/2 is in both"},
      {one + " " + save("seed.json", other_seed), "ran with seed 8"},
      {one + " " + save("bins.json", other_binaries), "run the same binaries"},
      {one + " " + save("cell.json", same_cell), "cell 0 is in both"},
  };
  for (const auto& [args, says] : cases) {
    const auto result = cli("report merge " + args);
    EXPECT_EQ(result.exit_code, 2) << args << "\n" << result.output;
    EXPECT_THAT(result.output, HasSubstr(says)) << args;
    EXPECT_EQ(lines(result.output), 1U) << result.output;
  }
  const auto merged = cli("report merge " + one + " " + two);
  EXPECT_EQ(merged.exit_code, 0) << merged.output;
  EXPECT_THAT(merged.output, HasSubstr("2 of 2 cells as expected (2 reports)"));
}

TEST_F(CliMatrix, AShardsLogFieldBecomesALinkOnlyAsARelativeFilePath) {
  auto crafted = shard_json("1/1", 0);
  crafted["cells"][0]["log"] = "javascript:alert(document.cookie)";
  crafted["cells"][0]["reason"] = "\x1b[2J\x1b]8;;http://evil\x07";
  crafted["cells"][0]["outcome"] = "failed-unclassified";
  crafted["cells"][0]["expected"] = false;  // so the summary prints its reason
  write("crafted.json", crafted.dump());
  const auto result = cli("report merge '" + (dir_ / "crafted.json").string() + "' --html '" +
                          (dir_ / "m.html").string() + "'");
  EXPECT_THAT(result.output, Not(HasSubstr("\x1b")));
  const auto html = read(dir_ / "m.html");
  EXPECT_THAT(html, Not(HasSubstr("javascript:")));
  // The grid links to the entry's drill-down on the page; nothing links to the crafted log.
  for (auto at = html.find("href=\""); at != std::string::npos; at = html.find("href=\"", at + 1)) {
    EXPECT_EQ(html.substr(at, 13), "href=\"#entry-") << html.substr(at, 60);
  }
  EXPECT_THAT(html, HasSubstr("log (not a file)"));
}

}  // namespace
