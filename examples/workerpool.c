/*
 * workerpool: a pool of workers fed by a jobs channel, reporting on a
 * results channel, stopped early through a done channel.  Every worker
 * selects between "take a job", "deliver my result" and "done is closed";
 * main collects results until it has enough, then closes done: each worker
 * sees it in its select, whatever it was waiting for, and exits.  The
 * feeder also selects on done, so it stops sending when nobody listens.
 * (With NULL channels a case is switched off, as in Go.)
 *
 *   GPMAXPROCS=2 ./workerpool [workers] [wanted]
 */
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct result {
  long job, value, worker;
} result_t;

static gp_chan_t *jobs, *results, *done;
static gp_waitgroup_t running;

/* The job: the number of Collatz steps from job to 1. */
static long collatz(long x) {
  long steps = 0;
  while (x != 1) {
    x = x % 2 ? 3 * x + 1 : x / 2;
    steps++;
  }
  return steps;
}

static void worker(void *arg) {
  long id = (long)arg, job;
  result_t r;
  int have = 0; /* a result waits to be delivered */
  for (;;) {
    gp_case_t cases[] = {
        GP_RECV(have ? NULL : jobs, &job), /* take a job when idle */
        GP_SEND(have ? results : NULL, &r), /* deliver when busy */
        GP_RECV(done, NULL),
    };
    int c = gp_select(cases, 3);
    if (c == 2 || (c == 0 && !cases[0].ok)) break; /* cancelled, or no more jobs */
    if (c == 0) {
      r = (result_t){job, collatz(job), id};
      have = 1;
    } else {
      have = 0;
    }
  }
  gp_waitgroup_done(&running);
}

static void feeder(void *arg) {
  for (long j = 1;; j++) {
    gp_case_t cases[] = {GP_SEND(jobs, &j), GP_RECV(done, NULL)};
    if (gp_select(cases, 2) == 1) break;
  }
  gp_waitgroup_done(&running);
}

int main(int argc, char **argv) {
  long nworkers = argc > 1 ? atol(argv[1]) : 4, wanted = argc > 2 ? atol(argv[2]) : 1000;
  if (nworkers < 1 || wanted < 1) {
    fprintf(stderr, "usage: workerpool [workers >= 1] [wanted >= 1]\n");
    return 2;
  }
  jobs = gp_chan_make(sizeof(long), 16);
  results = gp_chan_make(sizeof(result_t), 16);
  done = gp_chan_make(0, 0); /* a channel of signals: only ever closed */
  if (!jobs || !results || !done) {
    perror("gp_chan_make");
    return 1;
  }
  gp_waitgroup_add(&running, nworkers + 1);
  if (gp_go(feeder, NULL) < 0) return 1;
  for (long i = 0; i < nworkers; i++)
    if (gp_go(worker, (void *)i) < 0) return 1;
  long best_job = 0, best = -1, got = 0;
  long *per_worker = calloc((size_t)nworkers, sizeof *per_worker);
  if (!per_worker) return 1;
  result_t r;
  while (got < wanted && gp_chan_recv(results, &r)) {
    got++;
    per_worker[r.worker]++;
    if (r.value > best) best = r.value, best_job = r.job;
  }
  gp_chan_close(done); /* cancel: every select on done is ready now */
  gp_waitgroup_wait(&running);
  printf("%ld results from %ld workers; longest: %ld steps (job %ld)\n", got, nworkers, best, best_job);
  long busy = 0;
  for (long i = 0; i < nworkers; i++) busy += per_worker[i] > 0;
  printf("workers that delivered: %ld; all stopped after cancel\n", busy);
  free(per_worker);
  return 0;
}
