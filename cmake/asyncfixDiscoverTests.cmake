# asyncfix_discover_tests(target [NO_REDIS] [POSTGRES] [TEST_PREFIX p] [TIMEOUT s] [LABEL l]
#                         [SERVER_ARGS redis-server options...] [PROPERTIES k v ...])
#
# Wraps gtest_discover_tests(): each gtest case becomes a ctest test carrying LABEL and TIMEOUT
# (default 60 s). One label only (gtest_discover_tests cannot pass a list through); ctest -L takes a
# regex, so a label like "unit-tsan" is selected by both -L unit and -L tsan. Unless NO_REDIS is given, every test also requires the ctest fixture
# `asyncfix_redis`, one private redis-server per ctest run started by `asyncfix redis start` and
# stopped by `asyncfix redis stop`; its URL reaches the tests through ASYNCFIX_REDIS_URL_FILE.
# POSTGRES does the same for PostgreSQL (asyncfix::pg): one private server per ctest run, started by
# `asyncfix pg start` and stopped by `asyncfix pg stop --check-clean`; its URL reaches the tests
# through ASYNCFIX_PG_URL_FILE. It needs a CLI built with the PostgreSQL component.
# SERVER_ARGS (e.g. --maxmemory-policy allkeys-lru) are handed to that server after those of
# $ASYNCFIX_REDIS_ARGS; there is one server per build tree, so the calls that give SERVER_ARGS must
# give the same ones (the others may leave them out).
# Set ASYNCFIX_CLI to the asyncfix executable if the target asyncfix::cli does not exist.
# gtest_discover_tests reads a test whose output contains "[  SKIPPED ]" anywhere as skipped,
# even when it failed (and a property cannot undo it): a test that prints a child's gtest output
# should defuse that marker first.
include_guard(GLOBAL)
include(GoogleTest)

# The asyncfix executable the fixtures run.
function(_asyncfix_cli out)
  if(TARGET asyncfix::cli)
    set(${out} "$<TARGET_FILE:asyncfix::cli>" PARENT_SCOPE)
  elseif(ASYNCFIX_CLI)
    set(${out} "${ASYNCFIX_CLI}" PARENT_SCOPE)
  else()
    find_program(ASYNCFIX_CLI asyncfix REQUIRED)
    set(${out} "${ASYNCFIX_CLI}" PARENT_SCOPE)
  endif()
endfunction()

# A test that needs both servers requires `asyncfix_redis_pg`, which both fixtures set up: a
# test's FIXTURES_REQUIRED is one word here, as gtest_discover_tests passes no list.
function(_asyncfix_redis_fixture out_dir server_args)
  set(dir "${CMAKE_BINARY_DIR}/asyncfix-redis")
  set(${out_dir} "${dir}" PARENT_SCOPE)
  get_property(done GLOBAL PROPERTY ASYNCFIX_REDIS_FIXTURE_DEFINED)
  if(NOT done)
    set_property(GLOBAL PROPERTY ASYNCFIX_REDIS_FIXTURE_DEFINED TRUE)
    _asyncfix_cli(cli)
    # The server's arguments are read at generate time, so any call may give them.
    add_custom_target(asyncfix_redis_server_args)
    set(args "$<TARGET_PROPERTY:asyncfix_redis_server_args,ASYNCFIX_SERVER_ARGS>")
    add_test(NAME asyncfix.redis.start
             COMMAND "${cli}" redis start --shared --dir "${dir}" "$<$<BOOL:${args}>:-->"
                     "${args}"
             COMMAND_EXPAND_LISTS)
    add_test(NAME asyncfix.redis.stop
             COMMAND "${cli}" redis stop --shared --dir "${dir}" --check-no-keys)
    set_tests_properties(asyncfix.redis.start PROPERTIES
                         FIXTURES_SETUP "asyncfix_redis;asyncfix_redis_pg" TIMEOUT 30
                         LABELS "redis-fixture")
    set_tests_properties(asyncfix.redis.stop PROPERTIES
                         FIXTURES_CLEANUP "asyncfix_redis;asyncfix_redis_pg" TIMEOUT 30
                         LABELS "redis-fixture")
  endif()
  if(server_args)
    get_property(given GLOBAL PROPERTY ASYNCFIX_REDIS_SERVER_ARGS)
    if(given AND NOT "${server_args}" STREQUAL "${given}")
      message(FATAL_ERROR "asyncfix_discover_tests: SERVER_ARGS '${server_args}' differ from "
                          "'${given}' given before; the build tree has one Redis server, so the "
                          "calls that give SERVER_ARGS must give the same ones")
    endif()
    set_property(GLOBAL PROPERTY ASYNCFIX_REDIS_SERVER_ARGS "${server_args}")
    set_property(TARGET asyncfix_redis_server_args PROPERTY ASYNCFIX_SERVER_ARGS "${server_args}")
  endif()
