/*
 * trace.c - GPDEBUG=trace=FILE: an execution trace in the Chrome JSON trace
 * event format, which Perfetto (ui.perfetto.dev) and chrome://tracing open.
 * Go's model is `go tool trace`; its file format is Go's own, ours is the
 * one C programmers' tools already read.
 *
 * What is recorded (trace.h's hooks), on two kinds of track:
 *   - pid 1 "Ps": a track per P.  A run slice ("G7 worker") for every time a
 *     goroutine ran on that P, whose args say how it ended: "yield",
 *     "preempted", "park: gp_chan_recv" (blocking, with the wait reason),
 *     "exit", "syscall" (the P was released for a system call),
 *     "syscall exit: no P".  Instant events: "go G8 worker" (spawn, with the
 *     creator's file:line), "G7 exit", "block: <reason>", "unblock G7" (and
 *     "hand-off G7" when it goes to the readier's runnext), "preempt
 *     (cooperative)" with the check's file:line, "preempt (signal)",
 *     "preempt refused" with the reason (unsafe-pc, runtime-lock, ...), and
 *     "handoff P3" when sysmon retakes a P blocked in a system call.
 *   - pid 2 "Ms": a track per M (thread) with the same run slices, and
 *     "syscall" slices (gp_syscall_enter .. exit).  Threads that are not Ms
 *     (sysmon, the program's own threads) get a track "thread <tid>" for the
 *     instants they cause (unblocks, hand-offs).
 * Timestamps are CLOCK_MONOTONIC since start-up, in µs with ns precision.
 *
 * Mechanism.  Every thread appends fixed-size binary records to its own
 * buffer (per M: an M is a thread; found through an initial-exec TLS
 * pointer), with no lock and no atomic read-modify-write: the owner is the
 * only writer, and publishes each record with a release store of the count.
 * A full buffer is formatted to JSON and written by its owner, under the one
 * file lock (a flush every GP_TRACE_BUF_EVENTS events: not the hot path).
 * At exit (atexit) the flag is cleared, every buffer is flushed, open
 * slices are closed at the exit time and the track names are written.
 * The preemption signal's handler appends too (refusals, diversions): it
 * interrupts its own thread, which may be in the middle of an append, so
 * the owner marks its appends (busy) and the handler drops its event then
 * (counted: "dropped" in the file's metadata).
 *
 * Function names are resolved at flush time (the symbolizer, cached per
 * entry address); check sites carry their own file:line (gp_site_t).
 * Known limits: a process that dies by a fatal error or signal (_exit)
 * loses the events not yet flushed; a module dlclose'd before the flush
 * leaves its site records dangling (do not trace dlclose-heavy programs).
 *
 * Rejected: one global ring with atomic slot claims (a contended cache line
 * on every event, exactly what a trace must not add); Perfetto's protobuf
 * format (needs a protobuf encoder, and JSON is easy to check in tests);
 * writing each event with its own write(2) (a system call per event).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt.h"
#include "trace.h"

/* Records per thread buffer (48 bytes each, 192 KiB): a flush writes about
 * 1 MiB of JSON, a few ms of work every 4096 events. */
#define GP_TRACE_BUF_EVENTS 4096
/* JSON is written in chunks of this size. */
#define GP_TRACE_OUT_CHUNK (64 * 1024)
/* Tracks for threads that are not Ms: tid = this + the thread id. */
#define GP_TRACE_THREAD_TID_BASE 1000000
/* Entry functions whose names are cached (open addressing, power of 2). */
#define GP_TRACE_NAMES 1024
#define GP_TRACE_MAX_TRACKS 4096

_Atomic int gp_trace_on;

