# hcskit_public_functions(<var> <dir>...): the names of the functions the
# public headers in the dirs export (declared with libhcs's export macro,
# HCS_API), sorted. Used by exported_functions.cmake and by the check of
# libhcs's export table (tests/packaging/check_exports.cmake).
function(hcskit_public_functions var)
  set(headers "")
  foreach(dir ${ARGN})
    file(GLOB found ${dir}/*.h)
    list(APPEND headers ${found})
  endforeach()
  set(names "")
  foreach(header ${headers})
    file(STRINGS ${header} lines REGEX "^HCS_API ")
    foreach(line ${lines})
      string(REGEX MATCH "hcs_[a-z0-9_]+\\(" name "${line}")
      if(name)
        string(REPLACE "(" "" name "${name}")
        list(APPEND names ${name})
      endif()
    endforeach()
  endforeach()
  list(SORT names)
  set(${var} ${names} PARENT_SCOPE)
endfunction()
