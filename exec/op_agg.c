/*
** exec/op_agg.c — PLAN_AGG: GroupByKey + Combine with windows, triggers,
** accumulation modes and retractions (DESIGN.md §2.3–§2.5, Beam's model).
**
** Where in the pipeline: below it a READ/PARDO delivers input batches; it
** assigns each row to its windows (TUMBLE, HOP, CUMULATE, SESSION with
** per-key merging, or the global window of an unwindowed aggregate), folds
** the row into the window's accumulators and emits changelog rows (panes)
** when triggers fire: on the watermark (ON_TIME), on processing-time
** timers or per batch (EARLY before the watermark passes the window's end,
** LATE after). Output columns: keys, [window_start, window_end],
** aggregates, pane_timing, pane_index, emit_time, ver.
**
** State: one slab record per (key, window), found through an open
** addressing hash table (probed inline, keys hashed a vector at a time,
** accumulators updated per aggregate over the whole batch). Which window
** fires or is purged next when the watermark moves is kept in order of
** (deadline, window end, first arrival), so firing never scans all state:
** aligned windows (TUMBLE, HOP, CUMULATE, global) share deadlines and sit
** in a sorted array of (deadline, end) buckets; sessions, whose ends are
** arbitrary and grow, sit in a time queue (winstate.c: a ring of small
** buckets sorted onto a run when the watermark reaches them) whose
** entries are invalidated lazily (each carries the generation of its
** push; a freed record's is 0; an entry whose session grew is re-queued
** with its real deadline when it comes up). Armed
** processing-time panes sit in a second heap behind a single timer of the
** clock's timer service. Over PROCTIME() a row's time is its arrival and
** a second timer moves the watermark to processing time at the next
** window deadline, so those windows close as processing time passes their
** ends. A batch input's sessions are not queued at all while its
** watermark sits at -inf; when it jumps to +inf they are sorted and fired
** in one pass and released at once (drain_sessions). A record carries
** trigger state (wtrig) only when its window can fire more than one
** pane. A record is freed when the watermark passes
** end + lateness; op->stateBytes counts every live record and what it
** owns (long key strings, MIN/MAX strings, DISTINCT sets, retained rows).
**
** HOP and CUMULATE with only an on-time pane (the default) are sliced:
** each row goes to one slice (gcd(slide, size) wide for HOP, the step for
** CUMULATE), reached through a per-key group record, so a row costs
** about what it costs under TUMBLE whatever size/slide is. When a window
** fires, its slices are merged per key; when every aggregate can be taken
** back out exactly (COUNT, SUM/AVG of integers), each group instead keeps
** a running window that slices enter and leave (subtract on evict), and a
** monotonic deque of its slices gives its first arrival for the order.
**
** Late rows: an input row none of whose windows still takes rows (the
** watermark reached end + lateness), or whose event time is NULL, is
** dropped and counted in nLateDropped. With a 'late.sink' (plan
** zLateSink, opened by query.c through the binder) it is also copied, op
** included, into pLate and written to that sink at the end of the push:
** the columns the planner appended to the pre-projection for it (the
** FROM item's row: plan aLateCol/lateSchema), or the whole input row for
** a plan without them. A HOP/CUMULATE row that still lands in one window
** is not late.
**
** Output watermark (DESIGN.md 2.5, Beam's watermark hold): the rule for
** downstream is that every row this operator emits later has window_start
** (and so window_end) at or after the watermark it forwarded, so a query
** windowing this output over window_start or window_end never finds it
** late because of our own delay. After the panes due at the input
** watermark wm have fired, the operator forwards min(wm, the earliest
** window_start of a window that may still emit): for aligned windows the
** first aligned start after wm - lateness - size (every window ending
** after wm - lateness may still take rows); for sessions wm - lateness -
** gap + 1 us, or the start of a live session longer than the gap if
** earlier (those sit in startHeap, a time queue by start, lazily
** invalidated like wmHeap). The
** global window and processing-time windows forward wm unchanged.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "exec/exec_int.h"
#include "exec/winstate.h"

/* Record flags. */
#define F_PENDING 0x01      /* rows arrived since the last pane */
#define F_TOUCHED 0x02      /* in this batch's touched list */
#define F_PREV 0x04         /* aPrev holds the last emitted row */
#define F_PHASE1 0x08       /* end passed: waiting for end + lateness */
#define F_BORROWED 0x10     /* key strings belong to pGroup */
#define F_INRUN 0x20        /* slice: merged into its group's running
                            ** window (incremental slicing) */
#define F_INSTART 0x40      /* SESSION: has an entry in startHeap */

/* Pane timings. */
enum { PT_EARLY = 0, PT_ON_TIME, PT_LATE };
static const char *const azTiming[] = {"EARLY", "ON_TIME", "LATE"};

#define PAIR_CAP 4096       /* (row, window) pairs processed at once */
#define KEY_INLINE 24       /* key strings this short live in the record */

/* One (key, window): followed in memory by nKey key values, nAgg
** accumulators and, under RETRACTING, nAgg previously emitted values. */
typedef struct pend_del pend_del;
typedef struct wrec wrec;
struct wrec {
  uint64_t hash;            /* its hash table slot's (sliced groups: the
                            ** hash of the key alone) */
  uint64_t uid;             /* unique per allocation; 0 once freed */
  uint64_t seq;             /* first-arrival order */
  int64_t start, end;
  int64_t nRows;            /* net input rows (adds minus retractions) */
  uint64_t heapGen;         /* generation of the watermark heap entry */
  wrec *pPrevSess;          /* SESSION: previous (newer) session of the same
                            ** key, NULL at the head of its list */
  wrec *pNextSess;          /* SESSION: next (older) session of the same key;
                            ** sliced: next slice of the same start;
                            ** else: next in its (deadline, end) bucket */
  uint32_t flags;
};

/*
** A record's trigger state, at offTrig. Only a window that can fire more
** than one pane, or whose panes need bookkeeping, has one: when every
** window fires exactly one on-time pane (no early or late trigger, no
** lateness, not RETRACTING, not sliced) offTrig is 0 and trig() answers
** all zeros -- pane 0, ver 0, nothing armed or deferred -- which is
** what such a pane carries. Millions of sessions held to the end of a
** batch input are that case, and this part would be a quarter of them.
*/
typedef struct wtrig {
  int64_t nSince;           /* input rows since the last pane */
  int64_t paneIndex;        /* index of the next pane */
  int64_t ver;              /* changelog row number of the next row */
  int64_t armAt;            /* processing-time deadline when armed */
  uint64_t armGen;          /* 0 = no processing-time pane armed */
  wrec *pGroup;             /* sliced: the key's group record, which owns
                            ** the key, assembles windows, counts its
                            ** slices in nSince, points at its latest
                            ** slice with pNextSess and keeps a window
                            ** stamp in armGen */
  pend_del *pDel;           /* SESSION: deferred -D rows (in order) */
} wtrig;

/* SESSION under RETRACTING: the last row of a session merged away,
** retracted (-D) just before the merged session's next pane, so that a
** table fed the changelog never loses the key in between. */
struct pend_del {
  pend_del *pNext;
  int64_t start, end, paneIndex, ver;
  exec_value aV[];          /* nAgg values; strings owned */
};

/* Incremental slicing (HOP/CUMULATE whose aggregates can be un-merged):
** each group's accumulators hold its running window, the merge of its
** live slices that start before incHi; a slice enters when the first
** window containing it fires and leaves when the last one has. This part
** of a record follows the rest (offExt). */
typedef struct slice_ext {
  wrec *pInNext;            /* slice: next in its group's running window */
  wrec *pMinPrev, *pMinNext;  /* slice: in its group's minima chain */
  wrec *pInHead, *pInTail;  /* group: slices in the running window, by
                            ** start */
  wrec *pMinHead, *pMinTail;  /* group: the slices whose seq is below that
                            ** of every later one (a monotonic deque: its
                            ** head has the least seq, the key's first
                            ** arrival in the window) */
  int64_t nIn;              /* group: how many slices */
  int64_t iAct;             /* group: 1 + index in apAct, 0 if none */
} slice_ext;

/* A record with a sort key, kept beside it so sorting stays local: the
** groups of a sliced window to emit (by first arrival), the sessions of
** a batch input's end (drain_sessions). */
typedef struct rec_ref {
  uint64_t key;
  wrec *p;
} rec_ref;

/* Sliced HOP/CUMULATE: the slices of one start, in creation order. */
typedef struct slice_dir {
  int64_t start;
  wrec *pHead, *pTail;      /* linked through pNextSess */
} slice_dir;

/* Windows of one (deadline, end), in first-arrival order (TUMBLE, HOP,
** CUMULATE, global: many records share a deadline, so a sorted array of
** buckets replaces a heap entry per record). */
typedef struct end_bucket {
  int64_t deadline, end;
  wrec *pHead, *pTail;      /* linked through pNextSess */
} end_bucket;

typedef struct touch {
  wrec *r;
  uint64_t uid;
} touch;

typedef struct agg_op {
  exec_op base;
  exec_clock *clock;
  exec_win_kind win;
  exec_window w;
  int nKey;
  const int *aKeyCol;
  exec_acc_layout L;
  int nAgg;
  /* Effective trigger. */
  int bOnTime;
  int bCloseDelay;          /* the on-time pane fires at end + lateness */
  int bKeepPrev;            /* records keep their last emitted row */
  exec_trig_kind early, late;
  int64_t earlyArg, lateArg, lateness;
  exec_accum accum;
  /* Record layout. */
  size_t offKey, offAcc, offPrev, offKeyBuf, offTrig, offExt, szRec;
  wtrig trigNone;           /* what trig() answers when offTrig is 0 */
  exec_slab slab;
  exec_htab tab;
  exec_tq wmHeap;           /* (deadline, end, seq) */
  exec_heap procHeap;       /* (at, end, seq) */
  exec_tq startHeap;        /* SESSION: (start) of sessions longer than
                            ** the gap, for the output watermark hold */
  uint64_t timerId;
  int64_t timerAt;
  uint64_t ptTimerId;       /* PROCTIME() windows: next window deadline */
  int64_t ptTimerAt;
  uint64_t nextUid, nextSeq, nextGen;
  int64_t sessEndLo, sessEndHi;  /* SESSION: bounds of every end given */
  int64_t wm;               /* input watermark */
  int64_t now;              /* processing time of the current push */
  /* This batch's records to check for per-batch triggers. */
  touch *aTouch;
  int nTouch, nTouchAlloc;
  /* Output. */
  common_arena outArena;    /* the output batch (kept) */
  common_arena outHeap;     /* its strings (reset after each emit) */
  exec_batch *pOut;
  uint8_t *aOutType;
  int nOut, iOutWin, iOutAgg, iOutMeta;
  exec_value *aVal;         /* nAgg scratch values */
  /* Per-batch scratch (EXEC_BATCH_CAP rows, PAIR_CAP pairs). */
  uint64_t *aKh;
  int64_t *aTime;
  int8_t *aRowSign;
  int *aPairRow;
  int8_t *aPairSign;
  int64_t *aPairStart, *aPairEnd;
  wrec **apPairRec;
  exec_acc **apPairAcc;
  int bFailed;
  int bAnyRow;              /* some input row arrived */
  int bBuckets;             /* deadlines in aEb (else in wmHeap) */
  int bUnqueued;            /* SESSION: live sessions left out of wmHeap
                            ** while the watermark was EXEC_TIME_MIN */
  end_bucket *aEb;          /* ascending by (deadline, end) */
  int nEb, nEbAlloc;
  exec_agg *aAggOwn;        /* adjusted copy of the plan's aggregates */
  /* Sliced mode (HOP/CUMULATE with only an on-time pane): rows go to
  ** slices of width sliceW; a window is the merge of its slices. */
  int bSliced;
  int64_t sliceW;
  int64_t sliceFired;       /* windows ending at or before it closed */
  slice_dir *aDir;          /* live slice starts, ascending */
  int nDir, nDirAlloc;
  exec_slab tmpSlab;        /* windows being assembled from slices */
  exec_htab tmpTab;
  wrec **apTmp;
  int nTmp, nTmpAlloc;
  int bInc;                 /* incremental slicing */
  int64_t incHi;            /* running windows hold slices before it */
  wrec **apAct;             /* groups whose running window is not empty */
  int nAct, nActAlloc;
  rec_ref *aRef;            /* scratch for ordering them */
  int nRefAlloc;
  int *aRow2;               /* per-batch: rows that also go to a running */
  int8_t *aSign2;           /* window, their signs and accumulators */
  exec_acc **apAcc2;
  /* 'late.sink': dropped input rows go here (query.c owns the sink). */
  exec_sink *pLateSink;
  exec_batch *pLate;        /* rows waiting to be written */
  common_arena lateArena;   /* pLate (kept) */
  common_arena lateHeap;    /* its strings (reset after each write) */
} agg_op;

static exec_value *rec_keys(const agg_op *o, wrec *r) {
  return (exec_value *)((char *)r + o->offKey);
}
static exec_acc *rec_acc(const agg_op *o, wrec *r) {
  return (exec_acc *)((char *)r + o->offAcc);
}
static exec_value *rec_prev(const agg_op *o, wrec *r) {
  return (exec_value *)((char *)r + o->offPrev);
}
/* r's trigger state (see wtrig): all zeros, writes dropped, without one. */
static wtrig *trig(agg_op *o, wrec *r) {
  if (o->offTrig) return (wtrig *)((char *)r + o->offTrig);
  memset(&o->trigNone, 0, sizeof o->trigNone);
  return &o->trigNone;
}