typedef enum tev_kind {
  EV_SLICE,           /* a run slice: ts, dur, g, fn, p, why = switch action, aux = waitreason */
  EV_SYSCALL,         /* a system call slice on the M track */
  EV_CREATE,          /* g created: x = fn, aux2 = gopc, dur = parent id */
  EV_EXIT,            /* g exited */
  EV_BLOCK,           /* g parked: aux = waitreason */
  EV_UNBLOCK,         /* g readied: why = 1 if into runnext */
  EV_PREEMPT_COOP,    /* x = site */
  EV_PREEMPT_SIGNAL,  /* x = pc */
  EV_PREEMPT_REFUSED, /* x = pc, why = refusal */
  EV_HANDOFFP,        /* p handed to another M */
} tev_kind_t;

typedef struct tev {
  int64_t ts, dur;
  int64_t g;
  uint64_t x, aux2;
  int32_t p, track; /* p: -1 when none; track: M id or thread track */
  uint8_t kind, why;
  uint16_t aux;
} tev_t;

typedef struct tbuf {
  struct tbuf *next; /* every buffer, for the final flush; immutable once linked */
  int32_t track;
  volatile int busy; /* the owner is appending: a signal handler drops its event */
  _Atomic uint32_t n;
  /* the open run slice and system call of this thread (owner only) */
  bool running, insys;
  int64_t run_start, run_g, sys_start;
  uint64_t run_fn;
  int32_t run_p;
  tev_t ev[GP_TRACE_BUF_EVENTS];
} tbuf_t;

static __thread tbuf_t *my_buf __attribute__((tls_model("initial-exec")));
static _Atomic(tbuf_t *) all_bufs;
static int trace_fd = -1;
static int64_t trace_start;
static gp_lock_t trace_lock; /* the file, the name cache, closed, the track list */
static bool closed;
static _Atomic uint64_t dropped;
static bool first_event = true;
static int32_t tracks[GP_TRACE_MAX_TRACKS];
static int ntracks;
static bool p_seen[GP_MAXPROCS_LIMIT];

static struct {
  uintptr_t fn;
  char name[64];
} names[GP_TRACE_NAMES];

/* ---- Appending ----------------------------------------------------------- */

static int32_t thread_track(void) {
  gp_m_t *m = gp_getm();
  return m ? (int32_t)m->id : GP_TRACE_THREAD_TID_BASE + (int32_t)gp_gettid();
}

static void flush(tbuf_t *b);

