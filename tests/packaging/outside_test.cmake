# Installs the build in BUILD_DIR into PREFIX (as make install does), checks
# what landed there, then builds the outside program (tests/packaging/outside)
# against it the two ways README shows, pkg-config and find_package(hcskit),
# plus static links, and runs each on the embedded simulator.
#
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=<tests/packaging> -DWORK_DIR=... -DCC=...
#         [-DFLAGS="-fsanitize=..."] -DVERSION=1.0.0 -DLIBDIR=lib -P outside_test.cmake
set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
separate_arguments(flags UNIX_COMMAND "${FLAGS}")

include(${CMAKE_CURRENT_LIST_DIR}/package_test_run.cmake)

# The outside program runs, with the libraries found as a user finds them
# (LD_LIBRARY_PATH for an installed prefix off the loader's path).
function(check_program exe)
  run("${exe}" ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${prefix}/${LIBDIR} ${exe})
  if(NOT out MATCHES "hcskit ${VERSION}\n" OR NOT out MATCHES "container started")
    message(FATAL_ERROR "${exe} printed:\n${out}")
  endif()
endfunction()

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# Only what a user needs: no private headers, tests or fixtures.
file(GLOB_RECURSE installed RELATIVE ${prefix} LIST_DIRECTORIES false ${prefix}/*)
foreach(f ${installed})
  if(NOT f MATCHES "^(bin/hcs(ctl|simd)|${LIBDIR}/libhcs(sim)?\\.(a|so(\\.[0-9.]+)?)|${LIBDIR}/libhcssim-client\\.so(\\.[0-9.]+)?|${LIBDIR}/pkgconfig/hcs(sim)?\\.pc|${LIBDIR}/cmake/hcskit/hcskit[A-Za-z-]*\\.cmake|include/hcs/[a-z_0-9]+\\.h|include/hcssim/hcssim\\.h|share/man/man1/hcsctl\\.1|share/bash-completion/completions/hcsctl)$")
    message(FATAL_ERROR "installed but not part of the package: ${f}")
  endif()
endforeach()
file(GLOB sources RELATIVE ${SOURCE_DIR}/../../include ${SOURCE_DIR}/../../include/hcs/*.h)
foreach(f ${sources} include/hcs/version.h ${LIBDIR}/libhcs.a ${LIBDIR}/libhcssim.a bin/hcsctl bin/hcssimd
         ${LIBDIR}/libhcssim-client.so share/man/man1/hcsctl.1 share/bash-completion/completions/hcsctl)
  string(REGEX REPLACE "^hcs/" "include/hcs/" f ${f})
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
# The soname carries the major version; the link names lead to the file.
string(REGEX MATCH "^[0-9]+" major ${VERSION})
foreach(lib hcs hcssim hcssim-client)
  run("objdump" objdump -p ${prefix}/${LIBDIR}/lib${lib}.so.${VERSION})
  if(NOT out MATCHES "SONAME +lib${lib}\\.so\\.${major}\n")
    message(FATAL_ERROR "lib${lib}.so.${VERSION} has no soname lib${lib}.so.${major}")
  endif()
  file(REAL_PATH ${prefix}/${LIBDIR}/lib${lib}.so target)
  if(NOT target STREQUAL "${prefix}/${LIBDIR}/lib${lib}.so.${VERSION}")
    message(FATAL_ERROR "lib${lib}.so leads to ${target}")
  endif()
endforeach()
# hcsctl finds its library without help.
run("hcsctl" ${prefix}/bin/hcsctl --version)
if(NOT out STREQUAL "hcsctl ${VERSION}\n")
  message(FATAL_ERROR "hcsctl --version printed ${out}")
endif()

# pkg-config, as README shows it.
set(ENV{PKG_CONFIG_PATH} ${prefix}/${LIBDIR}/pkgconfig)
run("pkg-config" pkg-config --modversion hcs hcssim)
if(NOT out STREQUAL "${VERSION}\n${VERSION}\n")
  message(FATAL_ERROR "pkg-config reports versions ${out}")
endif()
run("pkg-config" pkg-config --cflags --libs hcs)
separate_arguments(pc UNIX_COMMAND "${out}")
run("cc (pkg-config)" ${CC} ${flags} ${SOURCE_DIR}/outside/main.c ${pc} -o ${WORK_DIR}/outside_pc)
check_program(${WORK_DIR}/outside_pc)
# Statically: libhcs.a with the private dependencies hcs.pc lists.
run("pkg-config" pkg-config --static --libs hcs)
string(REPLACE "-lhcs " "-l:libhcs.a " out "${out} ")
separate_arguments(pc UNIX_COMMAND "${out}")
run("cc (pkg-config --static)" ${CC} ${flags} ${SOURCE_DIR}/outside/main.c -I${prefix}/include ${pc}
  -o ${WORK_DIR}/outside_pc_static)
check_program(${WORK_DIR}/outside_pc_static)

# CMake: find_package(hcskit 1.0) and hcskit::hcs (and hcskit::hcs_static).
string(REPLACE ";" " " flags_string "${flags}")
run("cmake (outside)" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/outside -B ${WORK_DIR}/cmake -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_C_COMPILER=${CC} "-DCMAKE_C_FLAGS=${flags_string}")
run("cmake --build (outside)" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
check_program(${WORK_DIR}/cmake/outside)
check_program(${WORK_DIR}/cmake/outside_static)