static int64_t sat_add(int64_t a, int64_t b) {
  if (b > 0 && a > EXEC_TIME_MAX - b) return EXEC_TIME_MAX;
  return a + b;
}

/* Floor division for possibly negative times. */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

static uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

static uint64_t win_hash(uint64_t kh, int64_t start, int64_t end) {
  return kh ^ mix64((uint64_t)start * 0x9e3779b97f4a7c15ULL ^
                    (uint64_t)end);
}

static int64_t rec_deadline(const agg_op *o, const wrec *r) {
  return (r->flags & F_PHASE1) ? sat_add(r->end, o->lateness) : r->end;
}

static int fail(agg_op *o, const char *zMsg) {
  if (!o->bFailed && o->base.q) exec_query_fail(o->base.q, "%s", zMsg);
  o->bFailed = 1;
  return 1;
}

static int64_t clock_now(agg_op *o) {
  return o->clock ? exec_clock_now(o->clock) : 0;
}

/* ---- late rows ----------------------------------------------------------- */

/* Give Agg operator op the sink of its late rows (exec_int.h). */
void exec_agg_attach_late(exec_op *op, exec_sink *s) {
  ((agg_op *)op)->pLateSink = s;
}

/* The late-row sink of Agg operator op (exec_int.h). */
exec_sink *exec_agg_late_sink(exec_op *op) {
  return ((agg_op *)op)->pLateSink;
}

/* The schema of the late rows. */
static const exec_schema *late_schema(const agg_op *o) {
  const exec_plan *p = o->base.plan;
  return p->lateSchema.nCol > 0 ? &p->lateSchema : &p->aChild[0]->schema;
}

/* Write the pending late rows to the late sink. */
static int late_write(agg_op *o) {
  if (!o->pLate || o->pLate->n == 0) return 0;
  int rc = o->pLateSink->vt->xWrite(o->pLateSink, o->pLate, late_schema(o));
  o->pLate->n = 0;
  common_arena_reset(&o->lateHeap);
  if (rc) {
    return fail(o, o->pLateSink->zErr[0] ? o->pLateSink->zErr
                                         : "late.sink: write failed");
  }
  return 0;
}

/* Input row i of b is dropped (too late for every window it belongs to,
** or without event time): count it and, with a late sink, keep it for
** the sink (written at the end of the push). */
static int late_row(agg_op *o, const exec_batch *b, int i) {
  o->base.nLateDropped++;
  if (!o->pLate) return 0;
  const exec_plan *p = o->base.plan;
  if (p->lateSchema.nCol == 0) {
    exec_batch_append_row(o->pLate, b, i);   /* with its op */
  } else {
    /* The FROM item's columns, which the planner appended to the input. */
    exec_batch *d = o->pLate;
    int j = d->n++;
    d->op[j] = b->op[i];
    for (int c = 0; c < d->nCol; c++) {
      const exec_vec *v = &b->aCol[p->aLateCol[c]];
      exec_vec *w = &d->aCol[c];
      w->null[j] = v->type == WEIR_NULL_TYPE || v->null[i];
      if (w->null[j] || w->type == WEIR_NULL_TYPE) continue;
      if (w->type == WEIR_VARCHAR) {
        exec_str x = v->v.s[i];
        char *z = common_arena_alloc(&o->lateHeap, x.n ? x.n : 1);
        memcpy(z, x.p, x.n);
        w->v.s[j].p = z;
        w->v.s[j].n = x.n;
      } else {
        memcpy((char *)w->v.p + exec_type_size(w->type) * (size_t)j,
               (const char *)v->v.p + exec_type_size(v->type) * (size_t)i,
               exec_type_size(w->type));
      }
    }
  }
  if (o->pLate->n == EXEC_BATCH_CAP) return late_write(o);
  return 0;
}

/* ---- keys ---------------------------------------------------------------- */

/* Hash the group key of every row of b into o->aKh. */
static void hash_keys(agg_op *o, const exec_batch *b) {
  uint64_t *kh = o->aKh;
  for (int i = 0; i < b->n; i++) kh[i] = 0x5bd1e995;
  for (int c = 0; c < o->nKey; c++) {
    const exec_vec *v = &b->aCol[o->aKeyCol[c]];
    int bAllNull = v->type == WEIR_NULL_TYPE;
    for (int i = 0; i < b->n; i++) {
      if (bAllNull || v->null[i]) {
        kh[i] = mix64(kh[i] + 0x2545f491);
        continue;
      }
      switch (v->type) {
        case WEIR_VARCHAR:
          kh[i] = common_hash(v->v.s[i].p, v->v.s[i].n, kh[i]);
          break;
        case WEIR_DOUBLE: {
          double d = v->v.f64[i];
          if (d == 0) d = 0;
          kh[i] = common_hash(&d, sizeof d, kh[i]);
          break;
        }
        case WEIR_BOOLEAN: {
          int64_t x = v->v.b[i];
          kh[i] = common_hash(&x, sizeof x, kh[i]);
          break;
        }
        default:
          kh[i] = common_hash(&v->v.i64[i], 8, kh[i]);
          break;
      }
    }
  }
}

/* n bytes equal? Keys are mostly short: a loop beats a memcmp call. */
static inline int bytes_eq(const char *a, const char *b, uint32_t n) {
  if (n > 16) return !memcmp(a, b, n);
  for (uint32_t i = 0; i < n; i++) {
    if (a[i] != b[i]) return 0;
  }
  return 1;
}

/* Does record r hold the group key of row i of b? */
static int key_eq(const agg_op *o, wrec *r, const exec_batch *b, int i) {
  const exec_value *k = rec_keys(o, r);
  for (int c = 0; c < o->nKey; c++) {
    const exec_vec *v = &b->aCol[o->aKeyCol[c]];
    int bNull = v->null[i] || v->type == WEIR_NULL_TYPE;
    if (bNull || k[c].isNull) {
      if (!bNull || !k[c].isNull) return 0;
      continue;
    }
    switch (v->type) {
      case WEIR_VARCHAR:
        if (k[c].u.s.n != v->v.s[i].n ||
            !bytes_eq(k[c].u.s.p, v->v.s[i].p, v->v.s[i].n)) {
          return 0;
        }
        break;
      case WEIR_DOUBLE:
        if (k[c].u.f != v->v.f64[i]) return 0;
        break;
      case WEIR_BOOLEAN:
        if (k[c].u.i != v->v.b[i]) return 0;
        break;
      default:
        if (k[c].u.i != v->v.i64[i]) return 0;
        break;
    }
  }
  return 1;
}

/* ---- records ------------------------------------------------------------- */

/* Copy the group key of row i of b into record r. Strings of up to
** KEY_INLINE bytes go into the record itself; longer ones are allocated
** (and counted in stateBytes). */
static void key_copy(agg_op *o, wrec *r, const exec_batch *b, int i) {
  exec_value *k = rec_keys(o, r);
  char *zBuf = (char *)r + o->offKeyBuf;
  for (int c = 0; c < o->nKey; c++) {
    const exec_vec *v = &b->aCol[o->aKeyCol[c]];
    exec_vec_get(v, i, &k[c]);
    if (k[c].isNull || v->type != WEIR_VARCHAR) continue;
    uint32_t n = k[c].u.s.n;
    char *z;
    if (n <= KEY_INLINE) {
      z = zBuf + KEY_INLINE * c;
    } else {
      z = common_malloc(n);
      o->base.stateBytes += n;
    }
    memcpy(z, k[c].u.s.p, n);
    k[c].u.s.p = z;
  }
}

/* Release the key strings of r that live outside it. */
static void key_free(agg_op *o, wrec *r) {
  exec_value *k = rec_keys(o, r);
  for (int c = 0; c < o->nKey; c++) {
    if (k[c].isNull || k[c].type != WEIR_VARCHAR) continue;
    if (k[c].u.s.n <= KEY_INLINE) continue;
    o->base.stateBytes -= k[c].u.s.n;
    common_free((void *)k[c].u.s.p);
    k[c].isNull = 1;          /* released: not again */
  }
}

/* Sliced mode: the group record of the key of row i of b (created on
** first use; it lives while slices of the key do). */
static wrec *group_get(agg_op *o, const exec_batch *b, int i) {
  uint64_t kh = o->aKh[i];
  exec_htab_reserve(&o->tmpTab, 1);
  uint64_t m = o->tmpTab.mask, k = kh & m;
  wrec *g;
  for (;;) {
    g = o->tmpTab.a[k].p;
    if (!g || (o->tmpTab.a[k].h == kh && key_eq(o, g, b, i))) break;
    k = (k + 1) & m;
  }
  if (g) return g;
  g = exec_slab_alloc(&o->tmpSlab);
  o->base.stateBytes += (int64_t)o->tmpSlab.szRec;
  g->hash = kh;
  g->uid = ++o->nextUid;
  key_copy(o, g, b, i);
  o->tmpTab.a[k].h = kh;
  o->tmpTab.a[k].p = g;
  o->tmpTab.nUsed++;
  return g;
}

static void prev_clear(agg_op *o, wrec *r);

/* A slice of group g went away; free g with its last slice. */
static void group_release(agg_op *o, wrec *g) {
  if (--trig(o, g)->nSince > 0) return;
  exec_htab_remove(&o->tmpTab, g->hash, g);
  key_free(o, g);
  exec_acc_reset(&o->L, rec_acc(o, g), &o->base.stateBytes);
  prev_clear(o, g);
  g->uid = 0;
  exec_slab_free(&o->tmpSlab, g);
  o->base.stateBytes -= (int64_t)o->tmpSlab.szRec;
}

/* Queue r under its deadline (bucket mode). */
static void bucket_add(agg_op *o, wrec *r) {
  int64_t d = rec_deadline(o, r), e = r->end;
  int i = o->nEb;
  while (i > 0 && (o->aEb[i - 1].deadline > d ||
                   (o->aEb[i - 1].deadline == d && o->aEb[i - 1].end > e))) {
    i--;
  }
  end_bucket *eb;
  if (i > 0 && o->aEb[i - 1].deadline == d && o->aEb[i - 1].end == e) {
    eb = &o->aEb[i - 1];
  } else {
    if (o->nEb == o->nEbAlloc) {
      o->nEbAlloc = o->nEbAlloc ? o->nEbAlloc * 2 : 16;
      o->aEb = common_realloc(o->aEb,
                              sizeof(end_bucket) * (size_t)o->nEbAlloc);
    }
    memmove(&o->aEb[i + 1], &o->aEb[i],
            sizeof(end_bucket) * (size_t)(o->nEb - i));
    o->nEb++;
    eb = &o->aEb[i];
    eb->deadline = d;
    eb->end = e;
    eb->pHead = eb->pTail = NULL;
  }
  r->pNextSess = NULL;
  if (eb->pTail) eb->pTail->pNextSess = r;
  else eb->pHead = r;
  eb->pTail = r;
}

/*
** Queue e in wmHeap. While the input watermark is EXEC_TIME_MIN (a batch
** input being read: its watermark jumps to EXEC_TIME_MAX at the end)
** no event-time session can fire, so sessions are not queued one by one:
** bUnqueued notes that every live session is to be queued at once,
** sorted, when the watermark first moves (unqueued_take). Millions of
** sessions held to the end otherwise all go through the far heap.
*/
static void wm_push(agg_op *o, const exec_hent *e) {
  if (o->wm == EXEC_TIME_MIN && e->k1 > EXEC_TIME_MIN &&
      o->win == WIN_SESSION && o->w.iTimeCol >= 0) {
    o->bUnqueued = 1;
    return;
  }
  exec_tq_push(&o->wmHeap, e);
}

/* Order of wmHeap entries: (deadline, end, seq). */
static int hent_cmp(const void *pA, const void *pB) {
  const exec_hent *a = pA, *b = pB;
  if (a->k1 != b->k1) return a->k1 < b->k1 ? -1 : 1;
  if (a->k2 != b->k2) return a->k2 < b->k2 ? -1 : 1;
  if (a->k3 != b->k3) return a->k3 < b->k3 ? -1 : 1;
  return 0;
}

/* Sort a[0..n) by (k1, k2, k3): an LSD radix sort on k1 (as few passes
** of up to 16-bit digits as the span of the keys needs), then each run
** of equal k1 by qsort. */
static void hent_sort(exec_hent *a, int64_t n) {
  if (n < 2) return;
  const uint64_t SIGN = 1ULL << 63;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (int64_t i = 0; i < n; i++) {
    uint64_t u = (uint64_t)a[i].k1 ^ SIGN;
    if (u < lo) lo = u;
    if (u > hi) hi = u;
  }
  uint64_t span = hi - lo;
  if (span) {
    exec_hent *t = common_malloc(sizeof(exec_hent) * (size_t)n);
    exec_hent *src = a, *dst = t;
    int nBit = 64 - __builtin_clzll(span);
    int nPass = (nBit + 15) / 16;
    int w = (nBit + nPass - 1) / nPass;
    uint64_t dmask = ((uint64_t)1 << w) - 1;
    int64_t *aPos = common_malloc(sizeof(int64_t) << w);
    for (int sh = 0; sh < nBit; sh += w) {
      memset(aPos, 0, sizeof(int64_t) << w);
      for (int64_t i = 0; i < n; i++) {
        aPos[((((uint64_t)src[i].k1 ^ SIGN) - lo) >> sh) & dmask]++;
      }
      int64_t sum = 0;
      for (uint64_t d = 0; d <= dmask; d++) {
        int64_t c = aPos[d];
        aPos[d] = sum;
        sum += c;
      }
      for (int64_t i = 0; i < n; i++) {
        dst[aPos[((((uint64_t)src[i].k1 ^ SIGN) - lo) >> sh) & dmask]++] =
          src[i];
      }
      exec_hent *x = src;
      src = dst;
      dst = x;
    }
    common_free(aPos);
    if (src != a) memcpy(a, src, sizeof(exec_hent) * (size_t)n);
    common_free(t);
  }
  for (int64_t i = 0; i < n;) {
    int64_t j = i + 1;
    while (j < n && a[j].k1 == a[i].k1) j++;
    if (j - i > 1) qsort(a + i, (size_t)(j - i), sizeof(exec_hent), hent_cmp);
    i = j;
  }
}