static tbuf_t *buf_get(bool in_signal) {
  tbuf_t *b = my_buf;
  if (GP_LIKELY(b) || in_signal) return b;
  b = mmap(NULL, sizeof *b, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (b == MAP_FAILED) return NULL;
  b->track = thread_track();
  b->next = LOAD_RLX(&all_bufs);
  /* release: the final flush (acquire) sees the fields above */
  while (!atomic_compare_exchange_weak_explicit(&all_bufs, &b->next, b, memory_order_release,
                                                memory_order_relaxed))
    ;
  my_buf = b;
  return b;
}

/* A record to fill, or NULL; ev_end publishes it. */
static tev_t *ev_begin(tbuf_t *b) {
  b->busy = 1;
  atomic_signal_fence(memory_order_seq_cst); /* busy is set before the slot is touched */
  uint32_t n = LOAD_RLX(&b->n);
  if (n == GP_TRACE_BUF_EVENTS) {
    flush(b);
    n = LOAD_RLX(&b->n);
  }
  tev_t *e = &b->ev[n];
  e->ts = gp_nanotime() - trace_start;
  e->track = b->track;
  e->p = -1;
  e->dur = e->g = 0;
  e->x = e->aux2 = 0;
  e->why = 0;
  e->aux = 0;
  return e;
}

static void ev_end(tbuf_t *b) {
  STORE_REL(&b->n, LOAD_RLX(&b->n) + 1); /* pairs with the final flush's LOAD_ACQ */
  atomic_signal_fence(memory_order_seq_cst);
  b->busy = 0;
}

static int32_t cur_p(void) {
  gp_m_t *m = gp_getm();
  gp_p_t *p = m ? LOAD_RLX(&m->p) : NULL;
  return p ? p->id : -1;
}

static void instant(tev_kind_t kind, int64_t g, uint64_t x, uint8_t why, uint16_t aux) {
  tbuf_t *b = buf_get(false);
  if (!b) return;
  tev_t *e = ev_begin(b);
  e->kind = kind;
  e->g = g;
  e->x = x;
  e->why = why;
  e->aux = aux;
  e->p = cur_p();
  ev_end(b);
}

static void slice_end(tbuf_t *b, int action, uint16_t waitreason) {
  if (!b->running) return;
  b->running = false;
  tev_t *e = ev_begin(b);
  e->kind = EV_SLICE;
  e->dur = e->ts - b->run_start;
  e->ts = b->run_start;
  e->g = b->run_g;
  e->x = b->run_fn;
  e->p = b->run_p;
  e->why = (uint8_t)action;
  e->aux = waitreason;
  ev_end(b);
}

static void slice_begin(tbuf_t *b, gp_p_t *p, gp_g_t *g) {
  b->running = true;
  b->run_start = gp_nanotime() - trace_start;
  b->run_g = g->id;
  b->run_fn = g == &gp_gmain ? 0 : (uint64_t)(uintptr_t)g->fn;
  b->run_p = p ? p->id : -1;
}

/* ---- Hooks (trace.h) ------------------------------------------------------ */

/* switch actions beyond gmp.h's, for slices ended by a system call and by
 * the end of the trace */
enum { GP_TRACE_END_SYSCALL = 100, GP_TRACE_END_TRACE = 101 };

GP_PRESERVE_MOST void gp_trace_ev_gostart(gp_m_t *m, gp_p_t *p, gp_g_t *g) {
  tbuf_t *b = buf_get(false);
  if (!b) return;
  if (b->running) slice_end(b, SW_NONE, 0);
  slice_begin(b, p, g);
}

GP_PRESERVE_MOST void gp_trace_ev_switch(gp_m_t *m, gp_p_t *p, gp_g_t *g, int action, gp_g_t *to) {
  tbuf_t *b = buf_get(false);
  if (!b) return;
  uint16_t wr = action == SW_PARK ? (uint16_t)g->waitreason : 0;
  if (action == SW_PARK) instant(EV_BLOCK, g->id, 0, 0, wr);
  if (action == SW_EXIT) instant(EV_EXIT, g->id, 0, 0, 0);
  slice_end(b, action, wr);
  if (to) slice_begin(b, p, to);
}

GP_PRESERVE_MOST void gp_trace_ev_gocreate(gp_g_t *g) {
  tbuf_t *b = buf_get(false);
  if (!b) return;
  tev_t *e = ev_begin(b);
  e->kind = EV_CREATE;
  e->g = g->id;
  e->x = (uint64_t)(uintptr_t)g->fn;
  e->aux2 = g->gopc;
  e->dur = g->parent_id;
  e->p = cur_p();
  ev_end(b);
}

GP_PRESERVE_MOST void gp_trace_ev_unblock(gp_g_t *g, bool next) {
  instant(EV_UNBLOCK, g->id, 0, next, 0);
}

GP_PRESERVE_MOST void gp_trace_ev_preempt_coop(const gp_site_t *site) {
  gp_m_t *m = gp_getm();
  gp_g_t *g = m ? m->curg : NULL;
  instant(EV_PREEMPT_COOP, g ? g->id : 0, (uint64_t)(uintptr_t)site, 0, 0);
}

GP_PRESERVE_MOST void gp_trace_ev_syscall_enter(gp_m_t *m, gp_g_t *g) {
  tbuf_t *b = buf_get(false);
  if (!b) return;
  slice_end(b, GP_TRACE_END_SYSCALL, 0);
  b->insys = true;
  b->sys_start = gp_nanotime() - trace_start;
}

GP_PRESERVE_MOST void gp_trace_ev_syscall_exit(gp_m_t *m, gp_g_t *g) {
  tbuf_t *b = buf_get(false);
  if (!b || !b->insys) return;
  b->insys = false;
  tev_t *e = ev_begin(b);
  e->kind = EV_SYSCALL;
  e->dur = e->ts - b->sys_start;
  e->ts = b->sys_start;
  e->g = g->id;
  ev_end(b);
}

GP_PRESERVE_MOST void gp_trace_ev_handoffp(gp_p_t *p) {
  instant(EV_HANDOFFP, 0, 0, 0, (uint16_t)p->id);
}

/* From the preemption signal's handler, on the interrupted thread. */
static void async_hook(gp_async_refusal_t why, uintptr_t pc) {
  tbuf_t *b = buf_get(true);
  if (!LOAD_RLX(&gp_trace_on) || !b || b->busy ||
      LOAD_RLX(&b->n) == GP_TRACE_BUF_EVENTS) { /* mid-append, or full: no flush here */
    atomic_fetch_add_explicit(&dropped, 1, memory_order_relaxed);
    return;
  }
  gp_m_t *m = gp_getm();
  gp_g_t *g = m ? LOAD_RLX(&m->curg) : NULL;
  tev_t *e = ev_begin(b);
  e->kind = why == GP_ASYNC_OK ? EV_PREEMPT_SIGNAL : EV_PREEMPT_REFUSED;
  e->g = g ? g->id : 0;
  e->x = pc;
  e->why = (uint8_t)why;
  e->p = m && LOAD_RLX(&m->p) ? LOAD_RLX(&m->p)->id : -1;
  ev_end(b);
}

/* ---- Writing JSON ---------------------------------------------------------- */

typedef struct out {
  char buf[GP_TRACE_OUT_CHUNK];
  size_t len;
} out_t;

static out_t out_buf; /* under trace_lock */

static void out_flush(out_t *o) {
  for (size_t off = 0; off < o->len;) {
    long w = syscall(SYS_write, trace_fd, o->buf + off, o->len - off);
    if (w <= 0) break; /* a full disk: the trace is cut, the program goes on */
    off += (size_t)w;
  }
  o->len = 0;
}

static void __attribute__((format(printf, 2, 3))) out_printf(out_t *o, const char *fmt, ...) {
  if (o->len > sizeof o->buf - 1024) out_flush(o);
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(o->buf + o->len, sizeof o->buf - o->len, fmt, ap);
  va_end(ap);
  if (n > 0) o->len += (size_t)n < sizeof o->buf - o->len ? (size_t)n : sizeof o->buf - o->len - 1;
}

/* A name fit for a JSON string (symbols have no quotes or backslashes, but a
 * goroutine's file path may). */
static void json_clean(char *s) {
  for (; *s; s++)
    if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20) *s = '_';
}

