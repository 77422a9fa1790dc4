/*
** exec/op_sink.c — the Sink operator, root of every pipeline: writes each
** batch to the query's exec_sink (a connector, or the owner's callback),
** counts the rows written, and flushes the sink exactly once: at end of
** input (which then finishes the query), on stop, or on failure.
*/
#include "exec/exec_int.h"

typedef struct sink_op {
  exec_op base;
  exec_sink *pSink;
  int bFlushed;
} sink_op;

/* Attach sink s to sink operator op (the query owns s). */
void exec_sink_attach(exec_op *op, exec_sink *s) {
  ((sink_op *)op)->pSink = s;
}

/* Flush the sink once; returns its code (0 when already flushed). */
int exec_sink_flush(exec_op *op) {
  sink_op *r = (sink_op *)op;
  if (r->bFlushed || !r->pSink) return 0;
  r->bFlushed = 1;
  return r->pSink->vt->xFlush ? r->pSink->vt->xFlush(r->pSink) : 0;
}

/* The schema written: the sink's own, or its input's if it has none. */
static const exec_schema *sink_schema(const exec_op *op) {
  const exec_plan *p = op->plan;
  if (p->schema.nCol == 0 && p->nChild > 0) return &p->aChild[0]->schema;
  return &p->schema;
}

static int sink_push(exec_op *op, int iInput, exec_batch *b) {
  sink_op *r = (sink_op *)op;
  if (!r->pSink || r->bFlushed) return 0;
  if (r->pSink->vt->xWrite(r->pSink, b, sink_schema(op))) {
    exec_query_fail(op->q, "%s",
                    r->pSink->zErr[0] ? r->pSink->zErr : "sink write failed");
    return 1;
  }
  op->nRowsOut += b->n;
  return 0;
}

static int sink_flush(exec_op *op, int iInput) {
  sink_op *r = (sink_op *)op;
  if (op->nEnded < op->nInput) return 0;
  if (exec_sink_flush(op)) {
    exec_query_fail(op->q, "%s",
                    r->pSink->zErr[0] ? r->pSink->zErr : "sink flush failed");
    return 1;
  }
  return exec_op_emit_end(op);
}

/* The default forwarding (the minimum of the inputs), then the sink's
** optional xWatermark hears of an advance. */
static int sink_watermark(exec_op *op, int iInput, int64_t wm) {
  sink_op *r = (sink_op *)op;
  int64_t before = op->wmOut;
  int rc = exec_op_forward_watermark(op);
  if (!rc && op->wmOut > before && r->pSink && r->pSink->xWatermark &&
      !r->bFlushed) {
    r->pSink->xWatermark(r->pSink, op->wmOut);
  }
  return rc;
}

const exec_op_vtab exec_sink_op_vtab = {
    "Sink", sizeof(sink_op), NULL, sink_push, sink_watermark, sink_flush, NULL};
