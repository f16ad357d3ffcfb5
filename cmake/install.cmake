# What `cmake --install` (make install) puts under the prefix: the public
# headers, libhcs and libhcssim (shared and static; on Windows also the
# simulator DLL of each older Windows build), hcsctl, pkg-config files and
# the CMake package hcskit. Private headers, tests and fixtures stay in the
# tree. make dist-windows zips the same installation of the Windows build
# (cmake/dist.cmake).
include(CMakePackageConfigHelpers)

set(HCSKIT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hcskit)

install(DIRECTORY include/hcs DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(FILES ${HCSKIT_GENERATED_INCLUDE_DIR}/hcs/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hcs)
# The simulator's control API. (The computecore ABI it exports is
# include/hcs/computecore.h, installed with the other public headers.)
install(FILES sim/include/hcssim/hcssim.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hcssim)

set(_libraries hcs hcssim hcs_static hcssim_static)
# libhcssim-client / hcssim-client.dll: computecore's functions forwarded to
# hcssimd, for programs that link computecore's names directly.
if(TARGET hcssim_client)
  list(APPEND _libraries hcssim_client)
endif()
install(TARGETS ${_libraries} EXPORT hcskitTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})

# On Windows, the simulator of each older build beside hcssim.dll
# (hcssim-1809.dll, ...), chosen with HCS_PROVIDER. They are loaded, never
# linked: their import libraries stay out.
# hcssim-network.dll, the drop-in computenetwork.dll, goes with them.
if(HCSSIM_PROFILE_DLLS)
  install(TARGETS ${HCSSIM_PROFILE_DLLS} ${HCSSIM_NETWORK_DLL}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT profile_import_libraries EXCLUDE_FROM_ALL)
endif()

# hcssim-storage.dll, the simulator as computestorage.dll: what libhcs loads
# for layers beside a program whose provider is hcssimd (include/hcs/storage.h).
if(TARGET hcssim-storage)
  install(TARGETS hcssim-storage
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT profile_import_libraries EXCLUDE_FROM_ALL)
endif()

# hcsctl finds the libhcs installed beside it, wherever the prefix is.
if(NOT WIN32)
  file(RELATIVE_PATH _bin_to_lib /p/${CMAKE_INSTALL_BINDIR} /p/${CMAKE_INSTALL_LIBDIR})
  set_target_properties(hcsctl PROPERTIES INSTALL_RPATH "$ORIGIN/${_bin_to_lib}")
endif()
set(_programs hcsctl)
# hcssimd, the simulator's daemon (docs/hcssimd.md), beside hcsctl
# (hcssimd.exe on Windows).
if(TARGET hcssimd)
  list(APPEND _programs hcssimd)
endif()
install(TARGETS ${_programs} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# hcsctl's man page and bash completion, which hcsctl writes at build time
# from its table of verbs (native builds only: tools/hcsctl/CMakeLists.txt).
if(HCSCTL_MAN_PAGE)
  install(FILES ${HCSCTL_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${HCSCTL_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endif()

# `cmake --build --target installable` builds what the rules here install and
# nothing else (make install, make dist-windows).
add_custom_target(installable)
add_dependencies(installable ${_libraries} ${HCSSIM_PROFILE_DLLS} ${HCSSIM_NETWORK_DLL} ${_programs})
if(TARGET hcssim-storage)
  add_dependencies(installable hcssim-storage)
endif()
if(TARGET hcsctl_docs)
  add_dependencies(installable hcsctl_docs)
endif()

# pkg-config: hcs.pc and hcssim.pc, relocatable (the prefix is found from
# the file's own place, so `cmake --install --prefix` and DESTDIR work with
# the build configured for any prefix).
file(RELATIVE_PATH HCSKIT_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" HCSKIT_PC_TO_PREFIX "${HCSKIT_PC_TO_PREFIX}")
if(WIN32)
  # libhcs.a and libhcssim.a carry what they need (src/CMakeLists.txt),
  # but for ole32, which frees HCN's strings (CoTaskMemFree) and is not
  # among mingw-w64's default libraries.
  set(HCSKIT_PC_LIBS_PRIVATE "-lole32")
  set(HCSKIT_PC_REQUIRES_PRIVATE "")
else()
  # For `pkg-config --static`: libhcs.a and libhcssim.a need these.
  set(HCSKIT_PC_LIBS_PRIVATE "-lpthread -l${CMAKE_DL_LIBS}")
  set(HCSKIT_PC_REQUIRES_PRIVATE "jansson")
endif()
foreach(_pc hcs hcssim)
  configure_file(cmake/${_pc}.pc.in ${PROJECT_BINARY_DIR}/pkgconfig/${_pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/${_pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()

# CMake: find_package(hcskit 1.0) gives hcskit::hcs and hcskit::hcssim, and
# hcskit::hcs_static and hcskit::hcssim_static. The files locate the prefix
# from their own place, so the tree can be moved (the Windows zip is
# unpacked anywhere).
install(EXPORT hcskitTargets NAMESPACE hcskit:: DESTINATION ${HCSKIT_CMAKE_DIR})
configure_package_config_file(cmake/hcskitConfig.cmake.in ${PROJECT_BINARY_DIR}/cmake/hcskitConfig.cmake
  INSTALL_DESTINATION ${HCSKIT_CMAKE_DIR})
# Within a major version the API and ABI only grow (the reviewed export
# list tests/packaging/libhcs.abi guards it): any 1.x satisfies 1.0.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/hcskitConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/hcskitConfig.cmake ${PROJECT_BINARY_DIR}/cmake/hcskitConfigVersion.cmake
  DESTINATION ${HCSKIT_CMAKE_DIR})
