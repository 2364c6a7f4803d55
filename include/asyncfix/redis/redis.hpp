#pragma once
/// @file
/// The Redis layer: URL, errors, replies, connection, manager (with pipelines, subscriptions and
/// injected command faults), private server, environment, fixture.

#include <asyncfix/redis/command_args.hpp>
#include <asyncfix/redis/command_fault.hpp>
#include <asyncfix/redis/pipeline.hpp>
#include <asyncfix/redis/redis_connection.hpp>
#include <asyncfix/redis/redis_environment.hpp>
#include <asyncfix/redis/redis_error.hpp>
#include <asyncfix/redis/redis_manager.hpp>
#include <asyncfix/redis/redis_options.hpp>
#include <asyncfix/redis/redis_server.hpp>
#include <asyncfix/redis/redis_test.hpp>
#include <asyncfix/redis/redis_url.hpp>
#include <asyncfix/redis/reply.hpp>
#include <asyncfix/redis/subscription.hpp>
#include <asyncfix/redis/test_keys.hpp>