static const char *fn_name(uintptr_t fn) {
  if (!fn) return "main";
  size_t h = (fn >> 4) & (GP_TRACE_NAMES - 1);
  for (size_t i = 0; i < GP_TRACE_NAMES; i++, h = (h + 1) & (GP_TRACE_NAMES - 1)) {
    if (names[h].fn == fn) return names[h].name;
    if (names[h].fn == 0) {
      names[h].fn = fn;
      gp_symbolize(fn, names[h].name, sizeof names[h].name);
      json_clean(names[h].name);
      return names[h].name;
    }
  }
  return "?";
}

static void where(uintptr_t pc, char *buf, size_t n) {
  gp_symloc_t loc;
  gp_symbolize_pc(pc, &loc);
  if (loc.file)
    snprintf(buf, n, "%s%s%s:%u", loc.dir ? loc.dir : "", loc.dir ? "/" : "", loc.file, loc.line);
  else
    snprintf(buf, n, "%s", loc.func ? loc.func : "?");
  json_clean(buf);
}

static void see_track(int32_t track, int32_t p) {
  if (p >= 0 && p < GP_MAXPROCS_LIMIT) p_seen[p] = true;
  for (int i = 0; i < ntracks; i++)
    if (tracks[i] == track) return;
  if (ntracks < GP_TRACE_MAX_TRACKS) tracks[ntracks++] = track;
}

