# Fails when the committed generated files differ from a fresh run of
# schema/generate.py (someone edited them, or the description, by hand).
#   cmake -DPYTHON=... -DSOURCE_DIR=... -DWORK_DIR=... -P check_generated.cmake
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${PYTHON} ${SOURCE_DIR}/schema/generate.py --out-dir ${WORK_DIR}
                RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "schema/generate.py failed (${_rc})")
endif()
foreach(_f include/hcs/schema_ids.h include/hcs/schema_types.h src/schema/schema_gen.c)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${SOURCE_DIR}/${_f} ${WORK_DIR}/${_f}
                  RESULT_VARIABLE _diff)
  if(NOT _diff EQUAL 0)
    message(FATAL_ERROR "${_f} differs from what schema/generate.py writes: run `make schema` and commit")
  endif()
endforeach()
message(STATUS "generated schema files are up to date")
