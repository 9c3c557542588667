/* A correct program that uses every synchronisation the runtime offers, with
 * plain (non-atomic) shared data: run under ASan, TSan and memcheck it must
 * produce no report.  Each section hands data from goroutine to goroutine
 * only through the primitive named, as a Go program would. */
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FAIL(...) (fprintf(stderr, "FAIL: " __VA_ARGS__), exit(1))

/* gp_go hands its argument over: written by the parent, read by the child. */
typedef struct job {
  int in[16];
  long out;
  gp_waitgroup_t *wg;
} job_t;

static void sum_job(void *arg) {
  job_t *j = arg;
  char scratch[256]; /* a stack array: ASan's redzones around it */
  memset(scratch, 1, sizeof scratch);
  long s = scratch[100];
  for (int i = 0; i < 16; i++) s += j->in[i];
  gp_yield();
  j->out = s; /* read by main after the waitgroup */
  gp_waitgroup_done(j->wg);
}

static long spawn_and_join(void) {
  enum { N = 64 };
  job_t *jobs = calloc(N, sizeof *jobs);
  gp_waitgroup_t wg = GP_WAITGROUP_INIT;
  if (!jobs) FAIL("calloc\n");
  gp_waitgroup_add(&wg, N);
  for (int k = 0; k < N; k++) {
    for (int i = 0; i < 16; i++) jobs[k].in[i] = k + i;
    jobs[k].wg = &wg;
    if (gp_go(sum_job, &jobs[k]) < 0) FAIL("gp_go\n");
  }
  gp_waitgroup_wait(&wg);
  long total = 0;
  for (int k = 0; k < N; k++) total += jobs[k].out;
  free(jobs);
  return total;
}

/* Channels: a pointer to a heap block, filled by the sender, read and freed
 * by the receiver; buffered and unbuffered; close ends the consumer. */
typedef struct msg {
  long v[8];
} msg_t;

static gp_chan_t *pipe_c;
static long consumed;
static gp_waitgroup_t pipe_done;

static void consumer(void *arg) {
  msg_t *m;
  long s = 0;
  while (gp_chan_recv(pipe_c, &m)) {
    for (int i = 0; i < 8; i++) s += m->v[i];
    free(m);
  }
  consumed = s; /* read by main after the waitgroup */
  gp_waitgroup_done(&pipe_done);
}

static long channel_pipeline(size_t cap) {
  pipe_c = gp_chan_make(sizeof(msg_t *), cap);
  if (!pipe_c) FAIL("gp_chan_make\n");
  gp_waitgroup_add(&pipe_done, 1);
  if (gp_go(consumer, NULL) < 0) FAIL("gp_go\n");
  for (int k = 0; k < 500; k++) {
    msg_t *m = malloc(sizeof *m);
    if (!m) FAIL("malloc\n");
    for (int i = 0; i < 8; i++) m->v[i] = k;
    gp_chan_send(pipe_c, &m);
  }
  gp_chan_close(pipe_c);
  gp_waitgroup_wait(&pipe_done);
  gp_chan_free(pipe_c);
  return consumed;
}

/* select over two channels and a timer; results written before the close. */
static gp_chan_t *sel_chan[2];
static long sel_data[2];

static void sel_producer(void *arg) {
  long which = (long)arg;
  for (int k = 0; k < 100; k++) {
    long v = k;
    gp_chan_send(sel_chan[which], &v);
  }
  sel_data[which] = 1000 + which; /* published by the close */
  gp_chan_close(sel_chan[which]);
}

static long select_loop(void) {
  sel_chan[0] = gp_chan_make(sizeof(long), 0);
  sel_chan[1] = gp_chan_make(sizeof(long), 4);
  if (!sel_chan[0] || !sel_chan[1]) FAIL("gp_chan_make\n");
  gp_chan_t *live[2] = {sel_chan[0], sel_chan[1]};
  gp_go(sel_producer, (void *)0L);
  gp_go(sel_producer, (void *)1L);
  gp_timer_t *t = gp_timer_make(1000000); /* 1 ms */
  long sum = 0, v[2];
  int open = 2;
  while (open > 0) {
    gp_case_t cs[3] = {GP_RECV(live[0], &v[0]), GP_RECV(live[1], &v[1]),
                       GP_RECV(gp_timer_chan(t), NULL)};
    int r = gp_select(cs, 3);
    if (r < 0 || r > 2) FAIL("gp_select returned %d\n", r);
    if (r == 2) continue;
    if (cs[r].ok) {
      sum += v[r];
    } else {
      sum += sel_data[r]; /* the close made it visible */
      open--;
      live[r] = NULL; /* a NULL channel is never ready */
    }
  }
  gp_timer_free(t);
  gp_chan_free(sel_chan[0]);
  gp_chan_free(sel_chan[1]);
  return sum;
}

