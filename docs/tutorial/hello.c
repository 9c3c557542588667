/* tutorial step 1: goroutines and a wait group. */
#include <gpreempt.h>
#include <stdio.h>

static gp_waitgroup_t wg;

static void greet(void *arg) {
  printf("hello from goroutine %lld, %s\n", (long long)gp_self(), (const char *)arg);
  gp_waitgroup_done(&wg);
}

int main(void) {
  const char *names[] = {"Ada", "Grace", "Ken"};
  for (int i = 0; i < 3; i++) {
    gp_waitgroup_add(&wg, 1);
    if (gp_go(greet, (void *)names[i]) < 0) {
      perror("gp_go");
      return 1;
    }
  }
  gp_waitgroup_wait(&wg);
  printf("main is goroutine %lld; all done\n", (long long)gp_self());
  return 0;
}
