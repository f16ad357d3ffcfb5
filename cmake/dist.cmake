# Packs the installation of a Windows build into a zip (make dist-windows):
#
#   cmake -DBUILD_DIR=build/mingw -DOUT_DIR=build/dist -P cmake/dist.cmake
#
# installs BUILD_DIR (built with `--target installable`) into
# OUT_DIR/stage/hcskit-<version>-win64, with the executables and DLLs
# stripped, and zips that directory as OUT_DIR/hcskit-<version>-win64.zip,
# so the zip unpacks into one directory named like it. The version is the
# build's, from project() in CMakeLists.txt. Prints the zip's path.
foreach(var BUILD_DIR OUT_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "dist.cmake: set -D${var}=...")
  endif()
  get_filename_component(${var} "${${var}}" ABSOLUTE)
endforeach()

if(NOT EXISTS ${BUILD_DIR}/bin/hcs.dll)
  message(FATAL_ERROR "dist.cmake: ${BUILD_DIR} is not a built Windows build (no bin/hcs.dll)")
endif()
file(STRINGS ${BUILD_DIR}/include/hcs/version.h version_line REGEX "^#define HCS_VERSION_STRING ")
if(NOT version_line MATCHES "\"([0-9]+\\.[0-9]+\\.[0-9]+)\"")
  message(FATAL_ERROR "dist.cmake: no version in ${BUILD_DIR}/include/hcs/version.h")
endif()
set(name hcskit-${CMAKE_MATCH_1}-win64)

set(stage ${OUT_DIR}/stage)
file(REMOVE_RECURSE ${stage})
file(REMOVE ${OUT_DIR}/${name}.zip)
file(MAKE_DIRECTORY ${stage})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${stage}/${name} --strip
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} failed:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E tar cf ${OUT_DIR}/${name}.zip --format=zip ${name}
  WORKING_DIRECTORY ${stage} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "zipping ${stage}/${name} failed:\n${out}")
endif()
message(STATUS "${OUT_DIR}/${name}.zip")
