/*
** exec/winstate.c — containers for window state: a slab allocator of
** fixed-size records (no per-row malloc: records come in chunks and go
** back on a free list), an open-addressing hash table of record pointers
** (the operators probe it inline in their hot loops), a min-heap of
** deadlines (which window fires next, which timer is due next) and a
** time queue (a ring of buckets in front of heaps) for the session
** deadlines, which arrive close to the watermark.
**
** Part of exec/, used by op_agg.c through exec/winstate.h.
*/
#include <string.h>
#include <sys/mman.h>
#include "exec/winstate.h"

/* ---- slab ---------------------------------------------------------------- */

/* Prepare slab s for records of szRec bytes. */
void exec_slab_init(exec_slab *s, size_t szRec) {
  memset(s, 0, sizeof(*s));
  s->szRec = (szRec + 7) & ~(size_t)7;
  s->nPerChunk = (int)(65536 / s->szRec);
  if (s->nPerChunk < 16) s->nPerChunk = 16;
}

/* A zeroed record from s: a freed one, or the next never-used slot of
** the newest chunk (records are carved off it in order, so a fresh chunk
** is touched once, when its records are handed out: no chunk-wide
** memset, no free list threaded through it). Freed with exec_slab_free
** or, all at once, exec_slab_clear. */
/* A chunk starts with a 16-byte header: the next chunk and its record
** count. Chunks grow with the slab (an eighth of what it holds, from
** s->nPerChunk records up to SLAB_CHUNK_MAX bytes), so that millions of
** records come in few large allocations, whose 2 MB-aligned interior is
** offered to transparent huge pages: the records of a large state are
** reached in random order (a session query fires them by end), and
** with 4 KB pages nearly every one costs a TLB miss. */
#define SLAB_CHUNK_MAX ((size_t)16 << 20)
#define SLAB_HUGE ((size_t)2 << 20)

static void slab_grow(exec_slab *s) {
  size_t nRec = (size_t)s->nPerChunk;
  size_t nWant = (size_t)s->nLive / 8;
  size_t nMax = SLAB_CHUNK_MAX / s->szRec;
  if (nWant > nMax) nWant = nMax;
  if (nWant > nRec) nRec = nWant;
  size_t sz = 16 + s->szRec * nRec;
  char *c = common_malloc(sz);
#ifdef MADV_HUGEPAGE
  if (sz >= 2 * SLAB_HUGE) {   /* before the pages are first touched */
    uintptr_t m = ~(uintptr_t)(SLAB_HUGE - 1);
    uintptr_t lo = ((uintptr_t)c + SLAB_HUGE - 1) & m;
    uintptr_t hi = ((uintptr_t)c + sz) & m;
    if (hi > lo) madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
  }
#endif
  *(void **)c = s->pChunks;
  ((int64_t *)c)[1] = (int64_t)nRec;
  s->pChunks = c;
  s->pBump = c + 16;
  s->pBumpEnd = c + sz;
}

void *exec_slab_alloc(exec_slab *s) {
  char *p = s->pFree;
  if (p) {
    s->pFree = *(void **)p;
  } else {
    if (s->pBump == s->pBumpEnd) slab_grow(s);
    p = s->pBump;
    s->pBump += s->szRec;
  }
  memset(p, 0, s->szRec);
  s->nLive++;
  return p;
}

/* Return record p to the free list. */
void exec_slab_free(exec_slab *s, void *p) {
  *(void **)p = s->pFree;
  s->pFree = p;
  s->nLive--;
}

/* Release every chunk of s; all its records must be dead or abandoned. */
void exec_slab_clear(exec_slab *s) {
  void *c = s->pChunks;
  while (c) {
    void *n = *(void **)c;
    common_free(c);
    c = n;
  }
  s->pChunks = NULL;
  s->pFree = NULL;
  s->pBump = s->pBumpEnd = NULL;
  s->nLive = 0;
}

