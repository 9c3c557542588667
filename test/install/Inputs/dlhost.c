/* dlopens argv[1] (Inputs/dlspin.c built -shared) and runs its spinning loop
 * in a goroutine beside main on the one P: main runs again only if the
 * library's checks reach this program's scheduler (a private runtime in the
 * library would have its own guard word and tables, and never yield). */
#include <dlfcn.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static unsigned long (*lib_spin)(atomic_int *);
static gp_id_t (*lib_go)(gp_fn_t, void *);
static atomic_int stop;
static gp_waitgroup_t wg;
static unsigned long spun;
static gp_id_t child_id;

static void run_spin(void *arg) {
  (void)arg;
  spun = lib_spin(&stop);
  gp_waitgroup_done(&wg);
}

static void child(void *arg) {
  (void)arg;
  child_id = gp_self();
  gp_waitgroup_done(&wg);
}

int main(int argc, char **argv) {
  alarm(60);
  if (argc != 2) {
    fprintf(stderr, "usage: %s lib.so\n", argv[0]);
    return 1;
  }
  void *h = dlopen(argv[1], RTLD_NOW);
  if (!h) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  *(void **)&lib_spin = dlsym(h, "lib_spin");
  *(void **)&lib_go = dlsym(h, "lib_go");
  if (!lib_spin || !lib_go) {
    fprintf(stderr, "dlsym: %s\n", dlerror());
    return 1;
  }
  gp_waitgroup_add(&wg, 1);
  if (gp_go(run_spin, NULL) < 0) {
    perror("gp_go");
    return 1;
  }
  gp_sleep(20 * GP_MILLISECOND); /* returns only if lib_spin is preempted */
  atomic_store(&stop, 1);
  gp_waitgroup_wait(&wg);
  printf("library loop preempted: %s\n", spun > 0 ? "yes" : "no");

  gp_waitgroup_add(&wg, 1);
  gp_id_t id = lib_go(child, NULL);
  if (id <= 0) {
    perror("lib_go");
    return 1;
  }
  gp_waitgroup_wait(&wg);
  printf("goroutine started by the library ran in this scheduler: %s\n",
         child_id == id ? "yes" : "no");
  if (child_id != id) fprintf(stderr, "lib_go returned %lld, the child saw %lld\n",
                              (long long)id, (long long)child_id);
  return 0;
}
