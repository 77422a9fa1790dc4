/*
** exec/op_read.c — the Read operator: the leaf where a source's batches
** enter the pipeline, and where watermarks are born (DESIGN.md §2.5).
**
** With WATERMARK FOR (plan->iWmCol >= 0) each partition's watermark is the
** largest event time it has delivered minus plan->wmDelay; the source's
** watermark is the minimum over its partitions (a partition that has not
** delivered yet holds it back). A watermark told by the source itself
** (ADVANCE WATERMARK) raises it but never lowers it; without WATERMARK FOR
** that and end of input are the only ways it moves. A watermark is
** forwarded after the batch that raised it has been pushed. At end of input
** the watermark jumps to EXEC_TIME_MAX and end flows downstream.
**
** A bounded input (plan->bBatch: a file without follow, a Kafka topic read
** up to its latest offsets) is a batch input (DESIGN.md §2.1): WATERMARK
** FOR does not move its watermark while it is read -- only ADVANCE
** WATERMARK and the end of input do -- so no row is ever late and the
** final answer is the batch engine's, whatever the order of the rows or
** the size of the reader's batches.
**
** Idleness (plan->idleTimeout > 0): a partition that has delivered nothing
** for idleTimeout of processing time stops holding the watermark back
** (Flink's idle splits). When every partition is idle the watermark is
** the furthest any partition got, and with plan->bIdleAdvance it follows
** processing time minus the delay, re-evaluated every idleTimeout. One clock timer
** re-evaluates at the next moment a partition could turn idle.
*/
#include "exec/exec_int.h"

typedef struct read_op {
  exec_op base;
  exec_source *pSrc;
  int nPart;          /* slots in aPartMax */
  int64_t *aPartMax;  /* max event time seen per partition */
  int64_t *aPartLast; /* processing time of each partition's last
                      ** delivery (or of the start) */
  int64_t wmTold;     /* highest watermark the source told */
  int bEnded;
  exec_clock *clock;
  uint64_t idTimer; /* pending idleness check, 0 if none */
} read_op;

static int64_t read_now(read_op *r) {
  return r->clock ? exec_clock_now(r->clock) : 0;
}

/* Make room for partition iPart (new slots have seen nothing). */
static void read_grow(read_op *r, int nPart) {
  if (nPart <= r->nPart) return;
  r->aPartMax = common_realloc(r->aPartMax, sizeof(int64_t) * (size_t)nPart);
  r->aPartLast = common_realloc(r->aPartLast, sizeof(int64_t) * (size_t)nPart);
  int64_t now = read_now(r);
  for (int i = r->nPart; i < nPart; i++) {
    r->aPartMax[i] = EXEC_TIME_MIN;
    r->aPartLast[i] = now;
  }
  r->nPart = nPart;
}

/* Partition i's watermark: its max event time minus the delay. */
static int64_t part_wm(const read_op *r, int i) {
  int64_t mx = r->aPartMax[i], d = r->base.plan->wmDelay;
  if (mx == EXEC_TIME_MIN) return EXEC_TIME_MIN;
  if (d > 0 && mx < EXEC_TIME_MIN + d) return EXEC_TIME_MIN;
  return mx - d;
}

/* Nonzero if partition i has been silent for the idle timeout at now. */
static int part_idle(const read_op *r, int i, int64_t now) {
  int64_t t = r->base.plan->idleTimeout;
  return t > 0 && now - r->aPartLast[i] >= t;
}

/* The watermark implied by what the source delivered and told. */
static int64_t read_wm(read_op *r) {
  const exec_plan *p = r->base.plan;
  int64_t wm = EXEC_TIME_MIN;
  if (p->iWmCol >= 0 && r->nPart > 0 && !p->bBatch) {
    int64_t now = read_now(r), lo = EXEC_TIME_MAX;
    int nActive = 0;
    for (int i = 0; i < r->nPart; i++) {
      if (part_idle(r, i, now)) continue;
      nActive++;
      int64_t w = part_wm(r, i);
      if (w < lo) lo = w;
    }
    if (nActive > 0) {
      wm = lo;
    } else {
      /* Every partition is idle: none holds the watermark back, so it is
      ** the furthest any of them got (partitions that went quiet at the
      ** same moment as the empty ones still close their windows). */
      for (int i = 0; i < r->nPart; i++) {
        int64_t w = part_wm(r, i);
        if (w > wm) wm = w;
      }
      if (p->bIdleAdvance) {
        int64_t t = now > EXEC_TIME_MIN + p->wmDelay ? now - p->wmDelay : now;
        if (t > wm) wm = t;
      }
    }
  }
  if (r->wmTold > wm) wm = r->wmTold;
  return wm;
}

static void read_schedule(read_op *r);