/* mutex, rwmutex, cond, sema, once guarding plain data. */
static gp_mutex_t mu = GP_MUTEX_INIT;
static gp_rwmutex_t rw = GP_RWMUTEX_INIT;
static gp_cond_t cv = GP_COND_INIT;
static gp_sema_t sema = GP_SEMA_INIT;
static gp_once_t once = GP_ONCE_INIT;
static long counter, table[4], ready_flag, sema_data, once_data;
static gp_waitgroup_t lock_wg;

static void init_once(void) { once_data = 42; }

static void locker(void *arg) {
  long id = (long)arg;
  gp_once_do(&once, init_once);
  if (once_data != 42) FAIL("once_data %ld\n", once_data);
  for (int k = 0; k < 200; k++) {
    gp_mutex_lock(&mu);
    counter++;
    gp_mutex_unlock(&mu);
    if (k % 10 == 0) {
      gp_rwmutex_lock(&rw);
      table[id % 4]++;
      gp_rwmutex_unlock(&rw);
    } else {
      gp_rwmutex_rlock(&rw);
      long s = table[0] + table[1] + table[2] + table[3];
      gp_rwmutex_runlock(&rw);
      if (s < 0) FAIL("table\n");
    }
    if (k % 50 == 0) gp_yield();
  }
  if (id == 0) { /* hands sema_data to the waiter through the semaphore */
    sema_data = 7;
    gp_sema_release(&sema, 1);
    gp_mutex_lock(&mu);
    ready_flag = 1;
    gp_cond_broadcast(&cv);
    gp_mutex_unlock(&mu);
  }
  gp_waitgroup_done(&lock_wg);
}

static void cond_waiter(void *arg) {
  gp_sema_acquire(&sema, 1);
  if (sema_data != 7) FAIL("sema_data %ld\n", sema_data);
  gp_mutex_lock(&mu);
  while (!ready_flag) gp_cond_wait(&cv, &mu);
  gp_mutex_unlock(&mu);
  gp_waitgroup_done(&lock_wg);
}

static long locks(void) {
  gp_waitgroup_add(&lock_wg, 9);
  gp_go(cond_waiter, NULL);
  for (long i = 0; i < 8; i++) gp_go(locker, (void *)i);
  gp_waitgroup_wait(&lock_wg);
  return counter + table[0] + table[1] + table[2] + table[3];
}

/* gp_sleep and many short-lived goroutines: stacks are reused. */
static long churn_sum;
static gp_mutex_t churn_mu = GP_MUTEX_INIT;
static void churn(void *arg) {
  volatile char buf[512];
  for (int i = 0; i < 512; i++) buf[i] = (char)i;
  if ((long)arg % 16 == 0) gp_sleep(100000);
  gp_mutex_lock(&churn_mu);
  churn_sum += buf[7];
  gp_mutex_unlock(&churn_mu);
}

static long churn_many(void) {
  for (long i = 0; i < 2000; i++) {
    if (gp_go(churn, (void *)i) < 0) FAIL("gp_go %ld\n", i);
    if (i % 100 == 99) gp_sleep(200000);
  }
  while (gp_num_goroutine() > 1) gp_sleep(1000000);
  gp_mutex_lock(&churn_mu);
  long s = churn_sum;
  gp_mutex_unlock(&churn_mu);
  return s;
}

int main(void) {
  alarm(120);
  printf("spawn: %ld\n", spawn_and_join());
  printf("unbuffered: %ld\n", channel_pipeline(0));
  printf("buffered: %ld\n", channel_pipeline(8));
  printf("select: %ld\n", select_loop());
  printf("locks: %ld\n", locks());
  printf("churn: %ld\n", churn_many());
  printf("done\n");
  return 0;
}
