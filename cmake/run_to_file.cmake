# cmake -DPROGRAM=... -DARGS=a;b -DOUT=file -P run_to_file.cmake
# Runs PROGRAM with ARGS and writes its stdout to OUT; fails when PROGRAM does.
get_filename_component(_dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${_dir}")
execute_process(COMMAND "${PROGRAM}" ${ARGS} OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "${PROGRAM} ${ARGS} failed: ${_rc}")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
