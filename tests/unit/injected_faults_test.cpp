// InjectedFaults::parse: the ASYNCFIX_FAULTS list's in-process items, the rest kept unjudged, and
// its one-line errors.
#include <asyncfix/testing/injected_faults.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace {

using asyncfix::InjectedFaults;
using ::testing::HasSubstr;

std::string injected_parse_error(std::string_view text) {
  try {
    (void)InjectedFaults::parse(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(InjectedFaultsParse, ReadsEveryInProcessKind) {
  const auto faults = InjectedFaults::parse(
      "loop_swap,close_loop_before_teardown,fail_nth_command=3,kill_server_at_ms=250");
  EXPECT_TRUE(faults.loop_swap);
  EXPECT_TRUE(faults.close_loop_before_teardown);
  EXPECT_EQ(faults.fail_nth_command, 3U);
  EXPECT_EQ(faults.kill_server_at, std::chrono::milliseconds(250));
  EXPECT_FALSE(faults.restart_server_at.has_value());
  EXPECT_TRUE(faults.network.empty());
  EXPECT_EQ(InjectedFaults::parse("restart_server_at_ms=40").restart_server_at,
            std::chrono::milliseconds(40));
}

TEST(InjectedFaultsParse, TheServerFaultsOldRedisNamesAreReadAsTheNewOnesForOneRelease) {
  const auto old_names = InjectedFaults::parse("kill_redis_at_ms=7");
  EXPECT_EQ(old_names.kill_server_at, std::chrono::milliseconds(7));
  EXPECT_EQ(old_names.to_string(), "kill_server_at_ms=7");
  EXPECT_EQ(InjectedFaults::parse("restart_redis_at_ms=9").restart_server_at,
            std::chrono::milliseconds(9));
  EXPECT_TRUE(InjectedFaults::parse("restart_redis_at_ms=9").network.empty());
  EXPECT_EQ(injected_parse_error("kill_redis_at_ms=1,kill_server_at_ms=2"),
            "ASYNCFIX_FAULTS item 'kill_server_at_ms=2': kill_server_at_ms is given twice");
}

TEST(InjectedFaultsParse, AnEmptyListIsNoFault) {
  EXPECT_FALSE(InjectedFaults::parse("").any());
  EXPECT_FALSE(InjectedFaults::parse("  ").any());
  EXPECT_TRUE(InjectedFaults::parse("loop_swap").any());
}

TEST(InjectedFaultsParse, EveryOtherItemIsKeptInOrderAndUnjudgedForTheFaultLayer) {
  const auto faults = InjectedFaults::parse(
      "latency:latency=50,jitter=10@downstream%0.5,fail_nth_command=2,slicer:average_size=8,"
      "delay=10, loop_swp");
  EXPECT_EQ(faults.fail_nth_command, 2U);
  EXPECT_FALSE(faults.loop_swap);
  EXPECT_EQ(faults.network,
            "latency:latency=50,jitter=10@downstream%0.5,slicer:average_size=8,delay=10,loop_swp");
  EXPECT_TRUE(faults.any());
}

TEST(InjectedFaultsParse, ToStringParsesBackToTheSameFaults) {
  const auto faults =
      InjectedFaults::parse("timeout:timeout=0,loop_swap,restart_server_at_ms=9,bandwidth:rate=1");
  EXPECT_EQ(InjectedFaults::parse(faults.to_string()), faults);
  EXPECT_EQ(faults.to_string(),
            "loop_swap,restart_server_at_ms=9,timeout:timeout=0,bandwidth:rate=1");
}

TEST(InjectedFaultsParse, ThePostgresFaultsParseAndPrintBack) {
  const auto faults = InjectedFaults::parse("fail_nth_query=3,restart_pg_at_ms=40");
  EXPECT_EQ(faults.fail_nth_query, 3U);
  EXPECT_EQ(faults.restart_pg_at, std::chrono::milliseconds(40));
  EXPECT_FALSE(faults.kill_pg_at.has_value());
  EXPECT_TRUE(faults.network.empty());
  EXPECT_EQ(faults.to_string(), "fail_nth_query=3,restart_pg_at_ms=40");
  EXPECT_EQ(InjectedFaults::parse("kill_pg_at_ms=5").to_string(), "kill_pg_at_ms=5");
  EXPECT_EQ(injected_parse_error("kill_pg_at_ms=5,restart_pg_at_ms=9"),
            "ASYNCFIX_FAULTS='kill_pg_at_ms=5,restart_pg_at_ms=9': kill_pg_at_ms and "
            "restart_pg_at_ms exclude each other (a killed server stays down); give one");
  EXPECT_THAT(injected_parse_error("fail_nth_query=0"), HasSubstr("expected a positive integer"));
}

TEST(InjectedFaultsParse, BadItemsAreOneLineErrorsNamingTheVariableAndTheItem) {
  EXPECT_EQ(injected_parse_error("fail_nth_command=zero"),
            "ASYNCFIX_FAULTS fail_nth_command='zero': expected a positive integer up to "
            "1000000000");
  EXPECT_EQ(injected_parse_error("loop_swap=1"),
            "ASYNCFIX_FAULTS item 'loop_swap=1': loop_swap takes no value");
  EXPECT_EQ(injected_parse_error("kill_server_at_ms"),
            "ASYNCFIX_FAULTS item 'kill_server_at_ms': expected kill_server_at_ms=T");
  EXPECT_EQ(injected_parse_error("loop_swap,loop_swap"),
            "ASYNCFIX_FAULTS item 'loop_swap': loop_swap is given twice");
  EXPECT_EQ(injected_parse_error("kill_server_at_ms=5,restart_server_at_ms=9"),
            "ASYNCFIX_FAULTS='kill_server_at_ms=5,restart_server_at_ms=9': kill_server_at_ms and "
            "restart_server_at_ms exclude each other (a killed server stays down); give one");
  EXPECT_EQ(injected_parse_error("loop_swap,,close_loop_before_teardown"),
            "ASYNCFIX_FAULTS='loop_swap,,close_loop_before_teardown': an empty item (two commas "
            "in a row?)");
  for (const auto* twice :
       {"loop_swap,loop_swap", "close_loop_before_teardown,close_loop_before_teardown",
        "fail_nth_command=2,fail_nth_command=3", "kill_server_at_ms=1,kill_server_at_ms=2",
        "restart_server_at_ms=1,restart_server_at_ms=2"}) {
    EXPECT_THAT(injected_parse_error(twice), HasSubstr("is given twice")) << twice;
  }
  for (const auto* text : {"fail_nth_command=-1", "loop_swap,", "kill_server_at_ms=1e3"}) {
    const auto message = injected_parse_error(text);
    EXPECT_THAT(message, HasSubstr("ASYNCFIX_FAULTS")) << text;
    EXPECT_EQ(message.find('\n'), std::string::npos) << text;
  }
}

TEST(InjectedFaultsParse, EveryKindIsListedWithWhatItDoes) {
  std::vector<std::string> names;
  for (const auto& kind : InjectedFaults::kinds()) {
    names.emplace_back(kind.name);
    EXPECT_FALSE(kind.description.empty()) << kind.name;
  }
  EXPECT_THAT(names,
              ::testing::ElementsAre("loop_swap", "close_loop_before_teardown", "fail_nth_command",
                                     "kill_server_at_ms", "restart_server_at_ms", "fail_nth_query",
                                     "kill_pg_at_ms", "restart_pg_at_ms"));
}

}  // namespace
