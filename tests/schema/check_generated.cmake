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

# Type numbers only grow (schema/type-ids.txt): the generator refuses a
# list that misses a schema type, and one naming a type the schema lacks.
file(STRINGS ${SOURCE_DIR}/schema/type-ids.txt _ids)
list(FILTER _ids EXCLUDE REGEX "^#")
list(POP_BACK _ids _newest)
foreach(_case "missing;append these" "lost;lost from the schema")
  list(GET _case 0 _name)
  list(GET _case 1 _want)
  set(_list ${_ids})
  if(_name STREQUAL "lost")
    list(APPEND _list ${_newest} NoSuchType)
  endif()
  list(JOIN _list "\n" _text)
  file(WRITE ${WORK_DIR}/ids-${_name}.txt "${_text}\n")
  execute_process(COMMAND ${PYTHON} ${SOURCE_DIR}/schema/generate.py --out-dir ${WORK_DIR}/${_name}
                          --type-ids ${WORK_DIR}/ids-${_name}.txt
                  RESULT_VARIABLE _rc ERROR_VARIABLE _err)
  if(_rc EQUAL 0 OR NOT _err MATCHES "${_want}.*${_newest}|${_want}.*NoSuchType")
    message(FATAL_ERROR "schema/generate.py took type numbers with a ${_name} type (${_rc}): ${_err}")
  endif()
endforeach()
message(STATUS "schema/generate.py refuses renumbering")
