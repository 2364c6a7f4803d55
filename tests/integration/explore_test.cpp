// `asyncfix explore` against the planted races: sample 8's check-then-act on in-memory state and
// sample 9's lost update through Redis. FIFO never shows either; pct and random find both within
// 100 runs; the seed they print replays sample 8 10 of 10 (only timers and posts) and sample 9 at
// least 8 of 10 (real I/O: see the guide); the fixed agents are never flagged; bad arguments are
// one line with exit 2.
#include <asyncfix/testing/child_run.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace {

using ::testing::HasSubstr;

/// A planted race of the samples: its racy and fixed tests, the racy one's failure, and how many
/// of 10 replays of a found seed must fail again.
struct PlantedRace {
  const char* racy;
  const char* fixed;
  const char* test;
  const char* failure;
  int replays_that_fail;
};
constexpr PlantedRace races[] = {
    {"--gtest_filter=ScheduleRaceSample.RacyAgents*",
     "--gtest_filter=ScheduleRaceSample.FixedAgents*",
     "ScheduleRaceSample.RacyAgentsLoseNoSeatInFifoOrder", "two agents read the same count", 10},
    // Real I/O: a seed orders the handlers that are ready, and the network decides which are.
    {"--gtest_filter=RedisLostUpdateSample.Racy*", "--gtest_filter=RedisLostUpdateSample.Watched*",
     "RedisLostUpdateSample.RacyAgentsLoseNoUpdateInFifoOrder",
     "one agent's SET overwrote another's", 8},
};
constexpr const char* racy = "--gtest_filter=ScheduleRaceSample.RacyAgents*";
constexpr const char* fixed = "--gtest_filter=ScheduleRaceSample.FixedAgents*";

asyncfix::ChildRunResult explore(std::vector<std::string> args) {
  std::vector<std::string> argv{ASYNCFIX_CLI, "explore"};
  argv.insert(argv.end(), args.begin(), args.end());
  return asyncfix::run_child({.argv = argv, .unset_env = {"ASYNCFIX_SCHEDULE"}});
}