/* The common events are written with these instead of printf: formatting
 * dominates the cost of a trace that is on (printf: ~14k instructions per
 * event, these: a few hundred). */
static void put_n(out_t *o, const char *s, size_t n) {
  if (o->len + n >= sizeof o->buf) out_flush(o);
  if (n >= sizeof o->buf) return;
  memcpy(o->buf + o->len, s, n);
  o->len += n;
}
static void put(out_t *o, const char *s) { put_n(o, s, strlen(s)); }
#define put_lit(o, lit) put_n((o), "" lit, sizeof(lit) - 1)

static void put_i(out_t *o, long long v) {
  char tmp[24];
  int k = 0;
  unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
  do tmp[k++] = (char)('0' + u % 10);
  while ((u /= 10) && k < 22);
  if (v < 0) tmp[k++] = '-';
  if (o->len + (size_t)k >= sizeof o->buf) out_flush(o);
  while (k) o->buf[o->len++] = tmp[--k];
}

/* ns as µs with three decimals */
static void put_ts(out_t *o, int64_t ns) {
  put_i(o, ns / 1000);
  char frac[5] = {'.', (char)('0' + ns % 1000 / 100), (char)('0' + ns % 100 / 10),
                  (char)('0' + ns % 10), 0};
  put_n(o, frac, 4);
}

/* `{"ph":"X","ts":…,"pid":…,"tid":…,"name":"` : the caller writes the
 * name, then put_args. */
static void put_head(out_t *o, const char *ph, int64_t ts, int pid, int tid) {
  if (first_event)
    put_lit(o, "\n{\"ph\":\"");
  else
    put_lit(o, ",\n{\"ph\":\"");
  first_event = false;
  put(o, ph);
  put_lit(o, "\",\"ts\":");
  put_ts(o, ts);
  put_lit(o, ",\"pid\":");
  put_i(o, pid);
  put_lit(o, ",\"tid\":");
  put_i(o, tid);
  if (ph[0] == 'i') put_lit(o, ",\"s\":\"t\"");
  put_lit(o, ",\"name\":\"");
}

static void put_gname(out_t *o, const char *prefix, int64_t g, const char *suffix) {
  put(o, prefix);
  put_i(o, g);
  put(o, suffix);
}

static const char *end_reason(int action) {
  switch (action) {
  case SW_YIELD:
    return "yield";
  case SW_PREEMPT:
    return "preempted";
  case SW_PARK:
    return "park: ";
  case SW_EXIT:
    return "exit";
  case SW_SYSCALL_EXIT:
    return "syscall exit: no P";
  case GP_TRACE_END_SYSCALL:
    return "syscall";
  case GP_TRACE_END_TRACE:
    return "trace end";
  default:
    return "switch";
  }
}

#define GP_TRACE_NAME_ITEM(name, str) str,
static const char *const refusal_names[] = {GP_ASYNC_REFUSALS(GP_TRACE_NAME_ITEM)};

