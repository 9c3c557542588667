// The program's own SIGSEGV handler wins, as in Go: one installed before the runtime starts (a constructor) is left in place, one installed later replaces the runtime's; either runs instead of the crash report.
// RUN: %clang -O1 -g %gpflags %s %gprt -o %t
// RUN: sh -c '%t before 2>&1; echo status=$?' | FileCheck --check-prefix=BEFORE %s
// RUN: sh -c '%t after 2>&1; echo status=$?' | FileCheck --check-prefix=AFTER %s
// BEFORE: user handler: signal 11
// BEFORE-NOT: fatal error
// BEFORE: status=7
// AFTER: user handler: signal 11
// AFTER-NOT: fatal error
// AFTER: status=7
#include <gpreempt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on_segv(int sig) {
  char msg[] = "user handler: signal 11\n";
  if (sig == SIGSEGV) write(1, msg, strlen(msg));
  _exit(7);
}

static void install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_segv;
  if (sigaction(SIGSEGV, &sa, NULL) != 0) _exit(3);
}

static int before;
__attribute__((constructor(100))) static void early(void) {
  const char *arg = NULL;
  FILE *f = fopen("/proc/self/cmdline", "r");
  char buf[256] = {0};
  if (f) {
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    size_t len = strlen(buf);
    if (len + 1 < n) arg = buf + len + 1;
  }
  if (arg && strcmp(arg, "before") == 0) {
    before = 1;
    install(); /* the runtime's constructor (priority 101) runs after this */
  }
}

static void crash(void *arg) { *(volatile int *)arg = 1; }

int main(int argc, char **argv) {
  alarm(30);
  if (argc < 2) return 1;
  if (!before) install();
  if (gp_go(crash, NULL) < 0) return 1;
  gp_sleep(10 * GP_SECOND);
  return 0;
}