/// `asyncfix run ARGS`, its work directory inside a scratch directory removed afterwards: a run
/// that is not as expected keeps its logs, and a test leaves nothing behind in /tmp.
asyncfix::ChildRunResult run_cell(const std::vector<std::string>& args) {
  std::string scratch = (std::filesystem::temp_directory_path() / "afx-explore-XXXXXX").string();
  if (::mkdtemp(scratch.data()) == nullptr) return {-1, "mkdtemp failed for " + scratch};
  std::vector<std::string> argv{ASYNCFIX_CLI, "run", "--work-dir", scratch + "/cells"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result =
      asyncfix::run_child({.argv = argv, .unset_env = {"ASYNCFIX_SCHEDULE", "ASYNCFIX_FAULTS"}});
  std::filesystem::remove_all(scratch);
  return result;
}

TEST(Explore, FifoNeverShowsEitherRaceInAThousandRuns) {
  for (const auto& race : races) {
    const auto fifo = asyncfix::run_child(
        {.argv = {ASYNCFIX_SAMPLES, race.racy, "--gtest_repeat=1000", "--gtest_brief=1"},
         .unset_env = {"ASYNCFIX_SCHEDULE", "ASYNCFIX_FAULTS"}});
    EXPECT_EQ(fifo.exit_code, 0) << race.test << "\n" << fifo.output.substr(0, 2000);
  }
}

TEST(Explore, EachStrategyFindsEachPlantedRaceAndItsSeedReplaysIt) {
  for (const auto& race : races) {
    for (const char* strategy : {"pct", "random"}) {
      const auto found = explore({"--runs", "100", "--strategy", strategy, "--seed", "1000", "--",
                                  ASYNCFIX_SAMPLES, race.racy});
      ASSERT_EQ(found.exit_code, 1) << strategy << ": " << found.output;
      EXPECT_THAT(found.output, HasSubstr(std::string(race.test) + ": "));
      EXPECT_THAT(found.output, HasSubstr(race.failure));
      // "replay: ASYNCFIX_SCHEDULE=<schedule> <binary> --gtest_filter=<test>"
      const auto at = found.output.find("replay: ASYNCFIX_SCHEDULE=");
      ASSERT_NE(at, std::string::npos) << found.output;
      std::istringstream words(found.output.substr(at + 8, found.output.find('\n', at) - at - 8));
      std::string assignment, binary, filter;
      words >> assignment >> binary >> filter;
      const std::string schedule = assignment.substr(assignment.find('=') + 1);
      EXPECT_EQ(binary, ASYNCFIX_SAMPLES);
      ASSERT_EQ(filter, std::string("--gtest_filter=") + race.test) << found.output;
      int failed_again = 0;
      for (int replay = 0; replay < 10; ++replay) {
        const auto again = asyncfix::run_child({.argv = {ASYNCFIX_SAMPLES, filter},
                                                .env = {{"ASYNCFIX_SCHEDULE", schedule}},
                                                .unset_env = {"ASYNCFIX_FAULTS"}});
        if (again.exit_code == 1 && again.output.find("failed under schedule " + schedule +
                                                      "; replay: ") != std::string::npos) {
          ++failed_again;
        }
      }
      EXPECT_GE(failed_again, race.replays_that_fail) << race.test << " under " << schedule;
    }
  }
}

TEST(Explore, TheFixedAgentsAreNeverFlagged) {
  for (const auto& race : races) {
    for (const char* strategy : {"pct", "random"}) {
      const auto clean = explore({"--runs", "50", "--strategy", strategy, "--jobs", "2", "--",
                                  ASYNCFIX_SAMPLES, race.fixed});
      EXPECT_EQ(clean.exit_code, 0) << strategy << ": " << clean.output;
      EXPECT_THAT(clean.output, HasSubstr("50 runs, every one passed"));
    }
  }
}

TEST(Explore, ARunThatHangsUnderASeedIsEndedByTheDeadlineAndReportedWithThatSeed) {
  const auto found = explore({"--runs", "3", "--strategy", "random", "--seed", "7", "--",
                              ASYNCFIX_FAILURE_FIXTURES, "--gtest_filter=Hang.BodyNeverCompletes"});
  EXPECT_EQ(found.exit_code, 1) << found.output;
  EXPECT_THAT(found.output, HasSubstr("run 1 of 1 failed under schedule random:7 (seed 7)"));
  EXPECT_THAT(found.output, HasSubstr("did not finish within its deadline of 300 ms"));
  EXPECT_THAT(found.output, HasSubstr("replay: ASYNCFIX_SCHEDULE=random:7 "));
}

TEST(Explore, TheMatrixsScheduleFaultRunsACellUnderThatSchedule) {
  const auto run = [](const char* filter) {
    return run_cell({"--fault", "schedule=pct:1", "--", ASYNCFIX_SAMPLES, filter});
  };
  const auto racy_cell = run(racy);
  EXPECT_EQ(racy_cell.exit_code, 1) << racy_cell.output;
  EXPECT_THAT(racy_cell.output, ::testing::ContainsRegex("RacyAgents\\S+ +failed-unclassified"));
  const auto fixed_cell = run(fixed);
  EXPECT_EQ(fixed_cell.exit_code, 0) << fixed_cell.output;
  EXPECT_THAT(fixed_cell.output, ::testing::ContainsRegex("FixedAgents\\S+ +passed"));
}

TEST(Explore, TestsThatNeverRanUnderTheScheduleAreNeverReportedAsPassing) {
  // A plain TEST ignores ASYNCFIX_SCHEDULE: every run passes, and that proves nothing.
  const std::string plain =
      "--gtest_filter=ClassifyFromData.RenamingEveryMessageOfRealReportsMovesNoVerdict";
  const auto explored = explore({"--runs", "3", "--", ASYNCFIX_INTEGRATION_TESTS, plain});
  EXPECT_EQ(explored.exit_code, 2) << explored.output;
  EXPECT_THAT(explored.output, HasSubstr("ran under the schedule"));
  EXPECT_THAT(explored.output, ::testing::Not(HasSubstr("every one passed")));
  const auto cell =
      run_cell({"--fault", "schedule=random:1", "--", ASYNCFIX_INTEGRATION_TESTS, plain});
  EXPECT_EQ(cell.exit_code, 1) << cell.output;
  EXPECT_THAT(cell.output, HasSubstr("asyncfix run: not-applied (not as expected"));
}

TEST(Explore, NoMatchingTestAndBadArgumentsAreOneLineExitTwo) {
  const std::vector<std::vector<std::string>> bad{
      {"--", ASYNCFIX_SAMPLES, "--gtest_filter=NoSuch.Test"},
      {"--strategy", "lifo", "--", ASYNCFIX_SAMPLES},
      {"--depth", "0", "--", ASYNCFIX_SAMPLES},
      {"--", "/nonexistent/tests"},
  };
  for (const auto& args : bad) {
    const auto result = explore(args);
    EXPECT_EQ(result.exit_code, 2) << args.front() << ": " << result.output;
    EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
  }
  const auto no_test = explore({"--", ASYNCFIX_SAMPLES, "--gtest_filter=NoSuch.Test"});
  EXPECT_THAT(no_test.output, HasSubstr("lists no test for these arguments"));
}

TEST(Explore, ABadScheduleVariableFailsTheTestNamingIt) {
  const auto bad = asyncfix::run_child({.argv = {ASYNCFIX_SAMPLES, fixed},
                                        .env = {{"ASYNCFIX_SCHEDULE", "pct:x"}},
                                        .unset_env = {"ASYNCFIX_FAULTS"}});
  EXPECT_NE(bad.exit_code, 0) << bad.output;
  EXPECT_THAT(bad.output, HasSubstr("ASYNCFIX_SCHEDULE='pct:x': the seed 'x' is no number"));
}

}  // namespace