static void write_event(out_t *o, const tev_t *e) {
  char tmp[320];
  see_track(e->track, e->p);
  int pid = e->p >= 0 ? 1 : 2, tid = e->p >= 0 ? e->p : e->track;
  switch ((tev_kind_t)e->kind) {
  case EV_SLICE:
    for (int k = 0; k < 2; k++) {
      if (k == 0 && e->p < 0) continue;
      put_head(o, "X", e->ts, k == 0 ? 1 : 2, k == 0 ? e->p : e->track);
      put_gname(o, "G", e->g, " ");
      put(o, fn_name(e->x));
      put_lit(o, "\",\"cat\":\"run\",\"dur\":");
      put_ts(o, e->dur);
      put_gname(o, ",\"args\":{\"g\":", e->g, ",\"end\":\"");
      put(o, end_reason(e->why));
      if (e->why == SW_PARK) put(o, gp_waitreason_name((gp_waitreason_t)e->aux));
      put_lit(o, "\"}}");
    }
    return;
  case EV_SYSCALL:
    put_head(o, "X", e->ts, 2, e->track);
    put_lit(o, "syscall\",\"cat\":\"syscall\",\"dur\":");
    put_ts(o, e->dur);
    put_gname(o, ",\"args\":{\"g\":", e->g, "}}");
    return;
  case EV_BLOCK:
    put_head(o, "i", e->ts, pid, tid);
    put_lit(o, "block: ");
    put(o, gp_waitreason_name((gp_waitreason_t)e->aux));
    put_gname(o, "\",\"args\":{\"g\":", e->g, ",\"reason\":\"");
    put(o, gp_waitreason_name((gp_waitreason_t)e->aux));
    put_lit(o, "\"}}");
    return;
  case EV_UNBLOCK:
    put_head(o, "i", e->ts, pid, tid);
    put_gname(o, e->why ? "hand-off G" : "unblock G", e->g, "\",\"args\":{\"g\":");
    put_i(o, e->g);
    put(o, e->why ? ",\"runnext\":true}}" : ",\"runnext\":false}}");
    return;
  case EV_EXIT:
    put_head(o, "i", e->ts, pid, tid);
    put_gname(o, "G", e->g, " exit\",\"args\":{\"g\":");
    put_i(o, e->g);
    put_lit(o, "}}");
    return;
  case EV_CREATE:
    put_head(o, "i", e->ts, pid, tid);
    put_gname(o, "go G", e->g, " ");
    put(o, fn_name(e->x));
    put_gname(o, "\",\"args\":{\"g\":", e->g, ",\"parent\":");
    put_i(o, e->dur);
    where(e->aux2 ? e->aux2 - 1 : 0, tmp, sizeof tmp);
    put_lit(o, ",\"at\":\"");
    put(o, tmp);
    put_lit(o, "\"}}");
    return;
  case EV_PREEMPT_COOP: {
    const gp_site_t *st = (const gp_site_t *)(uintptr_t)e->x;
    const gp_func_t *f = st ? st->func : NULL;
    gp_site_where(st, tmp, sizeof tmp, 0);
    json_clean(tmp);
    put_head(o, "i", e->ts, pid, tid);
    put_gname(o, "preempt (cooperative)\",\"args\":{\"g\":", e->g, ",\"site\":\"");
    put(o, tmp);
    put_lit(o, "\",\"func\":\"");
    put(o, f && f->name ? f->name : "?");
    put_lit(o, "\",\"kind\":\"");
    put(o, st ? gp_site_kind_name(st->kind) : "?");
    put_lit(o, "\"}}");
    return;
  }
  case EV_PREEMPT_SIGNAL:
  case EV_PREEMPT_REFUSED:
    where(e->x, tmp, sizeof tmp);
    put_head(o, "i", e->ts, pid, tid);
    put(o, e->kind == EV_PREEMPT_SIGNAL ? "preempt (signal)" : "preempt refused");
    put_gname(o, "\",\"args\":{\"g\":", e->g, ",\"reason\":\"");
    put(o, e->why < GP_ASYNC_REFUSAL_COUNT ? refusal_names[e->why] : "?");
    put_lit(o, "\",\"pc\":\"");
    put(o, tmp);
    put_lit(o, "\"}}");
    return;
  case EV_HANDOFFP:
    put_head(o, "i", e->ts, pid, tid);
    put_gname(o, "handoff P", e->aux, "\",\"args\":{\"p\":");
    put_i(o, e->aux);
    put_lit(o, "}}");
    return;
  }
}

