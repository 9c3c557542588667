# Installation: the layout under the prefix, the CMake package
# (find_package(gpreempt) -> gpreempt::gpreempt) and gpreempt.pc.
#
#   bin/gpreempt-cc, bin/gpreempt-c++          tools/CMakeLists.txt
#   lib/gpreempt/gpreempt.so                   the plugin (pass/CMakeLists.txt)
#   lib/libgmprt.a, lib/libgmprt.so            the runtime (runtime/CMakeLists.txt)
#   include/gpreempt.h, gpreempt_abi.h, ...    the whole include/ directory
#   lib/cmake/gpreempt/gpreemptConfig*.cmake   the CMake package
#   lib/pkgconfig/gpreempt.pc                  pkg-config
#   share/gpreempt/gdb/*.py, lib/lib*-gdb.py    the gdb extension (tools/gdb/, when present)
#   share/man/man1/gpreempt-cc.1, gpreempt-c++.1
#   share/doc/gpreempt/*.md, tutorial/*.c
#
# Every installed file that names another one does it relative to itself
# (the wrappers from bin/, the package from lib/cmake/gpreempt/, the .pc
# file through ${pcfiledir}), so the prefix can be moved or copied.  The one
# absolute path is the clang of the LLVM the plugin was built for, which is
# not part of the prefix.
include(CMakePackageConfigHelpers)

# Paths relative to the prefix (GNUInstallDirs gives relative ones unless the
# user set absolute ones; those are kept, and that install is not movable).
set(GP_INSTALL_PLUGINDIR "${CMAKE_INSTALL_LIBDIR}/gpreempt")
set(GP_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/gpreempt")
set(GP_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
set(GP_INSTALL_GDBDIR "${CMAKE_INSTALL_DATADIR}/gpreempt/gdb")

# gp_relative_path(<var> <from-dir> <to-path> [<base>]): the path of
# <to-path> as seen from <from-dir>, both relative to the prefix, written
# <base>/<relative path> when <base> is given (an absolute <to-path> stays
# as it is: that install cannot be moved).
function(gp_relative_path var from to)
  if(IS_ABSOLUTE "${to}")
    set(${var} "${to}" PARENT_SCOPE)
    return()
  endif()
  if(IS_ABSOLUTE "${from}")
    set(${var} "${CMAKE_INSTALL_PREFIX}/${to}" PARENT_SCOPE)
    return()
  endif()
  file(RELATIVE_PATH rel "/prefix/${from}" "/prefix/${to}")
  string(REGEX REPLACE "/$" "" rel "${rel}")
  if(rel STREQUAL "")
    set(rel ".")
  endif()
  if(ARGC GREATER 3)
    set(rel "${ARGV3}/${rel}")
  endif()
  set(${var} "${rel}" PARENT_SCOPE)
endfunction()

# What a program linking libgmprt.a needs after it (the wrappers, the .pc).
set(GP_RUNTIME_LINK_DEPS "-lpthread")
foreach(lib ${CMAKE_DL_LIBS})
  string(APPEND GP_RUNTIME_LINK_DEPS " -l${lib}")
endforeach()
string(STRIP "${GP_RUNTIME_LINK_DEPS} ${GP_RUNTIME_LINK_FLAGS}" GP_RUNTIME_LINK_DEPS)
# The same flags as a list, for the CMake package's libgmprt.a target.
separate_arguments(GP_RUNTIME_LINK_OPTIONS UNIX_COMMAND "${GP_RUNTIME_LINK_FLAGS}")

# ---- The CMake package ----------------------------------------------------
gp_relative_path(GP_CMAKEDIR_TO_PREFIX "${GP_INSTALL_CMAKEDIR}" ".")
configure_file(cmake/gpreemptConfig.cmake.in
               "${CMAKE_BINARY_DIR}/cmake/gpreemptConfig.cmake" @ONLY)
# Before 1.0 a minor release may change the API: 0.1.x satisfies
# find_package(gpreempt 0.1), 0.2 does not.
write_basic_package_version_file("${CMAKE_BINARY_DIR}/cmake/gpreemptConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_BINARY_DIR}/cmake/gpreemptConfig.cmake"
              "${CMAKE_BINARY_DIR}/cmake/gpreemptConfigVersion.cmake"
        DESTINATION "${GP_INSTALL_CMAKEDIR}")

# ---- pkg-config -----------------------------------------------------------
gp_relative_path(GP_PC_PREFIX "${GP_INSTALL_PKGCONFIGDIR}" "." "\${pcfiledir}")
gp_relative_path(GP_PC_LIBDIR "." "${CMAKE_INSTALL_LIBDIR}" "\${prefix}")
gp_relative_path(GP_PC_INCLUDEDIR "." "${CMAKE_INSTALL_INCLUDEDIR}" "\${prefix}")
configure_file(gpreempt.pc.in "${CMAKE_BINARY_DIR}/gpreempt.pc" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/gpreempt.pc" DESTINATION "${GP_INSTALL_PKGCONFIGDIR}")

# ---- gdb extension, man pages, documentation -------------------------------
# The gdb extension (issue 12, item 2) lives in tools/gdb/, and whatever .py
# files are there are installed: one named after a library as gdb's auto-load
# expects (libgmprt.so-gdb.py) beside that library in lib/, where gdb loads
# it by itself (auto-load safe-path permitting); the others in
# share/gpreempt/gdb/ (gdb -x, or `source` from .gdbinit).
file(GLOB GP_GDB_SCRIPTS CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/tools/gdb/*.py")
foreach(script ${GP_GDB_SCRIPTS})
  if(script MATCHES "/lib[^/]*-gdb\\.py$")
    install(FILES "${script}" DESTINATION "${CMAKE_INSTALL_LIBDIR}")
  else()
    install(FILES "${script}" DESTINATION "${GP_INSTALL_GDBDIR}")
  endif()
endforeach()
install(FILES docs/gpreempt-cc.1 docs/gpreempt-c++.1
        DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
file(GLOB GP_DOCS CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/docs/*.md")
install(FILES README.md ${GP_DOCS} DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY docs/tutorial DESTINATION "${CMAKE_INSTALL_DOCDIR}")
