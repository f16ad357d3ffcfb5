# CMake toolchain file: cross-compile for 64-bit Windows with Debian's
# mingw-w64 (x86_64-w64-mingw32) and run the results under Wine.
#
#   scripts/bootstrap.sh     # once per machine: toolchains + static deps
#   cmake -S . -B build-mingw -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake
#   cmake --build build-mingw && ctest --test-dir build-mingw
#
# Dependencies: scripts/bootstrap.sh cross-builds jansson and cmocka (the
# versions of the native libjansson-dev / libcmocka-dev) as static libraries
# into <repo>/.cache/mingw-deps/x86_64-w64-mingw32:
#   include/jansson.h include/jansson_config.h include/cmocka.h
#   lib/libjansson.a lib/libcmocka.a            (no DLLs)
#   lib/cmake/jansson/janssonConfig.cmake       find_package(jansson CONFIG)
#                                               -> imported target jansson::jansson
#   lib/cmake/cmocka/cmocka-config.cmake        find_package(cmocka CONFIG)
#                                               -> variables CMOCKA_INCLUDE_DIR,
#                                                  CMOCKA_LIBRARIES (no target,
#                                                  same as Debian's native 1.1.5)
#   lib/pkgconfig/jansson.pc lib/pkgconfig/cmocka.pc
# Consumers need no define for either static library on Windows: neither
# header uses __declspec(dllimport) (cmocka 1.1.5 has no CMOCKA_STATIC;
# jansson_config.h defines JANSSON_USING_CMAKE itself).
#
# Tests run through scripts/wine-run.sh (CMAKE_CROSSCOMPILING_EMULATOR), so
# add_test() and ctest work unchanged.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(HCSKIT_MINGW_TRIPLET x86_64-w64-mingw32)

# One thread model throughout: the win32 one (no libwinpthread) when Debian
# ships it, else whatever the plain driver is.
find_program(HCSKIT_MINGW_GCC
	NAMES ${HCSKIT_MINGW_TRIPLET}-gcc-win32 ${HCSKIT_MINGW_TRIPLET}-gcc
	NO_CMAKE_FIND_ROOT_PATH)
if(NOT HCSKIT_MINGW_GCC)
	message(FATAL_ERROR "${HCSKIT_MINGW_TRIPLET}-gcc not found: install mingw-w64 (scripts/bootstrap.sh)")
endif()
if(HCSKIT_MINGW_GCC MATCHES "-win32$")
	set(_hcskit_mingw_variant "-win32")
else()
	set(_hcskit_mingw_variant "")
endif()

set(CMAKE_C_COMPILER ${HCSKIT_MINGW_TRIPLET}-gcc${_hcskit_mingw_variant})
set(CMAKE_CXX_COMPILER ${HCSKIT_MINGW_TRIPLET}-g++${_hcskit_mingw_variant})
set(CMAKE_RC_COMPILER ${HCSKIT_MINGW_TRIPLET}-windres)
# Spelled out: CMake cannot derive the binutils prefix from "gcc-win32".
set(CMAKE_AR ${HCSKIT_MINGW_TRIPLET}-ar CACHE FILEPATH "Archiver")
set(CMAKE_RANLIB ${HCSKIT_MINGW_TRIPLET}-ranlib CACHE FILEPATH "Ranlib")

# Executables and DLLs must not need libgcc/libstdc++ DLLs under Wine.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++")

# Prefix of the cross-built dependencies, relative to this file.
get_filename_component(HCSKIT_MINGW_DEPS_PREFIX
	"${CMAKE_CURRENT_LIST_DIR}/../.cache/mingw-deps/${HCSKIT_MINGW_TRIPLET}" ABSOLUTE)

# The prefixes named in CMAKE_PREFIX_PATH (an unpacked hcskit zip, say)
# hold Windows builds: as roots of their own they are searched as they are,
# not only under the other roots.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/${HCSKIT_MINGW_TRIPLET} "${HCSKIT_MINGW_DEPS_PREFIX}" ${CMAKE_PREFIX_PATH})
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
list(APPEND CMAKE_PREFIX_PATH "${HCSKIT_MINGW_DEPS_PREFIX}")
list(REMOVE_DUPLICATES CMAKE_PREFIX_PATH)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config (FindPkgConfig) sees the Windows .pc files only, never the
# host's.
set(ENV{PKG_CONFIG_LIBDIR} "${HCSKIT_MINGW_DEPS_PREFIX}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

get_filename_component(_hcskit_wine_run "${CMAKE_CURRENT_LIST_DIR}/../scripts/wine-run.sh" ABSOLUTE)
set(CMAKE_CROSSCOMPILING_EMULATOR "${_hcskit_wine_run}")
