# asyncfix_warnings(target): strict warnings for asyncfix's own targets (never forced on consumers).
include_guard(GLOBAL)
function(asyncfix_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wno-missing-field-initializers)
  if(ASYNCFIX_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
