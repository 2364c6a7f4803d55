#pragma once
/// @file
/// The asyncfix test event listener and the pieces of asyncfix::main.

#include <gtest/gtest.h>

namespace asyncfix {

/// Prints, for every failed test, the loop/teardown summary AsyncTest recorded
/// ("[ asyncfix ] Suite.Test: loop #12 ..., teardown 3 ms, leaks: ...").
class Listener : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo& info) override;
};

/// What asyncfix::main does after InitGoogleTest: ignores SIGPIPE (hiredis writes without
/// MSG_NOSIGNAL), appends Listener and registers the Redis environment. Call it from your own
/// main() if you do not link asyncfix::main. Call once.
void install();

}  // namespace asyncfix
