/* tutorial step 4: a pool of workers, a jobs channel, a results channel,
 * and a deadline with select:  ./workerpool [deadline in ms, default 5000] */
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>

enum { WORKERS = 4, JOBS = 12 };

typedef struct result {
  int job, worker;
  long start, steps; /* the longest chain of the job's range */
} result_t;

static gp_chan_t *jobs, *results;
static gp_waitgroup_t workers;

/* The work, CPU only: the longest Collatz chain starting in job's range of
 * 100,000 numbers. */
static result_t longest_chain(int job) {
  result_t r = {.job = job};
  for (long start = (job - 1) * 100000L + 1; start <= job * 100000L; start++) {
    long steps = 0;
    for (long n = start; n != 1; steps++)
      n = n % 2 ? 3 * n + 1 : n / 2;
    if (steps > r.steps) r.start = start, r.steps = steps;
  }
  return r;
}

static void worker(void *arg) {
  int id = (int)(intptr_t)arg, job;
  while (gp_chan_recv(jobs, &job)) { /* 0: jobs is closed and drained */
    result_t r = longest_chain(job);
    r.worker = id;
    gp_chan_send(results, &r);
  }
  gp_waitgroup_done(&workers);
}

/* Closes results once every worker has finished, as Go code does. */
static void closer(void *arg) {
  (void)arg;
  gp_waitgroup_wait(&workers);
  gp_chan_close(results);
}

int main(int argc, char **argv) {
  int64_t deadline_ms = argc > 1 ? atol(argv[1]) : 5000;
  jobs = gp_chan_make(sizeof(int), JOBS);
  results = gp_chan_make(sizeof(result_t), 0);
  for (int w = 1; w <= WORKERS; w++) {
    gp_waitgroup_add(&workers, 1);
    gp_go(worker, (void *)(intptr_t)w);
  }
  for (int j = 1; j <= JOBS; j++)
    gp_chan_send(jobs, &j);
  gp_chan_close(jobs);
  gp_go(closer, NULL);

  gp_chan_t *deadline = gp_after(deadline_ms * GP_MILLISECOND);
  int got = 0;
  for (;;) {
    result_t r;
    gp_case_t cases[] = {GP_RECV(results, &r), GP_RECV(deadline, NULL)};
    int i = gp_select(cases, 2);
    if (i == 1) {
      printf("deadline: %d of %d results\n", got, JOBS);
      break;
    }
    if (!cases[0].ok) { /* results closed: every job is done */
      printf("all %d results in\n", got);
      break;
    }
    got++;
    printf("job %2d: %7ld has %3ld steps (worker %d)\n", r.job, r.start, r.steps, r.worker);
  }
  gp_chan_free(deadline);
  return 0;
}
