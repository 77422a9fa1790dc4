/*
** exec/clock.c — processing time and the one timer service.
**
** Processing time is either the real clock (microseconds since the epoch
** from the system clock) or a manual clock under test (SET clock =
** 'manual'), which only moves on exec_clock_set/exec_clock_advance.
**
** Every processing-time timer of every operator lives in ONE min-heap
** ordered by (due time, sequence), so ties fire in the order they were
** set (libuv's rule). In real mode one uv_timer_t is re-armed to the
** earliest deadline; in manual mode exec_clock_advance fires the due timers
** itself, each seeing exec_clock_now() == its due time. Timers are
** cancelled by id through a hash of live timers. Timer callbacks may set
** and cancel timers, including the one that is firing.
*/
#include <assert.h>
#include <string.h>
#include <sys/time.h>

#include "exec/exec_int.h"

typedef struct clock_timer clock_timer;
struct clock_timer {
  int64_t at;  /* due time, us */
  uint64_t id; /* also the tie-breaking sequence */
  exec_timer_cb x;
  void *pArg;
  uint64_t iTag;
  int iHeap;              /* index in the heap */
  clock_timer *pNextHash; /* chain in the id hash */
};

struct exec_clock {
  uv_loop_t *loop;
  uv_timer_t *pUv; /* NULL without a loop; freed in its close cb */
  int bManual;
  int64_t now; /* manual time */
  uint64_t nextId;
  int nHeap, nHeapAlloc;
  clock_timer **aHeap;
  int nHash; /* buckets, a power of two */
  clock_timer **aHash;
  int bArmed;      /* uv timer running */
  int64_t armedAt; /* the deadline it was armed for */
};

/* Real time in microseconds since the epoch. */
static int64_t real_now(void) {
  uv_timeval64_t tv;
  if (uv_gettimeofday(&tv) == 0) {
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
  }
  struct timeval t;
  gettimeofday(&t, NULL);
  return (int64_t)t.tv_sec * 1000000 + t.tv_usec;
}

/* Heap order: earlier time first, then earlier id. */
static int timer_less(const clock_timer *a, const clock_timer *b) {
  if (a->at != b->at) return a->at < b->at;
  return a->id < b->id;
}

static void heap_set(exec_clock *c, int i, clock_timer *t) {
  c->aHeap[i] = t;
  t->iHeap = i;
}

static void heap_up(exec_clock *c, int i) {
  clock_timer *t = c->aHeap[i];
  while (i > 0) {
    int p = (i - 1) / 2;
    if (!timer_less(t, c->aHeap[p])) break;
    heap_set(c, i, c->aHeap[p]);
    i = p;
  }
  heap_set(c, i, t);
}

static void heap_down(exec_clock *c, int i) {
  clock_timer *t = c->aHeap[i];
  for (;;) {
    int l = 2 * i + 1, m = l;
    if (l >= c->nHeap) break;
    if (l + 1 < c->nHeap && timer_less(c->aHeap[l + 1], c->aHeap[l])) {
      m = l + 1;
    }
    if (!timer_less(c->aHeap[m], t)) break;
    heap_set(c, i, c->aHeap[m]);
    i = m;
  }
  heap_set(c, i, t);
}

/* Remove the heap entry at index i. */
static void heap_remove(exec_clock *c, int i) {
  clock_timer *last = c->aHeap[--c->nHeap];
  if (i == c->nHeap) return;
  heap_set(c, i, last);
  heap_up(c, i);
  heap_down(c, last->iHeap);
}

static int hash_slot(const exec_clock *c, uint64_t id) {
  return (int)((id * 0x9E3779B97F4A7C15ull) >> 32) & (c->nHash - 1);
}

