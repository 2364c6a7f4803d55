#pragma once
/// @file
/// Everything asyncfix offers: the loop core, the fixtures and assertions, and the Redis layer.

#include <asyncfix/async_options.hpp>
#include <asyncfix/async_test.hpp>
#include <asyncfix/co_assert.hpp>
#include <asyncfix/deadline_exceeded.hpp>
#include <asyncfix/hard_watchdog.hpp>
#include <asyncfix/lazy_resource.hpp>
#include <asyncfix/loop_affinity.hpp>
#include <asyncfix/loop_assertions.hpp>
#include <asyncfix/loop_id.hpp>
#include <asyncfix/loop_mismatch.hpp>
#include <asyncfix/loop_policy.hpp>
#include <asyncfix/loop_resource.hpp>
#include <asyncfix/pending_operation.hpp>
#include <asyncfix/redis/redis.hpp>
#include <asyncfix/teardown_report.hpp>
#include <asyncfix/test_loop.hpp>
#include <asyncfix/test_macros.hpp>
