# Clang's C++ API (libclang-N-dev) of the selected LLVM, for the pragma part
# of gpreempt.so (pass/Pragma.cpp) and for gpreempt-rewrite (rewrite/).
# Found through the LLVM_DIR's sibling ClangConfig.  Debian's clang-N package
# ships ClangConfig.cmake but its targets name libclang-N-dev's files, so
# look for the headers first: without them, say so and build without Clang.
# Included by pass/ and rewrite/: imported targets are per directory.
get_property(GP_CLANG_SAID GLOBAL PROPERTY GP_CLANG_SAID)
set_property(GLOBAL PROPERTY GP_CLANG_SAID ON)
if(TRUE) # (kept as a block: the find must run in each including directory)
  get_filename_component(GP_CLANG_CMAKE_DIR "${LLVM_DIR}/../clang" ABSOLUTE)
  if(EXISTS "${LLVM_INCLUDE_DIRS}/clang/Tooling/Tooling.h" AND
     EXISTS "${GP_CLANG_CMAKE_DIR}/ClangConfig.cmake")
    find_package(Clang REQUIRED CONFIG PATHS "${GP_CLANG_CMAKE_DIR}" NO_DEFAULT_PATH)
    set(GP_HAVE_CLANG ON)
    if(NOT GP_CLANG_SAID)
    message(STATUS "gpreempt: Clang ${LLVM_PACKAGE_VERSION} C++ API from ${GP_CLANG_CMAKE_DIR}: "
                   "#pragma gpreempt and gpreempt-rewrite are built")
    endif()
  else()
    set(GP_HAVE_CLANG OFF)
    if(NOT GP_CLANG_SAID)
    message(WARNING "gpreempt: no Clang C++ API for LLVM ${LLVM_VERSION_MAJOR} "
                    "(${LLVM_INCLUDE_DIRS}/clang/Tooling/Tooling.h is missing): "
                    "gpreempt-rewrite and #pragma gpreempt are NOT built; install "
                    "libclang-${LLVM_VERSION_MAJOR}-dev and re-run cmake")
    endif()
  endif()
endif()

# In pass/: the pragma handler joins the pass in gpreempt.so.  Linking
# libclang-cpp makes the .so loadable into opt as well (which has no Clang);
# in clang the library is the one already loaded.
if(GP_HAVE_CLANG AND TARGET gpreempt AND CMAKE_CURRENT_SOURCE_DIR STREQUAL "${PROJECT_SOURCE_DIR}/pass")
  target_sources(gpreempt PRIVATE "${PROJECT_SOURCE_DIR}/pass/Pragma.cpp")
  target_include_directories(gpreempt PRIVATE ${CLANG_INCLUDE_DIRS})
  target_link_libraries(gpreempt PRIVATE clang-cpp)
endif()
