#pragma once
/// @file
/// The asyncfix test event listener: the loop/teardown summary of every failed test.

#include <gtest/gtest.h>

namespace asyncfix {

/// Prints, for every failed test, the loop/teardown summary AsyncTest recorded
/// ("[ asyncfix ] Suite.Test: loop #12 ..., teardown 3 ms, leaks: ...").
class Listener : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo& info) override;
};

}  // namespace asyncfix