endfunction()

function(_asyncfix_pg_fixture out_dir)
  set(dir "${CMAKE_BINARY_DIR}/asyncfix-pg")
  set(${out_dir} "${dir}" PARENT_SCOPE)
  get_property(done GLOBAL PROPERTY ASYNCFIX_PG_FIXTURE_DEFINED)
  if(NOT done)
    set_property(GLOBAL PROPERTY ASYNCFIX_PG_FIXTURE_DEFINED TRUE)
    _asyncfix_cli(cli)
    add_test(NAME asyncfix.pg.start COMMAND "${cli}" pg start --shared --dir "${dir}")
    add_test(NAME asyncfix.pg.stop
             COMMAND "${cli}" pg stop --shared --dir "${dir}" --check-clean)
    set_tests_properties(asyncfix.pg.start PROPERTIES
                         FIXTURES_SETUP "asyncfix_pg;asyncfix_redis_pg" TIMEOUT 120
                         LABELS "pg-fixture")
    set_tests_properties(asyncfix.pg.stop PROPERTIES
                         FIXTURES_CLEANUP "asyncfix_pg;asyncfix_redis_pg" TIMEOUT 60
                         LABELS "pg-fixture")
  endif()
endfunction()

function(asyncfix_discover_tests target)
  cmake_parse_arguments(ARG "NO_REDIS;POSTGRES" "TEST_PREFIX;TIMEOUT;LABEL" "PROPERTIES;SERVER_ARGS"
                        ${ARGN})
  # GoogleTest.cmake sets the script gtest_discover_tests() needs in the scope that includes it:
  # included here, it works from any directory (asyncfix added with add_subdirectory/FetchContent).
  include(GoogleTest)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 60)
  endif()
  set(properties TIMEOUT ${ARG_TIMEOUT})
  if(ARG_LABEL)
    list(APPEND properties LABELS "${ARG_LABEL}")
  endif()
  if(NOT ARG_NO_REDIS OR ARG_POSTGRES)
    # In a build that contains asyncfix (add_subdirectory, FetchContent), building the tests builds
    # the CLI their fixture runs, also when asyncfix was added with EXCLUDE_FROM_ALL.
    if(TARGET asyncfix::cli)
      get_target_property(cli_imported asyncfix::cli IMPORTED)
      get_target_property(cli_target asyncfix::cli ALIASED_TARGET)
      if(NOT cli_imported AND cli_target)
        add_dependencies(${target} ${cli_target})
      endif()
    endif()
  endif()
  if(NOT ARG_NO_REDIS)
    _asyncfix_redis_fixture(dir "${ARG_SERVER_ARGS}")
    list(APPEND properties ENVIRONMENT "ASYNCFIX_REDIS_URL_FILE=${dir}/url")
  endif()
  if(ARG_POSTGRES)
    _asyncfix_pg_fixture(pg_dir)
    list(APPEND properties ENVIRONMENT_MODIFICATION "ASYNCFIX_PG_URL_FILE=set:${pg_dir}/url")
  endif()
  if(ARG_POSTGRES AND NOT ARG_NO_REDIS)
    list(APPEND properties FIXTURES_REQUIRED asyncfix_redis_pg)
  elseif(ARG_POSTGRES)
    list(APPEND properties FIXTURES_REQUIRED asyncfix_pg)
  elseif(NOT ARG_NO_REDIS)
    list(APPEND properties FIXTURES_REQUIRED asyncfix_redis)
  endif()
  gtest_discover_tests(${target} TEST_PREFIX "${ARG_TEST_PREFIX}" DISCOVERY_MODE PRE_TEST
                       PROPERTIES ${properties} ${ARG_PROPERTIES} ${ARG_UNPARSED_ARGUMENTS})
endfunction()
