# Fails when a public header is missing from the umbrella asyncfix/asyncfix.hpp (Redis's may be in
# asyncfix/redis/redis.hpp, which the umbrella includes), naming each one. Not listed: detail/ and
# impl/ (included by the headers that need them) and handler_tracking.hpp (Asio includes it itself
# in a tracked build).
# Run: cmake -DSOURCE_DIR=<checkout> -P check_umbrella.cmake
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_umbrella.cmake: pass -DSOURCE_DIR=<the asyncfix checkout>")
endif()

file(READ "${SOURCE_DIR}/include/asyncfix/asyncfix.hpp" umbrella)
file(READ "${SOURCE_DIR}/include/asyncfix/redis/redis.hpp" redis_umbrella)
string(APPEND umbrella "${redis_umbrella}")
file(GLOB_RECURSE headers RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/asyncfix/*.hpp")
set(missing "")
set(listed 0)
foreach(header IN LISTS headers)
  if(header MATCHES "^asyncfix/(detail|impl)/" OR
     header MATCHES "^asyncfix/(asyncfix|handler_tracking|redis/redis)\\.hpp$")
    continue()
  endif()
  string(FIND "${umbrella}" "#include <${header}>" at)
  if(at EQUAL -1)
    string(APPEND missing "\n  ${header}")
  else()
    math(EXPR listed "${listed} + 1")
  endif()
endforeach()
if(NOT missing STREQUAL "")
  message(FATAL_ERROR "umbrella: public headers missing from asyncfix/asyncfix.hpp:${missing}")
endif()
message(STATUS "umbrella: ${listed} public headers listed")
