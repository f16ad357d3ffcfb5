# CMake toolchain file: cross-compile for 64-bit Windows with Debian's
# mingw-w64 (x86_64-w64-mingw32), run the results under Wine.
#
#   cmake -S . -B build-mingw -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake
#
# Dependencies (static jansson and cmocka) are cross-built by
# scripts/bootstrap.sh into <repo>/.cache/mingw-deps/x86_64-w64-mingw32 and
# found from there with find_package() / pkg-config:
#   find_package(jansson CONFIG REQUIRED)   -> target jansson::jansson
#   find_package(cmocka CONFIG REQUIRED)    -> ${CMOCKA_LIBRARIES} / ${CMOCKA_INCLUDE_DIR}
#   pkg-config: jansson, cmocka
# Neither static library needs a define in its consumers on Windows (see
# cmake/mingw-deps.txt).
#
# Tests run through scripts/wine-run.sh (CMAKE_CROSSCOMPILING_EMULATOR), so
# ctest and add_test() work unchanged.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(HCSKIT_MINGW_TRIPLET x86_64-w64-mingw32)

# Use one thread model throughout: the win32 one (no libwinpthread) when
# Debian ships it, else whatever the plain driver is.
find_program(HCSKIT_MINGW_GCC NAMES ${HCSKIT_MINGW_TRIPLET}-gcc-win32 ${HCSKIT_MINGW_TRIPLET}-gcc
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
set(CMAKE_AR ${HCSKIT_MINGW_TRIPLET}-ar CACHE FILEPATH "archiver")
set(CMAKE_RANLIB ${HCSKIT_MINGW_TRIPLET}-ranlib CACHE FILEPATH "ranlib")

# Prefix of the cross-built dependencies, relative to this file.
get_filename_component(HCSKIT_MINGW_DEPS_PREFIX
	"${CMAKE_CURRENT_LIST_DIR}/../.cache/mingw-deps/${HCSKIT_MINGW_TRIPLET}" ABSOLUTE)

list(APPEND CMAKE_FIND_ROOT_PATH /usr/${HCSKIT_MINGW_TRIPLET} "${HCSKIT_MINGW_DEPS_PREFIX}")
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
list(APPEND CMAKE_PREFIX_PATH "${HCSKIT_MINGW_DEPS_PREFIX}")
list(REMOVE_DUPLICATES CMAKE_PREFIX_PATH)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config (FindPkgConfig) must see the Windows .pc files only, never the
# host's.
set(ENV{PKG_CONFIG_LIBDIR} "${HCSKIT_MINGW_DEPS_PREFIX}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

get_filename_component(_hcskit_wine_run "${CMAKE_CURRENT_LIST_DIR}/../scripts/wine-run.sh" ABSOLUTE)
set(CMAKE_CROSSCOMPILING_EMULATOR "${_hcskit_wine_run}")
