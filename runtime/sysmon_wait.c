/*
 * sysmon_wait.c - how sysmon waits between looks: a precise kernel sleep,
 * a spinning monitor while slices are short, and a park while every P is
 * idle.
 *
 * Kernel sleep.  sysmon's thread has a timer slack of 1 ns
 * (PR_SET_TIMERSLACK; the default 50 µs stretches every sleep by up to that
 * much, which made every slice below ~150 µs behave like ~150 µs) and sleeps
 * with clock_nanosleep(TIMER_ABSTIME) to the deadline its loop computed, so
 * the time spent computing is not added to the sleep.  What remains is the
 * kernel's wakeup latency: a few µs on bare metal, measured 35 µs at the
 * median and ~100 µs at p99 on the 2-CPU VM the benchmarks run on, where
 * each sleep also costs ~30 µs of CPU (timer programming traps to the
 * hypervisor).  At a 20 µs slice something must wake 50,000 times a second:
 * no kernel sleep can.
 *
 * Spinning.  So while the configured slice is shorter than
 * SYSMON_SPIN_SLICE, a P runs goroutines, and a CPU is left over beside the
 * running Ps (gp_os_ncpu() > busy Ps: a spinning monitor must not take a
 * CPU from a goroutine), sysmon does not sleep between looks: it spins on
 * the vDSO clock with the CPU's pause hint until the next deadline.  That
 * costs one CPU for as long as goroutines run (Concord's dispatcher core);
 * it stops within ~50 µs of every P going idle (checked every few dozen
 * turns: the spin reads nothing shared in between, so the CPUs running
 * goroutines do not lose their cache lines to it), and the default 10 ms
 * slice never spins.
 *
 * Park.  While no P needs watching (every P idle, or every running
 * goroutine past its slice with nobody waiting: sysmon.c) and nobody needs
 * the I/O poller polled, sysmon has nothing to look at: it sleeps on a note
 * until its next own deadline (a timer nobody waits for, the stack
 * scavenger while the pool holds stacks it could return, schedtrace; a
 * slice's length while a lone hog runs) and is kicked (gp_sysmon_kick) when
 * a P starts running or a goroutine becomes runnable with no idle P.  An
 * idle process then costs sysmon no wakeup at all once the scavenger is
 * done (test/runtime/sysmon-idle-wakeups.c: 0-1 a second, 10 before), and a
 * lone hog one per slice instead of four.  Ordering: sysmon stores `parked` then loads
 * npidle and the run queues; pidleget decrements npidle then loads `parked`
 * (both seq_cst), so either sysmon sees the busy P and does not sleep, or
 * pidleget sees it parked and wakes it.  A kick after a run queue store is
 * not so ordered; one lost to that race waits for the park's end.
 *
 * Rejected: per-M POSIX timers (timer_create with SIGEV_THREAD_ID): the
 * kernel would signal each M at its slice's end, but every expiry is then a
 * signal delivery on the goroutine's own CPU (several µs in a VM, 50,000
 * times a second at 20 µs: more than the 5% the hogs may lose) and still a
 * hypervisor trap to re-arm; and CPU-clock timers tick at HZ.  A spinning
 * monitor on a spare CPU keeps the goroutines' CPUs undisturbed.
 */
#include <sys/prctl.h>
#include <time.h>

#include "gmp.h"
#include "proc.h"
#include "runq.h"
#include "sysmon.h"

/* Slices shorter than this get a spinning monitor: below it a kernel sleep
 * on a VM wakes late by a large part of the slice (35 µs median, ~100 µs
 * p99 measured) and would cost sysmon ~30 µs of CPU per look. */
#define SYSMON_SPIN_SLICE (200 * GP_US)
/* Pause hints between two clock reads while spinning (~1 µs together with
 * the read: a deadline is met within about a microsecond). */
#define SYSMON_SPIN_PAUSES 16
/* While spinning, whether some P still runs is checked every this many
 * turns (~50 µs), not at every turn: npidle shares its cache lines with
 * sched.lock and the global queue, which the Ms write at every switch, and
 * a read every microsecond from the spinning CPU made each of those writes
 * a cache miss on the goroutines' CPU.  Spinning ~50 µs too long after the
 * last P went idle costs nothing anybody waits for. */
#define SYSMON_SPIN_BUSY_TURNS 48

_Atomic int gp_sysmon_parked;
static gp_note_t park_note;
static int ncpu; /* CPUs the process may use (sysmon's thread reads it) */

void gp_sysmon_wait_init(void) {
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL); /* 1 ns: sleeps end on time */
  ncpu = gp_os_ncpu();
}

/* Ps running goroutines or in a system call (not idle). */
static int busy_ps(void) {
  return LOAD_RLX(&gp_sched.gomaxprocs) - (int)LOAD_RLX(&gp_sched.npidle);
}

static void kernel_sleep_until(int64_t until) {
  struct timespec ts = gp_ns_to_timespec(until);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0) {
    /* EINTR (a signal not blocked in this thread): sleep the rest */
    if (gp_nanotime() >= until) break;
  }
}

bool gp_sysmon_spins(void) {
  int busy = busy_ps();
  return gp_debug.timeslice_ns < SYSMON_SPIN_SLICE && busy > 0 && ncpu > busy;
}

void gp_sysmon_wait(int64_t until) {
  if (gp_sysmon_spins()) {
    for (unsigned turn = 1; gp_nanotime() < until; turn++) {
      if (turn % SYSMON_SPIN_BUSY_TURNS == 0 && busy_ps() == 0) break;
      for (int i = 0; i < SYSMON_SPIN_PAUSES; i++) gp_arch_cpu_relax();
    }
    return;
  }
  if (until > gp_nanotime()) kernel_sleep_until(until);
}

void gp_sysmon_park(int64_t until, int npidle) {
  gp_note_clear(&park_note);
  atomic_store(&gp_sysmon_parked, 1); /* seq_cst: see the header comment */
  if (atomic_load(&gp_sched.npidle) == npidle && !gp_runnable_waiting())
    gp_note_sleep_until(&park_note, until);
  atomic_store(&gp_sysmon_parked, 0);
}

void gp_sysmon_unpark(void) {
  atomic_store(&gp_sysmon_parked, 0); /* one wakeup per park is enough */
  /* sysmon's clock went stale while it slept (every P idle: for as long as
   * that lasted); goroutines about to park read it (park.c waitsince). */
  STORE_RLX(&gp_sched.coarse_now, gp_nanotime());
  gp_note_wakeup(&park_note);
}
