# run(<what> <command>...): runs the command, stops the test with its output
# when it fails, and leaves the output in `out`. Shared by the package tests
# (outside_test.cmake, windows_zip_test.cmake).
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()
