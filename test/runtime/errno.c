// errno belongs to the goroutine: it survives yields and sleeps even when the goroutine moves to another thread (the test counts the moves and forces some), and a new goroutine starts with errno 0.
// errno is read through out-of-line helpers: glibc declares __errno_location
// const, so within one function the compiler may reuse errno's address across
// a call after which the goroutine runs on another thread (docs/runtime.md).
// Moves are counted with gettid() around each yield or sleep.  With one P
// goroutines rarely change threads by themselves, so a second phase forces
// it: a goroutine spawns a helper (which runs next on the same thread), the
// helper wires itself to that thread with gp_lock_os_thread and parks, and
// from then on the goroutine can only run on another thread.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// CHECK: start_zero=200 kept=200 checks=20000 moved=[[#M:]]
// CHECK-SAME: {{ }}kept_across_moves=[[#M]]{{$}}
// CHECK-NEXT: forced: tries={{[0-9]+}} helper_on_my_thread=[[#F:]]
// CHECK-SAME: {{ }}moved=[[#F]] kept=[[#F]] (want >= 1){{$}}
// CHECK-NEXT: main errno=77
#include <errno.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define G 200
#define ITERS 100
#define FORCE_TRIES 20 /* tries needed only if a thief steals the helper */

static gp_waitgroup_t wg;
__attribute__((noinline)) static int get_errno(void) { return errno; }
__attribute__((noinline)) static void set_errno(int v) { errno = v; }
static pid_t tid(void) { return (pid_t)syscall(SYS_gettid); }
static atomic_int kept, start_zero, checks, moved, kept_moved;

static void g(void *arg) {
  int mine = 1000 + (int)(long)arg;
  if (get_errno() == 0) atomic_fetch_add(&start_zero, 1);
  int ok = 1;
  for (int i = 0; i < ITERS; i++) {
    set_errno(mine);
    pid_t before = tid();
    if (i % 3 == 0) gp_sleep(10000); else gp_yield();
    int e = get_errno();
    int moved_now = tid() != before;
    atomic_fetch_add(&checks, 1);
    if (moved_now) atomic_fetch_add(&moved, 1);
    if (e != mine) {
      ok = 0;
      fprintf(stderr, "goroutine %d: errno=%d after %s, want %d (thread %s)\n", (int)(long)arg, e,
              i % 3 == 0 ? "sleep" : "yield", mine, moved_now ? "changed" : "same");
    } else if (moved_now) {
      atomic_fetch_add(&kept_moved, 1);
    }
  }
  if (ok) atomic_fetch_add(&kept, 1);
  gp_waitgroup_done(&wg);
}

/* Phase 2: the helper takes the thread its spawner ran on and keeps it. */
static gp_waitgroup_t release, helper_done;
static atomic_int helper_tid;

static void helper(void *arg) {
  gp_lock_os_thread();
  atomic_store(&helper_tid, (int)tid());
  gp_waitgroup_wait(&release); /* parks wired: the thread runs nothing else */
  gp_unlock_os_thread();
  gp_waitgroup_done(&helper_done);
}

static int tries, on_my_thread, forced_moved, forced_kept;

static void forcer(void *arg) {
  for (tries = 0; tries < FORCE_TRIES && on_my_thread < 3; tries++) {
    int mine = 5000 + tries;
    atomic_store(&helper_tid, 0);
    gp_waitgroup_add(&release, 1);
    gp_waitgroup_add(&helper_done, 1);
    set_errno(mine);
    pid_t before = tid();
    if (gp_go(helper, NULL) < 0) {
      perror("gp_go");
      _exit(1);
    }
    while (atomic_load(&helper_tid) == 0) gp_sleep(1000000);
    int e = get_errno();
    pid_t after = tid();
    if (atomic_load(&helper_tid) == before) { /* the helper holds our old thread */
      on_my_thread++;
      if (after != before) forced_moved++;
      else fprintf(stderr, "forced: still on thread %d, which the helper holds\n", (int)after);
      if (e == mine) forced_kept++;
      else fprintf(stderr, "forced: errno=%d after the move, want %d\n", e, mine);
    }
    gp_waitgroup_done(&release);
    gp_waitgroup_wait(&helper_done);
  }
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  set_errno(77);
  gp_waitgroup_add(&wg, G);
  for (long i = 0; i < G; i++)
    if (gp_go(g, (void *)i) < 0) {
      perror("gp_go");
      return 1;
    }
  gp_waitgroup_wait(&wg);
  printf("start_zero=%d kept=%d checks=%d moved=%d kept_across_moves=%d\n",
         atomic_load(&start_zero), atomic_load(&kept), atomic_load(&checks),
         atomic_load(&moved), atomic_load(&kept_moved));
  gp_waitgroup_add(&wg, 1);
  if (gp_go(forcer, NULL) < 0) {
    perror("gp_go");
    return 1;
  }
  gp_waitgroup_wait(&wg);
  int fail = on_my_thread < 1;
  printf("forced: tries=%d helper_on_my_thread=%d moved=%d kept=%d (want >= 1)%s\n", tries,
         on_my_thread, forced_moved, forced_kept, fail ? ": FAILED" : "");
  printf("main errno=%d\n", get_errno());
  return fail;
}
