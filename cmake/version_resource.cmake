# hcskit_version_resource(<target> <description>): gives a Windows DLL a
# version resource with the project's version (cmake/version.rc.in), so the
# number defined once in CMakeLists.txt is also the DLL's file version.
function(hcskit_version_resource target description)
  set(HCSKIT_RC_NAME ${target})
  set(HCSKIT_RC_FILE ${target}.dll)
  set(HCSKIT_RC_DESCRIPTION "${description}")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/version.rc.in ${CMAKE_CURRENT_BINARY_DIR}/${target}_version.rc @ONLY)
  target_sources(${target} PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/${target}_version.rc)
endfunction()
