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

# In pass/: the pragma handler joins the pass in gpreempt.so.  The .so must
# still load into opt, which has no Clang, and libclang-cpp cannot be loaded
# there (from LLVM 19 on it defines cl::opts that opt defines too).  So
# Pragma.cpp's object gets every undefined symbol weakened: in clang they
# bind to the loaded libclang-cpp, in opt they are null and Pragma.cpp does
# not register itself (it checks with dlsym).
if(GP_HAVE_CLANG AND TARGET gpreempt AND CMAKE_CURRENT_SOURCE_DIR STREQUAL "${PROJECT_SOURCE_DIR}/pass")
  add_library(gpreempt_pragma OBJECT "${PROJECT_SOURCE_DIR}/pass/Pragma.cpp")
  set_target_properties(gpreempt_pragma PROPERTIES POSITION_INDEPENDENT_CODE ON
                        CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
  target_compile_definitions(gpreempt_pragma PRIVATE ${GP_LLVM_DEFINITIONS})
  target_include_directories(gpreempt_pragma PRIVATE ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
  if(NOT LLVM_ENABLE_RTTI)
    target_compile_options(gpreempt_pragma PRIVATE -fno-rtti)
  endif()
  target_compile_options(gpreempt_pragma PRIVATE -Wall -Wno-unused-parameter)
  find_program(GP_OBJCOPY NAMES objcopy llvm-objcopy HINTS "${LLVM_TOOLS_BINARY_DIR}" REQUIRED)
  set(GP_PRAGMA_WEAK "${CMAKE_CURRENT_BINARY_DIR}/Pragma.weak.o")
  add_custom_command(OUTPUT "${GP_PRAGMA_WEAK}"
    COMMAND "${GP_OBJCOPY}" --weaken "$<TARGET_OBJECTS:gpreempt_pragma>" "${GP_PRAGMA_WEAK}"
    DEPENDS gpreempt_pragma "$<TARGET_OBJECTS:gpreempt_pragma>"
    COMMENT "Weakening Pragma.cpp's references to Clang")
  set_source_files_properties("${GP_PRAGMA_WEAK}" PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  target_sources(gpreempt PRIVATE "${GP_PRAGMA_WEAK}")
  target_link_libraries(gpreempt PRIVATE ${CMAKE_DL_LIBS})
endif()
