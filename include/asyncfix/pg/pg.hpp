#pragma once
/// @file
/// Everything of asyncfix's PostgreSQL component (`find_package(asyncfix COMPONENTS postgres)`,
/// target asyncfix::pg).

#include <asyncfix/pg/pg_environment.hpp>
#include <asyncfix/pg/pg_error.hpp>
#include <asyncfix/pg/pg_manager.hpp>
#include <asyncfix/pg/pg_test.hpp>
#include <asyncfix/pg/pg_url.hpp>
#include <asyncfix/pg/postgres_server.hpp>
#include <asyncfix/pg/rows.hpp>
