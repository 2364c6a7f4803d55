# Fails when a file includes one it may not, naming the file, the layers and the include line. The
# layer of a library file is its folder (docs/architecture.md), lowest first:
#   support < loop < affinity < lazy < testing < redis < fault < pg < root
# include/asyncfix/<layer>/ and fixture/<layer>/ hold a layer; a file directly in include/asyncfix/
# or fixture/ is the root (install, the umbrella, main, and the old paths kept as forwarders).
# A library file includes only its own layer and those below. Beyond the library:
#   tools/         public headers, fixture/support/ and tools/ itself
#   samples/       public headers and samples/ itself: what a user can write
#   tests/common/  the library and tests/common/ itself
#   tests/<suite>/ the library, tests/common/, its own folder, and tools/cli/ (the CLI's parts
#                  under test); never another suite's folder or a sample
# Run: cmake -DSOURCE_DIR=<checkout> -P check_layering.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_layering.cmake: pass -DSOURCE_DIR=<the asyncfix checkout>")
endif()

set(layers support loop affinity lazy testing redis fault pg root)

# Library-internal headers the CLI includes, and why: the CLI is the library's own front end, and
# these make it say exactly what the library says, with no public API test authors would never
# call. The blocking client (`asyncfix redis stop|status`: the server must be asked to stop with no
# loop), the server-argument check (`asyncfix redis start -- ARGS` refuses what RedisServer
# refuses, naming the command line) and the host lookup (`--redis` names an unresolvable host
# before any cell runs). Any other internal header is refused.
set(tools_internal_allowed
    fixture/redis/sync_client.hpp fixture/redis/server_args.hpp fixture/redis/host_lookup.hpp)

# The library layer of a path relative to SOURCE_DIR, from its folder; "" outside the library, and
# "unknown" for a library folder that is no layer.
function(layer_of path out)
  set(layer "")
  if(path MATCHES "^(include/asyncfix|fixture)/([^/]+)/")
    set(layer "${CMAKE_MATCH_2}")
    list(FIND layers "${layer}" rank)
    if(rank EQUAL -1 OR layer STREQUAL "root")
      set(layer unknown)
    endif()
  elseif(path MATCHES "^(include/asyncfix|fixture)/[^/]+$")
    set(layer root)
  endif()
  set(${out} "${layer}" PARENT_SCOPE)
endfunction()

# The zone of any checked file: a library layer, tools, samples, tests/common or tests/<suite>.
function(zone_of path out)
  layer_of("${path}" zone)
  if(zone STREQUAL "")
    if(path MATCHES "^tools/")
      set(zone tools)
    elseif(path MATCHES "^samples/")
      set(zone samples)
    elseif(path MATCHES "^tests/([^/]+)/")
      set(zone "tests/${CMAKE_MATCH_1}")
    endif()
  endif()
  set(${out} "${zone}" PARENT_SCOPE)
endfunction()

# Sets <out> to "" when a file of `zone` may include `target`, else to the rule it breaks.
function(refusal zone target out)
  zone_of("${target}" to)
  list(FIND layers "${zone}" from_rank)
  list(FIND layers "${to}" to_rank)
  set(why "")
  if(NOT from_rank EQUAL -1)
    if(to_rank EQUAL -1 OR to_rank GREATER from_rank)
      set(why "a library layer includes only its own layer and those below")
    endif()
  elseif(zone STREQUAL "tools")
    list(FIND tools_internal_allowed "${target}" allowed)
    if(NOT (target MATCHES "^include/asyncfix/" OR to STREQUAL "support" OR to STREQUAL "tools" OR
            allowed GREATER -1))
      set(why "tools include public headers, fixture/support/ and tools/ only")
    endif()
  elseif(zone STREQUAL "samples")
    if(NOT (target MATCHES "^include/asyncfix/" OR to STREQUAL "samples"))
      set(why "samples include public headers only")
    endif()
  elseif(zone STREQUAL "tests/common")
    if(to_rank EQUAL -1 AND NOT to STREQUAL "tests/common")
      set(why "tests/common includes the library and itself only")
    endif()
  elseif(zone MATCHES "^tests/")
    if(to_rank EQUAL -1 AND NOT to STREQUAL "tests/common" AND NOT to STREQUAL zone AND
       NOT target MATCHES "^tools/cli/")
      set(why "a test suite includes the library, tests/common/, its own folder and tools/cli/")
    endif()
  endif()
  set(${out} "${why}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE files RELATIVE "${SOURCE_DIR}"
     "${SOURCE_DIR}/include/asyncfix/*.hpp" "${SOURCE_DIR}/fixture/*.hpp"
     "${SOURCE_DIR}/fixture/*.cpp" "${SOURCE_DIR}/tools/*.hpp" "${SOURCE_DIR}/tools/*.cpp"
     "${SOURCE_DIR}/samples/*.hpp" "${SOURCE_DIR}/samples/*.cpp" "${SOURCE_DIR}/tests/*.hpp"
     "${SOURCE_DIR}/tests/*.cpp")
list(FILTER files EXCLUDE REGEX "^tests/cmake/")  # packaging consumers: outside projects

set(violations "")
set(checked 0)
foreach(file IN LISTS files)
  zone_of("${file}" zone)
  if(zone STREQUAL "unknown")
    string(APPEND violations "\n  ${file}: its folder is no layer (${layers})")
    continue()
  endif()
  get_filename_component(dir "${file}" DIRECTORY)
  file(STRINGS "${SOURCE_DIR}/${file}" includes REGEX "^#include [<\"]")
  foreach(line IN LISTS includes)
    set(target "")
    if(line MATCHES "^#include <(asyncfix/[^>]+)>")
      set(target "include/${CMAKE_MATCH_1}")
    elseif(line MATCHES "^#include [<\"](asyncfix_test/[^>\"]+)[>\"]")
      set(target "tests/common/${CMAKE_MATCH_1}")
    elseif(line MATCHES "^#include \"([^\"]+)\"")
      # Quoted: next to the file, else from fixture/ (the library's private include root), else
      # from tools/cli/ (the CLI's, for the CLI and its tests).
      foreach(root IN ITEMS "${dir}" fixture tools/cli)
        if(EXISTS "${SOURCE_DIR}/${root}/${CMAKE_MATCH_1}")
          file(RELATIVE_PATH target "${SOURCE_DIR}" "${SOURCE_DIR}/${root}/${CMAKE_MATCH_1}")
          break()
        endif()
      endforeach()
    endif()
    if(target STREQUAL "")
      continue()
    endif()
    math(EXPR checked "${checked} + 1")
    refusal("${zone}" "${target}" why)
    if(NOT why STREQUAL "")
      zone_of("${target}" target_zone)
      string(APPEND violations
             "\n  ${file} (${zone}) includes ${target} (${target_zone}): '${line}': ${why}")
    endif()
  endforeach()
endforeach()

if(NOT violations STREQUAL "")
  message(FATAL_ERROR "layering: includes that break the layers:${violations}")
endif()
message(STATUS "layering: ${checked} includes checked, none breaks the layers")
