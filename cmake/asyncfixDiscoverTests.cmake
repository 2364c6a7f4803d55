# asyncfix_discover_tests(target [NO_REDIS] [TEST_PREFIX p] [TIMEOUT s] [LABEL l]
#                         [SERVER_ARGS redis-server options...] [PROPERTIES k v ...])
#
# Wraps gtest_discover_tests(): each gtest case becomes a ctest test carrying LABEL and TIMEOUT
# (default 60 s). One label only (gtest_discover_tests cannot pass a list through); ctest -L takes a
# regex, so a label like "unit-tsan" is selected by both -L unit and -L tsan. Unless NO_REDIS is given, every test also requires the ctest fixture
# `asyncfix_redis`, one private redis-server per ctest run started by `asyncfix redis start` and
# stopped by `asyncfix redis stop`; its URL reaches the tests through ASYNCFIX_REDIS_URL_FILE.
# SERVER_ARGS (e.g. --maxmemory-policy allkeys-lru) are handed to that server after those of
# $ASYNCFIX_REDIS_ARGS; there is one server per build tree, so the calls that give SERVER_ARGS must
# give the same ones (the others may leave them out).
# Set ASYNCFIX_CLI to the asyncfix executable if the target asyncfix::cli does not exist.
include_guard(GLOBAL)
include(GoogleTest)

function(_asyncfix_redis_fixture out_dir server_args)
  set(dir "${CMAKE_BINARY_DIR}/asyncfix-redis")
  set(${out_dir} "${dir}" PARENT_SCOPE)
  get_property(done GLOBAL PROPERTY ASYNCFIX_REDIS_FIXTURE_DEFINED)
  if(NOT done)
    set_property(GLOBAL PROPERTY ASYNCFIX_REDIS_FIXTURE_DEFINED TRUE)
    if(TARGET asyncfix::cli)
      set(cli "$<TARGET_FILE:asyncfix::cli>")
    elseif(ASYNCFIX_CLI)
      set(cli "${ASYNCFIX_CLI}")
    else()
      find_program(ASYNCFIX_CLI asyncfix REQUIRED)
      set(cli "${ASYNCFIX_CLI}")
    endif()
    # The server's arguments are read at generate time, so any call may give them.
    add_custom_target(asyncfix_redis_server_args)
    set(args "$<TARGET_PROPERTY:asyncfix_redis_server_args,ASYNCFIX_SERVER_ARGS>")
    add_test(NAME asyncfix.redis.start
             COMMAND "${cli}" redis start --shared --dir "${dir}" "$<$<BOOL:${args}>:-->"
                     "${args}"
             COMMAND_EXPAND_LISTS)
    add_test(NAME asyncfix.redis.stop
             COMMAND "${cli}" redis stop --shared --dir "${dir}" --check-no-keys)
    set_tests_properties(asyncfix.redis.start PROPERTIES FIXTURES_SETUP asyncfix_redis TIMEOUT 30
                         LABELS "redis-fixture")
    set_tests_properties(asyncfix.redis.stop PROPERTIES FIXTURES_CLEANUP asyncfix_redis TIMEOUT 30
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

function(asyncfix_discover_tests target)
  cmake_parse_arguments(ARG "NO_REDIS" "TEST_PREFIX;TIMEOUT;LABEL" "PROPERTIES;SERVER_ARGS" ${ARGN})
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
  if(NOT ARG_NO_REDIS)
    _asyncfix_redis_fixture(dir "${ARG_SERVER_ARGS}")
    # In a build that contains asyncfix (add_subdirectory, FetchContent), building the tests builds
    # the CLI their fixture runs, also when asyncfix was added with EXCLUDE_FROM_ALL.
    if(TARGET asyncfix::cli)
      get_target_property(cli_imported asyncfix::cli IMPORTED)
      get_target_property(cli_target asyncfix::cli ALIASED_TARGET)
      if(NOT cli_imported AND cli_target)
        add_dependencies(${target} ${cli_target})
      endif()
    endif()
    list(APPEND properties FIXTURES_REQUIRED asyncfix_redis
                           ENVIRONMENT "ASYNCFIX_REDIS_URL_FILE=${dir}/url")
  endif()
  gtest_discover_tests(${target} TEST_PREFIX "${ARG_TEST_PREFIX}" DISCOVERY_MODE PRE_TEST
                       PROPERTIES ${properties} ${ARG_PROPERTIES} ${ARG_UNPARSED_ARGUMENTS})
endfunction()
