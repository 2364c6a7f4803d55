# Finds hiredis (0.14 ships no imported target) and defines the imported target hiredis::hiredis.
include_guard(GLOBAL)
if(NOT TARGET hiredis::hiredis)
  find_path(ASYNCFIX_HIREDIS_INCLUDE_DIR hiredis/async.h)
  find_library(ASYNCFIX_HIREDIS_LIBRARY NAMES hiredis)
  if(NOT ASYNCFIX_HIREDIS_INCLUDE_DIR OR NOT ASYNCFIX_HIREDIS_LIBRARY)
    message(FATAL_ERROR "asyncfix: hiredis not found (install libhiredis-dev)")
  endif()
  add_library(hiredis::hiredis UNKNOWN IMPORTED)
  set_target_properties(hiredis::hiredis PROPERTIES
    IMPORTED_LOCATION "${ASYNCFIX_HIREDIS_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${ASYNCFIX_HIREDIS_INCLUDE_DIR}")
endif()
