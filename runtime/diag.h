/*
 * diag.h - diagnostics that read the whole runtime without changing it:
 * the goroutine dump (dump.c), PC -> name (symbolize.c), and
 * GPDEBUG=schedtrace (schedtrace.c).  Called from fatal errors and sysmon.
 */
#ifndef GP_DIAG_H
#define GP_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gp_g;
void gp_dump_goroutines(int fd, struct gp_g *self);
void gp_symbolize(uintptr_t pc, char *buf, size_t n);
void gp_schedtrace(bool detail);

#endif /* GP_DIAG_H */