/* Visit every record slot of s (see winstate.h). */
void exec_slab_each(exec_slab *s, void (*xVisit)(void *, void *),
                    void *pArg) {
  for (char *c = s->pChunks; c; c = *(char **)c) {
    int64_t n = ((int64_t *)c)[1];
    if (c == s->pChunks) n = (s->pBump - (c + 16)) / (int64_t)s->szRec;
    for (int64_t i = 0; i < n; i++) {
      xVisit(pArg, c + 16 + s->szRec * (size_t)i);
    }
  }
}

/* ---- hash table ---------------------------------------------------------- */

/* Initialise t with nSlot slots (rounded up to a power of two >= 16). */
/* Zeroed slots (their allocation in *ppBase); a table of 2 MB or more
** is 2 MB-aligned and offered to transparent huge pages: its slots are
** probed at random, and with 4 KB pages nearly every probe of a large
** table misses the TLB. */
static exec_hslot *slots_new(uint64_t n, void **ppBase) {
  size_t sz = (size_t)n * sizeof(exec_hslot);
#ifdef MADV_HUGEPAGE
  if (sz >= SLAB_HUGE) {
    char *p = common_malloc(sz + SLAB_HUGE);
    uintptr_t a = ((uintptr_t)p + SLAB_HUGE - 1) & ~(uintptr_t)(SLAB_HUGE - 1);
    madvise((void *)a, sz, MADV_HUGEPAGE);
    memset((void *)a, 0, sz);
    *ppBase = p;
    return (exec_hslot *)a;
  }
#endif
  *ppBase = common_calloc((size_t)n, sizeof(exec_hslot));
  return *ppBase;
}

void exec_htab_init(exec_htab *t, int64_t nSlot) {
  int64_t n = 16;
  while (n < nSlot) n *= 2;
  t->a = slots_new((uint64_t)n, &t->pBase);
  t->mask = (uint64_t)n - 1;
  t->nUsed = 0;
}

/* Free t's slots (not what they point to). */
void exec_htab_free(exec_htab *t) {
  common_free(t->pBase);
  t->pBase = NULL;
  t->a = NULL;
  t->mask = 0;
  t->nUsed = 0;
}

static void htab_put(exec_hslot *a, uint64_t mask, uint64_t h, void *p) {
  uint64_t i = h & mask;
  while (a[i].p) i = (i + 1) & mask;
  a[i].h = h;
  a[i].p = p;
}

/* Grow t so that nMore more insertions keep the load at most 1/2. */
void exec_htab_reserve(exec_htab *t, int64_t nMore) {
  if (!t->a) exec_htab_init(t, 16);
  uint64_t nSlot = t->mask + 1;
  if ((uint64_t)(t->nUsed + nMore) * 2 <= nSlot) return;
  uint64_t n = nSlot;
  while ((uint64_t)(t->nUsed + nMore) * 2 > n) n *= 2;
  void *pBase;
  exec_hslot *a = slots_new(n, &pBase);
  for (uint64_t i = 0; i < nSlot; i++) {
    if (t->a[i].p) htab_put(a, n - 1, t->a[i].h, t->a[i].p);
  }
  common_free(t->pBase);
  t->a = a;
  t->pBase = pBase;
  t->mask = n - 1;
}

static uint64_t htab_find(const exec_htab *t, uint64_t h, const void *p) {
  uint64_t i = h & t->mask;
  while (t->a[i].p != p) {
    i = (i + 1) & t->mask;
  }
  return i;
}

/* Remove p (stored under h) with backward-shift deletion, so no
** tombstones accumulate. */
void exec_htab_remove(exec_htab *t, uint64_t h, const void *p) {
  exec_htab_remove_at(t, htab_find(t, h, p));
}

/* Remove the entry of slot i with backward-shift deletion. */
void exec_htab_remove_at(exec_htab *t, uint64_t i) {
  uint64_t mask = t->mask;
  uint64_t j = i;
  for (;;) {
    j = (j + 1) & mask;
    if (!t->a[j].p) break;
    uint64_t k = t->a[j].h & mask;
    /* Slot j's entry may move to i if its home k is not in (i, j]. */
    if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j)) continue;
    t->a[i] = t->a[j];
    i = j;
  }
  t->a[i].p = NULL;
  t->a[i].h = 0;
  t->nUsed--;
}

/* ---- heap ---------------------------------------------------------------- */

