// Direct hand-off copies whole elements intact: 8 senders x 5000 200-byte messages through one unbuffered channel to 4 receivers, every message checked and received exactly once.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: received 40000 messages, 0 corrupt, 0 duplicates, 0 missing
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SENDERS 8
#define RECEIVERS 4
#define PER 5000

typedef struct msg {
  int sender, seq;
  unsigned char fill[192];
  uint32_t sum;
} msg_t;

static gp_chan_t *c;
static gp_waitgroup_t wg;
static atomic_int corrupt, dups, total;
static atomic_uchar seen[SENDERS][PER];

static uint32_t sum(const msg_t *m) {
  uint32_t s = (uint32_t)m->sender * 31u + (uint32_t)m->seq;
  for (size_t i = 0; i < sizeof m->fill; i++) s = s * 131u + m->fill[i];
  return s;
}

static void sender(void *arg) {
  int id = (int)(long)arg;
  for (int i = 0; i < PER; i++) {
    msg_t m;
    m.sender = id;
    m.seq = i;
    memset(m.fill, (id * 7 + i) & 0xff, sizeof m.fill);
    m.sum = sum(&m);
    gp_chan_send(c, &m);
  }
  gp_waitgroup_done(&wg);
}

static void receiver(void *arg) {
  msg_t m;
  while (gp_chan_recv(c, &m) == 1) {
    atomic_fetch_add(&total, 1);
    if (m.sender < 0 || m.sender >= SENDERS || m.seq < 0 || m.seq >= PER || m.sum != sum(&m) ||
        m.fill[0] != ((m.sender * 7 + m.seq) & 0xff)) {
      if (atomic_fetch_add(&corrupt, 1) == 0)
        printf("corrupt message: sender %d seq %d sum %u\n", m.sender, m.seq, m.sum);
      continue;
    }
    if (atomic_exchange(&seen[m.sender][m.seq], 1)) atomic_fetch_add(&dups, 1);
  }
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  c = gp_chan_make(sizeof(msg_t), 0);
  if (!c) return 1;
  gp_waitgroup_add(&wg, SENDERS);
  for (long i = 0; i < SENDERS; i++)
    if (gp_go(sender, (void *)i) < 0) return 1;
  for (long i = 0; i < RECEIVERS; i++)
    if (gp_go(receiver, NULL) < 0) return 1;
  gp_waitgroup_wait(&wg); /* the senders; receivers count in only after the close */
  gp_waitgroup_add(&wg, RECEIVERS);
  gp_chan_close(c);
  gp_waitgroup_wait(&wg);
  int missing = 0;
  for (int s = 0; s < SENDERS; s++)
    for (int i = 0; i < PER; i++) missing += !atomic_load(&seen[s][i]);
  printf("received %d messages, %d corrupt, %d duplicates, %d missing\n", atomic_load(&total),
         atomic_load(&corrupt), atomic_load(&dups), missing);
  return 0;
}
