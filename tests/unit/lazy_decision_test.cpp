// decide_get(): the step LazyResource::get() takes, for every policy, without a loop or coroutine.
#include <asyncfix/lazy/detail/lazy_decision.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace {

using asyncfix::LoopCheck;
using asyncfix::LoopPolicy;
using asyncfix::detail::decide_get;
using asyncfix::detail::LazySlotView;
using Action = asyncfix::detail::LazyDecision::Action;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::uint64_t here = 7;
constexpr std::uint64_t other = 3;

LazySlotView held(std::uint64_t loop) {
  return {.loop = loop, .has_value = true};
}
LazySlotView creating(std::uint64_t loop) {
  return {.loop = loop, .creating = true};
}
LazySlotView failed(std::uint64_t loop) {
  return {.loop = loop};
}
LazySlotView closed(LazySlotView slot) {
  slot.loop_closed = true;
  return slot;
}

TEST(LazyDecision, NothingHeldCreatesOnTheRunningLoop) {
  for (const auto policy : {LoopPolicy::Reconnect, LoopPolicy::Fail, LoopPolicy::PerLoop}) {
    const auto d = decide_get(here, policy, {});
    EXPECT_EQ(d.action, Action::create) << to_string(policy);
    EXPECT_EQ(d.slot_loop, here);
    EXPECT_THAT(d.drop, IsEmpty());
  }
}

TEST(LazyDecision, TheRunningLoopsOwnInstanceIsUsedWhateverElseIsHeld) {
  const std::vector<LazySlotView> slots{held(other), held(here)};
  for (const auto policy : {LoopPolicy::Reconnect, LoopPolicy::Fail, LoopPolicy::PerLoop}) {
    const auto d = decide_get(here, policy, slots);
    EXPECT_EQ(d.action, Action::use_own) << to_string(policy);
    EXPECT_THAT(d.drop, IsEmpty()) << to_string(policy);
    EXPECT_EQ(d.loop_changes, 0U);
  }
}

TEST(LazyDecision, ACreationInProgressOnTheRunningLoopIsWaitedFor) {
  const std::vector<LazySlotView> slots{creating(here)};
  const auto d = decide_get(here, LoopPolicy::Reconnect, slots);
  EXPECT_EQ(d.action, Action::wait);
  EXPECT_EQ(d.slot_loop, here);
}

TEST(LazyDecision, AFailedCreationIsForgottenAndRetried) {
  const std::vector<LazySlotView> slots{failed(here)};
  const auto d = decide_get(here, LoopPolicy::Fail, slots);
  EXPECT_EQ(d.action, Action::create);
  EXPECT_THAT(d.drop, ElementsAre(here));
  EXPECT_EQ(d.loop_changes, 0U) << "a retry is not a loop change";
}

TEST(LazyDecision, ReconnectReplacesAnotherLoopsInstanceAndCountsOneLoopChange) {
  const std::vector<LazySlotView> slots{held(other)};
  const auto d = decide_get(here, LoopPolicy::Reconnect, slots);
  EXPECT_EQ(d.action, Action::create);
  EXPECT_THAT(d.drop, ElementsAre(other));
  EXPECT_EQ(d.loop_changes, 1U);
}

TEST(LazyDecision, ReconnectWaitsForAnotherLoopsCreationBeforeHealingFromIt) {
  const std::vector<LazySlotView> slots{creating(other)};
  const auto d = decide_get(here, LoopPolicy::Reconnect, slots);
  EXPECT_EQ(d.action, Action::wait);
  EXPECT_EQ(d.slot_loop, other);
  EXPECT_EQ(d.loop_changes, 0U);
}

TEST(LazyDecision, FailNamesTheOtherLoopAndWhetherItClosed) {
  auto d = decide_get(here, LoopPolicy::Fail, std::vector<LazySlotView>{held(other)});
  EXPECT_EQ(d.action, Action::fail);
  EXPECT_EQ(d.slot_loop, other);
  EXPECT_EQ(d.check, LoopCheck::mismatch);
  d = decide_get(here, LoopPolicy::Fail, std::vector<LazySlotView>{closed(held(other))});
  EXPECT_EQ(d.action, Action::fail);
  EXPECT_EQ(d.check, LoopCheck::bound_loop_closed);
  EXPECT_THAT(d.drop, IsEmpty()) << "Fail never closes another loop's instance";
}

TEST(LazyDecision, PerLoopKeepsOpenLoopsInstancesAndForgetsClosedOnesWithoutALoopChange) {
  const std::vector<LazySlotView> slots{held(1), closed(held(2)), closed(creating(4))};
  const auto d = decide_get(here, LoopPolicy::PerLoop, slots);
  EXPECT_EQ(d.action, Action::create);
  EXPECT_THAT(d.drop, ElementsAre(2U)) << "only the closed loop's finished instance goes";
  EXPECT_EQ(d.loop_changes, 0U);
}

}  // namespace