static void write_buffer(tbuf_t *b, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) write_event(&out_buf, &b->ev[i]);
}

/* A full buffer, by its owner. */
static void flush(tbuf_t *b) {
  gp_lock(&trace_lock);
  if (!closed) write_buffer(b, LOAD_RLX(&b->n));
  out_flush(&out_buf);
  STORE_RLX(&b->n, 0);
  gp_unlock(&trace_lock);
}

static void write_metadata(out_t *o) {
  out_printf(o, ",\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":\"Ps\"}}");
  out_printf(o, ",\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":2,\"args\":{\"name\":\"Ms\"}}");
  for (int i = 0; i < GP_MAXPROCS_LIMIT; i++)
    if (p_seen[i])
      out_printf(o,
                 ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,"
                 "\"args\":{\"name\":\"P%d\"}}",
                 i, i);
  for (int i = 0; i < ntracks; i++) {
    if (tracks[i] >= GP_TRACE_THREAD_TID_BASE)
      out_printf(o,
                 ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":2,\"tid\":%d,"
                 "\"args\":{\"name\":\"thread %d\"}}",
                 tracks[i], tracks[i] - GP_TRACE_THREAD_TID_BASE);
    else
      out_printf(o,
                 ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":2,\"tid\":%d,"
                 "\"args\":{\"name\":\"M%d\"}}",
                 tracks[i], tracks[i]);
  }
}

/* At exit: everything recorded so far, the open slices closed now. */
static void trace_finish(void) {
  if (!LOAD_RLX(&gp_trace_on)) return;
  STORE_RLX(&gp_trace_on, 0); /* hooks stop; one in progress may still append */
  int64_t now = gp_nanotime() - trace_start;
  gp_lock(&trace_lock);
  for (tbuf_t *b = LOAD_ACQ(&all_bufs); b; b = b->next) { /* pairs with buf_get's CAS */
    write_buffer(b, LOAD_ACQ(&b->n));                     /* pairs with ev_end's release */
    if (b->running) {
      tev_t e = {.ts = b->run_start,
                 .dur = now - b->run_start,
                 .g = b->run_g,
                 .x = b->run_fn,
                 .p = b->run_p,
                 .track = b->track,
                 .kind = EV_SLICE,
                 .why = GP_TRACE_END_TRACE};
      write_event(&out_buf, &e);
    }
  }
  closed = true;
  if (first_event) /* no event at all: the file must still be valid JSON */
    out_printf(&out_buf, "\n{\"name\":\"trace start\",\"ph\":\"i\",\"s\":\"g\",\"ts\":0,\"pid\":1,"
                         "\"tid\":0}");
  write_metadata(&out_buf);
  out_printf(&out_buf, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"dropped\":%llu}}\n",
             (unsigned long long)LOAD_RLX(&dropped));
  out_flush(&out_buf);
  syscall(SYS_close, trace_fd);
  gp_unlock(&trace_lock);
}

void gp_trace_init(gp_m_t *m, gp_p_t *p, gp_g_t *main_g) {
  if (!gp_debug.trace_file[0]) return;
  trace_fd = (int)syscall(SYS_openat, AT_FDCWD, gp_debug.trace_file,
                          O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (trace_fd < 0) {
    gp_fdprintf(2, "gpreempt: GPDEBUG=trace: cannot create %s: %s\n", gp_debug.trace_file,
                strerror(errno));
    return;
  }
  trace_start = gp_nanotime();
  out_printf(&out_buf, "{\"traceEvents\":[");
  out_flush(&out_buf);
  atexit(trace_finish);
  gp_async_trace_hook = async_hook;
  STORE_RLX(&gp_trace_on, 1); /* before other threads exist: they see it at creation */
  tbuf_t *b = buf_get(false);
  if (b) slice_begin(b, p, main_g);
}
