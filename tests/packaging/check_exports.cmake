# Compares the export table of libhcs (LIBRARY: libhcs.so, or hcs.dll when
# WINDOWS) with the functions the public headers declare (HEADERS_DIR and
# GENERATED_HEADERS_DIR): every export is declared in an installed header,
# and every declared function is exported. Internal functions stay hidden.
# The exports must also equal ABI_LIST, the reviewed list of the ABI: a
# change to the ABI is a change to that file, seen in review. With
# STATIC_LIBRARY (libhcs.a), every global symbol in it must carry the
# project's prefixes, so that linking it cannot clash with a user's names:
# hcs_ (public), hcs__ (internal), hcssim_ / hcssim__ and the computecore,
# computenetwork and vmcompute (HNSCall) names of the embedded simulator
# (with LocalFree and CoTaskMemFree, their allocators' frees off Windows).
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/public_functions.cmake)
hcskit_public_functions(declared ${HEADERS_DIR} ${GENERATED_HEADERS_DIR})
list(LENGTH declared declared_count)
if(declared_count LESS 100)
  message(FATAL_ERROR "only ${declared_count} functions found in ${HEADERS_DIR}: the header scan is broken")
endif()

if(WINDOWS)
  # The DLL's export name table: after "[Ordinal/Name Pointer] Table", one
  # "\t[ n] name" line per export (the address table before it has lines
  # of the same shape).
  execute_process(COMMAND ${OBJDUMP} -p ${LIBRARY} OUTPUT_VARIABLE table RESULT_VARIABLE rc)
  string(FIND "${table}" "[Ordinal/Name Pointer] Table" at)
  if(at LESS 0)
    message(FATAL_ERROR "${LIBRARY} has no export name table")
  endif()
  string(SUBSTRING "${table}" ${at} -1 table)
  string(REGEX REPLACE "\n\n.*" "" table "${table}")
  string(REGEX MATCHALL "\n\t\\[ *[0-9]+\\] [^\n]+" rows "${table}")
  set(row_prefix "^\n\t\\[ *[0-9]+\\] ")
else()
  execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY} OUTPUT_VARIABLE table RESULT_VARIABLE rc)
  string(REGEX MATCHALL "[^\n]+" rows "${table}")
  set(row_prefix "^.* ")
endif()
# Each row ends with the symbol's name; what stands before it differs.
set(exported "")
foreach(row ${rows})
  string(REGEX REPLACE "${row_prefix}" "" name "${row}")
  list(APPEND exported ${name})
endforeach()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "could not read the export table of ${LIBRARY}")
endif()
list(SORT exported)

set(undeclared ${exported})
list(REMOVE_ITEM undeclared ${declared})
set(missing ${declared})
list(REMOVE_ITEM missing ${exported})
list(LENGTH exported exported_count)
if(undeclared)
  string(REPLACE ";" " " undeclared "${undeclared}")
  message(SEND_ERROR "exported but declared in no public header: ${undeclared}")
endif()
if(missing)
  string(REPLACE ";" " " missing "${missing}")
  message(SEND_ERROR "declared in a public header but not exported: ${missing}")
endif()
message(STATUS "${exported_count} exports, ${declared_count} declared functions")

file(STRINGS ${ABI_LIST} reviewed REGEX "^[A-Za-z_]")
list(SORT reviewed)
if(NOT reviewed STREQUAL exported)
  set(added ${exported})
  list(REMOVE_ITEM added ${reviewed})
  set(removed ${reviewed})
  list(REMOVE_ITEM removed ${exported})
  string(REPLACE ";" " " added "${added}")
  string(REPLACE ";" " " removed "${removed}")
  message(SEND_ERROR "the exports differ from ${ABI_LIST} (added: ${added}; removed: ${removed}): "
    "update the list if the ABI change is intended")
endif()

if(STATIC_LIBRARY)
  execute_process(COMMAND ${NM} -g --defined-only ${STATIC_LIBRARY} OUTPUT_VARIABLE table RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "could not read the symbols of ${STATIC_LIBRARY}")
  endif()
  string(REGEX MATCHALL "\n[0-9a-f]* *[A-Z] [^\n]+" rows "\n${table}")
  set(foreign "")
  foreach(row ${rows})
    string(REGEX REPLACE "^.* " "" name "${row}")
    # Sanitizers add their own globals (__odr_asan.*, __tsan_*).
    if(NOT name MATCHES "^(hcs_|hcssim_|Hcs[A-Z]|Hcn[A-Z]|HNSCall$|LocalFree$|CoTaskMemFree$|__odr_asan|__asan|__tsan|__ubsan)")
      list(APPEND foreign ${name})
    endif()
  endforeach()
  if(foreign)
    list(REMOVE_DUPLICATES foreign)
    string(REPLACE ";" " " foreign "${foreign}")
    message(SEND_ERROR "${STATIC_LIBRARY} defines globals outside the project's prefixes: ${foreign}")
  endif()
endif()
