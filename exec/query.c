/*
** exec/query.c — a running query: the immutable plan turned into live
** operators on the loop.
**
** exec_query_start instantiates one operator per plan node (its state
** struct, whose first member is exec_op, in the query's pipeline arena),
** wires each to its parent, opens a source per PLAN_READ and the sink of
** the root PLAN_SINK (and the late-row sink of each Agg with a
** 'late.sink') through the engine's binder, then starts the sources
** and emits the VALUES rows. From then on the sources' callbacks drive the
** pipeline: batches, watermarks and end of input flow from the leaves to
** the sink through the dispatcher below (exec_op_emit and friends). When
** end of input reaches the sink the query is FINISHED; a source or
** operator error makes it FAILED; exec_query_stop makes it STOPPED. The
** owner hears about FINISHED and FAILED through binder->xState.
*/
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exec/exec_int.h"

struct exec_query {
  const exec_plan *plan;
  exec_env env;
  exec_binder binder;
  exec_query_state state;
  int bStarting; /* inside exec_query_start: no notifications */
  int bSourcesStopped;
  char *zErr;
  common_arena arena; /* operator states and their arrays */
  int nOp, nOpAlloc;
  exec_op **apOp; /* every operator, parents before children */
  exec_op *pRoot; /* the sink operator */
  int nSrc, nSrcAlloc;
  exec_source **apSrc; /* opened sources, owned here */
  exec_op **apSrcOp;   /* the read operator of each source */
  exec_sink *pSink;    /* owned here */
  int nLate;
  exec_sink **apLate;  /* late-row sinks of Agg operators, owned here */
  int bLateFlushed;
};

/* Scratch arenas start with blocks of this size (one batch's worth of
** evaluated vectors fits). */
#define QUERY_SCRATCH_BLOCK 262144

/* Flush the late-row sinks once (when the main sink is flushed). */
static void flush_late(exec_query *q) {
  if (q->bLateFlushed) return;
  q->bLateFlushed = 1;
  for (int i = 0; i < q->nLate; i++) {
    if (q->apLate[i]->vt->xFlush) q->apLate[i]->vt->xFlush(q->apLate[i]);
  }
}

static void query_notify(exec_query *q) {
  if (!q->bStarting && q->binder.xState) q->binder.xState(q->binder.pArg, q);
}

static void stop_sources(exec_query *q) {
  if (q->bSourcesStopped) return;
  q->bSourcesStopped = 1;
  for (int i = 0; i < q->nSrc; i++) {
    if (q->apSrc[i]->vt->xStop) q->apSrc[i]->vt->xStop(q->apSrc[i]);
  }
}

/*
** Fail the query with a printf-style message. Only the first error is
** kept. Sources are stopped (possibly from inside one of their callbacks),
** the sink is flushed and the owner is notified.
*/
void exec_query_fail(exec_query *q, const char *zFmt, ...) {
  if (q->state != EXQ_RUNNING) return;
  va_list ap;
  common_buf b;
  common_buf_init(&b);
  va_start(ap, zFmt);
  common_buf_vprintf(&b, zFmt, ap);
  va_end(ap);
  q->zErr = common_buf_detach(&b);
  q->state = EXQ_FAILED;
  if (q->bStarting) return;
  stop_sources(q);
  if (q->pRoot) exec_sink_flush(q->pRoot);
  flush_late(q);
  query_notify(q);
}

/* The loop and clock the query runs on. */
const exec_env *exec_query_env(const exec_query *q) {
  return &q->env;
}

/* Nonzero when the query no longer runs (finished, stopped or failed). */
int exec_query_done(const exec_query *q) {
  return q->state != EXQ_RUNNING;
}

/* A non-zero code from an operator callback: make sure the query fails
** with some message. */
static int op_failed(exec_op *op, int rc) {
  if (rc && op->q->state == EXQ_RUNNING) {
    exec_query_fail(op->q, "operator %s failed", op->vt->zName);
  }
  return rc;
}

/* ---- the dispatcher ------------------------------------------------------ */

/*
** Push batch b to op's parent (a no-op at the root, and once the query is
** no longer running). Counts b->n as op's rows out and the parent's rows
** in; resets the parent's scratch arena after its push. Returns the
** parent's code (non-zero fails the query).
*/
int exec_op_emit(exec_op *op, exec_batch *b) {
  if (!b || b->n <= 0) return 0;
  op->nRowsOut += b->n;
  exec_op *p = op->pParent;
  if (!p || exec_query_done(op->q)) return 0;
  p->nRowsIn += b->n;
  int rc = p->vt->xPush(p, op->iParentInput, b);
  common_arena_reset(&p->scratch);
  return op_failed(p, rc);
}

