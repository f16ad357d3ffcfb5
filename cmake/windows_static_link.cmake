# Links the one object of a self-contained Windows static library
# (cmake/windows_static.cmake says why):
#
#   cmake -DLD=<x86_64-w64-mingw32-ld> -DOBJCOPY=... -DNM=... -DOBJECT_LIST=<file, one object a line>
#         -DARCHIVES=<a.a|b.a> (-DAPI_HEADERS=<dir|dir> | -DAPI_DEF=<file.def>) -DTAG=<name>
#         -DOUTPUT=<object> -P windows_static_link.cmake
#
# 1. ld -r: the objects and every member of the archives become one object.
# 2. The objects of a DLL carry its exports as -export: directives
#    (__declspec(dllexport)); they go, or every program linking the archive
#    would export libhcs's functions. Any other directive stops the build.
# 3. objcopy --keep-global-symbols: the API stays global, the rest is local.
# 4. mingw-w64 reaches data through ".refptr.<name>" pointers that every
#    object defines as COMDATs, which the linker merges by name. A local one
#    named like the user's (jansson's .refptr.hashtable_seed) would take the
#    user's place, so ours are renamed .refptr.hcskit_<TAG>.<name>.
# 5. Check: the defined global symbols are exactly the API.
cmake_minimum_required(VERSION 3.22)
include(${CMAKE_CURRENT_LIST_DIR}/public_functions.cmake)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "${command} failed (${rc}):\n${out}${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

# The symbols NM lists for `object`: <var>_defined (global, defined) and
# <var>_all (every name).
function(read_symbols var object)
  run(${NM} ${object})
  string(REPLACE "\n" ";" lines "${out}")
  set(defined "")
  set(all "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[0-9a-f]* *([A-Za-z?-]) (.+)$")
      set(type ${CMAKE_MATCH_1})
      set(name ${CMAKE_MATCH_2})
      list(APPEND all ${name})
      if(type MATCHES "^[A-Z]$" AND NOT type MATCHES "^[UNIW]$")
        list(APPEND defined ${name})
      endif()
    endif()
  endforeach()
  set(${var}_defined ${defined} PARENT_SCOPE)
  set(${var}_all ${all} PARENT_SCOPE)
endfunction()

# The API.
if(API_DEF)
  file(STRINGS ${API_DEF} lines)
  set(api "")
  set(in_exports FALSE)
  foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    if(line STREQUAL "EXPORTS")
      set(in_exports TRUE)
    elseif(in_exports AND line MATCHES "^([A-Za-z_][A-Za-z0-9_]*)$")
      list(APPEND api ${CMAKE_MATCH_1})
    endif()
  endforeach()
else()
  string(REPLACE "|" ";" dirs "${API_HEADERS}")
  hcskit_public_functions(api ${dirs})
endif()
if(NOT api)
  message(FATAL_ERROR "no API symbols found for ${OUTPUT}")
endif()
list(SORT api)

set(step ${OUTPUT}.tmp)
file(STRINGS ${OBJECT_LIST} objects)
string(REPLACE "|" ";" archives "${ARCHIVES}")
foreach(archive IN LISTS archives)
  if(NOT archive MATCHES "\\.a$" OR NOT EXISTS ${archive})
    message(FATAL_ERROR "not a static library: ${archive}")
  endif()
endforeach()

# 1.
run(${LD} -r -o ${step}1.obj ${objects} --whole-archive ${archives} --no-whole-archive)

# 2.
file(REMOVE ${step}.drectve)
run(${OBJCOPY} -O binary --only-section=.drectve ${step}1.obj ${step}.drectve)
set(directives "")
if(EXISTS ${step}.drectve)
  file(STRINGS ${step}.drectve directives)
endif()
foreach(directive IN LISTS directives)
  string(REGEX MATCHALL "-export:\"?[A-Za-z_][A-Za-z0-9_]*\"?" exports "${directive}")
  foreach(export IN LISTS exports)
    string(REGEX REPLACE "^-export:\"?([A-Za-z0-9_]+)\"?$" "\\1" name "${export}")
    if(NOT name IN_LIST api)
      message(FATAL_ERROR "${OUTPUT}: ${name} is exported but is not part of the API")
    endif()
  endforeach()
  string(REGEX REPLACE "-export:\"?[A-Za-z_][A-Za-z0-9_]*\"?" "" rest "${directive}")
  string(STRIP "${rest}" rest)
  if(NOT rest STREQUAL "")
    message(FATAL_ERROR "${OUTPUT}: linker directives other than exports: ${rest}")
  endif()
endforeach()

# 3.
list(JOIN api "\n" keep)
file(WRITE ${step}.keep "${keep}\n")
run(${OBJCOPY} --remove-section=.drectve --keep-global-symbols=${step}.keep ${step}1.obj ${step}2.obj)

# 4.
read_symbols(symbols ${step}2.obj)
list(REMOVE_DUPLICATES symbols_all)
set(renames "")
foreach(name IN LISTS symbols_all)
  if(name MATCHES "^\\.refptr\\.(.+)$")
    set(target ${CMAKE_MATCH_1})
    list(APPEND renames --redefine-sym .refptr.${target}=.refptr.hcskit_${TAG}.${target}
      "--redefine-sym" ".rdata$.refptr.${target}=.rdata$.refptr.hcskit_${TAG}.${target}"
      "--rename-section" ".rdata$.refptr.${target}=.rdata$.refptr.hcskit_${TAG}.${target}")
  endif()
endforeach()
run(${OBJCOPY} ${renames} ${step}2.obj ${step}3.obj)

# 5.
read_symbols(result ${step}3.obj)
list(SORT result_defined)
if(NOT result_defined STREQUAL api)
  set(missing ${api})
  list(REMOVE_ITEM missing ${result_defined})
  set(extra ${result_defined})
  list(REMOVE_ITEM extra ${api})
  message(FATAL_ERROR "${OUTPUT}: the global symbols are not the API\nmissing: ${missing}\nnot in the API: ${extra}")
endif()
foreach(name IN LISTS result_all)
  if(name MATCHES "^\\.refptr\\." AND NOT name MATCHES "^\\.refptr\\.hcskit_${TAG}\\.")
    message(FATAL_ERROR "${OUTPUT}: ${name} was not renamed")
  endif()
endforeach()

file(RENAME ${step}3.obj ${OUTPUT})
file(REMOVE ${step}1.obj ${step}2.obj ${step}.drectve ${step}.keep)