static int hent_lt(const exec_hent *a, const exec_hent *b) {
  if (a->k1 != b->k1) return a->k1 < b->k1;
  if (a->k2 != b->k2) return a->k2 < b->k2;
  return a->k3 < b->k3;
}

/* The heap is 4-ary: half the levels of a binary heap, and the four
** children of a node share cache lines. (Session windows push and pop
** one entry per row; with a binary heap this was a quarter of a
** session query's time.) */
#define HEAP_D 4

void exec_heap_push(exec_heap *h, const exec_hent *e) {
  if (h->n == h->nAlloc) {
    h->nAlloc = h->nAlloc ? h->nAlloc * 2 : 64;
    h->a = common_realloc(h->a, sizeof(exec_hent) * (size_t)h->nAlloc);
  }
  int64_t i = h->n++;
  while (i > 0) {
    int64_t p = (i - 1) / HEAP_D;
    if (!hent_lt(e, &h->a[p])) break;
    h->a[i] = h->a[p];
    i = p;
  }
  h->a[i] = *e;
}

/* The smallest entry of h, or NULL when h is empty. */
const exec_hent *exec_heap_top(const exec_heap *h) {
  return h->n ? &h->a[0] : NULL;
}

/* Sift e down from the root of h (whose root slot is free) and store it. */
static void heap_sift_down(exec_heap *h, const exec_hent *e) {
  int64_t i = 0, n = h->n;
  for (;;) {
    int64_t c = HEAP_D * i + 1;
    if (c >= n) break;
    int64_t best = c, last = c + HEAP_D < n ? c + HEAP_D : n;
    for (int64_t k = c + 1; k < last; k++) {
      if (hent_lt(&h->a[k], &h->a[best])) best = k;
    }
    if (!hent_lt(&h->a[best], e)) break;
    h->a[i] = h->a[best];
    i = best;
  }
  h->a[i] = *e;
}

/* Remove the smallest entry of h. */
void exec_heap_pop(exec_heap *h) {
  if (!h->n) return;
  exec_hent last = h->a[--h->n];
  if (h->n) heap_sift_down(h, &last);
}

/* Replace the smallest entry of h by a copy of e (which may be larger):
** one sift instead of a pop and a push. */
void exec_heap_replace_top(exec_heap *h, const exec_hent *e) {
  exec_hent x = *e;
  heap_sift_down(h, &x);
}

/* Free h's storage. */
void exec_heap_free(exec_heap *h) {
  common_free(h->a);
  h->a = NULL;
  h->n = h->nAlloc = 0;
}

/* ---- time queue ---------------------------------------------------------- */

/* The bucket number of time k (order-preserving for negative times). */
static uint64_t tq_bucket(int64_t k) {
  return ((uint64_t)k ^ (1ULL << 63)) >> EXEC_TQ_SHIFT;
}

/* Put e where its bucket says: the near heap below cur, the ring within
** EXEC_TQ_RING buckets of cur, else the far heap. */
static void tq_place(exec_tq *q, const exec_hent *e) {
  uint64_t b = tq_bucket(e->k1);
  if (b < q->cur) {
    exec_heap_push(&q->near, e);
  } else if (b - q->cur < EXEC_TQ_RING) {
    exec_tq_bucket *bk = &q->aRing[b & (EXEC_TQ_RING - 1)];
    exec_tq_chunk *c = bk->pTail;
    if (!c || bk->nTail == EXEC_TQ_CHUNK) {
      c = q->pFree;
      if (c) q->pFree = c->pNext;
      else c = common_malloc(sizeof(exec_tq_chunk));
      c->pNext = NULL;
      if (bk->pTail) bk->pTail->pNext = c;
      else bk->pHead = c;
      bk->pTail = c;
      bk->nTail = 0;
    }
    c->a[bk->nTail++] = *e;
    q->nRing++;
  } else {
    exec_heap_push(&q->far, e);
  }
}

