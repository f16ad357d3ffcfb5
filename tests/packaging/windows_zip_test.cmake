# The Windows package as make dist-windows makes it: zips the installation
# of the Windows build in BUILD_DIR (cmake/dist.cmake), unpacks the zip into
# a fresh directory, checks what is in it, then builds the outside program
# (tests/packaging/outside) against the unpacked tree the two ways README
# shows, pkg-config and find_package(hcskit), each with the DLLs and with
# the static libraries, and runs every program under Wine on hcssim.dll.
#
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=<tests/packaging> -DWORK_DIR=... -DCC=<mingw gcc>
#         -DTOOLCHAIN=<cmake/mingw-w64.cmake> -DEMULATOR=<scripts/wine-run.sh>
#         -DOBJDUMP=<mingw objdump> -DVERSION=1.0.0 -P windows_zip_test.cmake
cmake_minimum_required(VERSION 3.22)
set(name hcskit-${VERSION}-win64)
set(prefix ${WORK_DIR}/unzipped/${name})
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/unzipped)

include(${CMAKE_CURRENT_LIST_DIR}/package_test_run.cmake)

# The DLLs a program or DLL of the package imports.
function(imports var file)
  run("objdump" ${OBJDUMP} -p ${file})
  string(REGEX MATCHALL "DLL Name: [^\n]+" names "${out}")
  list(TRANSFORM names REPLACE "^DLL Name: " "")
  set(${var} ${names} PARENT_SCOPE)
endfunction()

