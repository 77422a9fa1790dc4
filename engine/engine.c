/*
** engine/engine.c — weir_open/weir_close and weir_exec: one statement at a
** time through the pipeline parser -> planner -> exec -> connectors.
**
** Statement kinds and what they do here:
**   CREATE SOURCE/STREAM/TABLE  catalog entry (+ a memory hub for
**                               connector = 'memory'); options checked now
**   CREATE [MATERIALIZED] VIEW  catalog entry (the SELECT is bound now)
**   CREATE SINK x FROM v        catalog entry, and a query v -> x starts
**   SELECT / INSERT INTO sink   a query starts (see "blocking" below)
**   INSERT INTO src VALUES      one batch into a memory source
**   SET / ADVANCE / STOP QUERY  clock, watermarks, queries
**   SHOW / DESCRIBE / EXPLAIN   text through on_message
**
** Blocking: a query over bounded inputs runs to completion before
** weir_exec returns. A query over an unbounded input returns at once under
** the manual clock (its rows print as later statements cause them) or for
** INSERT INTO (a background job); a SELECT under the real clock blocks
** until weir_interrupt().
*/
#include "engine/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors and messages ------------------------------------------------ */

void weir_error_clear(weir_error *err) {
  if (!err) return;
  common_free(err->message);
  memset(err, 0, sizeof(*err));
}

void engine_error(weir_error *err, int code, const char *zFmt, ...) {
  if (!err) return;
  weir_error_clear(err);
  va_list ap;
  va_start(ap, zFmt);
  err->code = code;
  err->message = common_vmprintf(zFmt, ap);
  va_end(ap);
}

void engine_error_at(weir_error *err, int code, const char *zSql, int iPos,
                     const char *zMsg) {
  if (!err) return;
  weir_error_clear(err);
  common_buf b;
  common_buf_init(&b);
  err->code = code;
  if (iPos >= 0 && zSql) {
    common_line_col(zSql, iPos, &err->line, &err->column);
    common_buf_printf(&b, "line %d, column %d: %s\n", err->line, err->column,
                      zMsg);
    common_caret(&b, zSql, iPos);
  } else {
    common_buf_puts(&b, zMsg);
  }
  err->message = common_buf_detach(&b);
}

void engine_message(const weir_callbacks *cb, const char *zFmt, ...) {
  if (!cb || !cb->on_message) return;
  va_list ap;
  va_start(ap, zFmt);
  char *z = common_vmprintf(zFmt, ap);
  va_end(ap);
  cb->on_message(cb->arg, z);
  common_free(z);
}

int engine_plan_fail(weir_error *err, const char *zSql, plan_error *pe) {
  engine_error_at(err, WEIR_PLAN, zSql, pe->iPos,
                  pe->zMsg ? pe->zMsg : "planning failed");
  plan_error_clear(pe);
  return WEIR_PLAN;
}

/* ---- text tables ------------------------------------------------------- */

void engine_table(common_buf *b, int nCol, const char *const *azHead,
                  int nRow, const char *const *azCell) {
  int aW[32];
  if (nCol > 32) nCol = 32;
  for (int j = 0; j < nCol; j++) {
    aW[j] = (int)strlen(azHead[j]);
    for (int i = 0; i < nRow; i++) {
      int w = (int)strlen(azCell[i * nCol + j]);
      if (w > aW[j]) aW[j] = w;
    }
  }
  for (int j = 0; j < nCol; j++)
    common_buf_printf(b, "%s%-*s", j ? " | " : "", aW[j], azHead[j]);
  common_buf_putc(b, '\n');
  for (int j = 0; j < nCol; j++) {
    if (j) common_buf_puts(b, "-+-");
    for (int k = 0; k < aW[j]; k++) common_buf_putc(b, '-');
  }
  common_buf_putc(b, '\n');
  for (int i = 0; i < nRow; i++) {
    for (int j = 0; j < nCol; j++)
      common_buf_printf(b, "%s%-*s", j ? " | " : "", aW[j],
                        azCell[i * nCol + j]);
    common_buf_putc(b, '\n');
  }
}

/* ---- open / close -------------------------------------------------------- */