static void hash_grow(exec_clock *c) {
  int nNew = c->nHash ? c->nHash * 2 : 64;
  clock_timer **aNew = common_calloc((size_t)nNew, sizeof(*aNew));
  int nOld = c->nHash;
  clock_timer **aOld = c->aHash;
  c->nHash = nNew;
  c->aHash = aNew;
  for (int i = 0; i < nOld; i++) {
    clock_timer *t = aOld[i];
    while (t) {
      clock_timer *n = t->pNextHash;
      int h = hash_slot(c, t->id);
      t->pNextHash = aNew[h];
      aNew[h] = t;
      t = n;
    }
  }
  common_free(aOld);
}

/* Unlink timer id from the hash; returns it, or NULL if not live. */
static clock_timer *hash_remove(exec_clock *c, uint64_t id) {
  if (!c->nHash) return NULL;
  clock_timer **pp = &c->aHash[hash_slot(c, id)];
  while (*pp) {
    if ((*pp)->id == id) {
      clock_timer *t = *pp;
      *pp = t->pNextHash;
      return t;
    }
    pp = &(*pp)->pNextHash;
  }
  return NULL;
}

static void uv_timer_fired(uv_timer_t *h);

/* Real mode: make the uv timer fire at the earliest deadline (or stop it
** when there is none, so an idle loop can exit). */
static void rearm(exec_clock *c) {
  if (!c->pUv || c->bManual) return;
  if (c->nHeap == 0) {
    if (c->bArmed) uv_timer_stop(c->pUv);
    c->bArmed = 0;
    return;
  }
  int64_t at = c->aHeap[0]->at;
  if (c->bArmed && c->armedAt == at) return;
  int64_t d = at - real_now();
  uint64_t ms = d <= 0 ? 0 : (uint64_t)((d + 999) / 1000);
  uv_timer_start(c->pUv, uv_timer_fired, ms, 0);
  c->bArmed = 1;
  c->armedAt = at;
}

/* Pop and run the earliest timer. In manual mode now becomes its time. */
static void fire_one(exec_clock *c) {
  clock_timer *t = c->aHeap[0];
  heap_remove(c, 0);
  hash_remove(c, t->id);
  if (c->bManual && t->at > c->now) c->now = t->at;
  exec_timer_cb x = t->x;
  void *pArg = t->pArg;
  uint64_t iTag = t->iTag;
  int64_t at = t->at;
  common_free(t);
  x(pArg, iTag, at);
}

static void uv_timer_fired(uv_timer_t *h) {
  exec_clock *c = h->data;
  if (!c) return;
  c->bArmed = 0;
  if (c->bManual) return;
  int64_t now = real_now();
  /* Only the timers due now: ones set by callbacks for now or earlier
  ** wait for the next loop iteration, so a callback that re-arms itself
  ** at "now" cannot starve the loop. */
  uint64_t lastId = c->nextId;
  while (c->nHeap > 0 && !c->bManual && c->aHeap[0]->at <= now &&
         c->aHeap[0]->id <= lastId) {
    fire_one(c);
  }
  rearm(c);
}

/*
** Create a clock bound to loop (which may be NULL for a clock that is only
** ever manual, as in tests). The clock starts in real mode. Free it with
** exec_clock_free; its uv handle is closed on the loop.
*/
exec_clock *exec_clock_new(uv_loop_t *loop) {
  exec_clock *c = common_calloc(1, sizeof(*c));
  c->loop = loop;
  c->nextId = 1;
  c->now = real_now();
  if (loop) {
    c->pUv = common_malloc(sizeof(*c->pUv));
    uv_timer_init(loop, c->pUv);
    c->pUv->data = c;
  }
  return c;
}

static void uv_timer_closed(uv_handle_t *h) {
  common_free(h);
}

/*
** Free the clock and every pending timer (their callbacks are not called).
** The uv timer handle is closed; its memory is released by the loop's
** close callback, so the loop must run once more to reclaim it.
*/
void exec_clock_free(exec_clock *c) {
  if (!c) return;
  for (int i = 0; i < c->nHeap; i++) common_free(c->aHeap[i]);
  common_free(c->aHeap);
  common_free(c->aHash);
  if (c->pUv) {
    c->pUv->data = NULL;
    uv_timer_stop(c->pUv);
    uv_close((uv_handle_t *)c->pUv, uv_timer_closed);
  }
  common_free(c);
}