# A program runs as a user runs it: the package's DLLs beside it, hcssim.dll
# as the provider (README), under Wine. It must not need hcs.dll if `static`.
function(check_program exe)
  cmake_parse_arguments(C "STATIC" "" "" ${ARGN})
  imports(dlls ${exe})
  if(C_STATIC AND "hcs.dll" IN_LIST dlls)
    message(FATAL_ERROR "${exe} should have libhcs linked in, but imports hcs.dll")
  endif()
  get_filename_component(dir ${exe} DIRECTORY)
  file(GLOB package_dlls ${prefix}/bin/*.dll)
  file(COPY ${package_dlls} DESTINATION ${dir})
  run("${exe}" ${CMAKE_COMMAND} -E env HCS_PROVIDER=hcssim.dll ${EMULATOR} ${exe})
  if(NOT out MATCHES "hcskit ${VERSION}\r?\n" OR NOT out MATCHES "container started")
    message(FATAL_ERROR "${exe} printed:\n${out}")
  endif()
endfunction()

# The zip, made as make dist-windows makes it, unpacked elsewhere.
run("dist.cmake" ${CMAKE_COMMAND} -DBUILD_DIR=${BUILD_DIR} -DOUT_DIR=${WORK_DIR}/dist
  -P ${SOURCE_DIR}/../../cmake/dist.cmake)
if(NOT EXISTS ${WORK_DIR}/dist/${name}.zip)
  message(FATAL_ERROR "dist.cmake made no ${name}.zip:\n${out}")
endif()
run("cmake -E tar xf" ${CMAKE_COMMAND} -E chdir ${WORK_DIR}/unzipped ${CMAKE_COMMAND} -E tar xf
  ${WORK_DIR}/dist/${name}.zip)
file(GLOB top RELATIVE ${WORK_DIR}/unzipped ${WORK_DIR}/unzipped/*)
if(NOT top STREQUAL name)
  message(FATAL_ERROR "the zip should hold one directory, ${name}; it holds: ${top}")
endif()
# Unpacked, not in the place it was staged.
file(REMOVE_RECURSE ${WORK_DIR}/dist/stage)

# Only what a user needs: no private headers, tests, fixtures or import
# libraries of the older builds' simulators.
file(GLOB_RECURSE packaged RELATIVE ${prefix} LIST_DIRECTORIES false ${prefix}/*)
foreach(f ${packaged})
  if(NOT f MATCHES "^(bin/(hcs|hcssim(-[0-9A-Z]+)?|hcssim-(client|storage|network))\\.dll|bin/hcs(ctl|simd)\\.exe|lib/libhcs(sim)?\\.(dll\\.)?a|lib/libhcssim-client\\.dll\\.a|lib/pkgconfig/hcs(sim)?\\.pc|lib/cmake/hcskit/hcskit[A-Za-z-]*\\.cmake|include/hcs/[a-z_0-9]+\\.h|include/hcssim/hcssim\\.h)$")
    message(FATAL_ERROR "in the zip but not part of the package: ${f}")
  endif()
endforeach()
# The public headers, exactly.
file(GLOB headers RELATIVE ${SOURCE_DIR}/../.. ${SOURCE_DIR}/../../include/hcs/*.h)
list(APPEND headers include/hcs/version.h)
list(SORT headers)
file(GLOB packaged_headers RELATIVE ${prefix} ${prefix}/include/hcs/*)
list(SORT packaged_headers)
if(NOT packaged_headers STREQUAL headers)
  message(FATAL_ERROR "include/hcs in the zip:\n${packaged_headers}\nthe public headers:\n${headers}")
endif()
# Every simulator DLL the build made (hcssim.dll, one per older build,
# hcssim-client.dll, hcssim-storage.dll and hcssim-network.dll), and
# hcssimd.exe.
file(GLOB simulators RELATIVE ${BUILD_DIR} ${BUILD_DIR}/bin/hcssim*.dll ${BUILD_DIR}/bin/hcssimd.exe)
foreach(f ${simulators} bin/hcs.dll bin/hcsctl.exe lib/libhcs.dll.a lib/libhcssim.dll.a lib/libhcs.a
    lib/libhcssim.a lib/pkgconfig/hcs.pc lib/pkgconfig/hcssim.pc include/hcssim/hcssim.h
    include/hcs/computecore.h lib/cmake/hcskit/hcskitConfig.cmake
    lib/cmake/hcskit/hcskitConfigVersion.cmake lib/cmake/hcskit/hcskitTargets.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not in the zip: ${f}")
  endif()
endforeach()
# Relocatable: the pkg-config and CMake files name no place on this machine.
file(GLOB_RECURSE texts ${prefix}/lib/*.pc ${prefix}/lib/*.cmake)
get_filename_component(tree ${SOURCE_DIR}/../.. ABSOLUTE)
foreach(f ${texts})
  file(READ ${f} text)
  foreach(place ${BUILD_DIR} ${WORK_DIR} ${tree})
    string(FIND "${text}" "${place}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${f} names ${place}")
    endif()
  endforeach()
endforeach()
# The programs and DLLs need only Windows' own DLLs and the package's (no
# libwinpthread, libgcc or jansson DLL to ship).
file(GLOB binaries ${prefix}/bin/*.dll ${prefix}/bin/*.exe)
foreach(f ${binaries})
  imports(dlls ${f})
  foreach(dll ${dlls})
    string(TOLOWER "${dll}" lower)
    if(NOT lower MATCHES "^(kernel32|msvcrt|advapi32|ntdll|user32|ws2_32|bcrypt|ole32|api-ms-win-[a-z0-9-]+)\\.dll$"
       AND NOT EXISTS ${prefix}/bin/${dll})
      message(FATAL_ERROR "${f} imports ${dll}, which is neither Windows' nor in the zip")
    endif()
  endforeach()
endforeach()
# hcsctl runs from the unpacked bin/, finding hcs.dll beside it.
run("hcsctl.exe" ${EMULATOR} ${prefix}/bin/hcsctl.exe --version)
if(NOT out MATCHES "^hcsctl ${VERSION}\r?\n")
  message(FATAL_ERROR "hcsctl --version printed ${out}")
endif()

# pkg-config, as README shows it: the zip's .pc files only.
set(ENV{PKG_CONFIG_LIBDIR} ${prefix}/lib/pkgconfig)
unset(ENV{PKG_CONFIG_PATH})
unset(ENV{PKG_CONFIG_SYSROOT_DIR})
run("pkg-config" pkg-config --modversion hcs hcssim)
if(NOT out STREQUAL "${VERSION}\n${VERSION}\n")
  message(FATAL_ERROR "pkg-config reports versions ${out}")
endif()
file(MAKE_DIRECTORY ${WORK_DIR}/pc)
run("pkg-config" pkg-config --cflags --libs hcs)
separate_arguments(pc UNIX_COMMAND "${out}")
run("cc (pkg-config)" ${CC} ${SOURCE_DIR}/outside/main.c ${pc} -o ${WORK_DIR}/pc/outside_pc.exe)
check_program(${WORK_DIR}/pc/outside_pc.exe)
# Statically: libhcs.a needs nothing else, and --static gives -DHCS_STATIC.
run("pkg-config" pkg-config --static --cflags --libs hcs)
if(NOT out MATCHES "-DHCS_STATIC")
  message(FATAL_ERROR "pkg-config --static --cflags hcs lacks -DHCS_STATIC: ${out}")
endif()
string(REPLACE "-lhcs " "-l:libhcs.a " out "${out} ")
separate_arguments(pc UNIX_COMMAND "${out}")
run("cc (pkg-config --static)" ${CC} ${SOURCE_DIR}/outside/main.c ${pc} -o ${WORK_DIR}/pc/outside_pc_static.exe)
check_program(${WORK_DIR}/pc/outside_pc_static.exe STATIC)

# CMake: find_package(hcskit 1.0) with the toolchain file and the unpacked
# tree as CMAKE_PREFIX_PATH; hcskit::hcs and hcskit::hcs_static.
unset(ENV{PKG_CONFIG_LIBDIR})
run("cmake (outside)" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/outside -B ${WORK_DIR}/cmake
  -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN} -DCMAKE_PREFIX_PATH=${prefix})
file(STRINGS ${WORK_DIR}/cmake/CMakeCache.txt found REGEX "^hcskit_DIR:")
if(NOT found STREQUAL "hcskit_DIR:PATH=${prefix}/lib/cmake/hcskit")
  message(FATAL_ERROR "find_package(hcskit) found ${found}, not the unpacked zip")
endif()
run("cmake --build (outside)" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
check_program(${WORK_DIR}/cmake/outside.exe)
check_program(${WORK_DIR}/cmake/outside_static.exe STATIC)
