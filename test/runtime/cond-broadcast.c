// gp_cond: signal wakes exactly one waiter, broadcast wakes all of them, and a waiter that starts waiting after a signal is not woken by it; waiters include a foreign thread (which sleeps with the mutex unlocked).
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: 10 waiting (9 goroutines, 1 thread)
// CHECK-NEXT: after signal: 1 woken
// CHECK-NEXT: mutex free while the thread waits: yes
// CHECK-NEXT: after broadcast: 10 woken
// CHECK-NEXT: late waiter not woken by an earlier signal: yes
#include <gpreempt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define NG 9

static gp_mutex_t mu;
static gp_cond_t cv;
static int waiting, woken, generation;

static void wait_once(void) {
  gp_mutex_lock(&mu);
  int gen = generation;
  waiting++;
  while (generation == gen) gp_cond_wait(&cv, &mu); /* any wake-up after generation++ passes */
  woken++;
  gp_mutex_unlock(&mu);
}

static void gwaiter(void *arg) { wait_once(); }
static void *twaiter(void *arg) {
  wait_once();
  return NULL;
}

static int count(int *p) {
  gp_mutex_lock(&mu);
  int v = *p;
  gp_mutex_unlock(&mu);
  return v;
}

static void settle(void) { gp_sleep(30000000); }

int main(void) {
  alarm(60);
  for (long i = 0; i < NG; i++)
    if (gp_go(gwaiter, NULL) < 0) return 1;
  pthread_t t;
  if (pthread_create(&t, NULL, twaiter, NULL)) return 1;
  for (int i = 0; i < 5000 && count(&waiting) < NG + 1; i++) gp_sleep(1000000);
  /* count() took the mutex after every waiter's waiting++: each released it
   * inside gp_cond_wait, after taking its ticket, so each is waiting now */
  printf("%d waiting (%d goroutines, 1 thread)\n", count(&waiting), NG);
  /* One signal: every waiter it wakes passes the generation check, so the
   * woken count is exactly the number of waiters the signal woke. */
  gp_mutex_lock(&mu);
  generation++;
  gp_cond_signal(&cv);
  gp_mutex_unlock(&mu);
  for (int i = 0; i < 5000 && count(&woken) < 1; i++) gp_sleep(1000000);
  settle(); /* give a wrong second wake-up time to show */
  printf("after signal: %d woken\n", count(&woken));
  int ok = gp_mutex_trylock(&mu) == 0;
  if (ok) gp_mutex_unlock(&mu);
  printf("mutex free while the thread waits: %s\n", ok ? "yes" : "NO");
  gp_mutex_lock(&mu);
  gp_cond_broadcast(&cv);
  gp_mutex_unlock(&mu);
  for (int i = 0; i < 5000 && count(&woken) < NG + 1; i++) gp_sleep(1000000);
  printf("after broadcast: %d woken\n", count(&woken));
  pthread_join(t, NULL);
  /* a signal with nobody waiting is not remembered */
  gp_cond_signal(&cv);
  gp_mutex_lock(&mu);
  waiting = 0;
  gp_mutex_unlock(&mu);
  int before = count(&woken);
  if (gp_go(gwaiter, NULL) < 0) return 1;
  for (int i = 0; i < 5000 && count(&waiting) < 1; i++) gp_sleep(1000000);
  settle();
  printf("late waiter not woken by an earlier signal: %s\n", count(&woken) == before ? "yes" : "NO");
  return 0;
}
