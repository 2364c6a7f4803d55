#pragma once
/// @file
/// Everything asyncfix offers, layer by layer (each includes only those above it in this list).
/// Every public header is here (Redis's through redis/redis.hpp), except handler_tracking.hpp,
/// which Asio includes itself in a tracked build, and detail/ and impl/.

// loop: TestLoop, the per-test io_context, its identity and what it reports as pending.
#include <asyncfix/allow_foreign_context.hpp>
#include <asyncfix/deadline_exceeded.hpp>
#include <asyncfix/loop_id.hpp>
#include <asyncfix/loop_resource.hpp>
#include <asyncfix/loop_stopped.hpp>
#include <asyncfix/pending_operation.hpp>
#include <asyncfix/test_loop.hpp>
#include <asyncfix/thrown_at.hpp>

// affinity: which loop a resource is bound to, and the mismatch error naming both loops.
#include <asyncfix/loop_affinity.hpp>
#include <asyncfix/loop_mismatch.hpp>
#include <asyncfix/loop_policy.hpp>

// lazy: a resource created on first use on the running loop, healed or refused on another.
#include <asyncfix/lazy_resource.hpp>

// testing: the GoogleTest fixtures, coroutine assertions, watchdog and per-test report.
#include <asyncfix/async_options.hpp>
#include <asyncfix/async_test.hpp>
#include <asyncfix/co_assert.hpp>
#if __has_include(<gmock/gmock.h>)
#include <asyncfix/co_assert_that.hpp>
#endif
#include <asyncfix/hard_watchdog.hpp>
#include <asyncfix/injected_faults.hpp>
#include <asyncfix/listener.hpp>
#include <asyncfix/loop_assertions.hpp>
#include <asyncfix/teardown_report.hpp>
#include <asyncfix/test_macros.hpp>

// redis: URL, errors, connection, manager, private server, environment and RedisTest.
#include <asyncfix/redis/redis.hpp>

// fault: network faults (FaultProxy with Toxiproxy's toxics).
#include <asyncfix/fault/fault_plan.hpp>
#include <asyncfix/fault/fault_proxy.hpp>
#include <asyncfix/fault/fault_redis_test.hpp>
#include <asyncfix/fault/toxic.hpp>

// root: install(), wiring the layers into GoogleTest.
#include <asyncfix/install.hpp>