static void on_interrupt(uv_async_t *h) {
  weir_engine *e = h->data;
  e->bInterrupted = 1;
}

int weir_open(weir_engine **out, void *uv_loop, weir_error *err) {
  weir_engine *e = common_calloc(1, sizeof(*e));
  if (uv_loop) {
    e->loop = uv_loop;
  } else {
    if (uv_loop_init(&e->ownLoop)) {
      common_free(e);
      engine_error(err, WEIR_ERROR, "cannot create an event loop");
      return WEIR_ERROR;
    }
    e->loop = &e->ownLoop;
    e->bOwnLoop = 1;
  }
  uv_async_init(e->loop, &e->interrupt, on_interrupt);
  e->interrupt.data = e;
  uv_unref((uv_handle_t *)&e->interrupt);
  e->clock = exec_clock_new(e->loop);
  e->catalog = plan_catalog_new();
  *out = e;
  return WEIR_OK;
}

static void query_free(weir_query *q);

static void close_cb(uv_handle_t *h) { (void)h; }

void weir_close(weir_engine *e) {
  if (!e) return;
  if (e->pDemo) conn_demo_stop(e->pDemo);
  e->pDemo = NULL;
  engine_mview_close_all(e);
  for (weir_query *q = e->pQueries; q; q = q->pNext) {
    if (q->pExec && exec_query_state_get(q->pExec) == EXQ_RUNNING)
      exec_query_stop(q->pExec);
  }
  while (e->pQueries) {
    weir_query *q = e->pQueries;
    e->pQueries = q->pNext;
    query_free(q);
  }
  plan_catalog_free(e->catalog);
  exec_clock_free(e->clock);
  uv_close((uv_handle_t *)&e->interrupt, close_cb);
  /* Let close callbacks run (ours and those of closed connectors). */
  uv_run(e->loop, UV_RUN_NOWAIT);
  if (e->bOwnLoop) {
    uv_run(e->loop, UV_RUN_DEFAULT);
    uv_loop_close(e->loop);
  }
  for (int i = 0; i < e->nSet; i++) {
    common_free(e->azSetKey[i]);
    common_free(e->azSetVal[i]);
  }
  common_free(e->azSetKey);
  common_free(e->azSetVal);
  common_free(e);
}

void weir_interrupt(weir_engine *e) { uv_async_send(&e->interrupt); }

int weir_run(weir_engine *e, int mode) {
  return uv_run(e->loop, mode ? UV_RUN_DEFAULT : UV_RUN_NOWAIT);
}

/* ---- queries ------------------------------------------------------------- */

static void query_free(weir_query *q) {
  if (q->pExec) exec_query_free(q->pExec);
  parse_result_free(&q->parse);
  common_arena_free(&q->arena);
  common_free(q->zSql);
  common_free(q->zErr);
  common_free(q);
}

const char *weir_query_name(const weir_query *q) { return q->zName; }

void weir_query_get_stats(const weir_query *q, weir_query_stats *st) {
  memset(st, 0, sizeof(*st));
  st->watermark = INT64_MIN;
  if (!q->pExec) return;
  exec_query_stats x;
  exec_query_stats_get(q->pExec, &x);
  st->rows_in = x.nRowsIn;
  st->rows_out = x.nRowsOut;
  st->bad_records = x.nBad;
  st->late_dropped = x.nLateDropped;
  st->watermark = x.watermark;
  st->state_bytes = x.stateBytes;
}

/* Tell the owner the query ended (once). */
static void query_end(weir_query *q) {
  if (q->bEnded) return;
  q->bEnded = 1;
  exec_query_state st = exec_query_state_get(q->pExec);
  if (q->cb.on_end) {
    if (st == EXQ_FAILED) {
      weir_error er = {0};
      const char *z = exec_query_error(q->pExec);
      engine_error(&er, WEIR_RUNTIME, "query %s failed: %s", q->zName,
                   z ? z : "unknown error");
      q->cb.on_end(q->cb.arg, q, &er);
      weir_error_clear(&er);
    } else {
      q->cb.on_end(q->cb.arg, q, NULL);
    }
  }
}

