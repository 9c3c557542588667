// POSIX and C11 locks, condition variables, semaphores and joins used from
// goroutines (runtime/threadwait.c).  Each mode hung or computed a wrong
// result before: a goroutine waiting in the kernel kept the only P, so the
// lock's holder (or the poster, the thread's feeder) never ran; and a lock
// belongs to a thread, so a preempted holder's thread let another goroutine
// into a recursive mutex, or the holder unlocked from another thread.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=50us timeout 60 %t recursive | FileCheck %s --check-prefix=REC
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=50us timeout 60 %t c11-recursive | FileCheck %s --check-prefix=REC
// RUN: env GPMAXPROCS=1 timeout 60 %t contended | FileCheck %s --check-prefix=CONT
// RUN: env GPMAXPROCS=1 timeout 60 %t rwlock | FileCheck %s --check-prefix=CONT
// RUN: env GPMAXPROCS=2 timeout 60 %t errorcheck | FileCheck %s --check-prefix=EC
// RUN: env GPMAXPROCS=1 timeout 60 %t cond | FileCheck %s --check-prefix=COND
// RUN: env GPMAXPROCS=1 timeout 60 %t c11-cond | FileCheck %s --check-prefix=COND
// RUN: env GPMAXPROCS=1 timeout 60 %t sem | FileCheck %s --check-prefix=SEM
// RUN: env GPMAXPROCS=1 timeout 60 %t join | FileCheck %s --check-prefix=JOIN
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=50us timeout 60 %t spin | FileCheck %s --check-prefix=SPIN
// REC: overlaps 0, total 80000
// CONT: waiter got it after the holder: 1
// EC: unlock errors 0, total 4000
// COND: consumed 1000, sum 499500
// SEM: posted and taken 1000
// JOIN: joined, the thread read 'x'
// SPIN: overlaps 0, total 400
#include <errno.h>
#include <gpreempt.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>
#include <unistd.h>

GP_FILE_OPTIONS("loops=off"); /* holders are preempted by the signal, anywhere */

static gp_waitgroup_t wg;
static atomic_int inside, overlaps, order, errors;
static long total;

/* Work long enough inside a critical section to be preempted there. */
static void dawdle(void) {
  for (volatile int i = 0; i < 2000; i++) {
  }
}

static void enter(void) {
  if (atomic_fetch_add(&inside, 1) != 0) atomic_fetch_add(&overlaps, 1);
  dawdle();
  total++;
  atomic_fetch_sub(&inside, 1);
}

/* ---- recursive: 4 goroutines, one recursive mutex, taken twice ---- */
static pthread_mutex_t rec;
static void rec_worker(void *arg) {
  for (int i = 0; i < 20000; i++) {
    pthread_mutex_lock(&rec);
    pthread_mutex_lock(&rec); /* recursion: the owner thread may take it again */
    enter();
    pthread_mutex_unlock(&rec);
    pthread_mutex_unlock(&rec);
  }
  gp_waitgroup_done(&wg);
}

static mtx_t crec;
static void c11_rec_worker(void *arg) {
  for (int i = 0; i < 20000; i++) {
    mtx_lock(&crec);
    enter();
    mtx_unlock(&crec);
  }
  gp_waitgroup_done(&wg);
}

static void run_recursive(void (*worker)(void *)) {
  gp_waitgroup_add(&wg, 4);
  for (int i = 0; i < 4; i++) gp_go(worker, NULL);
  gp_waitgroup_wait(&wg);
  printf("overlaps %d, total %ld\n", atomic_load(&overlaps), total);
}

/* ---- contended: the holder parks (gp_sleep) holding the lock ---- */
static pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static atomic_int held;

static void holder(void *arg) {
  int use_rw = arg != NULL;
  if (use_rw)
    pthread_rwlock_wrlock(&rw);
  else
    pthread_mutex_lock(&plain);
  atomic_store(&held, 1);
  gp_sleep(20 * 1000 * 1000); /* the waiter blocks meanwhile */
  atomic_store(&order, 1);
  if (use_rw)
    pthread_rwlock_unlock(&rw);
  else
    pthread_mutex_unlock(&plain);
  gp_waitgroup_done(&wg);
}

static void waiter(void *arg) {
  while (!atomic_load(&held)) gp_yield();
  if (arg)
    pthread_rwlock_rdlock(&rw);
  else
    pthread_mutex_lock(&plain);
  printf("waiter got it after the holder: %d\n", atomic_load(&order));
  if (arg)
    pthread_rwlock_unlock(&rw);
  else
    pthread_mutex_unlock(&plain);
  gp_waitgroup_done(&wg);
}

static void run_contended(void *use_rw) {
  gp_waitgroup_add(&wg, 2);
  gp_go(holder, use_rw);
  gp_go(waiter, use_rw);
  gp_waitgroup_wait(&wg);
}

/* ---- errorcheck: unlock on the thread that locked, across switches ---- */
static pthread_mutex_t ec;
static void ec_worker(void *arg) {
  for (int i = 0; i < 1000; i++) {
    pthread_mutex_lock(&ec);
    enter();
    gp_yield(); /* a switch while holding it: resume on the owner thread */
    int r = pthread_mutex_unlock(&ec);
    if (r) atomic_fetch_add(&errors, 1);
  }
  gp_waitgroup_done(&wg);
}

/* ---- cond: consumer waits in pthread_cond_wait, producer on the same P ---- */
enum { ITEMS = 1000 };
static pthread_mutex_t qmu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qcv = PTHREAD_COND_INITIALIZER;
static mtx_t cqmu;
static cnd_t cqcv;
static int queue[ITEMS], qlen, qhead;
static int c11;

