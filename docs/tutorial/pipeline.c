/* tutorial step 3: a pipeline of goroutines joined by channels. */
#include <gpreempt.h>
#include <stdio.h>

typedef struct stage {
  gp_chan_t *in, *out;
} stage_t;

/* Sends 1..n, then closes its output: the reader's loop ends. */
static void generate(void *arg) {
  gp_chan_t *out = arg;
  for (int i = 1; i <= 5; i++)
    gp_chan_send(out, &i);
  gp_chan_close(out);
}

/* Squares whatever arrives until its input is closed, then closes its own. */
static void square(void *arg) {
  stage_t *s = arg;
  int v;
  while (gp_chan_recv(s->in, &v)) {
    v *= v;
    gp_chan_send(s->out, &v);
  }
  gp_chan_close(s->out);
}

int main(void) {
  gp_chan_t *nums = gp_chan_make(sizeof(int), 0); /* unbuffered: a rendezvous */
  gp_chan_t *squares = gp_chan_make(sizeof(int), 0);
  stage_t sq = {nums, squares};
  gp_go(generate, nums);
  gp_go(square, &sq);
  int v;
  while (gp_chan_recv(squares, &v))
    printf("%d ", v);
  printf("\n");
  gp_chan_free(nums);
  gp_chan_free(squares);
  return 0;
}
