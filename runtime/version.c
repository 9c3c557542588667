/*
 * version.c - gp_version(): the version of the library itself.
 *
 * The header's GP_VERSION_* macros say what a program was compiled against;
 * this string says what it runs with, which differs when libgmprt.so is
 * upgraded under a program.  The string is GP_VERSION_STRING of the header
 * the library was built with (CMake reads the same lines for the project's
 * version, the .pc file and the CMake package), so there is one number.
 *
 * Alternatives rejected: symbol versions (glibc's GLIBC_2.x) or a versioned
 * soname for the dynamic linker to check: before 1.0 the API may change at
 * any minor release, and the library is installed as plain libgmprt.so,
 * which programs and tests copy beside themselves by that name.
 */
#include "base.h"

#include <gpreempt.h>

GP_EXPORT const char *gp_version(void) { return GP_VERSION_STRING; }
