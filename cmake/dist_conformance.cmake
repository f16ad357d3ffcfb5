# Packs the conformance package of a Windows build (tests/system) into a zip
# (make dist-conformance):
#
#   cmake -DBUILD_DIR=build/mingw -DOUT_DIR=build/dist -P cmake/dist_conformance.cmake
#
# copies BUILD_DIR/conformance/hcskit-conformance-<version>-win64 (built with
# `--target conformance_package`) to OUT_DIR/stage-conformance, strips its
# executables and DLLs, and zips that directory as
# OUT_DIR/hcskit-conformance-<version>-win64.zip. Prints the zip's path.
foreach(var BUILD_DIR OUT_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "dist_conformance.cmake: set -D${var}=...")
  endif()
  get_filename_component(${var} "${${var}}" ABSOLUTE)
endforeach()

file(GLOB package LIST_DIRECTORIES true ${BUILD_DIR}/conformance/hcskit-conformance-*-win64)
list(LENGTH package count)
if(NOT count EQUAL 1 OR NOT EXISTS ${package}/hcskit-conformance.exe)
  message(FATAL_ERROR "dist_conformance.cmake: no conformance package in ${BUILD_DIR}/conformance "
                      "(build the target conformance_package)")
endif()
get_filename_component(name ${package} NAME)
file(STRINGS ${BUILD_DIR}/CMakeCache.txt strip_line REGEX "^CMAKE_STRIP:")
string(REGEX REPLACE "^[^=]*=" "" strip "${strip_line}")

set(stage ${OUT_DIR}/stage-conformance)
file(REMOVE_RECURSE ${stage})
file(REMOVE ${OUT_DIR}/${name}.zip)
file(MAKE_DIRECTORY ${stage})
file(COPY ${package} DESTINATION ${stage})
file(GLOB binaries ${stage}/${name}/*.exe ${stage}/${name}/*.dll)
if(strip)
  foreach(binary ${binaries})
    execute_process(COMMAND ${strip} --strip-unneeded ${binary} RESULT_VARIABLE rc ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${strip} ${binary} failed:\n${out}")
    endif()
  endforeach()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E tar cf ${OUT_DIR}/${name}.zip --format=zip ${name}
  WORKING_DIRECTORY ${stage} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "zipping ${stage}/${name} failed:\n${out}")
endif()
message(STATUS "${OUT_DIR}/${name}.zip")
