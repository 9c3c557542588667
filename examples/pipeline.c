/*
 * pipeline: Go's classic pipeline with channels.  generate sends 1..N on a
 * channel and closes it; square receives, squares, sends on and closes its
 * output when its input is closed; main prints what arrives until the last
 * channel is closed.  Closing is how each stage tells the next "no more".
 *
 *   GPMAXPROCS=1 ./pipeline [N]
 */
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct stage {
  gp_chan_t *in, *out;
  long n;
} stage_t;

static void generate(void *arg) {
  stage_t *s = arg;
  for (long i = 1; i <= s->n; i++) gp_chan_send(s->out, &i);
  gp_chan_close(s->out);
}

static void square(void *arg) {
  stage_t *s = arg;
  long v;
  while (gp_chan_recv(s->in, &v)) {
    v *= v;
    gp_chan_send(s->out, &v);
  }
  gp_chan_close(s->out);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10;
  gp_chan_t *nums = gp_chan_make(sizeof(long), 0);
  gp_chan_t *squares = gp_chan_make(sizeof(long), 0);
  if (!nums || !squares) {
    perror("gp_chan_make");
    return 1;
  }
  stage_t gen = {NULL, nums, n}, sq = {nums, squares, 0};
  if (gp_go(generate, &gen) < 0 || gp_go(square, &sq) < 0) {
    perror("gp_go");
    return 1;
  }
  long v, sum = 0, count = 0;
  while (gp_chan_recv(squares, &v)) {
    if (count < 10) printf("%ld\n", v);
    sum += v;
    count++;
  }
  printf("%ld squares, sum %ld\n", count, sum);
  gp_chan_free(nums);
  gp_chan_free(squares);
  return 0;
}
