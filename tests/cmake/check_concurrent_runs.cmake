# Runs two ctest invocations of one build tree at once (a pipeline runs its commands together):
# both must pass, and the last one to finish must stop the server.
# cmake -DSOURCE_DIR=<checkout> -DBUILD=<dir> -DCLI=<asyncfix> -DCTEST=<ctest> -P check_concurrent_runs.cmake
file(REMOVE_RECURSE "${BUILD}")
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/tests/cmake/concurrent_runs"
                        -B "${BUILD}" "-DASYNCFIX_SOURCE_DIR=${SOURCE_DIR}" "-DASYNCFIX_CLI=${CLI}"
                RESULT_VARIABLE configured OUTPUT_QUIET)
if(NOT configured EQUAL 0)
  message(FATAL_ERROR "configuring the concurrent-runs project failed")
endif()
# The first run is quiet (its log goes to a file): nothing of it may reach the second's stdin.
execute_process(COMMAND "${CTEST}" --test-dir "${BUILD}" -R long -Q --output-log "${BUILD}/long.log"
                COMMAND "${CTEST}" --test-dir "${BUILD}" -R short --output-on-failure
                RESULTS_VARIABLE results OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT results STREQUAL "0;0")
  file(READ "${BUILD}/long.log" long_log)
  message(FATAL_ERROR "two ctest runs at once: exit codes ${results} (expected 0;0)\n"
                      "the long run:\n${long_log}\nthe short run:\n${output}")
endif()
execute_process(COMMAND "${CLI}" redis status --dir "${BUILD}/asyncfix-redis"
                RESULT_VARIABLE left OUTPUT_VARIABLE status)
if(left EQUAL 0)
  execute_process(COMMAND "${CLI}" redis stop --dir "${BUILD}/asyncfix-redis")
  message(FATAL_ERROR "the server outlived both runs: ${status}")
endif()
message(STATUS "both runs passed; the server stopped with the last one")
