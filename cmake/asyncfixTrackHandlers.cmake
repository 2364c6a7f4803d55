# asyncfix_track_handlers(target...)
#
# Builds each target with asyncfix's Asio handler tracking (asyncfix/handler_tracking.hpp): a test
# loop that starts an operation on another io_context's object fails at once with a LoopMismatch
# naming the line, and deadline and leak reports list the pending operations with their lines.
#
# Call it after target_link_libraries(). It swaps asyncfix::fixture / asyncfix::main for their
# tracked builds (asyncfix::fixture_tracked / asyncfix::main_tracked); a target that does not link
# asyncfix (a library of yours that includes Asio) just gets the tracking compile definitions.
# Tracking changes the layout of every Asio operation, so every target of a binary whose code
# includes Asio must be tracked, or none: give them all to this function.
include_guard(GLOBAL)

# The tracked name of one link item, or the item unchanged ("$<LINK_ONLY:...>" items included).
function(_asyncfix_tracked_item item out)
  string(REGEX REPLACE "(^|:)(asyncfix::|asyncfix_)(fixture|main)(>|$)" "\\1asyncfix::\\3_tracked\\4"
         tracked "${item}")
  set(${out} "${tracked}" PARENT_SCOPE)
endfunction()

function(asyncfix_track_handlers)
  if(NOT TARGET asyncfix::fixture_tracked)
    message(FATAL_ERROR "asyncfix_track_handlers(${ARGV}): this asyncfix was built without its "
                        "tracked variant; configure asyncfix with -DASYNCFIX_BUILD_TRACKED=ON")
  endif()
  foreach(target IN LISTS ARGV)
    if(NOT TARGET ${target})
      message(FATAL_ERROR "asyncfix_track_handlers: '${target}' is not a target")
    endif()
    set(swapped FALSE)
    foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
      get_target_property(items ${target} ${property})
      if(NOT items)
        continue()
      endif()
      set(result "")
      foreach(item IN LISTS items)
        _asyncfix_tracked_item("${item}" tracked)
        if(NOT tracked STREQUAL item)
          set(swapped TRUE)
        endif()
        list(APPEND result "${tracked}")
      endforeach()
      set_property(TARGET ${target} PROPERTY ${property} "${result}")
    endforeach()
    if(NOT swapped)
      get_target_property(type ${target} TYPE)
      if(NOT type STREQUAL "INTERFACE_LIBRARY")
        set_property(TARGET ${target} APPEND PROPERTY LINK_LIBRARIES asyncfix::handler_tracking)
      endif()
      set_property(TARGET ${target} APPEND PROPERTY INTERFACE_LINK_LIBRARIES
                                                   asyncfix::handler_tracking)
    endif()
  endforeach()
endfunction()
