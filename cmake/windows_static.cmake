# hcskit_windows_static(<target> OUTPUT_NAME <name> TAG <tag>
#                       OBJECT_LIBRARIES <objlib>... ARCHIVES <lib.a>...
#                       API_HEADERS <dir>... | API_DEF <file.def>)
#
# A static library for Windows (mingw-w64) that an outside program links
# with nothing else: lib<name>.a holds one object, linked from the object
# libraries' objects and the whole of the ARCHIVES (jansson), in which only
# the library's API stays global (the HCS_API functions of the headers in
# API_HEADERS, or the exports of API_DEF). Everything else, jansson
# included, is local to it, so the archive neither needs a jansson of the
# user's nor clashes with one, nor with the other hcskit archive.
# cmake/windows_static_link.cmake does the work at build time.
function(hcskit_windows_static target)
  cmake_parse_arguments(A "" "OUTPUT_NAME;TAG;API_DEF" "OBJECT_LIBRARIES;ARCHIVES;API_HEADERS" ${ARGN})
  set(object ${CMAKE_CURRENT_BINARY_DIR}/${target}.obj)
  set(list_file ${CMAKE_CURRENT_BINARY_DIR}/${target}.objects)
  set(objects "")
  foreach(lib IN LISTS A_OBJECT_LIBRARIES)
    list(APPEND objects $<TARGET_OBJECTS:${lib}>)
  endforeach()
  file(GENERATE OUTPUT ${list_file} CONTENT "$<JOIN:${objects},\n>\n")

  set(api_args "")
  set(api_depends "")
  if(A_API_DEF)
    set(api_args -DAPI_DEF=${A_API_DEF})
    set(api_depends ${A_API_DEF})
  else()
    list(JOIN A_API_HEADERS "|" dirs)
    set(api_args "-DAPI_HEADERS=${dirs}")
    foreach(dir IN LISTS A_API_HEADERS)
      file(GLOB headers ${dir}/*.h)
      list(APPEND api_depends ${headers})
    endforeach()
  endif()
  list(JOIN A_ARCHIVES "|" archives)

  add_custom_command(OUTPUT ${object}
    COMMAND ${CMAKE_COMMAND} -DLD=${CMAKE_LINKER} -DOBJCOPY=${CMAKE_OBJCOPY} -DNM=${CMAKE_NM}
      -DOBJECT_LIST=${list_file} "-DARCHIVES=${archives}" ${api_args} -DTAG=${A_TAG} -DOUTPUT=${object}
      -P ${PROJECT_SOURCE_DIR}/cmake/windows_static_link.cmake
    DEPENDS ${objects} ${A_OBJECT_LIBRARIES} ${A_ARCHIVES} ${api_depends} ${list_file}
      ${PROJECT_SOURCE_DIR}/cmake/windows_static_link.cmake ${PROJECT_SOURCE_DIR}/cmake/public_functions.cmake
    COMMENT "Linking the self-contained lib${A_OUTPUT_NAME}.a"
    VERBATIM)
  set_source_files_properties(${object} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  add_library(${target} STATIC ${object})
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${A_OUTPUT_NAME} LINKER_LANGUAGE C)
endfunction()
