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
*/
#include "exec/exec_int.h"

typedef struct read_op {
  exec_op base;
  exec_source *pSrc;
  int nPart;                /* slots in aPartMax */
  int64_t *aPartMax;        /* max event time seen per partition */
  int64_t wmTold;           /* highest watermark the source told */
  int bEnded;
} read_op;

/* Make room for partition iPart (new slots have seen nothing). */
static void read_grow(read_op *r, int nPart) {
  if (nPart <= r->nPart) return;
  r->aPartMax = common_realloc(r->aPartMax, sizeof(int64_t) * (size_t)nPart);
  for (int i = r->nPart; i < nPart; i++) r->aPartMax[i] = EXEC_TIME_MIN;
  r->nPart = nPart;
}

/* The watermark implied by what the source delivered and told. */
static int64_t read_wm(read_op *r) {
  int64_t wm = EXEC_TIME_MIN;
  if (r->base.plan->iWmCol >= 0 && r->nPart > 0) {
    int64_t lo = EXEC_TIME_MAX;
    for (int i = 0; i < r->nPart; i++) {
      if (r->aPartMax[i] < lo) lo = r->aPartMax[i];
    }
    int64_t d = r->base.plan->wmDelay;
    if (lo == EXEC_TIME_MIN) {
      wm = EXEC_TIME_MIN;
    } else if (d > 0 && lo < EXEC_TIME_MIN + d) {
      wm = EXEC_TIME_MIN;
    } else {
      wm = lo - d;
    }
  }
  if (r->wmTold > wm) wm = r->wmTold;
  return wm;
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
  if (exec_op_emit(op, b)) return;
  common_arena_reset(&op->scratch);
  read_advance(r);
}

static void read_end(void *pArg) {
  read_op *r = pArg;
  exec_op *op = &r->base;
  if (r->bEnded || exec_query_done(op->q)) return;
  r->bEnded = 1;
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

/* The source attached to read operator op, or NULL. */
exec_source *exec_read_source(exec_op *op) {
  return op ? ((read_op *)op)->pSrc : NULL;
}

static int read_init(exec_op *op) {
  read_op *r = (read_op *)op;
  r->wmTold = EXEC_TIME_MIN;
  int n = r->pSrc && r->pSrc->nPart > 0 ? r->pSrc->nPart : 1;
  read_grow(r, n);
  return 0;
}

/* A read operator has no inputs; nothing is pushed into it. */
static int read_push(exec_op *op, int iInput, exec_batch *b) {
  return exec_op_emit(op, b);
}

static void read_close(exec_op *op) {
  read_op *r = (read_op *)op;
  common_free(r->aPartMax);
  r->aPartMax = NULL;
  r->nPart = 0;
}

const exec_op_vtab exec_read_vtab = {
  "Read", sizeof(read_op), read_init, read_push, NULL, NULL, read_close
};