/*
** The watermark moved past EXEC_TIME_MIN with sessions left unqueued
** (wm_push): give every live session a fresh entry (older entries go
** stale), sorted. Entries due at the watermark are returned in *paDue
** (*pnDue of them, to be merged with wmHeap's by the caller, who frees
** the array); later ones are pushed into wmHeap in order.
*/
typedef struct unq_collect {
  agg_op *o;
  exec_hent *a;
  int64_t n, nAlloc;
} unq_collect;

/* exec_slab_each callback: a live record (uid != 0) gets a fresh entry. */
static void unq_visit(void *pArg, void *p) {
  unq_collect *c = pArg;
  wrec *r = p;
  if (r->uid == 0) return;                /* freed */
  if (c->n == c->nAlloc) {
    c->nAlloc = c->nAlloc ? c->nAlloc * 2 : 64;
    c->a = common_realloc(c->a, sizeof(exec_hent) * (size_t)c->nAlloc);
  }
  agg_op *o = c->o;
  r->heapGen = ++o->nextGen;
  exec_hent e = {rec_deadline(o, r), r->end, r->seq, r, r->heapGen};
  c->a[c->n++] = e;
}

static void unqueued_take(agg_op *o, exec_hent **paDue, int64_t *pnDue) {
  *paDue = NULL;
  *pnDue = 0;
  o->bUnqueued = 0;
  if (o->slab.nLive <= 0) return;
  /* Records are swept in memory order; session records are exactly the
  ** live records of o->slab. */
  unq_collect c = {o, NULL, 0, o->slab.nLive};
  c.a = common_malloc(sizeof(exec_hent) * (size_t)c.nAlloc);
  exec_slab_each(&o->slab, unq_visit, &c);
  exec_hent *a = c.a;
  int64_t n = c.n;
  hent_sort(a, n);
  int64_t nDue = 0;
  while (nDue < n && a[nDue].k1 <= o->wm) nDue++;
  for (int64_t i = nDue; i < n; i++) exec_tq_push(&o->wmHeap, &a[i]);
  if (nDue == 0) {
    common_free(a);
    return;
  }
  *paDue = a;
  *pnDue = nDue;
}

/* A new record for the key of row i of b and window [start, end). */
static wrec *rec_new(agg_op *o, uint64_t h, const exec_batch *b, int i,
                     int64_t start, int64_t end) {
  wrec *r = exec_slab_alloc(&o->slab);
  o->base.stateBytes += (int64_t)o->slab.szRec;
  r->hash = h;
  r->uid = ++o->nextUid;
  r->seq = ++o->nextSeq;
  r->start = start;
  r->end = end;
  exec_value *k = rec_keys(o, r);
  if (o->bSliced) {
    wrec *g = group_get(o, b, i);
    trig(o, g)->nSince++;
    trig(o, r)->pGroup = g;
    r->flags |= F_BORROWED;
    memcpy(k, rec_keys(o, g), sizeof(exec_value) * (size_t)o->nKey);
    return r;
  }
  key_copy(o, r, b, i);
  if (o->wm >= end) r->flags |= F_PHASE1;
  if (o->bBuckets) {
    bucket_add(o, r);
    return r;
  }
  r->heapGen = ++o->nextGen;
  exec_hent e = {rec_deadline(o, r), r->end, r->seq, r, r->heapGen};
  wm_push(o, &e);
  return r;
}

/* Free the strings of the previously emitted values of r. */
static void prev_clear(agg_op *o, wrec *r) {
  if (!(r->flags & F_PREV)) return;
  exec_value *p = rec_prev(o, r);
  for (int k = 0; k < o->nAgg; k++) {
    if (p[k].type == WEIR_VARCHAR && !p[k].isNull) {
      o->base.stateBytes -= p[k].u.s.n ? p[k].u.s.n : 1;
      common_free((void *)p[k].u.s.p);
    }
  }
  r->flags &= ~(uint32_t)F_PREV;
}

/* Free r's deferred -D rows (r is going away, or they were emitted). */
static void pend_free(agg_op *o, wrec *r) {
  if (!o->offTrig) return;
  wtrig *t = trig(o, r);
  while (t->pDel) {
    pend_del *d = t->pDel;
    t->pDel = d->pNext;
    for (int k = 0; k < o->nAgg; k++) {
      if (d->aV[k].type == WEIR_VARCHAR && !d->aV[k].isNull) {
        o->base.stateBytes -= d->aV[k].u.s.n ? d->aV[k].u.s.n : 1;
        common_free((void *)d->aV[k].u.s.p);
      }
    }
    o->base.stateBytes -=
      (int64_t)(sizeof(pend_del) + sizeof(exec_value) * (size_t)o->nAgg);
    common_free(d);
  }
}

/* Release record r (not its hash table slot). */
static void rec_free(agg_op *o, wrec *r) {
  if (!(r->flags & F_BORROWED)) key_free(o, r);
  exec_acc_reset(&o->L, rec_acc(o, r), &o->base.stateBytes);
  prev_clear(o, r);
  pend_free(o, r);
  r->uid = 0;
  r->heapGen = 0;           /* queue entries carry no uid: a gen of 0 */
  wtrig *t = trig(o, r);
  t->armGen = 0;            /* never matches one */
  wrec *g = t->pGroup;
  if (g && g->pNextSess == r) g->pNextSess = NULL;
  exec_slab_free(&o->slab, r);
  o->base.stateBytes -= (int64_t)o->slab.szRec;
  if (g) group_release(o, g);
}

/* Remove r from the hash table (for sessions: from its key's list). */
static void rec_unlink(agg_op *o, wrec *r) {
  if (o->win != WIN_SESSION) {
    exec_htab_remove(&o->tab, r->hash, r);
    return;
  }
  /* The list is doubly linked: O(1) unless r heads it, when the table
  ** slot pointing at r moves to the next session (or goes). */
  if (r->pPrevSess) {
    r->pPrevSess->pNextSess = r->pNextSess;
    if (r->pNextSess) r->pNextSess->pPrevSess = r->pPrevSess;
    r->pPrevSess = r->pNextSess = NULL;
    return;
  }
  uint64_t m = o->tab.mask;
  for (uint64_t i = r->hash & m; o->tab.a[i].p; i = (i + 1) & m) {
    if (o->tab.a[i].p != r) continue;
    if (r->pNextSess) {
      o->tab.a[i].p = r->pNextSess;
      r->pNextSess->pPrevSess = NULL;
    } else {
      exec_htab_remove_at(&o->tab, i);
    }
    r->pNextSess = NULL;
    return;
  }
  assert(0);
}

/* ---- output -------------------------------------------------------------- */

static int out_flush(agg_op *o) {
  int rc = 0;
  if (o->pOut->n > 0) {
    rc = exec_op_emit(&o->base, o->pOut);
    o->pOut->n = 0;
    common_arena_reset(&o->outHeap);
  }
  return rc;
}

static void put_value(agg_op *o, exec_vec *v, int j, const exec_value *x) {
  v->null[j] = x->isNull;
  if (x->isNull) return;
  switch (v->type) {
    case WEIR_VARCHAR: {
      char *z = common_arena_alloc(&o->outHeap, x->u.s.n ? x->u.s.n : 1);
      memcpy(z, x->u.s.p, x->u.s.n);
      v->v.s[j].p = z;
      v->v.s[j].n = x->u.s.n;
      break;
    }
    case WEIR_DOUBLE:
      v->v.f64[j] = x->type == WEIR_DOUBLE ? x->u.f : (double)x->u.i;
      break;
    case WEIR_BOOLEAN:
      v->v.b[j] = (uint8_t)(x->u.i != 0);
      break;
    default:
      v->v.i64[j] = x->type == WEIR_DOUBLE ? (int64_t)x->u.f : x->u.i;
      break;
  }
}

/* Append one changelog row for record r: window [start, end), aggregate
** values aV, op, pane timing and index. */
static int out_row(agg_op *o, wrec *r, int64_t start, int64_t end,
                   const exec_value *aV, int op, int timing,
                   int64_t paneIndex) {
  exec_batch *b = o->pOut;
  /* A -U and its +U always travel in one batch, so an operator above
  ** (a HAVING filter) sees the pair together. */
  if (b->n >= EXEC_BATCH_CAP - (op == OP_UPDATE_BEFORE)) {
    int rc = out_flush(o);
    if (rc) return rc;
  }
  int j = b->n++;
  b->op[j] = (uint8_t)op;
  const exec_value *k = rec_keys(o, r);
  for (int c = 0; c < o->nKey; c++) put_value(o, &b->aCol[c], j, &k[c]);
  if (o->iOutWin >= 0) {
    b->aCol[o->iOutWin].null[j] = 0;
    b->aCol[o->iOutWin].v.i64[j] = start;
    b->aCol[o->iOutWin + 1].null[j] = 0;
    b->aCol[o->iOutWin + 1].v.i64[j] = end;
  }
  for (int a = 0; a < o->nAgg; a++) {
    put_value(o, &b->aCol[o->iOutAgg + a], j, &aV[a]);
  }
  exec_vec *m = &b->aCol[o->iOutMeta];
  m[0].null[j] = 0;
  m[0].v.s[j].p = azTiming[timing];
  m[0].v.s[j].n = (uint32_t)strlen(azTiming[timing]);
  m[1].null[j] = 0;
  m[1].v.i64[j] = paneIndex;
  m[2].null[j] = 0;
  m[2].v.i64[j] = o->now;
  m[3].null[j] = 0;
  m[3].v.i64[j] = trig(o, r)->ver++;
  return 0;
}

static int value_eq(const exec_value *a, const exec_value *b) {
  if (a->isNull || b->isNull) return a->isNull == b->isNull;
  switch (a->type) {
    case WEIR_VARCHAR:
      return a->u.s.n == b->u.s.n && !memcmp(a->u.s.p, b->u.s.p, a->u.s.n);
    case WEIR_DOUBLE:
      return a->u.f == b->u.f;
    default:
      return a->u.i == b->u.i;
  }
}

/* Remember aV as r's last emitted row (RETRACTING). */
static void prev_save(agg_op *o, wrec *r, const exec_value *aV) {
  prev_clear(o, r);
  exec_value *p = rec_prev(o, r);
  for (int k = 0; k < o->nAgg; k++) {
    p[k] = aV[k];
    if (p[k].type == WEIR_VARCHAR && !p[k].isNull) {
      uint32_t n = p[k].u.s.n;
      char *z = common_malloc(n ? n : 1);
      memcpy(z, aV[k].u.s.p, n);
      p[k].u.s.p = z;
      o->base.stateBytes += n ? n : 1;
    }
  }
  r->flags |= F_PREV;
}

/*
** Fire a pane of record r with the given timing: emit its changelog rows
** according to the accumulation mode and reset its trigger state.
*/
static int fire_pane(agg_op *o, wrec *r, int timing) {
  int rc = 0;
  exec_acc *acc = rec_acc(o, r);
  for (int k = 0; k < o->nAgg; k++) exec_acc_result(&o->L, acc, k, &o->aVal[k]);
  r->flags &= ~(uint32_t)F_PENDING;
  wtrig *t = trig(o, r);
  t->nSince = 0;
  t->armGen = 0;
  for (pend_del *d = t->pDel; d && !rc; d = d->pNext) {
    int64_t ver = t->ver;
    t->ver = d->ver;
    rc = out_row(o, r, d->start, d->end, d->aV, OP_DELETE, timing,
                 d->paneIndex);
    t->ver = ver;
  }
  pend_free(o, r);
  if (rc) return rc;
  switch (o->accum) {
    case ACC_RETRACTING:
      if (r->nRows <= 0) {
        /* Everything was retracted: the row goes away. */
        if (r->flags & F_PREV) {
          rc = out_row(o, r, r->start, r->end, rec_prev(o, r), OP_DELETE,
                       timing, t->paneIndex++);
          prev_clear(o, r);
        }
        break;
      }
      if (r->flags & F_PREV) {
        const exec_value *p = rec_prev(o, r);
        int same = 1;
        for (int k = 0; k < o->nAgg && same; k++) {
          same = value_eq(&p[k], &o->aVal[k]);
        }
        /* An identical pane emits nothing -- unless the query selects
        ** pane metadata, which differs in every pane (DESIGN 2.3: "every
        ** selected column"). */
        if (same && !o->base.plan->bPaneMetaUsed) break;
        rc = out_row(o, r, r->start, r->end, p, OP_UPDATE_BEFORE, timing,
                     t->paneIndex);
        if (!rc) {
          rc = out_row(o, r, r->start, r->end, o->aVal, OP_UPDATE_AFTER,
                       timing, t->paneIndex++);
        }
      } else {
        rc = out_row(o, r, r->start, r->end, o->aVal, OP_INSERT, timing,
                     t->paneIndex++);
      }
      prev_save(o, r, o->aVal);
      break;
    case ACC_ACCUMULATING:
      rc = out_row(o, r, r->start, r->end, o->aVal, OP_INSERT, timing,
                   t->paneIndex++);
      if (o->bKeepPrev) prev_save(o, r, o->aVal);
      break;
    default:
      rc = out_row(o, r, r->start, r->end, o->aVal, OP_INSERT, timing,
                   t->paneIndex++);
      exec_acc_reset(&o->L, acc, &o->base.stateBytes);
      break;
  }
  return rc;
}

