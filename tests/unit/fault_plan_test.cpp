// FaultPlan::parse and parse_toxics: one spec, parsed once into typed toxics, in-process faults and
// runner actions; a toxic's own items are told apart by its kind's parameter names, never guessed.
#include <asyncfix/fault/fault_plan.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace {

using asyncfix::fault::Direction;
using asyncfix::fault::FaultPlan;
using asyncfix::fault::FaultSite;
using asyncfix::fault::parse_toxics;
using asyncfix::fault::Toxic;
using asyncfix::fault::ToxicKind;
using ::testing::HasSubstr;

std::string plan_parse_error(std::string_view text) {
  try {
    (void)FaultPlan::parse(text, "--fault");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(FaultPlan, SplitsOneSpecIntoTypedToxicsInProcessFaultsAndRunnerActions) {
  const auto plan = FaultPlan::parse(
      "latency:latency=50,jitter=10@upstream%0.5,fail_nth_command=2,slicer:average_size=8,"
      "delay=10,down_at_ms=0,up_at_ms=250,loop_swap",
      "--fault");
  ASSERT_EQ(plan.toxics.size(), 2U);
  EXPECT_EQ(plan.toxics[0].kind, ToxicKind::latency);
  EXPECT_EQ(plan.toxics[0].latency, 50);
  EXPECT_EQ(plan.toxics[0].jitter, 10);
  EXPECT_EQ(plan.toxics[0].direction, Direction::upstream);
  EXPECT_EQ(plan.toxics[0].toxicity, 0.5);
  EXPECT_EQ(plan.toxics[1].kind, ToxicKind::slicer);
  EXPECT_EQ(plan.toxics[1].average_size, 8);
  EXPECT_EQ(plan.toxics[1].delay, 10);
  EXPECT_EQ(plan.in_process.fail_nth_command, 2U);
  EXPECT_TRUE(plan.in_process.loop_swap);
  EXPECT_TRUE(plan.in_process.network.empty()) << "the toxics hold it, typed";
  EXPECT_EQ(plan.down_at, std::chrono::milliseconds(0));
  EXPECT_EQ(plan.up_at, std::chrono::milliseconds(250));
  EXPECT_EQ(FaultPlan::parse(plan.to_string(), "again"), plan) << plan.to_string();
}

TEST(FaultPlan, AnItemJoinsAToxicOnlyWhenItNamesAParameterOfThatKind) {
  // "latency" is a kind and a parameter of latency: after '=' it is the parameter.
  const auto plan = FaultPlan::parse("latency:jitter=5,latency=40,timeout:timeout=3", "x");
  ASSERT_EQ(plan.toxics.size(), 2U);
  EXPECT_EQ(plan.toxics[0].latency, 40);
  EXPECT_EQ(plan.toxics[1].kind, ToxicKind::timeout);
  EXPECT_EQ(plan.toxics[1].timeout, 3);
  EXPECT_THAT(plan_parse_error("latency:latency=5,rate=3"),
              HasSubstr("--fault item 'rate=3': latency has no parameter 'rate'"));
  // In-process names are reserved words, taken out first, as the test binary does.
  const auto between = FaultPlan::parse("latency:latency=5,loop_swap,jitter=3", "x");
  EXPECT_TRUE(between.in_process.loop_swap);
  ASSERT_EQ(between.toxics.size(), 1U);
  EXPECT_EQ(between.toxics[0].jitter, 3);
  EXPECT_THAT(plan_parse_error("jitter=10"), HasSubstr("--fault item 'jitter=10': not a fault"));
}

TEST(FaultPlan, BadItemsAreOneLineErrorsNamingTheSourceAndTheItem) {
  const auto typo = plan_parse_error("loop_swp");
  EXPECT_THAT(typo, HasSubstr("--fault item 'loop_swp': not a fault; expected a network fault "
                              "KIND[:PARAM=VALUE,...] with KIND one of latency, bandwidth"));
  EXPECT_THAT(typo, HasSubstr("or an in-process fault: loop_swap, close_loop_before_teardown"));
  EXPECT_THAT(plan_parse_error("latencyy:latency=5"),
              HasSubstr("'latencyy:latency=5': not a fault"));
  EXPECT_THAT(plan_parse_error("latency:latency=x"),
              HasSubstr("--fault: bad fault spec 'latency:latency=x'"));
  EXPECT_THAT(plan_parse_error("up_at_ms=5"), HasSubstr("up_at_ms needs a down_at_ms before it"));
  EXPECT_THAT(plan_parse_error("down_at_ms=9,up_at_ms=5"),
              HasSubstr("up_at_ms needs a down_at_ms"));
  EXPECT_THAT(plan_parse_error("down_at_ms=-1"),
              HasSubstr("--fault item 'down_at_ms=-1': expected down_at_ms=MILLISECONDS"));
  EXPECT_THAT(plan_parse_error("down_at_ms=1,down_at_ms=2"),
              HasSubstr("down_at_ms is given twice"));
  EXPECT_THAT(plan_parse_error("fail_nth_command=0"), HasSubstr("--fault fail_nth_command='0'"));
  for (const auto* text : {"loop_swp", "latency:latency=x", "down_at_ms=", "a,,b", "=5",
                           "latency:latency=5,rate=3", "up_at_ms=1"}) {
    const auto message = plan_parse_error(text);
    EXPECT_NE(message, "(no error)") << text;
    EXPECT_EQ(message.find('\n'), std::string::npos) << text;
  }
  EXPECT_TRUE(FaultPlan::parse("", "x").empty());
  EXPECT_TRUE(FaultPlan::parse("  ", "x").empty());
}

TEST(FaultPlan, AScheduleIsAFaultOfItsOwnAndADepthItemJoinsIt) {
  const auto plan = FaultPlan::parse("schedule=pct:7,depth=2,latency:latency=5", "--fault");
  ASSERT_TRUE(plan.schedule.has_value());
  EXPECT_EQ(plan.schedule->to_string(), "pct:7,depth=2");
  ASSERT_EQ(plan.toxics.size(), 1U);
  EXPECT_FALSE(plan.empty());
  EXPECT_EQ(FaultPlan::parse(plan.to_string(), "again"), plan) << plan.to_string();
  EXPECT_EQ(FaultPlan::parse("schedule=random:3", "--fault").schedule->to_string(), "random:3");
  EXPECT_FALSE(FaultPlan::parse("latency:latency=5", "--fault").schedule.has_value());
  for (const char* bad : {"schedule=lifo:1", "schedule=random:1,depth=2", "schedule=pct:x",
                          "schedule=pct:1,schedule=pct:2"}) {
    try {
      (void)FaultPlan::parse(bad, "--fault");
      ADD_FAILURE() << bad << " must be refused";
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr("--fault")) << bad;
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
  }
}

TEST(FaultPlan, ParseToxicsTakesTheTestBinarysNetworkTextAsTheRunnerDoes) {
  const auto toxics = parse_toxics("slow_close,bandwidth:rate=1", "ASYNCFIX_FAULTS");
  ASSERT_EQ(toxics.size(), 2U);
  EXPECT_EQ(toxics[0], Toxic::parse("slow_close"));
  EXPECT_EQ(toxics[1], Toxic::parse("bandwidth:rate=1"));
  EXPECT_TRUE(parse_toxics("", "ASYNCFIX_FAULTS").empty());
  try {
    (void)parse_toxics("loop_swp", "ASYNCFIX_FAULTS");
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("ASYNCFIX_FAULTS item 'loop_swp': not a fault"));
  }
}

TEST(FaultPlan, OneTableListsEveryKindOfEverySiteWithWhatItDoes) {
  std::vector<std::string> network;
  std::vector<std::string> in_process;
  std::vector<std::string> runner;
  for (const auto& kind : FaultPlan::kinds()) {
    EXPECT_FALSE(kind.description.empty()) << kind.name;
    auto& list = kind.site == FaultSite::network      ? network
                 : kind.site == FaultSite::in_process ? in_process
                                                      : runner;
    list.emplace_back(kind.name);
    // Every kind in the table is one the parser takes.
    const std::string spec = kind.site == FaultSite::network ? std::string(kind.name)
                             : kind.parameter.empty()        ? std::string(kind.name)
                             : kind.name == "up_at_ms"       ? "down_at_ms=1,up_at_ms=2"
                             : kind.name == "schedule"       ? "schedule=pct:1"
                                                             : std::string(kind.name) + "=1";
    EXPECT_FALSE(FaultPlan::parse(spec, "table").empty()) << spec;
  }
  EXPECT_THAT(network, ::testing::ElementsAre("latency", "bandwidth", "slow_close", "timeout",
                                              "reset_peer", "slicer", "limit_data"));
  EXPECT_EQ(in_process.size(), asyncfix::InjectedFaults::kinds().size() + 1) << "and schedule";
  EXPECT_EQ(in_process.back(), "schedule");
  EXPECT_THAT(runner, ::testing::ElementsAre("down_at_ms", "up_at_ms"));
}

}  // namespace