/* Minimum of op's input watermarks; EXEC_TIME_MIN without inputs. */
int64_t exec_op_input_wm(const exec_op *op) {
  if (op->nInput <= 0) return EXEC_TIME_MIN;
  int64_t wm = op->aInWm[0];
  for (int i = 1; i < op->nInput; i++) {
    if (op->aInWm[i] < wm) wm = op->aInWm[i];
  }
  return wm;
}

/* Default watermark handling: forward the minimum over the inputs. */
int exec_op_forward_watermark(exec_op *op) {
  int64_t wm = exec_op_input_wm(op);
  if (wm <= op->wmOut) return 0;
  return exec_op_emit_watermark(op, wm);
}

/*
** Forward watermark wm from op if it is past the last one op sent.
** Watermarks never go backwards (asserted). The parent's input watermark
** is raised to wm, then its xWatermark (or the default, forward the
** minimum of its inputs) runs; its scratch is reset afterwards.
*/
int exec_op_emit_watermark(exec_op *op, int64_t wm) {
  assert(wm >= op->wmOut);
  if (wm <= op->wmOut) return 0;
  op->wmOut = wm;
  exec_op *p = op->pParent;
  if (!p || exec_query_done(op->q)) return 0;
  int i = op->iParentInput;
  if (wm > p->aInWm[i]) p->aInWm[i] = wm;
  int rc;
  if (p->vt->xWatermark) {
    rc = p->vt->xWatermark(p, i, wm);
  } else {
    rc = exec_op_forward_watermark(p);
  }
  common_arena_reset(&p->scratch);
  return op_failed(p, rc);
}

/* End of input reached the root: the query is finished. */
static void query_finished(exec_query *q) {
  if (q->state != EXQ_RUNNING) return;
  q->state = EXQ_FINISHED;
  flush_late(q);
  query_notify(q);
}

/*
** Tell op's parent that this input ended (once per operator). The parent's
** nEnded is incremented; its xFlush runs, or by default it ends itself
** when all its inputs have ended. The root ending finishes the query.
*/
int exec_op_emit_end(exec_op *op) {
  if (op->bEndSent) return 0;
  op->bEndSent = 1;
  exec_op *p = op->pParent;
  if (!p) {
    query_finished(op->q);
    return 0;
  }
  if (exec_query_done(op->q)) return 0;
  p->nEnded++;
  int rc;
  if (p->vt->xFlush) {
    rc = p->vt->xFlush(p, op->iParentInput);
  } else {
    rc = p->nEnded >= p->nInput ? exec_op_emit_end(p) : 0;
  }
  common_arena_reset(&p->scratch);
  return op_failed(p, rc);
}

/* ---- instantiation ------------------------------------------------------- */

