# Builds README's example with nothing but `pkg-config --cflags --libs asyncfix` against the install
# tree, then runs it (against the embedded redis-server).
# cmake -DPREFIX=<install> -DEXAMPLE=<readme_example_test.cpp> -DWORK=<dir> -DCXX=<c++> -P ...
file(GLOB pc_files "${PREFIX}/lib*/pkgconfig/asyncfix.pc" "${PREFIX}/lib/*/pkgconfig/asyncfix.pc")
if(NOT pc_files)
  message(FATAL_ERROR "no asyncfix.pc under ${PREFIX}")
endif()
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir "${pc_file}" DIRECTORY)
execute_process(COMMAND "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${pc_dir}"
                        pkg-config --cflags --libs asyncfix
                RESULT_VARIABLE found OUTPUT_VARIABLE flags ERROR_VARIABLE why
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT found EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags --libs asyncfix failed: ${why}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${CXX}" "${EXAMPLE}" -o "${WORK}/readme_example" ${flags}
                RESULT_VARIABLE built ERROR_VARIABLE errors)
if(NOT built EQUAL 0)
  message(FATAL_ERROR "building with pkg-config's flags (${flags}) failed:\n${errors}")
endif()
execute_process(COMMAND "${WORK}/readme_example" RESULT_VARIABLE ran OUTPUT_VARIABLE output
                ERROR_VARIABLE output)
if(NOT ran EQUAL 0)
  message(FATAL_ERROR "the pkg-config build failed its test:\n${output}")
endif()
message(STATUS "built and passed with: ${flags}")