/* ---- processing-time triggers ------------------------------------------ */

static void on_timer(void *pArg, uint64_t iTag, int64_t at);

/* Point the single clock timer at the earliest valid armed deadline. */
static void timer_rearm(agg_op *o) {
  const exec_hent *e;
  while ((e = exec_heap_top(&o->procHeap)) != NULL) {
    wrec *r = e->p;
    if (trig(o, r)->armGen == e->gen) break;
    exec_heap_pop(&o->procHeap);
  }
  if (!o->clock) return;
  if (!e) {
    if (o->timerId) exec_timer_cancel(o->clock, o->timerId);
    o->timerId = 0;
    return;
  }
  if (o->timerId && o->timerAt == e->k1) return;
  if (o->timerId) exec_timer_cancel(o->clock, o->timerId);
  o->timerAt = e->k1;
  o->timerId = exec_timer_set(o->clock, e->k1, on_timer, o, 0);
}

/* Arm a processing-time pane for r at time at. */
static void arm_at(agg_op *o, wrec *r, int64_t at) {
  wtrig *t = trig(o, r);
  t->armAt = at;
  t->armGen = ++o->nextGen;
  exec_hent e = {at, r->end, r->seq, r, t->armGen};
  exec_heap_push(&o->procHeap, &e);
  if (!o->timerId || at < o->timerAt) timer_rearm(o);
}

/* The trigger that governs r now: early before its end, late after. */
static exec_trig_kind trig_of(const agg_op *o, const wrec *r,
                              int64_t *pArg) {
  if (o->wm < r->end) {
    *pArg = o->earlyArg;
    return o->early;
  }
  *pArg = o->lateArg;
  return o->late;
}

/* Row bookkeeping of record r for one input row with sign s. */
static void rec_note_row(agg_op *o, wrec *r, int s) {
  r->nRows += s;
  if (!o->offTrig) {          /* one on-time pane: nothing to arm */
    r->flags |= F_PENDING;
    return;
  }
  trig(o, r)->nSince++;
  int64_t arg;
  exec_trig_kind k = trig_of(o, r, &arg);
  if (!(r->flags & F_PENDING)) {
    r->flags |= F_PENDING;
    if (k == TRIG_EVERY && arg > 0) {
      arm_at(o, r, (floor_div(o->now, arg) + 1) * arg);
    } else if (k == TRIG_AFTER_DELAY) {
      arm_at(o, r, sat_add(o->now, arg));
    }
  }
  if ((k == TRIG_EVERY_ROW || k == TRIG_AFTER_ROWS) &&
      !(r->flags & F_TOUCHED)) {
    r->flags |= F_TOUCHED;
    if (o->nTouch == o->nTouchAlloc) {
      o->nTouchAlloc = o->nTouchAlloc ? o->nTouchAlloc * 2 : 256;
      o->aTouch = common_realloc(o->aTouch,
                                 sizeof(touch) * (size_t)o->nTouchAlloc);
    }
    o->aTouch[o->nTouch].r = r;
    o->aTouch[o->nTouch].uid = r->uid;
    o->nTouch++;
  }
}

static int touch_cmp(const void *a, const void *b) {
  const touch *x = a, *y = b;
  if (x->r->end != y->r->end) return x->r->end < y->r->end ? -1 : 1;
  return x->r->seq < y->r->seq ? -1 : x->r->seq > y->r->seq;
}

/* End of a batch: fire EVERY ROW / AFTER n ROWS panes of the records the
** batch touched, by window end then first arrival. */
static int fire_touched(agg_op *o) {
  int rc = 0;
  int n = 0;
  for (int i = 0; i < o->nTouch; i++) {
    if (o->aTouch[i].r->uid == o->aTouch[i].uid) o->aTouch[n++] = o->aTouch[i];
  }
  if (n > 1) qsort(o->aTouch, (size_t)n, sizeof(touch), touch_cmp);
  for (int i = 0; i < n && !rc; i++) {
    wrec *r = o->aTouch[i].r;
    r->flags &= ~(uint32_t)F_TOUCHED;
    int64_t arg;
    exec_trig_kind k = trig_of(o, r, &arg);
    if (!(r->flags & F_PENDING)) continue;
    if (k == TRIG_EVERY_ROW ||
        (k == TRIG_AFTER_ROWS && trig(o, r)->nSince >= arg)) {
      rc = fire_pane(o, r, o->wm < r->end ? PT_EARLY : PT_LATE);
    }
  }
  o->nTouch = 0;
  return rc;
}

/* Everything is gone: give back chunks and drop stale heap entries. */
static void maybe_compact(agg_op *o) {
  if (o->slab.nLive != 0) return;
  exec_slab_clear(&o->slab);
  o->nEb = 0;
  exec_tq_clear(&o->wmHeap);
  o->procHeap.n = 0;
  exec_tq_clear(&o->startHeap);
  if (o->tab.mask > 1023) {
    exec_htab_free(&o->tab);
    exec_htab_init(&o->tab, 16);
  }
  timer_rearm(o);
}

static void on_timer(void *pArg, uint64_t iTag, int64_t at) {
  agg_op *o = pArg;
  (void)iTag;
  o->timerId = 0;
  if (o->bFailed || exec_query_done(o->base.q)) return;
  o->now = at;
  int rc = 0;
  const exec_hent *e;
  while (!rc && (e = exec_heap_top(&o->procHeap)) != NULL && e->k1 <= at) {
    exec_hent x = *e;
    exec_heap_pop(&o->procHeap);
    wrec *r = x.p;
    if (trig(o, r)->armGen != x.gen) continue;
    rc = fire_pane(o, r, o->wm < r->end ? PT_EARLY : PT_LATE);
  }
  if (!rc) rc = out_flush(o);
  if (rc) {
    fail(o, "aggregate: emitting a pane failed");
    return;
  }
  timer_rearm(o);
}

/* ---- sliced HOP / CUMULATE ------------------------------------------------
** With only an on-time pane (no early trigger, no lateness) every window
** fires exactly once, so a row need not be folded into each of its
** windows: it goes to one slice (width gcd(slide, size) for HOP, the step
** for CUMULATE), and when the watermark passes a window's end its slices
** are merged per key. Each row costs one probe, as for TUMBLE. */

