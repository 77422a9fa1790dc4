/*
** exec/winstate.h — the state machinery of the windowing operators
** (op_agg.c, op_window.c): aggregate accumulators (agg.c) and the
** containers that hold window state (winstate.c): a slab of fixed-size
** records, an open-addressing hash table of record pointers and a
** min-heap of deadlines.
**
** Shared only by exec/op_agg.c, exec/op_window.c, exec/agg.c and
** exec/winstate.c. Every byte of state goes through common_malloc and is
** added to / subtracted from a caller's byte counter (exec_op.stateBytes),
** so state size stays exact and observable.
*/
#ifndef WEIR_EXEC_WINSTATE_H
#define WEIR_EXEC_WINSTATE_H

#include "exec/exec.h"

/* ======================================================================
** Accumulators (agg.c)
** ==================================================================== */

/* One aggregate's accumulator, inside a window record. Each kind has
** only the leading fields it uses (exec_acc_layout_init): COUNT and
** DISTINCT v, SUM/AVG v, n and nAny, MIN/MAX all of it. */
typedef struct exec_acc {
  union {
    int64_t i;              /* COUNT, SUM/MIN/MAX of integer types */
    double f;               /* SUM/AVG/MIN/MAX of DOUBLE */
    char *z;                /* MIN/MAX of VARCHAR (owned) */
    struct exec_dset *pSet; /* DISTINCT: value -> multiplicity */
  } v;
  int64_t n;                /* non-NULL values (net of retractions) */
  union {
    int64_t nExt;           /* MIN/MAX: multiplicity of the extreme */
    int64_t nAny;           /* SUM/AVG: non-NULL rows added or removed */
  };
  uint32_t nZ, nZAlloc;     /* VARCHAR MIN/MAX: length, capacity */
} exec_acc;

/* How a record's accumulators are laid out and updated. */
typedef struct exec_acc_layout {
  int nAgg;
  const exec_agg *aAgg;
  size_t *aOff;             /* byte offset of each accumulator */
  size_t szAcc;             /* all of them */
  int bDelta;               /* each pane holds only the rows since the
                            ** last (DISCARDING): a SUM of rows that
                            ** cancelled out is their sum, not NULL */
} exec_acc_layout;

void exec_acc_layout_init(exec_acc_layout *L, int nAgg, const exec_agg *a);
void exec_acc_layout_free(exec_acc_layout *L);
/* Free what the accumulators own and set them to "no rows". *pBytes is
** decreased by the bytes released. */
void exec_acc_reset(const exec_acc_layout *L, exec_acc *aAcc,
                    int64_t *pBytes);
/*
** Add (aSign[j] > 0) or remove (aSign[j] < 0) input row aRow[j] of b to
** the accumulators apAcc[j], for j in [0,n). aSign NULL means all adds.
** Returns 0, or 1 with *pzErr set to a static message (a retraction that
** MIN/MAX cannot undo).
*/
int exec_acc_update(const exec_acc_layout *L, int n, exec_acc *const *apAcc,
                    const int *aRow, const int8_t *aSign,
                    const exec_batch *b, int64_t *pBytes,
                    const char **pzErr);
/* Merge src into dst (src is left as it is). */
void exec_acc_merge(const exec_acc_layout *L, exec_acc *dst,
                    const exec_acc *src, int64_t *pBytes);
/* Nonzero if every aggregate of L can be un-merged exactly. */
int exec_acc_invertible(const exec_acc_layout *L);
/* Take src, merged into dst earlier, back out of dst (invertible only). */
void exec_acc_unmerge(const exec_acc_layout *L, exec_acc *dst,
                      const exec_acc *src);
/* The value of aggregate iAgg; strings point into the accumulator. */
void exec_acc_result(const exec_acc_layout *L, const exec_acc *aAcc,
                     int iAgg, exec_value *out);

/* ======================================================================
** Containers (winstate.c)
** ==================================================================== */

/* A slab of fixed-size records with a free list. */
typedef struct exec_slab {
  size_t szRec;             /* rounded up to 8 */
  int nPerChunk;
  void *pChunks;            /* list of chunks (first word = next) */
  void *pFree;              /* free records (first word = next) */
  char *pBump, *pBumpEnd;   /* the newest chunk's never-used slots */
  int64_t nLive;            /* records handed out and not freed */
} exec_slab;

void exec_slab_init(exec_slab *s, size_t szRec);
/* A zeroed record. */
void *exec_slab_alloc(exec_slab *s);
void exec_slab_free(exec_slab *s, void *p);
/* Release every chunk (all records must be dead). */
void exec_slab_clear(exec_slab *s);
/* Call xVisit(pArg, rec) for every record slot of s ever handed out,
** live or freed since, in memory order (a sequential sweep, where walking
** the owner's own links would miss the cache on every record). The owner
** tells live records from freed ones by a field it clears before
** exec_slab_free (not the first word, which links the free list). */
void exec_slab_each(exec_slab *s, void (*xVisit)(void *, void *),
                    void *pArg);