static void qlock(void) { c11 ? mtx_lock(&cqmu) : pthread_mutex_lock(&qmu); }
static void qunlock(void) { c11 ? mtx_unlock(&cqmu) : pthread_mutex_unlock(&qmu); }

static void producer(void *arg) {
  for (int i = 0; i < ITEMS; i++) {
    qlock();
    queue[qlen++] = i;
    c11 ? cnd_signal(&cqcv) : pthread_cond_signal(&qcv);
    qunlock();
    if (i % 10 == 0) gp_sleep(10000); /* the consumer catches up and waits */
  }
  gp_waitgroup_done(&wg);
}

static void consumer(void *arg) {
  long sum = 0;
  for (int n = 0; n < ITEMS; n++) {
    qlock();
    while (qhead == qlen) c11 ? cnd_wait(&cqcv, &cqmu) : pthread_cond_wait(&qcv, &qmu);
    sum += queue[qhead++];
    qunlock();
  }
  printf("consumed %d, sum %ld\n", ITEMS, sum);
  gp_waitgroup_done(&wg);
}

static void run_cond(void) {
  gp_waitgroup_add(&wg, 2);
  gp_go(consumer, NULL);
  gp_go(producer, NULL);
  gp_waitgroup_wait(&wg);
}

/* ---- sem: sem_wait in one goroutine, sem_post from another on the same P ---- */
static sem_t sem;
static void sem_taker(void *arg) {
  for (int i = 0; i < ITEMS; i++)
    while (sem_wait(&sem) != 0 && errno == EINTR) {
    }
  printf("posted and taken %d\n", ITEMS);
  gp_waitgroup_done(&wg);
}
static void sem_poster(void *arg) {
  for (int i = 0; i < ITEMS; i++) {
    if (i % 10 == 0) gp_sleep(10000);
    sem_post(&sem);
  }
  gp_waitgroup_done(&wg);
}

/* ---- join: a thread that waits for a goroutine, joined by another ---- */
static int jpipe[2];
static char jread;
static void *reader_thread(void *arg) {
  while (read(jpipe[0], &jread, 1) != 1) {
  }
  return NULL;
}
static void joiner(void *arg) {
  pthread_join(*(pthread_t *)arg, NULL);
  printf("joined, the thread read '%c'\n", jread);
  gp_waitgroup_done(&wg);
}
static void feeder(void *arg) {
  gp_sleep(10 * 1000 * 1000); /* after the joiner blocked */
  if (write(jpipe[1], "x", 1) != 1) perror("write");
  gp_waitgroup_done(&wg);
}

/* ---- spin: a holder preempted by the signal would leave the waiter spinning
 * on the only P forever ---- */
static pthread_spinlock_t spin;
static void spin_worker(void *arg) {
  for (int i = 0; i < 100; i++) {
    pthread_spin_lock(&spin);
    for (int k = 0; k < 100; k++) dawdle(); /* ~ms: several slices */
    enter();
    pthread_spin_unlock(&spin);
  }
  gp_waitgroup_done(&wg);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "recursive") || !strcmp(mode, "errorcheck")) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(
        &a, !strcmp(mode, "recursive") ? PTHREAD_MUTEX_RECURSIVE : PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(!strcmp(mode, "recursive") ? &rec : &ec, &a);
  }
  if (!strcmp(mode, "recursive")) {
    run_recursive(rec_worker);
  } else if (!strcmp(mode, "c11-recursive")) {
    mtx_init(&crec, mtx_plain | mtx_recursive);
    run_recursive(c11_rec_worker);
  } else if (!strcmp(mode, "contended")) {
    run_contended(NULL);
  } else if (!strcmp(mode, "rwlock")) {
    run_contended(&rw);
  } else if (!strcmp(mode, "errorcheck")) {
    gp_waitgroup_add(&wg, 4);
    for (int i = 0; i < 4; i++) gp_go(ec_worker, NULL);
    gp_waitgroup_wait(&wg);
    printf("unlock errors %d, total %ld\n", atomic_load(&errors), total);
  } else if (!strcmp(mode, "cond") || !strcmp(mode, "c11-cond")) {
    c11 = !strcmp(mode, "c11-cond");
    mtx_init(&cqmu, mtx_plain);
    cnd_init(&cqcv);
    run_cond();
  } else if (!strcmp(mode, "sem")) {
    sem_init(&sem, 0, 0);
    gp_waitgroup_add(&wg, 2);
    gp_go(sem_taker, NULL);
    gp_go(sem_poster, NULL);
    gp_waitgroup_wait(&wg);
  } else if (!strcmp(mode, "join")) {
    static pthread_t t;
    if (pipe(jpipe) || pthread_create(&t, NULL, reader_thread, NULL)) return 1;
    gp_waitgroup_add(&wg, 2);
    gp_go(joiner, &t);
    gp_go(feeder, NULL);
    gp_waitgroup_wait(&wg);
  } else if (!strcmp(mode, "spin")) {
    pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
    gp_waitgroup_add(&wg, 4);
    for (int i = 0; i < 4; i++) gp_go(spin_worker, NULL);
    gp_waitgroup_wait(&wg);
    printf("overlaps %d, total %ld\n", atomic_load(&overlaps), total);
  } else {
    fprintf(stderr, "unknown mode '%s'\n", mode);
    return 2;
  }
  return 0;
}
