# The system-mode builds of tests/sim call HCS itself: every Hcs* function
# they import comes from computecore.dll, none from hcssim.dll (which they
# use for hcssim_* only). A test that named a function the import library
# of computecore lacks would otherwise bind it to the simulator unnoticed.
#
#   cmake -DOBJDUMP=... -DPROGRAMS="a.exe;b.exe" -P check_imports.cmake
foreach(var OBJDUMP PROGRAMS)
  if(NOT ${var})
    message(FATAL_ERROR "check_imports.cmake: set -D${var}=...")
  endif()
endforeach()

foreach(program ${PROGRAMS})
  execute_process(COMMAND ${OBJDUMP} -p ${program} RESULT_VARIABLE rc OUTPUT_VARIABLE dump ERROR_VARIABLE dump)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${OBJDUMP} -p ${program} failed:\n${dump}")
  endif()
  get_filename_component(name ${program} NAME)
  string(REPLACE "\n" ";" lines "${dump}")
  set(dll "")
  set(from_computecore 0)
  foreach(line IN LISTS lines)
    if(line MATCHES "DLL Name: (.+)$")
      string(TOLOWER "${CMAKE_MATCH_1}" dll)
    elseif(line MATCHES "^\t[0-9a-f]+[ \t]+[0-9]+[ \t]+(Hcs[A-Za-z]+)$")
      if(dll STREQUAL "computecore.dll")
        math(EXPR from_computecore "${from_computecore} + 1")
      else()
        message(FATAL_ERROR "${name} imports ${CMAKE_MATCH_1} from ${dll}, not computecore.dll")
      endif()
    endif()
  endforeach()
  if(from_computecore EQUAL 0)
    message(FATAL_ERROR "${name} imports nothing from computecore.dll")
  endif()
  message(STATUS "${name}: ${from_computecore} functions from computecore.dll")
endforeach()