static exec_source *bind_source(void *pArg, const exec_plan *pRead,
                                char **pzErr) {
  weir_query *q = pArg;
  plan_object *o = pRead->pSourceDef;
  if (o->kind == PLAN_OBJ_VIEW && o->bMaterialized)
    return engine_mview_source_open(q->pEngine, o, pzErr);
  conn_options opt = {o->nOpt, (const char *const *)o->azKey,
                      (const char *const *)o->azVal};
  if (o->pConn) return conn_memory_subscribe(o->pConn);
  return conn_source_open(&opt, &o->schema, pRead->aNeeded, pzErr);
}

/* Options the engine interprets itself, hidden from connectors. */
static int engine_option(const char *zKey) {
  return !common_stricmp(zKey, "late.sink");
}

/* See engine.h. */
conn_options engine_conn_options(const plan_object *o, void **ppFree) {
  const char **az = common_calloc((size_t)o->nOpt * 2 + 2, sizeof(char *));
  int n = 0;
  for (int i = 0; i < o->nOpt; i++) {
    if (engine_option(o->azKey[i])) continue;
    az[n] = o->azKey[i];
    az[o->nOpt + 1 + n] = o->azVal[i];
    n++;
  }
  *ppFree = az;
  conn_options opt = {n, az, az + o->nOpt + 1};
  return opt;
}

/* See engine.h. */
plan_settings engine_plan_settings(weir_engine *e) {
  plan_settings set;
  memset(&set, 0, sizeof(set));
  set.bManualClock = exec_clock_is_manual(e->clock);
  for (int i = 0; i < e->nSet; i++) {
    if (!common_stricmp(e->azSetKey[i], "late.sink") && e->azSetVal[i][0])
      set.zLateSink = e->azSetVal[i];
    if (!common_stricmp(e->azSetKey[i], "execution.runtime-mode"))
      set.bStreamingMode = !common_stricmp(e->azSetVal[i], "streaming");
  }
  return set;
}

static exec_sink *bind_sink(void *pArg, const exec_plan *pSink,
                            char **pzErr) {
  weir_query *q = pArg;
  if (!pSink->zSink && q->xOwnSink) return q->xOwnSink(q->pOwnSinkArg, q);
  if (!pSink->zSink) return engine_callback_sink_new(q);
  plan_object *o = plan_catalog_find(q->pEngine->catalog, pSink->zSink);
  if (!o) {
    *pzErr = common_strdup("sink vanished");
    return NULL;
  }
  void *pFree;
  conn_options opt = engine_conn_options(o, &pFree);
  /* The query's unique key (group keys and window bounds), for upserts. */
  exec_sink *s =
      conn_sink_open_keyed(&opt, &pSink->aChild[0]->schema, pSink->nSinkKey,
                           pSink->aSinkKey, pzErr);
  common_free(pFree);
  return s;
}

/* Open catalog sink zSink for the late rows of an aggregate (append-only
** rows of schema pRows). */
static exec_sink *bind_late_sink(void *pArg, const char *zSink,
                                 const exec_schema *pRows, char **pzErr) {
  weir_query *q = pArg;
  plan_object *o = plan_catalog_find(q->pEngine->catalog, zSink);
  if (!o || o->kind != PLAN_OBJ_SINK) {
    *pzErr = common_strdup("no such sink");
    return NULL;
  }
  void *pFree;
  conn_options opt = engine_conn_options(o, &pFree);
  exec_sink *s = conn_sink_open_keyed(&opt, pRows, 0, NULL, pzErr);
  common_free(pFree);
  return s;
}

static void bind_state(void *pArg, exec_query *xq) {
  weir_query *q = pArg;
  exec_query_state st = exec_query_state_get(xq);
  if (st != EXQ_RUNNING) query_end(q);
}

/* Plan pSel and start it as a new query. zSink names the sink or NULL for
** the caller's callbacks. On success *ppQ is the running query. The parse
** result moves into the query (pr is zeroed). */
int engine_query_start(weir_engine *e, parse_result *pr, const ast_select *pSel,
                       const char *zSql, const char *zSink,
                       const weir_callbacks *cb, weir_query **ppQ,
                       weir_error *err) {
  return engine_query_start_opts(e, pr, pSel, zSql, zSink, cb, NULL, ppQ,
                                 err);
}

