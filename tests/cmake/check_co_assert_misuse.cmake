# ASSERT_* directly in a coroutine body is a compile error naming the CO_ form
# (asyncfix/detail/co_assert_misuse.hpp), while the allowed uses still compile.
# Run: cmake -DCXX=<compiler> -DINCLUDE=<asyncfix include dir> -DDIR=<this dir>/co_assert_misuse
#            -P check_co_assert_misuse.cmake
foreach(var CXX INCLUDE DIR)
  if(NOT ${var})
    message(FATAL_ERROR "check_co_assert_misuse.cmake: pass -D${var}=...")
  endif()
endforeach()

function(compile file out_result out_output)
  execute_process(COMMAND "${CXX}" -std=c++20 -fsyntax-only -I "${INCLUDE}" "${DIR}/${file}"
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  set(${out_result} "${result}" PARENT_SCOPE)
  set(${out_output} "${output}" PARENT_SCOPE)
endfunction()

compile(allowed.cpp result output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "allowed.cpp did not compile:\n${output}")
endif()

compile(misuse.cpp result output)
if(result EQUAL 0)
  message(FATAL_ERROR "misuse.cpp compiled: ASSERT_EQ in a coroutine body must be an error")
endif()
set(expected "use CO_ASSERT_\\*, CO_FAIL\\(\\) or CO_SKIP\\(\\) there")
if(NOT output MATCHES "${expected}")
  message(FATAL_ERROR "misuse.cpp failed without naming the CO_ form:\n${output}")
endif()
if(NOT output MATCHES "misuse.cpp:5")
  message(FATAL_ERROR "the error does not point at the ASSERT_EQ line (misuse.cpp:5):\n${output}")
endif()
message(STATUS "ASSERT_EQ in a body: a compile error naming CO_ASSERT_*; allowed uses compile")
