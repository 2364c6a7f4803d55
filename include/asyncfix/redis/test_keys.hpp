#pragma once
/// @file
/// The namespace of keys asyncfix's Redis fixtures create, shared by RedisTest (which makes them),
/// `asyncfix redis stop --check-no-keys` (which looks for leftovers) and tests that inspect them.

#include <string_view>

namespace asyncfix::redis {

/// Every key RedisTest::key() makes starts with this ("afx:<pid>:<token>:<Suite.Test>:<name>").
inline constexpr std::string_view test_key_root = "afx:";
/// The KEYS/SCAN pattern that matches every such key.
inline constexpr std::string_view test_key_pattern = "afx:*";

}  // namespace asyncfix::redis