/* Add a copy of e to q. */
void exec_tq_push(exec_tq *q, const exec_hent *e) {
  if (!q->aRing) {
    q->aRing = common_calloc(EXEC_TQ_RING, sizeof(exec_tq_bucket));
  }
  if (q->nRing == 0 && q->iRun == q->nRun && q->near.n == 0 &&
      q->far.n == 0) {
    q->cur = tq_bucket(e->k1);    /* empty: start the ring here */
  }
  tq_place(q, e);
}

/* Give bucket bk's chunks back to the free list (first chunk on top). */
static void tq_release(exec_tq *q, exec_tq_bucket *bk) {
  if (!bk->pHead) return;
  bk->pTail->pNext = q->pFree;
  q->pFree = bk->pHead;
  bk->pHead = bk->pTail = NULL;
  bk->nTail = 0;
}

/* Append the entries of bucket bk to the run, sorted: a counting sort
** on the top TQ_SUB_BITS bits of k1 within the bucket, then an insertion
** sort, which finds the run nearly in order. */
#define TQ_SUB_BITS 5
static void tq_run_bucket(exec_tq *q, exec_tq_bucket *bk) {
  int64_t n = 0;
  for (exec_tq_chunk *c = bk->pHead; c; c = c->pNext) {
    n += c == bk->pTail ? bk->nTail : EXEC_TQ_CHUNK;
  }
  if (q->iRun > 0 && q->iRun * 2 >= q->nRun) {
    memmove(q->aRun, q->aRun + q->iRun,
            sizeof(exec_hent) * (size_t)(q->nRun - q->iRun));
    q->nRun -= q->iRun;
    q->iRun = 0;
  }
  if (q->nRun + n > q->nRunAlloc) {
    while (q->nRun + n > q->nRunAlloc) {
      q->nRunAlloc = q->nRunAlloc ? q->nRunAlloc * 2 : 256;
    }
    q->aRun = common_realloc(q->aRun, sizeof(exec_hent) * (size_t)q->nRunAlloc);
  }
  int64_t aPos[(1 << TQ_SUB_BITS) + 1];
  memset(aPos, 0, sizeof(aPos));
#define TQ_SUB(k) \
  ((int)((((uint64_t)(k) ^ (1ULL << 63)) >> (EXEC_TQ_SHIFT - TQ_SUB_BITS)) & \
         ((1 << TQ_SUB_BITS) - 1)))
  for (exec_tq_chunk *c = bk->pHead; c; c = c->pNext) {
    int nc = c == bk->pTail ? (int)bk->nTail : EXEC_TQ_CHUNK;
    for (int i = 0; i < nc; i++) aPos[TQ_SUB(c->a[i].k1) + 1]++;
  }
  int64_t lo = q->nRun;
  aPos[0] = lo;
  for (int i = 1; i <= (1 << TQ_SUB_BITS); i++) aPos[i] += aPos[i - 1];
  for (exec_tq_chunk *c = bk->pHead; c; c = c->pNext) {
    int nc = c == bk->pTail ? (int)bk->nTail : EXEC_TQ_CHUNK;
    for (int i = 0; i < nc; i++) q->aRun[aPos[TQ_SUB(c->a[i].k1)]++] = c->a[i];
  }
#undef TQ_SUB
  q->nRun = lo + n;
  for (int64_t i = lo + 1; i < q->nRun; i++) {
    if (!hent_lt(&q->aRun[i], &q->aRun[i - 1])) continue;
    exec_hent x = q->aRun[i];
    int64_t j = i;
    while (j > lo && hent_lt(&x, &q->aRun[j - 1])) {
      q->aRun[j] = q->aRun[j - 1];
      j--;
    }
    q->aRun[j] = x;
  }
  q->nRing -= n;
  tq_release(q, bk);
}

/* Move every entry of a bucket at or below upTo's to the run. */
static void tq_drain(exec_tq *q, int64_t upTo) {
  uint64_t wb = tq_bucket(upTo);
  while (q->nRing > 0 && q->cur <= wb) {
    exec_tq_bucket *bk = &q->aRing[q->cur & (EXEC_TQ_RING - 1)];
    exec_tq_chunk *pAhead = q->aRing[(q->cur + 8) & (EXEC_TQ_RING - 1)].pHead;
    if (pAhead) __builtin_prefetch(pAhead);
    if (bk->pHead) tq_run_bucket(q, bk);
    q->cur++;
  }
  if (q->nRing == 0 && q->cur <= wb) q->cur = wb + 1;
  const exec_hent *t;
  while ((t = exec_heap_top(&q->far)) != NULL &&
         tq_bucket(t->k1) < q->cur + EXEC_TQ_RING) {
    exec_hent x = *t;
    exec_heap_pop(&q->far);
    tq_place(q, &x);
  }
}

