// Calls that wait inside libc where the netpoller cannot see (system, pclose,
// waitpid, getaddrinfo: runtime/threadwait.c) hand their P on: on one P,
// a ticker goroutine keeps ticking while another goroutine waits for a
// 200 ms child.  Before, the waiting goroutine kept the only P and the ticker
// stood still for the whole wait.  (stdio's own reads, fgets on the pipe here,
// still block with the P: libc calls its internal read.)
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 timeout 60 %t | FileCheck %s
// CHECK: system: status 0, ticked meanwhile: yes
// CHECK-NEXT: popen/pclose: read 'hi', status 0, ticked meanwhile: yes
// CHECK-NEXT: fork/waitpid: status 7, ticked meanwhile: yes
// CHECK-NEXT: getaddrinfo localhost: 0
#include <gpreempt.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static atomic_long ticks;
static atomic_int stop;
static gp_waitgroup_t wg;

static void ticker(void *arg) {
  while (!atomic_load(&stop)) {
    gp_sleep(1000 * 1000);
    atomic_fetch_add(&ticks, 1);
  }
  gp_waitgroup_done(&wg);
}

static const char *ticked_since(long t0) { return atomic_load(&ticks) > t0 ? "yes" : "no"; }

int main(void) {
  gp_waitgroup_add(&wg, 1);
  gp_go(ticker, NULL);
  gp_sleep(5 * 1000 * 1000); /* the ticker is running */

  long t0 = atomic_load(&ticks);
  int st = system("sleep 0.2");
  printf("system: status %d, ticked meanwhile: %s\n", st, ticked_since(t0));

  t0 = atomic_load(&ticks);
  FILE *f = popen("echo hi; sleep 0.2", "r"); /* pclose waits for the sleep */
  char buf[16] = {0};
  if (!f || !fgets(buf, sizeof buf, f)) return 1;
  buf[strcspn(buf, "\n")] = 0;
  st = pclose(f);
  printf("popen/pclose: read '%s', status %d, ticked meanwhile: %s\n", buf, st, ticked_since(t0));

  t0 = atomic_load(&ticks);
  pid_t pid = fork();
  if (pid == 0) {
    usleep(200 * 1000);
    _exit(7);
  }
  int ws = 0;
  if (waitpid(pid, &ws, 0) != pid) return 1;
  printf("fork/waitpid: status %d, ticked meanwhile: %s\n", WEXITSTATUS(ws), ticked_since(t0));

  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
  int r = getaddrinfo("localhost", "80", &hints, &res);
  printf("getaddrinfo localhost: %d\n", r);
  if (res) freeaddrinfo(res);

  atomic_store(&stop, 1);
  gp_waitgroup_wait(&wg);
  return 0;
}
