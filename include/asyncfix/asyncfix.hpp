#pragma once
/// @file
/// Everything asyncfix offers, layer by layer (each includes only those above it in this list).
/// Every public header is here (Redis's through redis/redis.hpp), except loop/handler_tracking.hpp
/// and loop/await_site.hpp, which Asio includes itself in a tracked build, and detail/ and impl/. The folder of a header is
/// its layer; the headers directly in asyncfix/ other than this one and install.hpp are the old
/// paths, kept for one release as forwarders.

// loop: TestLoop, the per-test io_context, its identity and what it reports as pending.
#include <asyncfix/loop/allow_foreign_context.hpp>
#include <asyncfix/loop/deadline_exceeded.hpp>
#include <asyncfix/loop/loop_id.hpp>
#include <asyncfix/loop/loop_resource.hpp>
#include <asyncfix/loop/loop_stopped.hpp>
#include <asyncfix/loop/pending_operation.hpp>
#include <asyncfix/loop/schedule.hpp>
#include <asyncfix/loop/test_loop.hpp>
#include <asyncfix/loop/thrown_at.hpp>

// affinity: which loop a resource is bound to, and the mismatch error naming both loops.
#include <asyncfix/affinity/loop_affinity.hpp>
#include <asyncfix/affinity/loop_mismatch.hpp>
#include <asyncfix/affinity/loop_policy.hpp>

// lazy: a resource created on first use on the running loop, healed or refused on another.
#include <asyncfix/lazy/lazy_resource.hpp>

// testing: the GoogleTest fixtures, coroutine assertions, watchdog and per-test report.
#include <asyncfix/testing/async_options.hpp>
#include <asyncfix/testing/async_test.hpp>
#include <asyncfix/testing/child_run.hpp>
#include <asyncfix/testing/co_assert.hpp>
#if __has_include(<gmock/gmock.h>)
#include <asyncfix/testing/co_assert_that.hpp>
#endif
#include <asyncfix/testing/hard_watchdog.hpp>
#include <asyncfix/testing/injected_faults.hpp>
#include <asyncfix/testing/listener.hpp>
#include <asyncfix/testing/loop_assertions.hpp>
#include <asyncfix/testing/teardown_report.hpp>
#include <asyncfix/testing/test_macros.hpp>

// redis: URL, errors, connection, manager, private server, environment and RedisTest.
#include <asyncfix/redis/redis.hpp>

// fault: network faults (FaultProxy with Toxiproxy's toxics).
#include <asyncfix/fault/fault_plan.hpp>
#include <asyncfix/fault/fault_proxy.hpp>
#include <asyncfix/fault/fault_redis_test.hpp>
#include <asyncfix/fault/toxic.hpp>

// root: install(), wiring the layers into GoogleTest.
#include <asyncfix/install.hpp>