/* The idleness timer: re-evaluate the watermark, then re-arm. */
static void read_on_timer(void *pArg, uint64_t iTag, int64_t at) {
  read_op *r = pArg;
  r->idTimer = 0;
  if (r->bEnded || exec_query_done(r->base.q)) return;
  int64_t wm = read_wm(r);
  if (wm > r->base.wmOut && exec_op_emit_watermark(&r->base, wm)) return;
  common_arena_reset(&r->base.scratch);
  read_schedule(r);
}

/* Arm the idleness timer for the next moment a partition may turn idle
** (or, all idle with idle.advance, the next step of the watermark).
** Deliveries only push that moment later, so an armed timer is kept: it
** fires early at worst and re-arms. */
static void read_schedule(read_op *r) {
  const exec_plan *p = r->base.plan;
  if (p->idleTimeout <= 0 || !r->clock || r->idTimer || r->bEnded) return;
  int64_t now = read_now(r), at = EXEC_TIME_MAX;
  for (int i = 0; i < r->nPart; i++) {
    if (part_idle(r, i, now)) continue;
    if (r->aPartLast[i] + p->idleTimeout < at) {
      at = r->aPartLast[i] + p->idleTimeout;
    }
  }
  if (at == EXEC_TIME_MAX) {
    if (!p->bIdleAdvance || p->iWmCol < 0) return;
    at = now + p->idleTimeout;
  }
  r->idTimer = exec_timer_set(r->clock, at, read_on_timer, r, 0);
}

static int read_advance(read_op *r) {
  int64_t wm = read_wm(r);
  if (wm > r->base.wmOut) return exec_op_emit_watermark(&r->base, wm);
  return 0;
}

static void read_deliver(void *pArg, exec_batch *b, int iPart) {
  read_op *r = pArg;
  exec_op *op = &r->base;
  if (r->bEnded || exec_query_done(op->q) || !b) return;
  if (iPart < 0) iPart = 0;
  int nKnown = r->pSrc && r->pSrc->nPart > 0 ? r->pSrc->nPart : 1;
  read_grow(r, iPart + 1 > nKnown ? iPart + 1 : nKnown);
  op->nRowsIn += b->n;
  int iCol = op->plan->iWmCol;
  if (iCol >= 0 && iCol < b->nCol && b->n > 0) {
    const exec_vec *v = &b->aCol[iCol];
    int64_t mx = r->aPartMax[iPart];
    for (int i = 0; i < b->n; i++) {
      if (!v->null[i] && v->v.i64[i] > mx) mx = v->v.i64[i];
    }
    r->aPartMax[iPart] = mx;
  }
  r->aPartLast[iPart] = read_now(r);
  if (exec_op_emit(op, b)) return;
  common_arena_reset(&op->scratch);
  if (read_advance(r)) return;
  read_schedule(r);
}

static void read_end(void *pArg) {
  read_op *r = pArg;
  exec_op *op = &r->base;
  if (r->bEnded || exec_query_done(op->q)) return;
  r->bEnded = 1;
  if (r->idTimer) exec_timer_cancel(r->clock, r->idTimer);
  r->idTimer = 0;
  if (exec_op_emit_watermark(op, EXEC_TIME_MAX)) return;
  exec_op_emit_end(op);
}

static void read_watermark(void *pArg, int64_t wm) {
  read_op *r = pArg;
  if (r->bEnded || exec_query_done(r->base.q)) return;
  if (wm > r->wmTold) r->wmTold = wm;
  read_advance(r);
}

static void read_error(void *pArg, const char *zMsg) {
  read_op *r = pArg;
  exec_query_fail(r->base.q, "%s", zMsg ? zMsg : "source failed");
}

/*
** Attach source src to read operator op: the source's callbacks now feed
** the operator. The query keeps ownership of src.
*/
void exec_read_attach(exec_op *op, exec_source *src) {
  read_op *r = (read_op *)op;
  r->pSrc = src;
  src->pArg = r;
  src->xDeliver = read_deliver;
  src->xEnd = read_end;
  src->xWatermark = read_watermark;
  src->xError = read_error;
}

static int read_init(exec_op *op) {
  read_op *r = (read_op *)op;
  r->wmTold = EXEC_TIME_MIN;
  r->clock = exec_query_env(op->q)->clock;
  int n = r->pSrc && r->pSrc->nPart > 0 ? r->pSrc->nPart : 1;
  read_grow(r, n);
  read_schedule(r);
  return 0;
}

/* A read operator has no inputs; nothing is pushed into it. */
static int read_push(exec_op *op, int iInput, exec_batch *b) {
  return exec_op_emit(op, b);
}

static void read_close(exec_op *op) {
  read_op *r = (read_op *)op;
  if (r->idTimer && r->clock) exec_timer_cancel(r->clock, r->idTimer);
  r->idTimer = 0;
  common_free(r->aPartMax);
  common_free(r->aPartLast);
  r->aPartMax = NULL;
  r->aPartLast = NULL;
  r->nPart = 0;
}

const exec_op_vtab exec_read_vtab = {
    "Read", sizeof(read_op), read_init, read_push, NULL, NULL, read_close};