/* See engine.h. */
int engine_query_start_opts(weir_engine *e, parse_result *pr,
                            const ast_select *pSel, const char *zSql,
                            const char *zSink, const weir_callbacks *cb,
                            const engine_query_opts *pOpt, weir_query **ppQ,
                            weir_error *err) {
  weir_query *q = common_calloc(1, sizeof(*q));
  q->pEngine = e;
  common_arena_init(&q->arena, 16384);
  /* Keep the query's own statement (the text may hold a whole script). */
  if (pr && pr->pStmt && pr->pStmt->iEnd > pr->pStmt->iPos) {
    q->zSql = common_strndup(zSql + pr->pStmt->iPos,
                             (size_t)(pr->pStmt->iEnd - pr->pStmt->iPos));
  } else {
    q->zSql = common_strdup(zSql);
  }
  if (cb) q->cb = *cb;
  plan_settings set = engine_plan_settings(e);
  if (pOpt) {
    set.zMaintain = pOpt->zMaintain;
    q->xOwnSink = pOpt->xOwnSink;
    q->pOwnSinkArg = pOpt->pOwnSinkArg;
  }
  plan_error pe = {-1, NULL};
  if (plan_query(e->catalog, pSel, zSql, &set, zSink, &q->arena, &q->pPlan,
                 &pe)) {
    query_free(q);
    return engine_plan_fail(err, zSql, &pe);
  }
  q->bBounded = !plan_is_unbounded(q->pPlan);
  q->parse = *pr;
  memset(pr, 0, sizeof(*pr));
  snprintf(q->zName, sizeof q->zName, "q%d", ++e->nQuerySeq);

  /* Columns of the result, for on_start. */
  const exec_schema *sch = &q->pPlan->aChild[0]->schema;
  if (!zSink && q->cb.on_start) {
    weir_type aT[256];
    int n = sch->nCol < 256 ? sch->nCol : 256;
    for (int i = 0; i < n; i++) aT[i] = (weir_type)sch->aType[i];
    q->cb.on_start(q->cb.arg, q, q->zName, n,
                   (const char *const *)sch->azName, aT);
  }
  exec_env env = {e->loop, e->clock};
  exec_binder binder = {q, bind_source, bind_sink, bind_state,
                        bind_late_sink};
  char *zErr = NULL;
  q->pNext = e->pQueries;
  e->pQueries = q;
  if (exec_query_start(&q->pExec, q->pPlan, &env, &binder, &zErr)) {
    e->pQueries = q->pNext;
    engine_error(err, WEIR_RUNTIME, "%s", zErr ? zErr : "cannot start query");
    common_free(zErr);
    query_free(q);
    return WEIR_RUNTIME;
  }
  *ppQ = q;
  return WEIR_OK;
}

/* Run the loop until q ends or weir_interrupt() is called. */
int engine_query_wait(weir_engine *e, weir_query *q) {
  e->bInterrupted = 0;
  e->pBlocking = q;
  uv_ref((uv_handle_t *)&e->interrupt);
  while (exec_query_state_get(q->pExec) == EXQ_RUNNING && !e->bInterrupted)
    uv_run(e->loop, UV_RUN_ONCE);
  uv_unref((uv_handle_t *)&e->interrupt);
  e->pBlocking = NULL;
  if (exec_query_state_get(q->pExec) == EXQ_RUNNING) {
    exec_query_stop(q->pExec);
    query_end(q);
    return WEIR_INTERRUPTED;
  }
  query_end(q);
  return WEIR_OK;
}

void weir_query_stop(weir_engine *e, weir_query *q) {
  if (q->pExec && exec_query_state_get(q->pExec) == EXQ_RUNNING)
    exec_query_stop(q->pExec);
  query_end(q);
}

weir_query *engine_query_find(weir_engine *e, const char *zName) {
  for (weir_query *q = e->pQueries; q; q = q->pNext)
    if (!common_stricmp(q->zName, zName)) return q;
  return NULL;
}
