# check_layering.cmake catches a planted breaking include in each zone it covers, and passes the
# same tree without it. Each case is a small tree in a temporary directory: the check must fail
# naming the planted file and the rule it breaks.
# Run: cmake -DCHECK=<check_layering.cmake> -DWORK_DIR=<scratch> -P check_layering_catches.cmake
cmake_minimum_required(VERSION 3.25)

function(write path text)
  file(WRITE "${tree}/${path}" "${text}\n")
endfunction()

# A tree whose every zone has one allowed include.
function(make_clean_tree)
  file(REMOVE_RECURSE "${tree}")
  write(include/asyncfix/loop/test_loop.hpp "#pragma once")
  write(include/asyncfix/redis/redis_manager.hpp "#include <asyncfix/loop/test_loop.hpp>")
  write(fixture/support/env.hpp "#pragma once")
  write(fixture/testing/async_test.cpp "#include <asyncfix/loop/test_loop.hpp>\n#include \"support/env.hpp\"")
  write(fixture/redis/pending_command.hpp "#include <asyncfix/redis/redis_manager.hpp>")
  write(tools/cli/main.cpp "#include <asyncfix/redis/redis_manager.hpp>\n#include \"support/env.hpp\"")
  write(tests/common/asyncfix_test/harness.hpp "#include \"redis/pending_command.hpp\"")
  write(tests/unit/a_test.cpp "#include <asyncfix_test/harness.hpp>\n#include \"cli/main.cpp\"")
  write(tests/integration/b_test.cpp "#include \"redis/pending_command.hpp\"")
  write(samples/sample_test.cpp "#include <asyncfix/redis/redis_manager.hpp>")
endfunction()

function(expect_result case expected_text)
  execute_process(COMMAND "${CMAKE_COMMAND}" -DSOURCE_DIR=${tree} -P "${CHECK}"
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(expected_text STREQUAL "")
    if(NOT code EQUAL 0)
      message(FATAL_ERROR "${case}: the clean tree failed the check:\n${out}${err}")
    endif()
  else()
    if(code EQUAL 0)
      message(FATAL_ERROR "${case}: a planted include passed the check:\n${out}${err}")
    endif()
    string(FIND "${err}" "${expected_text}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${case}: the check failed without naming '${expected_text}':\n${err}")
    endif()
  endif()
endfunction()

set(tree "${WORK_DIR}/layering-tree")
make_clean_tree()
expect_result(clean "")

set(cases
    "fixture/testing/bad.cpp|#include <asyncfix/redis/redis_manager.hpp>|fixture/testing/bad.cpp (testing) includes include/asyncfix/redis/redis_manager.hpp (redis)"
    "include/asyncfix/loop/bad.hpp|#include \"redis/pending_command.hpp\"|a library layer includes only its own layer and those below"
    "fixture/nolayer/x.cpp|#include <asyncfix/loop/test_loop.hpp>|fixture/nolayer/x.cpp: its folder is no layer"
    "tools/cli/bad.cpp|#include \"redis/pending_command.hpp\"|tools include public headers, fixture/support/ and tools/ only"
    "samples/bad_test.cpp|#include \"support/env.hpp\"|samples include public headers only"
    "tests/common/asyncfix_test/bad.hpp|#include \"../../unit/a_test.cpp\"|tests/common includes the library and itself only"
    "tests/unit/bad_test.cpp|#include \"../integration/b_test.cpp\"|a test suite includes the library, tests/common/, its own folder and tools/cli/")
foreach(case IN LISTS cases)
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 path)
  list(GET parts 1 line)
  list(GET parts 2 expected)
  make_clean_tree()
  write("${path}" "${line}")
  expect_result("${path}" "${expected}")
endforeach()
file(REMOVE_RECURSE "${tree}")
list(LENGTH cases count)
message(STATUS "layering: all ${count} planted includes caught; the clean tree passes")
