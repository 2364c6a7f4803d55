# Installs asyncfix::fixture and asyncfix::main (and their tracked builds) with a relocatable package config.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ASYNCFIX_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/asyncfix" CACHE STRING
    "Where asyncfix's CMake package files are installed")

set(asyncfix_installed_targets asyncfix_fixture asyncfix_main)
if(TARGET asyncfix_fixture_tracked)
  list(APPEND asyncfix_installed_targets asyncfix_handler_tracking asyncfix_fixture_tracked
                                         asyncfix_main_tracked)
endif()
if(TARGET asyncfix_cli)
  list(APPEND asyncfix_installed_targets asyncfix_cli)  # imported as asyncfix::cli
endif()
install(TARGETS ${asyncfix_installed_targets} EXPORT asyncfixTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/asyncfix DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES LICENSE CHANGELOG.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The demo's two suites, where `asyncfix demo` looks for them in an install (../libexec/asyncfix).
foreach(demo_suite asyncfix_agent_tests asyncfix_samples)
  if(TARGET ${demo_suite})
    install(TARGETS ${demo_suite} RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/asyncfix)
  endif()
endforeach()
install(EXPORT asyncfixTargets NAMESPACE asyncfix:: DESTINATION ${ASYNCFIX_CMAKE_DIR})
export(EXPORT asyncfixTargets NAMESPACE asyncfix::
       FILE "${PROJECT_BINARY_DIR}/asyncfixTargets.cmake")
# The optional PostgreSQL component (find_package(asyncfix COMPONENTS postgres)): its own export
# set, so that a Redis-only consumer never needs libpq.
if(TARGET asyncfix_pg)
  install(TARGETS asyncfix_pg EXPORT asyncfixPgTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(EXPORT asyncfixPgTargets NAMESPACE asyncfix:: DESTINATION ${ASYNCFIX_CMAKE_DIR})
  export(EXPORT asyncfixPgTargets NAMESPACE asyncfix::
         FILE "${PROJECT_BINARY_DIR}/asyncfixPgTargets.cmake")
endif()

configure_package_config_file(cmake/asyncfixConfig.cmake.in
  "${PROJECT_BINARY_DIR}/asyncfixConfig.cmake" INSTALL_DESTINATION ${ASYNCFIX_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/asyncfixConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/asyncfixConfig.cmake"
              "${PROJECT_BINARY_DIR}/asyncfixConfigVersion.cmake"
              cmake/asyncfixFindHiredis.cmake cmake/asyncfixDiscoverTests.cmake
              cmake/asyncfixTrackHandlers.cmake
        DESTINATION ${ASYNCFIX_CMAKE_DIR})

# pkg-config for builds without CMake; relocatable (the prefix is found from the .pc file's place).
file(RELATIVE_PATH ASYNCFIX_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" ASYNCFIX_PC_TO_PREFIX "${ASYNCFIX_PC_TO_PREFIX}")
configure_file(cmake/asyncfix.pc.in "${PROJECT_BINARY_DIR}/asyncfix.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/asyncfix.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
