# Fails when a ctest name holds gtest's byte dump of a parameter ("16-byte object <3F-D1 ...>"):
# it contains pointer values, so the name changes from build to build and -R, history and filters
# break. Give the parameter a PrintTo() or the suite a name generator.
# Run: cmake -DCTEST=<ctest> -DBUILD_DIR=<build tree> -P check_test_names.cmake
execute_process(COMMAND "${CTEST}" -N WORKING_DIRECTORY "${BUILD_DIR}" OUTPUT_VARIABLE listing
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "test names: ctest -N failed in ${BUILD_DIR}")
endif()
string(REGEX MATCHALL "Test +#[0-9]+: [^\n]*-byte object <[^\n]*" unstable "${listing}")
if(unstable)
  string(REPLACE ";" "\n  " unstable "${unstable}")
  message(FATAL_ERROR "test names: these change from build to build (a parameter printed as bytes):\n  ${unstable}")
endif()
string(REGEX MATCHALL "Test +#[0-9]+:" all "${listing}")
list(LENGTH all count)
message(STATUS "test names: ${count} names, none printed from a parameter's bytes")
