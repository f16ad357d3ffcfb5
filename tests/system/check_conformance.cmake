# One program of the conformance package, run by the package's runner in
# the system prefix (tests/system/CMakeLists.txt), then checked: the runner
# finished and reported no failure; the cases it skipped for needing the
# simulator are exactly as many as the NEEDS_SIMULATOR marks in the
# program's source (so the mechanism can neither skip everything nor let a
# marked case run); with DOCUMENTS every other case passed, and without
# them the cases that create systems were skipped for want of a document.
#
#   cmake -DEMULATOR=wine-run.sh -DRUNNER=hcskit-conformance.exe -DPROGRAM=NAME
#         -DSOURCE=NAME.c -DRESULTS=DIR [-DDOCUMENTS=DIR] -P check_conformance.cmake
foreach(var EMULATOR RUNNER PROGRAM SOURCE RESULTS)
  if(NOT ${var})
    message(FATAL_ERROR "check_conformance.cmake: set -D${var}=...")
  endif()
endforeach()

file(REMOVE_RECURSE ${RESULTS})
file(MAKE_DIRECTORY ${RESULTS})
set(args --only ${PROGRAM} --results ${RESULTS})
if(DOCUMENTS)
  list(APPEND args --documents ${DOCUMENTS})
endif()
execute_process(COMMAND ${EMULATOR} ${RUNNER} ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "runner output:\n${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the runner exited with ${rc}")
endif()

# What the runner reported.
if(NOT out MATCHES "\n${PROGRAM}: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped")
  message(FATAL_ERROR "no result line for ${PROGRAM}")
endif()
set(passed ${CMAKE_MATCH_1})
set(failed ${CMAKE_MATCH_2})
set(skipped ${CMAKE_MATCH_3})
string(REGEX MATCHALL "\n  skipped [A-Za-z0-9_]+: needs the simulator: " simulator_skips "${out}")
list(LENGTH simulator_skips simulator_skips)
string(REGEX MATCHALL "\n  skipped [A-Za-z0-9_]+: needs a (container|VM) document: " document_skips "${out}")
list(LENGTH document_skips document_skips)

# What the source says: its cases and its marks.
file(READ ${SOURCE} source)
string(REGEX MATCHALL "cmocka_unit_test[a-z_]*\\(" cases "${source}")
list(LENGTH cases cases)
string(REGEX MATCHALL "\n    NEEDS_SIMULATOR\\(" marks "${source}")
list(LENGTH marks marks)

message(STATUS "${PROGRAM}: ${cases} cases, ${marks} marked; reported ${passed} passed, ${failed} failed, "
               "${skipped} skipped (${simulator_skips} for the simulator, ${document_skips} for a document)")
if(NOT failed EQUAL 0)
  message(FATAL_ERROR "${failed} cases failed against a system computecore.dll")
endif()
if(NOT simulator_skips EQUAL marks)
  message(FATAL_ERROR "${simulator_skips} cases were skipped as needing the simulator; the source marks ${marks}")
endif()
math(EXPR accounted "${simulator_skips} + ${document_skips}")
if(NOT skipped EQUAL accounted)
  message(FATAL_ERROR "${skipped} skips, but only ${accounted} of them for a reason this check knows")
endif()
math(EXPR total "${passed} + ${skipped}")
if(NOT total EQUAL cases)
  message(FATAL_ERROR "${total} cases reported, the source has ${cases}")
endif()
if(DOCUMENTS)
  if(NOT document_skips EQUAL 0)
    message(FATAL_ERROR "documents were given, yet ${document_skips} cases were skipped for want of one")
  endif()
elseif(document_skips EQUAL 0 OR passed EQUAL 0)
  message(FATAL_ERROR "without documents, some cases should be skipped for want of one and others pass")
endif()