/* The smallest entry of q if its k1 <= upTo, else NULL. */
const exec_hent *exec_tq_top(exec_tq *q, int64_t upTo) {
  if (q->cur <= tq_bucket(upTo)) tq_drain(q, upTo);
  const exec_hent *t = exec_heap_top(&q->near);
  q->bTopRun = 0;
  if (q->iRun < q->nRun && (!t || hent_lt(&q->aRun[q->iRun], t))) {
    t = &q->aRun[q->iRun];
    q->bTopRun = 1;
    /* Start loading what the next entries point at while the caller
    ** works on this one. */
    if (q->iRun + 4 < q->nRun) __builtin_prefetch(q->aRun[q->iRun + 4].p);
  }
  if (!t || t->k1 > upTo) return NULL;
  return t;
}

/* Remove the entry exec_tq_top returned. */
void exec_tq_pop(exec_tq *q) {
  if (q->bTopRun) {
    if (++q->iRun == q->nRun) q->iRun = q->nRun = 0;
  } else {
    exec_heap_pop(&q->near);
  }
}

/* Replace the entry exec_tq_top returned by a copy of e. */
void exec_tq_replace_top(exec_tq *q, const exec_hent *e) {
  exec_hent x = *e;
  exec_tq_pop(q);
  tq_place(q, &x);
}

/* The smallest k1 in q (EXEC_TIME_MAX when empty). */
int64_t exec_tq_min_key(const exec_tq *q) {
  int64_t m = EXEC_TIME_MAX;
  if (q->iRun < q->nRun) m = q->aRun[q->iRun].k1;
  if (q->near.n && q->near.a[0].k1 < m) m = q->near.a[0].k1;
  if (q->far.n && q->far.a[0].k1 < m) m = q->far.a[0].k1;
  for (uint64_t b = q->cur; q->nRing && b < q->cur + EXEC_TQ_RING; b++) {
    const exec_tq_bucket *bk = &q->aRing[b & (EXEC_TQ_RING - 1)];
    if (!bk->pHead) continue;
    for (const exec_tq_chunk *c = bk->pHead; c; c = c->pNext) {
      int nc = c == bk->pTail ? (int)bk->nTail : EXEC_TQ_CHUNK;
      for (int i = 0; i < nc; i++) {
        if (c->a[i].k1 < m) m = c->a[i].k1;
      }
    }
    break;              /* later buckets hold later keys */
  }
  return m;
}

/* Forget every entry of q. */
void exec_tq_clear(exec_tq *q) {
  q->iRun = q->nRun = 0;
  q->near.n = 0;
  q->far.n = 0;
  for (int i = 0; q->nRing && i < EXEC_TQ_RING; i++) {
    for (exec_tq_chunk *c = q->aRing[i].pHead; c; c = c->pNext) {
      q->nRing -= c == q->aRing[i].pTail ? q->aRing[i].nTail : EXEC_TQ_CHUNK;
    }
    tq_release(q, &q->aRing[i]);
  }
  q->nRing = 0;
}

/* Free q's storage. */
void exec_tq_free(exec_tq *q) {
  common_free(q->aRun);
  q->aRun = NULL;
  q->iRun = q->nRun = q->nRunAlloc = 0;
  exec_heap_free(&q->near);
  exec_heap_free(&q->far);
  if (q->aRing) {
    for (int i = 0; i < EXEC_TQ_RING; i++) tq_release(q, &q->aRing[i]);
    common_free(q->aRing);
  }
  while (q->pFree) {
    exec_tq_chunk *c = q->pFree;
    q->pFree = c->pNext;
    common_free(c);
  }
  q->aRing = NULL;
  q->nRing = 0;
  q->cur = 0;
}