static int64_t gcd64(int64_t a, int64_t b) {
  while (b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* End of the last window that contains slice s. */
static int64_t slice_last_end(const agg_op *o, int64_t s) {
  const exec_window *w = &o->w;
  if (o->win == WIN_HOP) {
    return floor_div(s - w->offset, w->slide) * w->slide + w->offset +
           w->size;
  }
  return floor_div(s - w->offset, w->size) * w->size + w->offset + w->size;
}

/* End of the first window that contains slice s. */
static int64_t slice_first_end(const agg_op *o, int64_t s) {
  const exec_window *w = &o->w;
  if (o->win == WIN_HOP) {
    return floor_div(s - w->size - w->offset, w->slide) * w->slide +
           w->offset + w->slide + w->size;
  }
  return s + o->sliceW;
}

/* Start of the window that ends at e. */
static int64_t window_start_of(const agg_op *o, int64_t e) {
  const exec_window *w = &o->w;
  if (o->win == WIN_HOP) return e - w->size;
  return floor_div(e - 1 - w->offset, w->size) * w->size + w->offset;
}

/* Index of the first directory entry whose start is >= s. */
static int slice_dir_find(const agg_op *o, int64_t s) {
  int lo = 0, hi = o->nDir;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (o->aDir[mid].start < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* File a new slice record under its start. */
static void slice_dir_add(agg_op *o, wrec *r) {
  int i;
  if (o->nDir && o->aDir[o->nDir - 1].start == r->start) {
    i = o->nDir - 1;
  } else {
    i = (o->nDir && o->aDir[o->nDir - 1].start < r->start)
          ? o->nDir
          : slice_dir_find(o, r->start);
    if (i == o->nDir || o->aDir[i].start != r->start) {
      if (o->nDir == o->nDirAlloc) {
        o->nDirAlloc = o->nDirAlloc ? o->nDirAlloc * 2 : 64;
        o->aDir = common_realloc(o->aDir,
                                 sizeof(slice_dir) * (size_t)o->nDirAlloc);
      }
      memmove(&o->aDir[i + 1], &o->aDir[i],
              sizeof(slice_dir) * (size_t)(o->nDir - i));
      o->nDir++;
      o->aDir[i].start = r->start;
      o->aDir[i].pHead = o->aDir[i].pTail = NULL;
    }
  }
  r->pNextSess = NULL;
  if (o->aDir[i].pTail) o->aDir[i].pTail->pNextSess = r;
  else o->aDir[i].pHead = r;
  o->aDir[i].pTail = r;
}

static slice_ext *ext(const agg_op *o, wrec *r) {
  return (slice_ext *)((char *)r + o->offExt);
}

/* Append slice x (the latest by start) to group extension eg's minima
** chain, dropping the slices before it whose seq is larger. */
static void min_push(agg_op *o, slice_ext *eg, wrec *x) {
  while (eg->pMinTail && eg->pMinTail->seq > x->seq) {
    wrec *t = eg->pMinTail;
    eg->pMinTail = ext(o, t)->pMinPrev;
    if (eg->pMinTail) ext(o, eg->pMinTail)->pMinNext = NULL;
    else eg->pMinHead = NULL;
    ext(o, t)->pMinPrev = ext(o, t)->pMinNext = NULL;
  }
  slice_ext *ex = ext(o, x);
  ex->pMinPrev = eg->pMinTail;
  ex->pMinNext = NULL;
  if (eg->pMinTail) ext(o, eg->pMinTail)->pMinNext = x;
  else eg->pMinHead = x;
  eg->pMinTail = x;
}

/* Slice x (start < incHi) joins its group's running window. */
static void inc_enter(agg_op *o, wrec *x) {
  wrec *g = trig(o, x)->pGroup;
  slice_ext *eg = ext(o, g);
  slice_ext *ex = ext(o, x);
  if (!eg->pInTail || eg->pInTail->start <= x->start) {
    ex->pInNext = NULL;
    if (eg->pInTail) ext(o, eg->pInTail)->pInNext = x;
    else eg->pInHead = x;
    eg->pInTail = x;
    min_push(o, eg, x);
  } else {
    /* A slice created after later ones entered: keep the start order,
    ** and rebuild the minima chain. */
    wrec **pp = &eg->pInHead;
    while ((*pp)->start <= x->start) pp = &ext(o, *pp)->pInNext;
    ex->pInNext = *pp;
    *pp = x;
    eg->pMinHead = eg->pMinTail = NULL;
    for (wrec *y = eg->pInHead; y; y = ext(o, y)->pInNext) {
      min_push(o, eg, y);
    }
  }
  if (++eg->nIn == 1) {
    if (o->nAct == o->nActAlloc) {
      o->nActAlloc = o->nActAlloc ? o->nActAlloc * 2 : 64;
      o->apAct = common_realloc(o->apAct,
                                sizeof(wrec *) * (size_t)o->nActAlloc);
    }
    o->apAct[o->nAct++] = g;
    eg->iAct = o->nAct;
  }
  exec_acc_merge(&o->L, rec_acc(o, g), rec_acc(o, x), &o->base.stateBytes);
  g->nRows += x->nRows;
  x->flags |= F_INRUN;
}

/* Slice x (its last window fired) leaves its group's running window. */
static void inc_leave(agg_op *o, wrec *x) {
  wrec *g = trig(o, x)->pGroup;
  slice_ext *eg = ext(o, g);
  wrec **pp = &eg->pInHead;
  wrec *prev = NULL;
  while (*pp != x) {
    prev = *pp;
    pp = &ext(o, *pp)->pInNext;
  }
  *pp = ext(o, x)->pInNext;
  if (eg->pInTail == x) eg->pInTail = prev;
  x->flags &= ~(uint32_t)F_INRUN;
  exec_acc_unmerge(&o->L, rec_acc(o, g), rec_acc(o, x));
  g->nRows -= x->nRows;
  if (eg->pMinHead == x) {
    /* x leaves from the front (slices leave in start order). */
    eg->pMinHead = ext(o, x)->pMinNext;
    if (eg->pMinHead) ext(o, eg->pMinHead)->pMinPrev = NULL;
    else eg->pMinTail = NULL;
  } else if (ext(o, x)->pMinPrev || eg->pMinTail == x) {
    /* Not expected; unlink from the middle all the same. */
    slice_ext *ex = ext(o, x);
    ext(o, ex->pMinPrev)->pMinNext = ex->pMinNext;
    if (ex->pMinNext) ext(o, ex->pMinNext)->pMinPrev = ex->pMinPrev;
    else eg->pMinTail = ex->pMinPrev;
  }
  if (--eg->nIn == 0) {
    int i = (int)eg->iAct - 1;
    o->apAct[i] = o->apAct[--o->nAct];
    if (i < o->nAct) ext(o, o->apAct[i])->iAct = i + 1;
    eg->iAct = 0;
    eg->pMinHead = eg->pMinTail = NULL;
    eg->pInHead = eg->pInTail = NULL;
    exec_acc_reset(&o->L, rec_acc(o, g), &o->base.stateBytes);
    g->nRows = 0;
  }
}

/* The on-time row of window [ws, e) for group g (one pane per window:
** +I, except that RETRACTING emits nothing for a window whose rows were
** all retracted, as the per-window path does). */
static int sliced_emit(agg_op *o, wrec *g, int64_t ws, int64_t e) {
  if (o->accum == ACC_RETRACTING && g->nRows <= 0) return 0;
  for (int k = 0; k < o->nAgg; k++) {
    exec_acc_result(&o->L, rec_acc(o, g), k, &o->aVal[k]);
  }
  trig(o, g)->ver = 0;
  return out_row(o, g, ws, e, o->aVal, OP_INSERT, PT_ON_TIME, 0);
}

static int nbits(uint64_t x) { return x ? 64 - __builtin_clzll(x) : 0; }

/* LSD radix sort of a[0..n) on the low nBit bits of their keys (digits
** of at most 11 bits, as few passes as nBit needs), t[0..n) as the
** buffer; the result ends in a. */
static void ref_radix_sort(rec_ref *a, rec_ref *t, int64_t n, int nBit) {
  if (nBit <= 0 || n < 2) return;
  int nPass = (nBit + 10) / 11;
  int w = (nBit + nPass - 1) / nPass;
  uint64_t mask = ((uint64_t)1 << w) - 1;
  int64_t aPos[1 << 11];
  rec_ref *src = a, *dst = t;
  for (int sh = 0; sh < nBit; sh += w) {
    memset(aPos, 0, sizeof(int64_t) << w);
    for (int64_t i = 0; i < n; i++) aPos[(src[i].key >> sh) & mask]++;
    int64_t sum = 0;
    for (uint64_t d = 0; d <= mask; d++) {
      int64_t k = aPos[d];
      aPos[d] = sum;
      sum += k;
    }
    for (int64_t i = 0; i < n; i++) {
      dst[aPos[(src[i].key >> sh) & mask]++] = src[i];
    }
    rec_ref *x = src;
    src = dst;
    dst = x;
  }
  if (src != a) memcpy(a, src, sizeof(rec_ref) * (size_t)n);
}

/* Sort o->aRef[0..n) by key (first arrival; unique, so stability does
** not matter), aRef[nRefAlloc..] as the buffer: keys relative to the
** least, on as many bits as their spread needs. */
static void sort_refs(agg_op *o, int n) {
  rec_ref *a = o->aRef;
  uint64_t lo = a[0].key, hi = a[0].key;
  for (int i = 1; i < n; i++) {
    if (a[i].key < lo) lo = a[i].key;
    if (a[i].key > hi) hi = a[i].key;
  }
  for (int i = 0; i < n; i++) a[i].key -= lo;
  ref_radix_sort(a, o->aRef + o->nRefAlloc, n, nbits(hi - lo));
}

static int tmp_cmp(const void *a, const void *b) {
  const wrec *x = *(wrec *const *)a, *y = *(wrec *const *)b;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Merge the slices of window [ws, e) into their keys' group records and
** fire its on-time pane, keys in order of first arrival. */
static int fire_sliced_window(agg_op *o, int64_t ws, int64_t e) {
  int rc = 0;
  uint64_t stamp = ++o->nextGen;
  o->nTmp = 0;
  for (int d = slice_dir_find(o, ws); d < o->nDir && o->aDir[d].start < e;
       d++) {
    for (wrec *x = o->aDir[d].pHead; x; x = x->pNextSess) {
      wrec *g = trig(o, x)->pGroup;
      if (trig(o, g)->armGen != stamp) {
        trig(o, g)->armGen = stamp;
        g->seq = x->seq;
        g->nRows = 0;
        if (o->nTmp == o->nTmpAlloc) {
          o->nTmpAlloc = o->nTmpAlloc ? o->nTmpAlloc * 2 : 64;
          o->apTmp = common_realloc(o->apTmp,
                                    sizeof(wrec *) * (size_t)o->nTmpAlloc);
        }
        o->apTmp[o->nTmp++] = g;
      } else if (x->seq < g->seq) {
        g->seq = x->seq;
      }
      g->nRows += x->nRows;
      exec_acc_merge(&o->L, rec_acc(o, g), rec_acc(o, x),
                     &o->base.stateBytes);
    }
  }
  if (o->nTmp > 1) qsort(o->apTmp, (size_t)o->nTmp, sizeof(wrec *), tmp_cmp);
  for (int i = 0; i < o->nTmp; i++) {
    wrec *g = o->apTmp[i];
    if (!rc) rc = sliced_emit(o, g, ws, e);
    exec_acc_reset(&o->L, rec_acc(o, g), &o->base.stateBytes);
  }
  o->nTmp = 0;
  return rc;
}

/* Incremental slicing: bring the running windows up to [ws, e) (the
** slices starting in [incHi, e) enter) and fire them, keys in order of
** first arrival. */
static int fire_inc_window(agg_op *o, int64_t ws, int64_t e) {
  int rc = 0;
  int d = o->incHi == EXEC_TIME_MIN ? 0 : slice_dir_find(o, o->incHi);
  for (; d < o->nDir && o->aDir[d].start < e; d++) {
    for (wrec *x = o->aDir[d].pHead; x; x = x->pNextSess) {
      if (!(x->flags & F_INRUN)) inc_enter(o, x);
    }
  }
  if (e > o->incHi) o->incHi = e;
  if (o->nAct > o->nRefAlloc) {
    o->nRefAlloc = o->nAct;
    /* Twice: the second half is the radix sort's buffer. */
    o->aRef = common_realloc(o->aRef,
                             2 * sizeof(rec_ref) * (size_t)o->nRefAlloc);
  }
  for (int i = 0; i < o->nAct; i++) {
    wrec *g = o->apAct[i];
    o->aRef[i].key = ext(o, g)->pMinHead->seq;
    o->aRef[i].p = g;
  }
  if (o->nAct > 1) sort_refs(o, o->nAct);
  for (int i = 0; i < o->nAct && !rc; i++) {
    rc = sliced_emit(o, o->aRef[i].p, ws, e);
  }
  return rc;
}

/* Fire every sliced window whose end the watermark passed, by end; free
** the slices no window still needs. */
static int fire_slices(agg_op *o) {
  int rc = 0;
  int64_t closed = o->sliceFired;
  while (!rc && o->nDir) {
    int64_t s0 = o->aDir[0].start;
    int64_t e = slice_first_end(o, s0);
    if (closed != EXEC_TIME_MIN) {
      /* Windows ending at or before `closed` are closed already. */
      int64_t a = o->win == WIN_HOP ? o->w.offset + o->w.size : o->w.offset;
      int64_t next = floor_div(closed - a, o->w.slide) * o->w.slide + a +
                     o->w.slide;
      if (next > e) e = next;
    }
    if (e > o->wm) break;
    if (e <= slice_last_end(o, s0)) {
      rc = o->bInc ? fire_inc_window(o, window_start_of(o, e), e)
                   : fire_sliced_window(o, window_start_of(o, e), e);
      closed = e;
    } else {
      e = slice_last_end(o, s0);
    }
    /* Slices whose last window has fired are done. */
    int nDone = 0;
    while (nDone < o->nDir && slice_last_end(o, o->aDir[nDone].start) <= e) {
      wrec *x = o->aDir[nDone].pHead;
      while (x) {
        wrec *n = x->pNextSess;
        if (x->flags & F_INRUN) inc_leave(o, x);
        exec_htab_remove(&o->tab, x->hash, x);
        rec_free(o, x);
        x = n;
      }
      nDone++;
    }
    if (nDone) {
      memmove(&o->aDir[0], &o->aDir[nDone],
              sizeof(slice_dir) * (size_t)(o->nDir - nDone));
      o->nDir -= nDone;
    }
  }
  if (!rc) o->sliceFired = o->wm;
  return rc;
}

/* ---- watermark ----------------------------------------------------------- */

/* A global aggregate (no key, no window) over a bounded input without
** rows still answers one row, as SQL (and Beam's Combine.globally) does:
** the aggregates of no rows (COUNT 0, SUM NULL). */
static int empty_global_row(agg_op *o) {
  wrec *r = exec_slab_alloc(&o->slab);
  for (int k = 0; k < o->nAgg; k++) {
    exec_acc_result(&o->L, rec_acc(o, r), k, &o->aVal[k]);
  }
  o->now = clock_now(o);
  int rc = out_row(o, r, EXEC_TIME_MIN, EXEC_TIME_MAX, o->aVal, OP_INSERT,
                   PT_ON_TIME, 0);
  exec_slab_free(&o->slab, r);
  if (!rc) rc = out_flush(o);
  return rc;
}

/*
** The watermark passed r's deadline: the first time (its end) fire the
** on-time pane; at end + lateness (at once without lateness) fire a last
** pane for rows still pending (under bCloseDelay that is the on-time
** pane, the only one). Returns 1 if r lives on until
** end + lateness (the caller queues it again), 0 when it is done and
** to be purged. A failure to emit sets *pRc.
*/
static int fire_due(agg_op *o, wrec *r, int *pRc) {
  if (!(r->flags & F_PHASE1)) {
    r->flags |= F_PHASE1;
    /* A window emptied by retractions before it ever fired has no
    ** result row (as in a batch GROUP BY). */
    if (r->nRows <= 0 && trig(o, r)->paneIndex == 0) {
      r->flags &= ~(uint32_t)F_PENDING;
    } else if (o->bOnTime && !o->bCloseDelay) {
      *pRc = fire_pane(o, r, PT_ON_TIME);
      if (*pRc) return 1;
    }
    if (rec_deadline(o, r) > o->wm) return 1;
  }
  if (r->flags & F_PENDING) {
    *pRc = fire_pane(o, r, o->bCloseDelay ? PT_ON_TIME : PT_LATE);
  }
  return 0;
}

/* Firing reads most of a record: start loading all its lines (up to
** 512 bytes; records are not line-aligned, so the last byte too). */
static void prefetch_rec(const agg_op *o, const void *p) {
  const char *pA = p;
  size_t n = o->szRec < 512 ? o->szRec : 512;
  for (size_t off = 0; off < n; off += 64) __builtin_prefetch(pA + off);
  __builtin_prefetch(pA + n - 1);
}

/* fire_due, then purge r when it is done. */
static int expire_rec(agg_op *o, wrec *r, int *pRc) {
  if (fire_due(o, r, pRc)) return 1;
  rec_unlink(o, r);
  rec_free(o, r);
  return 0;
}

/*
** The end of a batch input: the watermark jumped from EXEC_TIME_MIN to
** EXEC_TIME_MAX with every session unqueued (wm_push), so every one fires
** now and goes. They are fired in (end, first arrival) order -- the order
** of wmHeap, as deadline = end for all of them -- from one array of
** (packed key, record) sorted by radix, and released at once rather than
** one by one out of their lists. Returns -1 when the keys do not pack
** into 64 bits (the caller then takes the general path), else 0 or the
** emit failure (what did not fire stays as it was).
*/
typedef struct drain_collect {
  rec_ref *a;               /* key: (end - sessEndLo) << seq bits | seq */
  int64_t n;
  int64_t lo;
  int sb;
} drain_collect;

static void drain_visit(void *pArg, void *p) {
  drain_collect *c = pArg;
  wrec *r = p;
  if (r->uid == 0) return;                /* freed */
  c->a[c->n].key = ((uint64_t)(r->end - c->lo) << c->sb) | r->seq;
  c->a[c->n++].p = r;
}


/* Sort a[0..n) by the nBit-bit keys, t as the buffer: one pass on the
** top 11 bits into buckets (a few thousand entries each when the keys
** spread, as session ends do), then each bucket by LSD radix on the
** rest while it sits in cache -- rather than every LSD pass streaming
** the whole array through memory. */
static void drain_sort(rec_ref *a, rec_ref *t, int64_t n, int nBit) {
  if (n < 2 || nBit <= 0) return;
  int hb = nBit < 11 ? nBit : 11, sh = nBit - hb;
  int64_t *aPos = common_calloc((size_t)(1 << hb) + 1, sizeof(int64_t));
  for (int64_t i = 0; i < n; i++) aPos[(a[i].key >> sh) + 1]++;
  for (int d = 0; d < (1 << hb); d++) aPos[d + 1] += aPos[d];
  /* aPos[d] is bucket d's start; scatter, then restore the starts. */
  for (int64_t i = 0; i < n; i++) t[aPos[a[i].key >> sh]++] = a[i];
  int64_t lo = 0;
  for (int d = 0; d < (1 << hb); d++) {
    int64_t hi = aPos[d];
    ref_radix_sort(t + lo, a + lo, hi - lo, sh);
    memcpy(a + lo, t + lo, sizeof(rec_ref) * (size_t)(hi - lo));
    lo = hi;
  }
  common_free(aPos);
}

static int drain_sessions(agg_op *o) {
  int64_t n = o->slab.nLive;
  if (n <= 0) return -1;
  int sb = nbits(o->nextSeq);
  int eb = nbits((uint64_t)o->sessEndHi - (uint64_t)o->sessEndLo);
  if (o->sessEndHi < o->sessEndLo || sb + eb > 64) return -1;
  o->bUnqueued = 0;
  drain_collect c = {common_malloc(sizeof(rec_ref) * (size_t)n), 0,
                     o->sessEndLo, sb};
  exec_slab_each(&o->slab, drain_visit, &c);
  rec_ref *a = c.a, *t = common_malloc(sizeof(rec_ref) * (size_t)n);
  drain_sort(a, t, n, sb + eb);
  common_free(t);
  int rc = 0;
  for (int64_t i = 0; i < n && !rc; i++) {
    if (i + 8 < n) prefetch_rec(o, a[i + 8].p);
    /* Done (the watermark is past every deadline): what it owns outside
    ** the slab goes while it is in cache; the record itself stays in
    ** its list until all have fired (a failure leaves the rest as is). */
    wrec *r = a[i].p;
    fire_due(o, r, &rc);
    key_free(o, r);
    exec_acc_reset(&o->L, rec_acc(o, r), &o->base.stateBytes);
    prev_clear(o, r);
    pend_free(o, r);
  }
  common_free(a);
  if (rc) return rc;
  /* Everything fired: the records go at once. */
  o->base.stateBytes -= (int64_t)o->slab.szRec * o->slab.nLive;
  exec_slab_clear(&o->slab);
  exec_htab_free(&o->tab);
  exec_htab_init(&o->tab, 16);
  exec_tq_clear(&o->wmHeap);
  exec_tq_clear(&o->startHeap);
  o->procHeap.n = 0;
  o->nTouch = 0;
  return 0;
}

static int64_t sat_sub(int64_t a, int64_t b) {
  if (b > 0 && a < EXEC_TIME_MIN + b) return EXEC_TIME_MIN;
  return a - b;
}

/*
** The output watermark (the hold; see the file header): the input
** watermark, held back to the earliest window_start of any pane this
** operator may still emit. Call after the panes due at o->wm fired.
*/
static int64_t out_hold(agg_op *o) {
  int64_t wm = o->wm;
  if (o->win == WIN_NONE || o->w.iTimeCol < 0 || wm == EXEC_TIME_MAX ||
      wm == EXEC_TIME_MIN) {
    return wm;
  }
  int64_t h;
  if (o->win == WIN_SESSION) {
    /* A session that may still emit ends after wm - lateness: unless it
    ** grew longer than the gap (startHeap) it starts after
    ** wm - lateness - gap. */
    h = sat_sub(sat_sub(wm, o->lateness), o->w.gap) + 1;
    const exec_hent *e;
    while ((e = exec_tq_top(&o->startHeap, h)) != NULL) {
      wrec *r = e->p;
      if (r->uid != (uint64_t)e->k2 || r->start != e->k1) {
        exec_tq_pop(&o->startHeap);         /* freed, or merged earlier */
        continue;
      }
      h = e->k1;
      break;
    }
  } else {
    /* Aligned windows still taking rows end after wm - lateness; the
    ** earliest of them starts at the first aligned start after
    ** wm - lateness - size (starts are multiples of the slide for HOP,
    ** of the size for TUMBLE and CUMULATE, plus the offset). */
    int64_t align = o->win == WIN_HOP ? o->w.slide : o->w.size;
    int64_t x = sat_sub(sat_sub(wm, o->lateness), o->w.size);
    if (x == EXEC_TIME_MIN) return EXEC_TIME_MIN;
    h = floor_div(x - o->w.offset, align) * align + o->w.offset + align;
  }
  return h < wm ? h : wm;
}

/* The watermark reached wm: fire on-time panes and purge expired windows
** in (deadline, window end, first arrival) order, then forward wm, held
** back by the panes still to come (out_hold). */
static void ptimer_rearm(agg_op *o);

static int advance_wm(agg_op *o, int64_t wm) {
  int rc = 0;
  if (wm > o->wm) o->wm = wm;
  o->now = clock_now(o);
  if (o->wm == EXEC_TIME_MAX && !o->bAnyRow && o->win == WIN_NONE &&
      o->nKey == 0 && !o->base.plan->bUnbounded && o->bOnTime) {
    o->bAnyRow = 1;
    rc = empty_global_row(o);
  }
  if (o->bSliced && !rc) rc = fire_slices(o);
  while (!rc && o->nEb && o->aEb[0].deadline <= o->wm) {
    wrec *r = o->aEb[0].pHead;
    memmove(&o->aEb[0], &o->aEb[1], sizeof(end_bucket) * (size_t)(o->nEb - 1));
    o->nEb--;
    while (r && !rc) {
      wrec *n = r->pNextSess;
      if (expire_rec(o, r, &rc) && !rc) bucket_add(o, r);
      r = n;
    }
  }
  /* Sessions left unqueued (wm_push) and due now come sorted in aDue,
  ** merged here with wmHeap's entries in (deadline, end, seq) order. */
  exec_hent *aDue = NULL;
  int64_t iDue = 0, nDue = 0;
  if (o->bUnqueued && o->wm == EXEC_TIME_MAX && !rc) {
    int rcD = drain_sessions(o);
    if (rcD > 0) rc = rcD;
  }
  if (o->bUnqueued && o->wm > EXEC_TIME_MIN) unqueued_take(o, &aDue, &nDue);
  while (!rc) {
    const exec_hent *e = exec_tq_top(&o->wmHeap, o->wm);
    int bDue = iDue < nDue && (!e || hent_cmp(&aDue[iDue], e) < 0);
    if (!bDue && !e) break;
    exec_hent x = bDue ? aDue[iDue] : *e;
    wrec *r = x.p;
    if (bDue && iDue + 8 < nDue) prefetch_rec(o, aDue[iDue + 8].p);
    if (bDue && iDue + 4 < nDue) {
      /* Loaded by the prefetch above by now: start on what rec_unlink
      ** will touch, its newer neighbour or else its table slot. */
      const wrec *rA = aDue[iDue + 4].p;
      if (rA->pPrevSess) __builtin_prefetch(&rA->pPrevSess->pNextSess);
      else __builtin_prefetch(&o->tab.a[rA->hash & o->tab.mask]);
    }
    if (r->heapGen != x.gen) {
      if (bDue) iDue++;
      else exec_tq_pop(&o->wmHeap);
      continue;
    }
    /* rec_unlink will probe the table for r: start loading its slot. */
    __builtin_prefetch(&o->tab.a[r->hash & o->tab.mask]);
    int64_t d = rec_deadline(o, r);
    if (d != x.k1) {
      /* A session grew since this entry was pushed. */
      x.k1 = d;
      x.k2 = r->end;
      x.k3 = r->seq;
      if (bDue) {
        iDue++;
        exec_tq_push(&o->wmHeap, &x);
      } else {
        exec_tq_replace_top(&o->wmHeap, &x);
      }
      continue;
    }
    if (bDue) iDue++;
    else exec_tq_pop(&o->wmHeap);
    if (expire_rec(o, r, &rc) && !rc) {
      x.k1 = rec_deadline(o, r);
      exec_tq_push(&o->wmHeap, &x);
    }
  }
  /* After a failure, what was not fired stays queued. */
  for (; iDue < nDue; iDue++) exec_tq_push(&o->wmHeap, &aDue[iDue]);
  common_free(aDue);
  maybe_compact(o);
  if (!rc) rc = out_flush(o);
  if (rc) return rc;
  timer_rearm(o);
  ptimer_rearm(o);
  int64_t hold = out_hold(o);
  if (hold > o->base.wmOut) rc = exec_op_emit_watermark(&o->base, hold);
  return rc;
}

/* ---- processing-time windows -------------------------------------------
** Over PROCTIME() a row's time is its arrival and the windows close as
** processing time passes their ends: a clock timer at the next deadline
** moves the operator's watermark to the time it fires (advance_wm). */

static void on_ptimer(void *pArg, uint64_t iTag, int64_t at);

/* The next processing time at which a window may fire or expire. */
static int64_t next_proc_deadline(agg_op *o) {
  if (o->slab.nLive == 0 && o->tmpSlab.nLive == 0) return EXEC_TIME_MAX;
  int64_t base = o->wm > o->now ? o->wm : o->now;
  if (o->win == WIN_SESSION) {
    int64_t d = exec_tq_min_key(&o->wmHeap);
    return d > base ? d : base;
  }
  if (o->bBuckets && o->nEb && o->aEb[0].deadline > base) {
    return o->aEb[0].deadline;
  }
  /* Ends are aligned to the slide (HOP), the step (CUMULATE, whose size
  ** is a multiple of it) or the size. */
  int64_t a = o->win == WIN_TUMBLE ? o->w.size : o->w.slide;
  if (a <= 0) return EXEC_TIME_MAX;
  return floor_div(base - o->w.offset, a) * a + o->w.offset + a;
}

/* Point the processing-time window timer at the next deadline. */
static void ptimer_rearm(agg_op *o) {
  if (!o->clock || o->win == WIN_NONE || o->w.iTimeCol >= 0) return;
  int64_t d = next_proc_deadline(o);
  if (o->ptTimerId && o->ptTimerAt == d) return;
  if (o->ptTimerId) exec_timer_cancel(o->clock, o->ptTimerId);
  o->ptTimerId = 0;
  if (d == EXEC_TIME_MAX) return;
  o->ptTimerAt = d;
  o->ptTimerId = exec_timer_set(o->clock, d, on_ptimer, o, 1);
}

static void on_ptimer(void *pArg, uint64_t iTag, int64_t at) {
  agg_op *o = pArg;
  (void)iTag;
  o->ptTimerId = 0;
  if (o->bFailed || exec_query_done(o->base.q)) return;
  if (advance_wm(o, at)) fail(o, "aggregate: emitting a pane failed");
}

/* ---- window assignment and the hot loop ------------------------------- */

/* Process pairs [0, n) of the pair arrays: find or create each pair's
** record, note the row, then fold the rows into the accumulators. */
static int process_pairs(agg_op *o, const exec_batch *b, int n) {
  exec_htab_reserve(&o->tab, n);
  exec_hslot *a = o->tab.a;
  uint64_t m = o->tab.mask;
  int n2 = 0;
  for (int j = 0; j < n; j++) {
    int i = o->aPairRow[j];
    int64_t s = o->aPairStart[j], en = o->aPairEnd[j];
    uint64_t h = win_hash(o->aKh[i], s, en);
    uint64_t k = h & m;
    wrec *r;
    if (o->bSliced) {
      /* Through the key's group (small, hot): its latest slice is
      ** usually the one; else probe by group identity, not key bytes. */
      wrec *g = group_get(o, b, i);
      r = g->pNextSess;
      if (!r || r->start != s) {
        for (;;) {
          r = a[k].p;
          if (!r || (a[k].h == h && trig(o, r)->pGroup == g &&
                     r->start == s)) {
            break;
          }
          k = (k + 1) & m;
        }
        if (!r) {
          r = rec_new(o, h, b, i, s, en);
          a[k].h = h;
          a[k].p = r;
          o->tab.nUsed++;
          slice_dir_add(o, r);
          if (o->bInc && s < o->incHi) inc_enter(o, r);
        }
        g->pNextSess = r;
      }
      o->apPairRec[j] = r;
      o->apPairAcc[j] = rec_acc(o, r);
      int sg = o->aRowSign ? o->aPairSign[j] : 1;
      r->nRows += sg;
      if (r->flags & F_INRUN) {
        /* The slice is already in its group's running window. */
        o->aRow2[n2] = i;
        o->aSign2[n2] = (int8_t)sg;
        o->apAcc2[n2++] = rec_acc(o, g);
        g->nRows += sg;
      }
      continue;
    }
    for (;;) {
      r = a[k].p;
      if (!r) break;
      if (a[k].h == h && r->start == s && r->end == en && key_eq(o, r, b, i)) {
        break;
      }
      k = (k + 1) & m;
    }
    if (!r) {
      r = rec_new(o, h, b, i, s, en);
      a[k].h = h;
      a[k].p = r;
      o->tab.nUsed++;
    }
    o->apPairRec[j] = r;
    o->apPairAcc[j] = rec_acc(o, r);
    rec_note_row(o, r, o->aRowSign ? o->aPairSign[j] : 1);
  }
  const char *zErr = NULL;
  if (exec_acc_update(&o->L, n, o->apPairAcc, o->aPairRow,
                      o->aRowSign ? o->aPairSign : NULL, b,
                      &o->base.stateBytes, &zErr) ||
      (n2 && exec_acc_update(&o->L, n2, o->apAcc2, o->aRow2,
                             o->aRowSign ? o->aSign2 : NULL, b,
                             &o->base.stateBytes, &zErr))) {
    return fail(o, zErr);
  }
  return 0;
}

/* Add pair (row i, window [s, e)) unless the window is too late; flushes
** the pair buffer when full. Returns 1 if the pair was kept. */
static int add_pair(agg_op *o, const exec_batch *b, int *pn, int i,
                    int64_t s, int64_t e, int64_t expiry, int *pRc) {
  if (o->wm >= expiry) return 0;
  if (*pn == PAIR_CAP) {
    *pRc = process_pairs(o, b, *pn);
    *pn = 0;
  }
  int j = (*pn)++;
  o->aPairRow[j] = i;
  o->aPairStart[j] = s;
  o->aPairEnd[j] = e;
  if (o->aRowSign) o->aPairSign[j] = o->aRowSign[i];
  return 1;
}

/* Assign the rows of b to windows (all kinds but SESSION) and fold them
** in. */
static int push_windows(agg_op *o, const exec_batch *b) {
  int n = 0, rc = 0;
  const exec_window *w = &o->w;
  for (int i = 0; i < b->n && !rc; i++) {
    if (o->aTime[i] == EXEC_TIME_MIN) {
      rc = late_row(o, b, i);     /* NULL event time: no window */
      continue;
    }
    int64_t t = o->aTime[i];
    int kept = 0;
    if (o->bSliced) {
      int64_t s =
        floor_div(t - w->offset, o->sliceW) * o->sliceW + w->offset;
      kept = add_pair(o, b, &n, i, s, s + o->sliceW, slice_last_end(o, s),
                      &rc);
      if (!kept && !rc) rc = late_row(o, b, i);
      continue;
    }
    switch (o->win) {
      case WIN_NONE:
        kept = add_pair(o, b, &n, i, EXEC_TIME_MIN, EXEC_TIME_MAX,
                        EXEC_TIME_MAX, &rc);
        break;
      case WIN_TUMBLE: {
        int64_t s = floor_div(t - w->offset, w->size) * w->size + w->offset;
        kept = add_pair(o, b, &n, i, s, s + w->size,
                        sat_add(s + w->size, o->lateness), &rc);
        break;
      }
      case WIN_HOP: {
        int64_t last =
          floor_div(t - w->offset, w->slide) * w->slide + w->offset;
        /* Windows [s, s + size) with s aligned and t - size < s <= t. */
        if (last <= t - w->size) {
          kept = 1;               /* in a gap between windows: no window */
          break;
        }
        int64_t first = last - (last - (t - w->size + 1)) / w->slide * w->slide;
        for (int64_t s = first; s <= last && !rc; s += w->slide) {
          kept |= add_pair(o, b, &n, i, s, s + w->size,
                           sat_add(s + w->size, o->lateness), &rc);
        }
        break;
      }
      case WIN_CUMULATE: {
        int64_t p = floor_div(t - w->offset, w->size) * w->size + w->offset;
        int64_t e = p + (floor_div(t - p, w->slide) + 1) * w->slide;
        for (; e <= p + w->size && !rc; e += w->slide) {
          kept |= add_pair(o, b, &n, i, p, e, sat_add(e, o->lateness),
                           &rc);
        }
        break;
      }
      default:
        break;
    }
    if (!kept && !rc) rc = late_row(o, b, i);
  }
  if (!rc && n) rc = process_pairs(o, b, n);
  return rc;
}

/* Emit -D for r's last emitted row (its window is merged away). */
static void defer_delete(agg_op *o, wrec *t, wrec *r) {
  if (!o->bKeepPrev || !(r->flags & F_PREV)) return;
  size_t sz = sizeof(pend_del) + sizeof(exec_value) * (size_t)o->nAgg;
  pend_del *d = common_malloc(sz);
  o->base.stateBytes += (int64_t)sz;
  d->pNext = NULL;
  d->start = r->start;
  d->end = r->end;
  d->paneIndex = trig(o, r)->paneIndex;
  d->ver = trig(o, r)->ver;
  /* The strings move over from r's retained row. */
  memcpy(d->aV, rec_prev(o, r), sizeof(exec_value) * (size_t)o->nAgg);
  r->flags &= ~(uint32_t)F_PREV;
  pend_del **pp = &trig(o, t)->pDel;
  while (*pp) pp = &(*pp)->pNext;
  *pp = d;
}

/* SESSION windows: one row at a time, merging overlapping sessions of the
** row's key. */
static int push_sessions(agg_op *o, const exec_batch *b) {
  int rc = 0;
  int64_t gap = o->w.gap;
  exec_htab_reserve(&o->tab, b->n);
  wrec *aOv[64];
  for (int i = 0; i < b->n && !rc; i++) {
    if (o->aTime[i] == EXEC_TIME_MIN) {
      rc = late_row(o, b, i);
      continue;
    }
    /* Start loading the table slot of a row a few ahead, and the head
    ** of its key's session list for a nearer one. */
    if (i + 16 < b->n) {
      __builtin_prefetch(&o->tab.a[o->aKh[i + 16] & o->tab.mask]);
    }
    if (i + 8 < b->n) {
      wrec *p4 = o->tab.a[o->aKh[i + 8] & o->tab.mask].p;
      if (p4) {
        /* Its key values and inline key strings (key_eq) may sit on
        ** later cache lines than its header. */
        __builtin_prefetch(p4);
        __builtin_prefetch((char *)p4 + o->offKey);
        __builtin_prefetch((char *)p4 + o->offKeyBuf);
      }
    }
    int64_t lo = o->aTime[i], hi = sat_add(lo, gap);
    if (o->wm >= sat_add(hi, o->lateness)) {
      rc = late_row(o, b, i);
      continue;
    }
    uint64_t h = o->aKh[i];
    uint64_t m = o->tab.mask, k = h & m;
    wrec *head;
    for (;;) {
      head = o->tab.a[k].p;
      if (!head || (o->tab.a[k].h == h && key_eq(o, head, b, i))) break;
      k = (k + 1) & m;
    }
    /* A key's sessions are disjoint and listed newest first (descending
    ** start, hence descending end): stop at the first one that ends before
    ** the row's interval -- every later one does too. Rows in time order
    ** touch the head only, however many sessions a key holds (a bounded
    ** input holds them all until its end). */
    int nOv = 0;
    for (wrec *r = head; r && nOv < 64; r = r->pNextSess) {
      if (r->end <= lo) break;
      if (r->start < hi) aOv[nOv++] = r;
      /* Older sessions end by r's start: at or before lo, none overlaps
      ** (a row after the head's start never reads past the head). */
      if (r->start <= lo) break;
    }
    /* Oldest first, as the merge below expects (the survivor is the
    ** earliest session; the merged-away ones retract in start order). */
    for (int q = 0; q < nOv / 2; q++) {
      wrec *x = aOv[q];
      aOv[q] = aOv[nOv - 1 - q];
      aOv[nOv - 1 - q] = x;
    }
    wrec *t;
    if (nOv == 0) {
      t = rec_new(o, h, b, i, lo, hi);
      if (hi < o->sessEndLo) o->sessEndLo = hi;
      if (hi > o->sessEndHi) o->sessEndHi = hi;
      /* Insert into the key's list, newest (largest start) first. */
      t->pPrevSess = NULL;
      if (!head) {
        t->pNextSess = NULL;
        o->tab.a[k].h = h;
        o->tab.a[k].p = t;
        o->tab.nUsed++;
      } else if (lo > head->start) {
        t->pNextSess = head;
        head->pPrevSess = t;
        o->tab.a[k].p = t;
      } else {
        wrec *p = head;
        while (p->pNextSess && p->pNextSess->start > lo) p = p->pNextSess;
        t->pNextSess = p->pNextSess;
        if (t->pNextSess) t->pNextSess->pPrevSess = t;
        t->pPrevSess = p;
        p->pNextSess = t;
      }
    } else {
      t = aOv[0];
      int64_t ns = lo < t->start ? lo : t->start;
      int64_t ne = hi > t->end ? hi : t->end;
      for (int q = 1; q < nOv; q++) {
        if (aOv[q]->end > ne) ne = aOv[q]->end;
      }
      if (ns != t->start || ne != t->end) {
        /* A new (merged) window replaces the old ones. */
        int64_t dOld = rec_deadline(o, t);
        defer_delete(o, t, t);
        for (int q = 1; q < nOv; q++) {
          wrec *x = aOv[q];
          /* x's own deferred rows, then its last row, wait for t's pane. */
          wtrig *tt = trig(o, t), *tx = trig(o, x);
          pend_del **pp = &tt->pDel;
          while (*pp) pp = &(*pp)->pNext;
          *pp = tx->pDel;
          tx->pDel = NULL;
          defer_delete(o, t, x);
          exec_acc_merge(&o->L, rec_acc(o, t), rec_acc(o, x),
                         &o->base.stateBytes);
          t->nRows += x->nRows;
          tt->nSince += tx->nSince;
          t->flags |= x->flags & F_PENDING;
          if (tx->armGen && (!tt->armGen || tx->armAt < tt->armAt)) {
            tt->armAt = tx->armAt;
            tt->armGen = 1;  /* re-armed below */
          }
          if (x->seq < t->seq) t->seq = x->seq;
          if (x->flags & F_TOUCHED) t->flags |= F_TOUCHED;
          rec_unlink(o, x);
          rec_free(o, x);
        }
        if (ne - ns > gap && (ns < t->start || !(t->flags & F_INSTART))) {
          /* Longer than the gap: it may hold the output watermark. */
          exec_hent e = {ns, (int64_t)t->uid, 0, t, 0};
          exec_tq_push(&o->startHeap, &e);
          t->flags |= F_INSTART;
        }
        t->start = ns;
        t->end = ne;
        if (ne > o->sessEndHi) o->sessEndHi = ne;
        wtrig *tt = trig(o, t);
        tt->paneIndex = 0;
        tt->ver = 0;
        if (o->wm >= ne) t->flags |= F_PHASE1;
        else t->flags &= ~(uint32_t)F_PHASE1;
        if (tt->armGen) arm_at(o, t, tt->armAt);
        if (rec_deadline(o, t) < dOld) {
          t->heapGen = ++o->nextGen;
          exec_hent e = {rec_deadline(o, t), t->end, t->seq, t, t->heapGen};
          wm_push(o, &e);
        }
        if ((t->flags & F_TOUCHED)) {
          /* Make sure the survivor is in the touched list. */
          int found = 0;
          for (int q = 0; q < o->nTouch && !found; q++) {
            found = o->aTouch[q].r == t && o->aTouch[q].uid == t->uid;
          }
          if (!found) t->flags &= ~(uint32_t)F_TOUCHED;
        }
      }
    }
    int8_t s = o->aRowSign ? o->aRowSign[i] : 1;
    rec_note_row(o, t, s);
    exec_acc *pAcc = rec_acc(o, t);
    const char *zErr = NULL;
    if (exec_acc_update(&o->L, 1, &pAcc, &i, o->aRowSign ? &s : NULL, b,
                        &o->base.stateBytes, &zErr)) {
      return fail(o, zErr);
    }
  }
  return rc;
}

/* ---- the vtable ---------------------------------------------------------- */

/* Can plan p produce retractions (-U/-D)? Aggregates and joins can; the
** stateless operators pass on what their inputs produce. */
static int input_may_retract(const exec_plan *p) {
  if (p->kind == PLAN_AGG || p->kind == PLAN_JOIN) return 1;
  for (int i = 0; i < p->nChild; i++) {
    if (input_may_retract(p->aChild[i])) return 1;
  }
  return 0;
}

static int agg_init(exec_op *op) {
  agg_op *o = (agg_op *)op;
  const exec_plan *p = op->plan;
  if (p->nChild != 1) return fail(o, "aggregate: expects one input");
  const exec_schema *in = &p->aChild[0]->schema;
  o->clock = op->q ? exec_query_env(op->q)->clock : NULL;
  o->w = p->window;
  o->win = p->bUnbounded ? WIN_NONE : p->window.kind;
  o->nKey = p->nKey;
  o->aKeyCol = p->aKeyCol;
  o->nAgg = p->nAgg;
  /* Over a changelog input, MIN/MAX keep every value's multiplicity (as
  ** DISTINCT does; MIN(DISTINCT x) = MIN(x)) so retractions are exact. */
  exec_agg *aAgg = NULL;
  if (input_may_retract(p->aChild[0])) {
    for (int k = 0; k < p->nAgg; k++) {
      if (p->aAgg[k].kind != AGG_MIN && p->aAgg[k].kind != AGG_MAX) continue;
      if (!aAgg) {
        aAgg = common_malloc(sizeof(exec_agg) * (size_t)p->nAgg);
        memcpy(aAgg, p->aAgg, sizeof(exec_agg) * (size_t)p->nAgg);
      }
      aAgg[k].bDistinct = 1;
    }
  }
  o->aAggOwn = aAgg;
  exec_acc_layout_init(&o->L, p->nAgg, aAgg ? aAgg : p->aAgg);
  switch (o->win) {
    case WIN_TUMBLE:
      if (o->w.size <= 0) return fail(o, "TUMBLE: size must be positive");
      break;
    case WIN_HOP:
      if (o->w.size <= 0 || o->w.slide <= 0) {
        return fail(o, "HOP: slide and size must be positive");
      }
      break;
    case WIN_CUMULATE:
      if (o->w.size <= 0 || o->w.slide <= 0 || o->w.size % o->w.slide) {
        return fail(o, "CUMULATE: the max size must be a positive multiple "
                       "of the step");
      }
      break;
    case WIN_SESSION:
      if (o->w.gap <= 0) return fail(o, "SESSION: gap must be positive");
      break;
    default:
      break;
  }
  if (o->win != WIN_NONE && o->w.iTimeCol >= 0 &&
      (o->w.iTimeCol >= in->nCol ||
       (in->aType[o->w.iTimeCol] != WEIR_TIMESTAMP &&
        in->aType[o->w.iTimeCol] != WEIR_BIGINT))) {
    return fail(o, "window: the time column must be a TIMESTAMP");
  }
  for (int k = 0; k < p->nAgg; k++) {
    const exec_agg *g = &p->aAgg[k];
    if ((g->iArg >= in->nCol) || g->iFilter >= in->nCol) {
      return fail(o, "aggregate: argument column out of range");
    }
  }

  /* The effective trigger (defaults of DESIGN.md §2.3). */
  const exec_trigger *tr = &p->trigger;
  o->bOnTime = tr->bOnTime;
  o->early = tr->early;
  o->earlyArg = tr->earlyArg;
  o->late = tr->late;
  o->lateArg = tr->lateArg;
  o->lateness = tr->lateness > 0 ? tr->lateness : 0;
  /* Proton's AFTER WINDOW CLOSE WITH DELAY d: one pane at end + d. */
  o->bCloseDelay = tr->closeDelay > 0 && o->bOnTime &&
                   tr->early == TRIG_NONE && tr->late == TRIG_NONE &&
                   o->win != WIN_NONE;
  if (o->bCloseDelay) o->lateness = tr->closeDelay;
  o->accum = tr->accum;
  if (p->bUnbounded && !o->bOnTime && o->early == TRIG_NONE) {
    o->early = TRIG_EVERY_ROW;
    if (!o->accum) o->accum = ACC_RETRACTING;
  }
  if (!o->accum) o->accum = p->bUnbounded ? ACC_RETRACTING : ACC_DISCARDING;
  o->L.bDelta = o->accum == ACC_DISCARDING;
  if (!o->bOnTime && o->early == TRIG_NONE && o->late == TRIG_NONE) {
    o->bOnTime = 1;
  }
  if (o->late == TRIG_NONE) {
    if (!o->bOnTime) {
      o->late = o->early;
      o->lateArg = o->earlyArg;
    } else if (o->lateness > 0 && !o->bCloseDelay) {
      o->late = TRIG_EVERY_ROW;
    }
  }
  if ((o->early == TRIG_EVERY && o->earlyArg <= 0) ||
      (o->late == TRIG_EVERY && o->lateArg <= 0)) {
    return fail(o, "EMIT EVERY: the interval must be positive");
  }

  /* Slicing applies when every window fires exactly once, on time. */
  o->bBuckets = o->win != WIN_SESSION;
  o->sliceFired = EXEC_TIME_MIN;
  if ((o->win == WIN_CUMULATE ||
       (o->win == WIN_HOP && o->w.slide <= o->w.size)) &&
      o->bOnTime && o->early == TRIG_NONE && o->lateness == 0) {
    o->bSliced = 1;
    o->bBuckets = 0;
    o->bInc = exec_acc_invertible(&o->L);
    if (o->bInc) o->incHi = EXEC_TIME_MIN;
    o->sliceW = o->win == WIN_HOP ? gcd64(o->w.slide, o->w.size)
                                  : o->w.slide;
  }

  /* Record layout: header, keys, accumulators, [last emitted values],
  ** inline key strings, [trigger state], [slice links]. */
  o->offKey = (sizeof(wrec) + 7) & ~(size_t)7;
  o->offAcc = o->offKey + sizeof(exec_value) * (size_t)o->nKey;
  o->offAcc = (o->offAcc + 7) & ~(size_t)7;
  o->offPrev = o->offAcc + o->L.szAcc;
  o->szRec = o->offPrev;
  int bOnePane = o->bOnTime && o->early == TRIG_NONE &&
                 o->late == TRIG_NONE && o->lateness == 0 &&
                 o->accum != ACC_RETRACTING && !o->bSliced;
  /* The last emitted row: RETRACTING retracts it; a session merge
  ** deletes the merged sessions' last rows under ACCUMULATING too (DESIGN
  ** 2.4), so that the changelog applied as upserts stays right -- unless
  ** a session fires just once, and is gone before any merge. */
  o->bKeepPrev = o->accum == ACC_RETRACTING ||
                 (o->win == WIN_SESSION && o->accum == ACC_ACCUMULATING &&
                  !bOnePane);
  if (o->bKeepPrev) {
    o->szRec += sizeof(exec_value) * (size_t)o->nAgg;
  }
  o->offKeyBuf = o->szRec;
  o->szRec += (size_t)KEY_INLINE * (size_t)o->nKey;
  o->offTrig = 0;
  if (!bOnePane) {
    o->szRec = (o->szRec + 7) & ~(size_t)7;
    o->offTrig = o->szRec;
    o->szRec += sizeof(wtrig);
  }
  if (o->bInc) {
    o->offExt = o->szRec;
    o->szRec += sizeof(slice_ext);
  }
  exec_slab_init(&o->slab, o->szRec);
  exec_htab_init(&o->tab, 16);
  o->wm = EXEC_TIME_MIN;
  o->sessEndLo = EXEC_TIME_MAX;
  o->sessEndHi = EXEC_TIME_MIN;
  if (o->bSliced) {
    exec_slab_init(&o->tmpSlab, o->szRec);
    exec_htab_init(&o->tmpTab, 16);
  }

  /* Output batch. */
  int bWin = o->win != WIN_NONE;
  o->nOut = o->nKey + (bWin ? 2 : 0) + o->nAgg + 4;
  common_arena_init(&o->outArena, 0);
  common_arena_init(&o->outHeap, 0);
  o->aOutType = common_arena_alloc(&o->outArena, (size_t)o->nOut);
  int c = 0;
  for (int k = 0; k < o->nKey; k++) {
    if (o->aKeyCol[k] < 0 || o->aKeyCol[k] >= in->nCol) {
      return fail(o, "aggregate: key column out of range");
    }
    o->aOutType[c++] = in->aType[o->aKeyCol[k]];
  }
  o->iOutWin = bWin ? c : -1;
  if (bWin) {
    o->aOutType[c++] = WEIR_TIMESTAMP;
    o->aOutType[c++] = WEIR_TIMESTAMP;
  }
  o->iOutAgg = c;
  for (int k = 0; k < o->nAgg; k++) o->aOutType[c++] = p->aAgg[k].resType;
  o->iOutMeta = c;
  o->aOutType[c++] = WEIR_VARCHAR;
  o->aOutType[c++] = WEIR_BIGINT;
  o->aOutType[c++] = WEIR_TIMESTAMP;
  o->aOutType[c++] = WEIR_BIGINT;
  if (p->schema.nCol != o->nOut) {
    if (op->q) {
      exec_query_fail(op->q,
                      "aggregate: the plan's schema has %d columns but the "
                      "operator produces %d (keys, [window_start, "
                      "window_end], aggregates, pane_timing, pane_index, "
                      "emit_time, ver)",
                      p->schema.nCol, o->nOut);
    }
    o->bFailed = 1;
    return 1;
  }
  o->pOut = exec_batch_new(&o->outArena, o->nOut, o->aOutType);
  o->pOut->pHeap = &o->outHeap;
  if (o->pLateSink) {
    common_arena_init(&o->lateArena, 0);
    common_arena_init(&o->lateHeap, 0);
    const exec_schema *ls = late_schema(o);
    for (int c = 0; c < p->lateSchema.nCol; c++) {
      int k = p->aLateCol[c];
      if (k < 0 || k >= in->nCol || in->aType[k] != ls->aType[c]) {
        return fail(o, "aggregate: late.sink columns do not match the input");
      }
    }
    o->pLate = exec_batch_new(&o->lateArena, ls->nCol, ls->aType);
    o->pLate->pHeap = &o->lateHeap;
  }
  o->aVal = common_arena_zalloc(&o->outArena,
                                sizeof(exec_value) * (size_t)(o->nAgg + 1));

  /* Scratch arrays. */
  common_arena *a = &o->outArena;
  o->aKh = common_arena_alloc(a, sizeof(uint64_t) * EXEC_BATCH_CAP);
  o->aTime = common_arena_alloc(a, sizeof(int64_t) * EXEC_BATCH_CAP);
  o->aPairRow = common_arena_alloc(a, sizeof(int) * PAIR_CAP);
  o->aPairSign = common_arena_alloc(a, PAIR_CAP);
  o->aPairStart = common_arena_alloc(a, sizeof(int64_t) * PAIR_CAP);
  o->aPairEnd = common_arena_alloc(a, sizeof(int64_t) * PAIR_CAP);
  o->apPairRec = common_arena_alloc(a, sizeof(wrec *) * PAIR_CAP);
  o->apPairAcc = common_arena_alloc(a, sizeof(exec_acc *) * PAIR_CAP);
  o->aRow2 = common_arena_alloc(a, sizeof(int) * PAIR_CAP);
  o->aSign2 = common_arena_alloc(a, PAIR_CAP);
  o->apAcc2 = common_arena_alloc(a, sizeof(exec_acc *) * PAIR_CAP);
  return 0;
}

static int agg_push(exec_op *op, int iInput, exec_batch *b) {
  agg_op *o = (agg_op *)op;
  if (o->bFailed) return 1;
  if (b->n <= 0) return 0;
  o->bAnyRow = 1;
  o->now = clock_now(o);

  /* Signs: +I/+U add, -U/-D retract. */
  o->aRowSign = NULL;
  for (int i = 0; i < b->n; i++) {
    if (b->op[i] == OP_UPDATE_BEFORE || b->op[i] == OP_DELETE) {
      o->aRowSign = common_arena_alloc(&op->scratch, EXEC_BATCH_CAP);
      break;
    }
  }
  if (o->aRowSign) {
    for (int i = 0; i < b->n; i++) {
      o->aRowSign[i] =
        (b->op[i] == OP_UPDATE_BEFORE || b->op[i] == OP_DELETE) ? -1 : 1;
    }
  }

  /* Event (or processing) time of each row. */
  if (o->win != WIN_NONE && o->w.iTimeCol >= 0) {
    const exec_vec *v = &b->aCol[o->w.iTimeCol];
    for (int i = 0; i < b->n; i++) {
      o->aTime[i] = v->null[i] ? EXEC_TIME_MIN : v->v.i64[i];
    }
  } else {
    for (int i = 0; i < b->n; i++) o->aTime[i] = o->now;
  }

  hash_keys(o, b);
  int rc = o->win == WIN_SESSION ? push_sessions(o, b) : push_windows(o, b);
  if (!rc) rc = late_write(o);
  if (!rc) rc = fire_touched(o);
  if (!rc) rc = out_flush(o);
  if (!rc) ptimer_rearm(o);
  o->aRowSign = NULL;
  return rc;
}

static int agg_watermark(exec_op *op, int iInput, int64_t wm) {
  agg_op *o = (agg_op *)op;
  if (o->bFailed) return 1;
  int64_t in = exec_op_input_wm(op);
  if (in <= o->wm) return 0;
  return advance_wm(o, in);
}

static int agg_flush(exec_op *op, int iInput) {
  agg_op *o = (agg_op *)op;
  if (o->bFailed) return 1;
  if (op->nEnded < op->nInput) return 0;
  int rc = advance_wm(o, EXEC_TIME_MAX);
  if (o->timerId && o->clock) exec_timer_cancel(o->clock, o->timerId);
  o->timerId = 0;
  if (o->ptTimerId && o->clock) exec_timer_cancel(o->clock, o->ptTimerId);
  o->ptTimerId = 0;
  if (!rc) rc = exec_op_emit_end(op);
  return rc;
}

static void agg_close(exec_op *op) {
  agg_op *o = (agg_op *)op;
  if (o->timerId && o->clock) exec_timer_cancel(o->clock, o->timerId);
  o->timerId = 0;
  if (o->ptTimerId && o->clock) exec_timer_cancel(o->clock, o->ptTimerId);
  o->ptTimerId = 0;
  if (o->tab.a) {
    for (uint64_t i = 0; i <= o->tab.mask; i++) {
      wrec *r = o->tab.a[i].p;
      while (r) {
        wrec *n = o->win == WIN_SESSION ? r->pNextSess : NULL;
        rec_free(o, r);
        r = n;
      }
    }
  }
  exec_slab_clear(&o->slab);
  exec_slab_clear(&o->tmpSlab);
  exec_acc_layout_free(&o->L);
  exec_htab_free(&o->tab);
  exec_htab_free(&o->tmpTab);
  common_free(o->aDir);
  o->aDir = NULL;
  o->nDir = 0;
  common_free(o->apTmp);
  o->apTmp = NULL;
  common_free(o->apAct);
  o->apAct = NULL;
  o->nAct = 0;
  common_free(o->aRef);
  o->aRef = NULL;
  common_free(o->aEb);
  o->aEb = NULL;
  o->nEb = 0;
  exec_tq_free(&o->wmHeap);
  exec_heap_free(&o->procHeap);
  exec_tq_free(&o->startHeap);
  common_free(o->aTouch);
  o->aTouch = NULL;
  common_arena_free(&o->outHeap);
  common_arena_free(&o->outArena);
  if (o->pLate) {
    common_arena_free(&o->lateHeap);
    common_arena_free(&o->lateArena);
    o->pLate = NULL;
  }
  common_free(o->aAggOwn);
  o->aAggOwn = NULL;
}

/* The GroupByKey + Combine operator (PLAN_AGG). */
const exec_op_vtab exec_agg_vtab = {
  "Aggregate",    sizeof(agg_op), agg_init,  agg_push,
  agg_watermark,  agg_flush,      agg_close,
};