/* Open-addressing hash table (linear probing) of (hash, pointer). The
** caller probes inline: start at h & mask, step +1, stop at p == NULL. */
typedef struct exec_hslot {
  uint64_t h;
  void *p;
} exec_hslot;
typedef struct exec_htab {
  exec_hslot *a;
  void *pBase;              /* a's allocation (a may be aligned inside) */
  uint64_t mask;            /* nSlot - 1 */
  int64_t nUsed;
} exec_htab;

void exec_htab_init(exec_htab *t, int64_t nSlot);
void exec_htab_free(exec_htab *t);
/* Make room for nMore insertions at load <= 1/2. */
void exec_htab_reserve(exec_htab *t, int64_t nMore);
/* Remove the slot holding p (which must be there). */
void exec_htab_remove(exec_htab *t, uint64_t h, const void *p);
/* Remove the entry in slot i (found by the caller's own probe). */
void exec_htab_remove_at(exec_htab *t, uint64_t i);

/* A min-heap of entries ordered by (k1, k2, k3). */
typedef struct exec_hent {
  int64_t k1, k2;
  uint64_t k3;
  void *p;
  uint64_t gen;             /* validity check by the owner (40 bytes in
                            ** all: the session queues hold millions) */
} exec_hent;
typedef struct exec_heap {
  exec_hent *a;
  int64_t n, nAlloc;
} exec_heap;

void exec_heap_push(exec_heap *h, const exec_hent *e);
/* The smallest entry, or NULL if empty. */
const exec_hent *exec_heap_top(const exec_heap *h);
void exec_heap_pop(exec_heap *h);
/* Replace the smallest entry (h must not be empty) by e. */
void exec_heap_replace_top(exec_heap *h, const exec_hent *e);
void exec_heap_free(exec_heap *h);

/* A time queue of heap entries, popped in (k1, k2, k3) order up to a
** bound (the watermark). Entries due within the ring's span sit unsorted
** in fine buckets of 2^EXEC_TQ_SHIFT us; when the bound reaches a bucket,
** its few entries are sorted onto the end of a sorted run (buckets are
** drained in order, so the run stays sorted) and popped from its front.
** Entries beyond the ring wait in a heap; entries pushed below the
** drained buckets go to a small heap merged with the run. Pushes are
** O(1), pops O(1) when keys arrive close to the bound, as session
** deadlines do. */
#define EXEC_TQ_SHIFT 15    /* buckets of 33 ms */
#define EXEC_TQ_RING 4096   /* ring of ~134 s */
#define EXEC_TQ_CHUNK 31    /* entries per chunk (1.5 KB) */
/* Buckets are lists of chunks; drained chunks go back to a free list and
** are reused while still in cache. */
typedef struct exec_tq_chunk exec_tq_chunk;
struct exec_tq_chunk {
  exec_tq_chunk *pNext;
  exec_hent a[EXEC_TQ_CHUNK];
};
/* A bucket: its chunks are full but the tail, which holds nTail entries
** (counted here, not in the chunk, so that a push touches one line of
** the chunk). */
typedef struct exec_tq_bucket {
  exec_tq_chunk *pHead, *pTail;
  int64_t nTail;
} exec_tq_bucket;
typedef struct exec_tq {
  exec_hent *aRun;          /* drained entries, sorted: [iRun, nRun) */
  int64_t iRun, nRun, nRunAlloc;
  exec_heap near;           /* pushed below cur after their bucket drained */
  exec_heap far;            /* entries beyond the ring */
  exec_tq_bucket *aRing;    /* EXEC_TQ_RING buckets (allocated on use) */
  exec_tq_chunk *pFree;     /* free chunks, most recently used first */
  uint64_t cur;             /* bucket number of the ring's first */
  int64_t nRing;            /* entries in the ring */
  int bTopRun;              /* the last top came from aRun */
} exec_tq;

void exec_tq_push(exec_tq *q, const exec_hent *e);
/* The smallest entry if its k1 <= upTo, else NULL (upTo must not
** decrease between calls while entries are queued). */
const exec_hent *exec_tq_top(exec_tq *q, int64_t upTo);
/* Remove the entry exec_tq_top just returned. */
void exec_tq_pop(exec_tq *q);
/* Replace the entry exec_tq_top just returned by e. */
void exec_tq_replace_top(exec_tq *q, const exec_hent *e);
/* The smallest k1 queued (stale entries included), EXEC_TIME_MAX if
** none. Scans the ring: for timers, not for hot paths. */
int64_t exec_tq_min_key(const exec_tq *q);
/* Forget every entry (keeps the storage). */
void exec_tq_clear(exec_tq *q);
void exec_tq_free(exec_tq *q);

#endif
