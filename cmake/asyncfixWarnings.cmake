# asyncfix_warnings(target): strict warnings for asyncfix's own targets (never forced on consumers).
include_guard(GLOBAL)
function(asyncfix_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wno-missing-field-initializers)
  # In a unity build each .cpp is an included file, and g++ 12 then flags every coroutine frame that
  # holds a type of internal linkage (-Wsubobject-linkage). Nothing has two definitions there.
  if(CMAKE_UNITY_BUILD)
    target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
  endif()
  if(ASYNCFIX_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
