# jansson (JSON) and cmocka (tests). Natively they come from Debian's -dev
# packages; for the Windows build, scripts/bootstrap.sh cross-builds them as
# static libraries into .cache/mingw-deps, which the toolchain file points
# pkg-config at.
find_package(PkgConfig REQUIRED)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
if(NOT WIN32)
  # Here, not where first used, so every directory sees Threads::Threads.
  find_package(Threads REQUIRED)
endif()
if(HCSKIT_TESTS)
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
endif()