static void set_err(char **pzErr, const char *zFmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_err(char **pzErr, const char *zFmt, ...) {
  if (!pzErr || *pzErr) return;
  va_list ap;
  va_start(ap, zFmt);
  *pzErr = common_vmprintf(zFmt, ap);
  va_end(ap);
}

/* Create the operator for plan node p (and, recursively, its children). */
static int op_new(exec_query *q, const exec_plan *p, exec_op *pParent, int iIn,
                  char **pzErr) {
  const exec_op_vtab *vt = exec_op_vtab_for(p->kind);
  if (!vt) {
    set_err(pzErr, "operator %s not supported yet",
            exec_plan_kind_name(p->kind));
    return 1;
  }
  assert(vt->szOp >= sizeof(exec_op));
  exec_op *op = common_arena_zalloc(&q->arena, vt->szOp);
  op->vt = vt;
  op->plan = p;
  op->q = q;
  op->pParent = pParent;
  op->iParentInput = iIn;
  op->nInput = p->nChild;
  op->aInWm =
      common_arena_alloc(&q->arena, sizeof(int64_t) * (size_t)(p->nChild + 1));
  for (int i = 0; i < p->nChild; i++) op->aInWm[i] = EXEC_TIME_MIN;
  op->wmOut = EXEC_TIME_MIN;
  common_arena_init(&op->scratch, QUERY_SCRATCH_BLOCK);
  if (q->nOp == q->nOpAlloc) {
    q->nOpAlloc = q->nOpAlloc ? q->nOpAlloc * 2 : 16;
    q->apOp = common_realloc(q->apOp, sizeof(*q->apOp) * (size_t)q->nOpAlloc);
  }
  q->apOp[q->nOp++] = op;
  if (!pParent) q->pRoot = op;
  for (int i = 0; i < p->nChild; i++) {
    if (op_new(q, p->aChild[i], op, i, pzErr)) return 1;
  }
  return 0;
}

/* Free everything the query holds. Sources must be stopped already. */
static void query_release(exec_query *q) {
  for (int i = q->nOp - 1; i >= 0; i--) {
    exec_op *op = q->apOp[i];
    if (op->vt->xClose) op->vt->xClose(op);
    common_arena_free(&op->scratch);
  }
  for (int i = 0; i < q->nSrc; i++) {
    if (q->apSrc[i]->vt->xFree) q->apSrc[i]->vt->xFree(q->apSrc[i]);
  }
  if (q->pSink && q->pSink->vt->xFree) q->pSink->vt->xFree(q->pSink);
  for (int i = 0; i < q->nLate; i++) {
    if (q->apLate[i]->vt->xFree) q->apLate[i]->vt->xFree(q->apLate[i]);
  }
  common_free(q->apLate);
  common_free(q->apSrc);
  common_free(q->apSrcOp);
  common_free(q->apOp);
  common_arena_free(&q->arena);
  common_free(q->zErr);
  common_free(q);
}

/*
** Instantiate plan (whose root must be a PLAN_SINK) on env's loop and
** clock, open its sources and sink through binder, and start it. *pq is
** set before the sources start, so binder->xState may already be called
** (for instance when a VALUES-only query finishes) before this returns.
** Returns 0, or 1 with *pzErr set (free it with common_free) and *pq NULL.
** The plan must outlive the query.
*/
int exec_query_start(exec_query **pq, const exec_plan *plan,
                     const exec_env *env, const exec_binder *binder,
                     char **pzErr) {
  *pq = NULL;
  if (pzErr) *pzErr = NULL;
  if (!plan || plan->kind != PLAN_SINK) {
    set_err(pzErr, "the plan's root must be a sink");
    return 1;
  }
  exec_query *q = common_calloc(1, sizeof(*q));
  q->plan = plan;
  q->env = *env;
  q->binder = *binder;
  q->state = EXQ_RUNNING;
  q->bStarting = 1;
  common_arena_init(&q->arena, 16384);
  if (op_new(q, plan, NULL, 0, pzErr)) goto fail;

  /* Open the sink and the sources. */
  char *zErr = NULL;
  q->pSink = binder->xOpenSink(binder->pArg, plan, &zErr);
  if (!q->pSink) {
    set_err(pzErr, "%s", zErr ? zErr : "cannot open sink");
    common_free(zErr);
    goto fail;
  }
  exec_sink_attach(q->pRoot, q->pSink);
  q->pSink->loop = q->env.loop;
  q->pSink->pQuery = q;
  /* Late-row side outputs of aggregates ('late.sink'). */
  for (int i = 0; i < q->nOp; i++) {
    exec_op *op = q->apOp[i];
    if (op->plan->kind != PLAN_AGG || !op->plan->zLateSink) continue;
    /* Aggregates of one query naming the same late sink share it. */
    exec_sink *pShared = NULL;
    for (int j = 0; j < i && !pShared; j++) {
      const exec_plan *pj = q->apOp[j]->plan;
      if (pj->kind == PLAN_AGG && pj->zLateSink &&
          strcmp(pj->zLateSink, op->plan->zLateSink) == 0) {
        pShared = exec_agg_late_sink(q->apOp[j]);
      }
    }
    if (pShared) {
      exec_agg_attach_late(op, pShared);
      continue;
    }
    if (!binder->xOpenLateSink) {
      set_err(pzErr, "late.sink '%s': not supported here",
              op->plan->zLateSink);
      goto fail;
    }
    zErr = NULL;
    const exec_schema *pRows = op->plan->lateSchema.nCol > 0
                                   ? &op->plan->lateSchema
                                   : &op->plan->aChild[0]->schema;
    exec_sink *s =
        binder->xOpenLateSink(binder->pArg, op->plan->zLateSink, pRows, &zErr);
    if (!s) {
      set_err(pzErr, "late.sink '%s': %s", op->plan->zLateSink,
              zErr ? zErr : "cannot open sink");
      common_free(zErr);
      goto fail;
    }
    q->apLate =
        common_realloc(q->apLate, sizeof(*q->apLate) * (size_t)(q->nLate + 1));
    q->apLate[q->nLate++] = s;
    s->pQuery = q;
    exec_agg_attach_late(op, s);
  }
  for (int i = 0; i < q->nOp; i++) {
    exec_op *op = q->apOp[i];
    if (op->plan->kind != PLAN_READ) continue;
    zErr = NULL;
    exec_source *src = binder->xOpenSource(binder->pArg, op->plan, &zErr);
    if (!src) {
      set_err(pzErr, "%s", zErr ? zErr : "cannot open source");
      common_free(zErr);
      goto fail;
    }
    if (q->nSrc == q->nSrcAlloc) {
      q->nSrcAlloc = q->nSrcAlloc ? q->nSrcAlloc * 2 : 4;
      q->apSrc =
          common_realloc(q->apSrc, sizeof(*q->apSrc) * (size_t)q->nSrcAlloc);
      q->apSrcOp = common_realloc(q->apSrcOp,
                                  sizeof(*q->apSrcOp) * (size_t)q->nSrcAlloc);
    }
    q->apSrcOp[q->nSrc] = op;
    q->apSrc[q->nSrc++] = src;
    exec_read_attach(op, src);
  }

  /* Initialise the operators, leaves first. */
  for (int i = q->nOp - 1; i >= 0; i--) {
    exec_op *op = q->apOp[i];
    if (op->vt->xInit && op->vt->xInit(op)) {
      set_err(pzErr, "%s", q->zErr ? q->zErr : "cannot initialise an operator");
      goto fail;
    }
  }

  /* Start the sources. From here on the query is live: a source may
  ** deliver, end or fail inside xStart, and the owner hears of it. */
  q->bStarting = 0;
  *pq = q;
  for (int i = 0; i < q->nSrc; i++) {
    exec_source *src = q->apSrc[i];
    if (src->vt->xStart && src->vt->xStart(src, env->loop)) {
      set_err(
          pzErr, "cannot start source %s",
          q->apSrcOp[i]->plan->zSource ? q->apSrcOp[i]->plan->zSource : "?");
      for (int j = 0; j < i; j++) {
        if (q->apSrc[j]->vt->xStop) q->apSrc[j]->vt->xStop(q->apSrc[j]);
      }
      *pq = NULL;
      goto fail;
    }
  }

  /* Constant inputs emit now. */
  for (int i = q->nOp - 1; i >= 0 && q->state == EXQ_RUNNING; i--) {
    if (q->apOp[i]->plan->kind == PLAN_VALUES) {
      exec_values_start(q->apOp[i]);
    }
  }
  return 0;

fail:
  q->bSourcesStopped = 1;
  query_release(q);
  return 1;
}

/*
** Stop a running query: its sources stop (no callback after this), the
** sink is flushed and the state becomes STOPPED. Counters stay readable
** until exec_query_free. A finished or failed query is left as it is.
** When the sink's flush fails (undelivered messages) the query becomes
** FAILED instead, with the sink's message, and the owner is notified.
*/
void exec_query_stop(exec_query *q) {
  if (!q) return;
  stop_sources(q);
  if (q->state != EXQ_RUNNING) return;
  q->state = EXQ_STOPPED;
  if (exec_sink_flush(q->pRoot)) {
    /* The sink could not finish (messages not delivered): the stop is a
    ** failure, and the owner hears of it. */
    const exec_sink *s = q->pSink;
    q->zErr = common_strdup(s && s->zErr[0] ? s->zErr : "sink flush failed");
    q->state = EXQ_FAILED;
  }
  flush_late(q);
  if (q->state == EXQ_FAILED) query_notify(q);
}

/* See exec.h. */
void exec_sink_failed(exec_sink *s) {
  if (s && s->pQuery) {
    exec_query_fail(s->pQuery, "%s", s->zErr[0] ? s->zErr : "sink failed");
  }
}

/*
** Free the query: stops it if needed, closes every operator, frees the
** sources and the sink. Must not be called from inside one of the query's
** own callbacks (binder->xState included).
*/
void exec_query_free(exec_query *q) {
  if (!q) return;
  exec_query_stop(q);
  query_release(q);
}

/* The query's state. */
exec_query_state exec_query_state_get(const exec_query *q) {
  return q->state;
}

/* The error of a FAILED query, else NULL. Owned by the query. */
const char *exec_query_error(const exec_query *q) {
  return q->zErr;
}

/*
** Aggregate counters: rows in from the READ operators, rows out of the
** sink, bad records from the sources, late rows dropped and state bytes
** summed over the operators, and the sink's input watermark.
*/
void exec_query_stats_get(const exec_query *q, exec_query_stats *st) {
  memset(st, 0, sizeof(*st));
  for (int i = 0; i < q->nOp; i++) {
    const exec_op *op = q->apOp[i];
    if (op->plan->kind == PLAN_READ) st->nRowsIn += op->nRowsIn;
    st->nLateDropped += op->nLateDropped;
    st->stateBytes += op->stateBytes;
  }
  for (int i = 0; i < q->nSrc; i++) {
    const exec_source *src = q->apSrc[i];
    st->nBad += src->nBad;
    if (src->nBad > 0 && src->zLastBad[0]) {
      snprintf(st->zLastBad, sizeof(st->zLastBad), "%s", src->zLastBad);
    }
  }
  if (q->pRoot) {
    st->nRowsOut = q->pRoot->nRowsOut;
    st->watermark = exec_op_input_wm(q->pRoot);
  } else {
    st->watermark = EXEC_TIME_MIN;
  }
}

/* The operator instantiated for plan node planId, or NULL. */
const exec_op *exec_query_op(const exec_query *q, int planId) {
  if (!q) return NULL;
  for (int i = 0; i < q->nOp; i++) {
    if (q->apOp[i]->plan->id == planId) return q->apOp[i];
  }
  return NULL;
}
