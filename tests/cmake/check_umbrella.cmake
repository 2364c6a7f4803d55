# Fails when a public header is missing from the umbrella asyncfix/asyncfix.hpp (Redis's may be in
# asyncfix/redis/redis.hpp, which the umbrella includes; the optional PostgreSQL component's must be
# in its own asyncfix/pg/pg.hpp, which the umbrella does not include), naming each one, or when the umbrella
# lists its layers out of order. Not listed: detail/ and impl/ (included by the headers that need
# them), loop/handler_tracking.hpp and loop/await_site.hpp (Asio includes them itself in a tracked
# build) and the old root paths kept as one-line forwarders.
# Run: cmake -DSOURCE_DIR=<checkout> -P check_umbrella.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_umbrella.cmake: pass -DSOURCE_DIR=<the asyncfix checkout>")
endif()

file(READ "${SOURCE_DIR}/include/asyncfix/asyncfix.hpp" umbrella)
file(READ "${SOURCE_DIR}/include/asyncfix/redis/redis.hpp" redis_umbrella)
string(APPEND umbrella "${redis_umbrella}")
file(READ "${SOURCE_DIR}/include/asyncfix/pg/pg.hpp" pg_umbrella)
file(GLOB_RECURSE headers RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/asyncfix/*.hpp")
set(missing "")
set(listed 0)
foreach(header IN LISTS headers)
  if(header MATCHES "/(detail|impl)/" OR
     header MATCHES "^asyncfix/(asyncfix|loop/handler_tracking|loop/await_site|redis/redis|pg/pg)\\.hpp$" OR
     (header MATCHES "^asyncfix/[^/]+$" AND NOT header STREQUAL "asyncfix/install.hpp"))
    continue()
  endif()
  if(header MATCHES "^asyncfix/pg/")
    string(FIND "${pg_umbrella}" "#include <${header}>" at)
  else()
    string(FIND "${umbrella}" "#include <${header}>" at)
  endif()
  if(at EQUAL -1)
    string(APPEND missing "\n  ${header}")
  else()
    math(EXPR listed "${listed} + 1")
  endif()
endforeach()
# Layer order: each include's folder is at or after the one before it.
set(layers loop affinity lazy testing redis fault root)
file(STRINGS "${SOURCE_DIR}/include/asyncfix/asyncfix.hpp" lines REGEX "^#include <asyncfix/")
set(previous -1)
foreach(line IN LISTS lines)
  set(layer root)
  if(line MATCHES "^#include <asyncfix/([^/>]+)/")
    set(layer "${CMAKE_MATCH_1}")
  endif()
  list(FIND layers "${layer}" rank)
  if(rank LESS previous)
    string(APPEND missing "\n  out of layer order: '${line}'")
  endif()
  set(previous ${rank})
endforeach()
if(NOT missing STREQUAL "")
  message(FATAL_ERROR "umbrella: asyncfix/asyncfix.hpp misses or misorders public headers:${missing}")
endif()
message(STATUS "umbrella: ${listed} public headers listed")
