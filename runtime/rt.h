/*
 * rt.h - the whole runtime's internal interface, for the files at the top
 * (park.c, sync.c, dump.c, fatal.c, schedtrace.c): it includes every
 * layer's header.  A file lower down includes only the headers of its own
 * layer and those below.  Not installed; not part of the ABI.
 *
 * Layers (docs/runtime.md has the same table; a file calls only into its
 * own layer and the ones above it in this list, except for the inherent
 * edges named at the end):
 *
 *   0 base        base.h arch.h     os_linux.c print.c gpdebug.c fatal.c
 *                 sanitizers.h      arch_x86_64.h sanitizers_x86_64.h
 *   1 locks       lock.h            lock.c
 *   2 data        gmp.h runq.h      runq.c stack.c timers.c
 *                 stack.h timers.h
 *   3 scheduler   proc.h fork.h     proc.c switch_x86_64.S fork.c
 *                                   sanitizers.c (sanitizer hooks)
 *   4 preemption  sysmon.h          sysmon.c sysmon_wait.c slowpath.c
 *                 usersig.h         usersig.c
 *     async       preempt.h         asyncpreempt.c asyncpreempt_x86_64.c
 *                                   asyncpreempt_x86_64.S tables.c
 *                                   preemptstats.c
 *   5 blocking    park.h chan.h     park.c sync.c chan.c select.c time.c
 *                 netpoll.h         netpoll.c netpoll_epoll.c interpose.c
 *                                   threadbound.c
 *   diagnostics   diag.h trace.h    dump.c symbolize.c schedtrace.c crash.c
 *                                   crash_x86_64.c trace.c
 *
 * The async layer includes only base.h and preempt.h (the build enforces
 * it: it is compiled on its own with GP_ASYNC_LAYER defined, which makes
 * this header and gmp.h refuse to be included) and reaches the scheduler
 * through the two functions preempt.h declares; its unit tests link it
 * alone against a stub scheduler.
 *
 * Inherent upward edges: a fatal error dumps the goroutines (fatal.c ->
 * dump.c); a timer wakes an idle M or P (timers.c -> proc.c); an idle M
 * blocks in the netpoller and sysmon polls it (proc.c, sysmon.c ->
 * netpoll.c, through proc.h's netpoll section); start-up or the second
 * goroutine starts sysmon, and a P leaving the idle list wakes it (proc.c ->
 * sysmon.h); start-up installs the preemption signal and resolves libc for
 * interposition (proc.c -> sysmon.c, asyncpreempt.c, interpose.c), and a
 * forked child restarts sysmon, the netpoller and the timers' waiter state
 * (fork.c -> sysmon.c, netpoll.c, timers.c); the diagnostics read
 * every layer's state.
 *
 * Naming follows Go's runtime (proc.go): G = goroutine, M = OS thread,
 * P = processor (the right to run Go code, with a local run queue).
 */
#ifndef GP_RT_H
#define GP_RT_H

#include "base.h"
#include "diag.h"
#include "fork.h"
#include "gmp.h"
#include "lock.h"
#include "park.h"
#include "preempt.h"
#include "proc.h"
#include "runq.h"
#include "stack.h"
#include "sysmon.h"
#include "timers.h"
#include "usersig.h"

#endif /* GP_RT_H */
