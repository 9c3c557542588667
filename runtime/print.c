/*
 * print.c - gp_fdprintf: formatted output straight to a file descriptor
 * (base.h).  Fatal errors, dumps and traces print through it: it allocates
 * nothing and takes no stdio lock, so it works while another thread holds
 * one, and retries writes interrupted by signals.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base.h"

/* Longer output is cut: fatal messages and dump lines are short. */
#define GP_PRINT_BUF 1024

void gp_fdprintf(int fd, const char *fmt, ...) {
  char buf[GP_PRINT_BUF];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof buf - 1) n = sizeof buf - 1;
  for (int off = 0; off < n;) {
    /* syscall(2): the runtime's own output never goes through interposition */
    ssize_t w = syscall(SYS_write, fd, buf + off, (size_t)(n - off));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    off += (int)w;
  }
}
