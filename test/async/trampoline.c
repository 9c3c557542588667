// The handler and trampoline alone, without the scheduler: a stand-in
// gp_preempt_park (Inputs/clobber_x86_64.S) destroys every register, a thread
// signals the kernel thousands of times, and the register-torture kernels
// still compute the right values; unregistered copies are never diverted;
// the program's own SIGURG handler keeps receiving its signals.
// RUN: %clang -O2 -D_GNU_SOURCE -DGP_ASYNC_LAYER -I%inc -I%S/../../runtime %s \
// RUN:   %S/Inputs/torture_x86_64.S %S/Inputs/clobber_x86_64.S %gprt_async -lpthread %gprt_flags -o %t
// RUN: timeout 120 %t | FileCheck %s
// REQUIRES: x86_64
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "preempt.h"
#include "Inputs/torture.h"

/* ---- What the scheduler would provide ------------------------------------ */
gp_debug_t gp_debug;
unsigned long clobber_parks; /* incremented by gp_preempt_park */
int clobber_isa;
static volatile int in_kernel;
static size_t max_need;

_Noreturn void gp_fatal(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "fatal error: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  exit(2);
}

gp_async_refusal_t gp_sched_async_check(uintptr_t sp, size_t need) {
  max_need = need;
  return in_kernel ? GP_ASYNC_OK : GP_ASYNC_NO_GOROUTINE;
}


/* ---- Sender: sysmon's role ----------------------------------------------- */
static atomic_int stop;
static pid_t kernel_tid;
static unsigned long sent;

static void *sender(void *arg) {
  (void)arg;
  while (!atomic_load(&stop)) {
    if (gp_async_signal(kernel_tid))
      sent++;
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
  }
  return NULL;
}

static atomic_int user_signals;
static void user_handler(int sig) { atomic_fetch_add(&user_signals, 1); }

static int run(enum torture_isa isa, int registered, uint64_t iters) {
  torture_state_t st __attribute__((aligned(64)));
  torture_seed(&st, 1 + isa * 2 + registered);
  unsigned long before = clobber_parks;
  in_kernel = 1;
  torture_kernel(isa, registered)(iters, &st);
  in_kernel = 0;
  int bad = torture_check(&st, iters, isa, registered ? "registered" : "plain");
  unsigned long parks = clobber_parks - before;
  printf("%s %s: mismatches=%d preempted=%s\n", torture_isa_names[isa],
         registered ? "registered" : "unregistered", bad,
         parks >= 100 ? "many" : parks ? "few" : "never");
  fprintf(stderr, "%s %s: %lu preemptions\n", torture_isa_names[isa],
          registered ? "registered" : "unregistered", parks);
  return bad;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  /* The program's handler, installed before the runtime's. */
  signal(SIGURG, user_handler);
  gp_debug.preemptsignal = SIGURG;
  gp_async_init();
  gp_async_thread_init();
  gp_module_t *module = torture_register();
  // CHECK: lookup: ok
  const gp_func_t *f = gp_tables_lookup((uintptr_t)torture_sse + 5);
  printf("lookup: %s\n", f && f->addr == (const void *)torture_sse &&
                                 !gp_tables_lookup((uintptr_t)main)
                             ? "ok"
                             : "BROKEN");

  raise(SIGURG);
  kill(getpid(), SIGURG);
  // CHECK: user handler got 2 of 2
  printf("user handler got %d of 2\n", atomic_load(&user_signals));

  kernel_tid = (pid_t)syscall(SYS_gettid);
  clobber_isa = torture_best_isa();
  pthread_t t;
  pthread_create(&t, NULL, sender, NULL);
  int bad = 0;
  // CHECK: sse registered: mismatches=0 preempted=many
  // CHECK: sse unregistered: mismatches=0 preempted=never
  // CHECK: avx2 {{.*}}registered: mismatches=0 preempted={{many|never}}
  // CHECK: avx512 {{.*}}registered: mismatches=0 preempted={{many|never}}
  for (int isa = 0; isa <= TORTURE_AVX512; isa++) {
    if (isa > (int)torture_best_isa()) {
      printf("%s registered: mismatches=0 preempted=never (skipped: no CPU "
             "support)\n%s unregistered: mismatches=0 preempted=never "
             "(skipped)\n",
             torture_isa_names[isa], torture_isa_names[isa]);
      continue;
    }
    bad += run(isa, 1, 150 * 1000 * 1000);
    bad += run(isa, 0, 50 * 1000 * 1000);
  }
  atomic_store(&stop, 1);
  pthread_join(t, NULL);
  printf("covered: %s, isa of the clobber: %s\n",
         torture_isa_names[torture_best_isa()],
         torture_isa_names[clobber_isa]);
  // CHECK: total mismatches: 0
  printf("total mismatches: %d\n", bad);
  fprintf(stderr, "signals sent %lu, need %zu bytes\n", sent, max_need);

  // A handler installed after ours: the runtime notices and stops signalling.
  signal(SIGURG, user_handler);
  // CHECK: after replacement: signal sent=0, user handler got 3
  int ok = gp_async_signal(kernel_tid);
  raise(SIGURG);
  printf("after replacement: signal sent=%d, user handler got %d\n", ok,
         atomic_load(&user_signals));

  // CHECK: gpreempt: preemption stats
  // CHECK: signals not sent:
  // CHECK: handler-replaced: 1
  // CHECK: async refused:
  // CHECK: unknown-pc:
  gp_stats_print(stdout);
  __gp_unregister_module(module);
  // CHECK: after unregister: not found
  printf("after unregister: %s\n",
         gp_tables_lookup((uintptr_t)torture_sse + 5) ? "FOUND" : "not found");
  gp_async_thread_fini();
  return bad != 0;
}