/*
** Switch between the real clock (bManual 0) and a manual one. Entering
** manual mode freezes time at the current real time and stops the uv
** timer; leaving it re-arms the uv timer for the pending timers.
*/
void exec_clock_set_manual(exec_clock *c, int bManual) {
  bManual = bManual != 0;
  if (bManual == c->bManual) return;
  if (bManual) {
    c->now = real_now();
    if (c->pUv && c->bArmed) uv_timer_stop(c->pUv);
    c->bArmed = 0;
    c->bManual = 1;
  } else {
    c->bManual = 0;
    rearm(c);
  }
}

/* Nonzero when the clock is manual. */
int exec_clock_is_manual(const exec_clock *c) {
  return c->bManual;
}

/* Processing time now, in microseconds since the epoch. */
int64_t exec_clock_now(exec_clock *c) {
  return c->bManual ? c->now : real_now();
}

/*
** Manual clock: set the time without firing any timer (SET time = ...).
** Time may move backwards this way; timers due by then fire on the next
** exec_clock_advance. Ignored on a real clock.
*/
void exec_clock_set(exec_clock *c, int64_t now) {
  if (c->bManual) c->now = now;
}

/*
** Manual clock: move to `to`, firing every timer due at or before it in
** (time, order set) order; during each callback exec_clock_now() is that
** timer's due time (or the current time if it was due earlier). Timers
** set by callbacks fire in the same advance if due by `to`. Time never
** moves backwards here. On a real clock this only fires what is due.
*/
void exec_clock_advance(exec_clock *c, int64_t to) {
  if (!c->bManual) {
    int64_t now = real_now();
    while (c->nHeap > 0 && !c->bManual && c->aHeap[0]->at <= now) {
      fire_one(c);
    }
    rearm(c);
    return;
  }
  while (c->nHeap > 0 && c->bManual && c->aHeap[0]->at <= to) {
    fire_one(c);
  }
  if (c->bManual && to > c->now) c->now = to;
}

/*
** Arm a timer: x(pArg, iTag, at) is called once when processing time
** reaches `at`. Returns the timer's id (never 0), valid until it fires or
** is cancelled.
*/
uint64_t exec_timer_set(exec_clock *c, int64_t at, exec_timer_cb x, void *pArg,
                        uint64_t iTag) {
  clock_timer *t = common_malloc(sizeof(*t));
  t->at = at;
  t->id = c->nextId++;
  t->x = x;
  t->pArg = pArg;
  t->iTag = iTag;
  if (c->nHeap == c->nHeapAlloc) {
    c->nHeapAlloc = c->nHeapAlloc ? c->nHeapAlloc * 2 : 64;
    c->aHeap =
        common_realloc(c->aHeap, (size_t)c->nHeapAlloc * sizeof(*c->aHeap));
  }
  if (c->nHeap + 1 > c->nHash) hash_grow(c);
  int h = hash_slot(c, t->id);
  t->pNextHash = c->aHash[h];
  c->aHash[h] = t;
  c->nHeap++;
  heap_set(c, c->nHeap - 1, t);
  heap_up(c, c->nHeap - 1);
  if (t->iHeap == 0) rearm(c);
  return t->id;
}

/* Cancel a pending timer; ids that already fired or are unknown (and 0)
** are ignored. */
void exec_timer_cancel(exec_clock *c, uint64_t id) {
  clock_timer *t = hash_remove(c, id);
  if (!t) return;
  int wasTop = t->iHeap == 0;
  heap_remove(c, t->iHeap);
  common_free(t);
  if (wasTop) rearm(c);
}
