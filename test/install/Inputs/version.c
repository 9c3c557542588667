/* The header's version macros against the library's gp_version(). */
#include <gpreempt.h>
#include <stdio.h>
#include <string.h>

#define STR2(x) #x
#define STR(x) STR2(x)

int main(void) {
  const char *built = STR(GP_VERSION_MAJOR) "." STR(GP_VERSION_MINOR) "." STR(GP_VERSION_PATCH);
  printf("header %s = %s (%d), library %s\n", GP_VERSION_STRING, built, GP_VERSION, gp_version());
  if (strcmp(built, GP_VERSION_STRING) != 0 || strcmp(gp_version(), GP_VERSION_STRING) != 0) {
    printf("version mismatch\n");
    return 1;
  }
  return GP_VERSION >= GP_MKVERSION(0, 1, 0) ? 0 : 1;
}
