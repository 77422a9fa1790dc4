/*
** engine/mview.c — materialized views. CREATE MATERIALIZED VIEW mv starts
** a query running mv's definition (planned as "SELECT * FROM mv" with
** plan_settings.zMaintain = mv, so that one view is inlined; SHOW QUERIES
** shows it as "CREATE MATERIALIZED VIEW mv AS ..."). Its sink (mv_sink
** below) applies the changelog to a weir_table (table.c), so the view's
** current contents can be read at any time (weir_view_snapshot) or
** followed (weir_view_subscribe: snapshot first, then each change), and
** hands each changelog batch to the queries reading mv
** (engine_mview_follow, used by mview_source.c). Retractions are applied
** by value: a -U/-D removes one copy of the equal row, which for an
** aggregate is the row of its group key and window. DROP VIEW stops the
** query; weir_close frees all.
*/
#include <string.h>

#include "engine/engine.h"

struct weir_view_sub {
  engine_mview *pView;
  weir_callbacks cb;
  engine_mview_tap tap; /* batch-level follower (tap.xBatch != NULL) */
  int bDead; /* unsubscribed; freed when not in a callback */
  weir_view_sub *pNext;
};

struct engine_mview {
  weir_engine *pEngine;
  char *zName;
  weir_query *q; /* the maintaining query */
  weir_table *pTable;
  int bEnded;
  int bDropped; /* DROP VIEW: kept only for open subscriptions */
  char *zErr;   /* the query's failure, if it failed */
  int nBusy;    /* depth of callbacks into subscribers */
  weir_view_sub *pSubs;
  int64_t wm;   /* the query's sink-side watermark last told to taps */
  engine_mview *pNext;
};

static engine_mview *find_view(weir_engine *e, const char *zName) {
  for (engine_mview *v = e->pMviews; v; v = v->pNext)
    if (!v->bDropped && !common_stricmp(v->zName, zName)) return v;
  return NULL;
}

/* Free subscriptions marked dead once no callback is running. */
static void reap(engine_mview *v) {
  if (v->nBusy) return;
  weir_view_sub **pp = &v->pSubs;
  while (*pp) {
    weir_view_sub *s = *pp;
    if (s->bDead) {
      *pp = s->pNext;
      common_free(s);
    } else {
      pp = &s->pNext;
    }
  }
}

static void mv_start(void *arg, weir_query *q, const char *name, int ncol,
                     const char *const *col_names, const weir_type *col_types) {
  engine_mview *v = arg;
  if (!v->pTable) v->pTable = weir_table_new(ncol, col_names, col_types);
}

/* ---- the view query's sink ----------------------------------------------
*/

typedef struct mv_sink {
  exec_sink base;
  engine_mview *pView;
  weir_query *q;
  weir_value *aVal;
  int nVal;
} mv_sink;

/* Row i of b as weir_values in s->aVal (valid while b is). */
static void row_values(mv_sink *s, const exec_batch *b, int i) {
  engine_row_values(b, i, s->aVal);
}

/* Apply a changelog batch to the table, then tell every subscriber: row
** by row to weir_view_subscribe callbacks, the whole batch to taps. */
static int mv_sink_write(exec_sink *pSink, const exec_batch *b,
                         const exec_schema *sch) {
  mv_sink *s = (mv_sink *)pSink;
  engine_mview *v = s->pView;
  if (!v->pTable || b->n == 0) return 0;
  if (s->nVal < b->nCol) {
    s->aVal = common_realloc(s->aVal, sizeof(weir_value) * (size_t)b->nCol);
    s->nVal = b->nCol;
  }
  v->nBusy++;
  for (int i = 0; i < b->n; i++) {
    row_values(s, b, i);
    weir_table_apply(v->pTable, (weir_op)b->op[i], b->nCol, s->aVal);
    for (weir_view_sub *u = v->pSubs; u; u = u->pNext)
      if (!u->bDead && !u->tap.xBatch && u->cb.on_row)
        u->cb.on_row(u->cb.arg, s->q, (weir_op)b->op[i], b->nCol, s->aVal);
  }
  for (weir_view_sub *u = v->pSubs; u; u = u->pNext)
    if (!u->bDead && u->tap.xBatch) u->tap.xBatch(u->tap.pArg, b);
  v->nBusy--;
  reap(v);
  return 0;
}

/* The view query's watermark reached its sink: tell the taps (the end,
** +inf, comes as their xEnd). */
static void mv_sink_watermark(exec_sink *pSink, int64_t wm) {
  mv_sink *s = (mv_sink *)pSink;
  engine_mview *v = s->pView;
  if (wm <= v->wm || wm == EXEC_TIME_MAX) return;
  v->wm = wm;
  v->nBusy++;
  for (weir_view_sub *u = v->pSubs; u; u = u->pNext)
    if (!u->bDead && u->tap.xWatermark) u->tap.xWatermark(u->tap.pArg, wm);
  v->nBusy--;
  reap(v);
}

static int mv_sink_flush(exec_sink *pSink) { return 0; }

static void mv_sink_free(exec_sink *pSink) {
  mv_sink *s = (mv_sink *)pSink;
  common_free(s->aVal);
  common_free(s);
}

static const exec_sink_vtab mv_sink_vtab = {mv_sink_write, mv_sink_flush,
                                            mv_sink_free};

static exec_sink *mv_sink_open(void *pArg, weir_query *q) {
  mv_sink *s = common_calloc(1, sizeof(*s));
  s->base.vt = &mv_sink_vtab;
  s->base.xWatermark = mv_sink_watermark;
  s->pView = pArg;
  s->q = q;
  return &s->base;
}

static void mv_end(void *arg, weir_query *q, const weir_error *err) {
  engine_mview *v = arg;
  v->bEnded = 1;
  if (err && err->message && !v->zErr) v->zErr = common_strdup(err->message);
  v->nBusy++;
  for (weir_view_sub *s = v->pSubs; s; s = s->pNext) {
    if (s->bDead) continue;
    if (s->tap.xBatch) {
      if (s->tap.xEnd) s->tap.xEnd(s->tap.pArg, v->zErr);
    } else if (s->cb.on_end) {
      s->cb.on_end(s->cb.arg, v->q, err);
    }
  }
  v->nBusy--;
  reap(v);
}

int engine_mview_start(weir_engine *e, const char *zView, weir_error *err) {
  char *zQ = common_mprintf("SELECT * FROM %s", zView);
  parse_result pr;
  memset(&pr, 0, sizeof(pr));
  const char *zTail;
  if (parse_statement(&pr, zQ, &zTail) || !pr.pStmt) {
    engine_error(err, WEIR_PLAN, "cannot read materialized view %s", zView);
    parse_result_free(&pr);
    common_free(zQ);
    return WEIR_PLAN;
  }
  engine_mview *v = common_calloc(1, sizeof(*v));
  v->pEngine = e;
  v->zName = common_strdup(zView);
  v->wm = EXEC_TIME_MIN;
  weir_callbacks cb = {v, mv_start, NULL, mv_end, NULL};
  engine_query_opts opt = {zView, mv_sink_open, v};
  /* Linked first: the query may write (reading another view) as it
  ** starts. */
  v->pNext = e->pMviews;
  e->pMviews = v;
  int rc = engine_query_start_opts(e, &pr, pr.pStmt->pSelect, zQ, NULL, &cb,
                                   &opt, &v->q, err);
  parse_result_free(&pr);
  common_free(zQ);
  if (rc) {
    e->pMviews = v->pNext;
    weir_table_free(v->pTable);
    common_free(v->zName);
    common_free(v);
    return rc;
  }
  /* SHOW QUERIES: the view's definition, not the text that planned it. */
  plan_object *o = plan_catalog_find(e->catalog, zView);
  if (o && o->zSql) {
    common_free(v->q->zSql);
    v->q->zSql =
        common_mprintf("CREATE MATERIALIZED VIEW %s AS %s", zView, o->zSql);
  }
  return WEIR_OK;
}

/* Unlink and free v (its query has ended). */
static void view_free(engine_mview *v) {
  weir_view_sub *s = v->pSubs;
  while (s) {
    weir_view_sub *n = s->pNext;
    common_free(s);
    s = n;
  }
  weir_table_free(v->pTable);
  common_free(v->zName);
  common_free(v->zErr);
  common_free(v);
}

void engine_mview_drop(weir_engine *e, const char *zView) {
  engine_mview *v = find_view(e, zView);
  if (!v) return;
  v->bDropped = 1;
  weir_query_stop(e, v->q);
  v->q = NULL;
  weir_table_free(v->pTable);
  v->pTable = NULL;
  /* Subscriptions stay valid (ended) until unsubscribed or weir_close. */
  engine_mview **pp = &e->pMviews;
  while (*pp) {
    engine_mview *w = *pp;
    int bLive = 0;
    for (weir_view_sub *s = w->pSubs; s; s = s->pNext) bLive |= !s->bDead;
    if (w->bDropped && !bLive && !w->nBusy) {
      *pp = w->pNext;
      view_free(w);
    } else {
      pp = &w->pNext;
    }
  }
}

void engine_mview_close_all(weir_engine *e) {
  for (engine_mview *v = e->pMviews; v; v = v->pNext)
    if (v->q) weir_query_stop(e, v->q);
  while (e->pMviews) {
    engine_mview *v = e->pMviews;
    e->pMviews = v->pNext;
    view_free(v);
  }
}

/* ---- public API ------------------------------------------------------------
 */

typedef struct snap_ctx {
  engine_mview *v;
  const weir_callbacks *cb;
} snap_ctx;

static void snap_row(void *arg, int ncol, const weir_value *values) {
  snap_ctx *c = arg;
  c->cb->on_row(c->cb->arg, c->v->q, WEIR_OP_INSERT, ncol, values);
}

static void deliver_snapshot(engine_mview *v, const weir_callbacks *cb) {
  weir_table *t = v->pTable;
  if (!t) return;
  if (cb->on_start) {
    int n = weir_table_ncol(t);
    const char **az = common_calloc((size_t)n + 1, sizeof(char *));
    weir_type *aT = common_calloc((size_t)n + 1, sizeof(weir_type));
    for (int i = 0; i < n; i++) {
      az[i] = weir_table_col_name(t, i);
      aT[i] = weir_table_col_type(t, i);
    }
    cb->on_start(cb->arg, v->q, v->zName, n, az, aT);
    common_free(az);
    common_free(aT);
  }
  if (cb->on_row) {
    snap_ctx c = {v, cb};
    weir_table_scan(t, snap_row, &c);
  }
}

static engine_mview *need_view(weir_engine *e, const char *zView,
                               weir_error *err) {
  engine_mview *v = find_view(e, zView);
  if (!v) {
    plan_object *o = plan_catalog_find(e->catalog, zView);
    if (o && o->kind == PLAN_OBJ_VIEW)
      engine_error(err, WEIR_ERROR, "%s is a view, not a materialized view",
                   zView);
    else
      engine_error(err, WEIR_ERROR, "no materialized view named %s", zView);
  }
  return v;
}

int weir_view_snapshot(weir_engine *e, const char *view,
                       const weir_callbacks *cb, weir_error *err) {
  engine_mview *v = need_view(e, view, err);
  if (!v) return WEIR_ERROR;
  if (cb) deliver_snapshot(v, cb);
  return WEIR_OK;
}

int weir_view_subscribe(weir_engine *e, const char *view,
                        const weir_callbacks *cb, weir_view_sub **out,
                        weir_error *err) {
  engine_mview *v = need_view(e, view, err);
  if (!v) return WEIR_ERROR;
  weir_view_sub *s = common_calloc(1, sizeof(*s));
  s->pView = v;
  if (cb) s->cb = *cb;
  s->pNext = v->pSubs;
  v->pSubs = s;
  *out = s;
  v->nBusy++;
  deliver_snapshot(v, &s->cb);
  if (v->bEnded && !s->bDead && s->cb.on_end) {
    weir_error er = {0};
    if (v->zErr) er.code = WEIR_RUNTIME, er.message = v->zErr;
    s->cb.on_end(s->cb.arg, v->q, v->zErr ? &er : NULL);
  }
  v->nBusy--;
  reap(v);
  return WEIR_OK;
}

typedef struct follow_ctx {
  void (*xRow)(void *pArg, int ncol, const weir_value *values);
  void *pArg;
} follow_ctx;

static void follow_row(void *arg, int ncol, const weir_value *values) {
  follow_ctx *c = arg;
  c->xRow(c->pArg, ncol, values);
}

/* See engine.h. */
int engine_mview_follow(weir_engine *e, const char *zView,
                        void (*xRow)(void *pArg, int ncol,
                                     const weir_value *values),
                        const engine_mview_tap *tap, weir_view_sub **ppSub) {
  engine_mview *v = find_view(e, zView);
  *ppSub = NULL;
  if (!v || !tap || !tap->xBatch) return WEIR_ERROR;
  weir_view_sub *s = common_calloc(1, sizeof(*s));
  s->pView = v;
  s->tap = *tap;
  /* Appended: readers hear of a change in the order they started. */
  weir_view_sub **pp = &v->pSubs;
  while (*pp) pp = &(*pp)->pNext;
  *pp = s;
  *ppSub = s;
  v->nBusy++;
  if (v->pTable && xRow) {
    follow_ctx c = {xRow, tap->pArg};
    weir_table_scan(v->pTable, follow_row, &c);
  }
  if (!s->bDead && v->wm > EXEC_TIME_MIN && tap->xWatermark)
    tap->xWatermark(tap->pArg, v->wm);
  if (v->bEnded && !s->bDead && tap->xEnd) tap->xEnd(tap->pArg, v->zErr);
  v->nBusy--;
  reap(v);
  return WEIR_OK;
}

void weir_view_unsubscribe(weir_engine *e, weir_view_sub *s) {
  if (!s) return;
  s->bDead = 1;
  reap(s->pView);
}

void weir_view_list(weir_engine *e, void (*x)(void *arg, const char *name),
                    void *arg) {
  int n = 0;
  for (engine_mview *v = e->pMviews; v; v = v->pNext) n++;
  engine_mview **a = common_calloc((size_t)n + 1, sizeof(*a));
  int i = n;
  for (engine_mview *v = e->pMviews; v; v = v->pNext) a[--i] = v;
  for (i = 0; i < n; i++)
    if (!a[i]->bDropped) x(arg, a[i]->zName);
  common_free(a);
}

weir_query *weir_view_query(weir_engine *e, const char *view) {
  engine_mview *v = find_view(e, view);
  return v ? v->q : NULL;
}

weir_query *weir_query_next(weir_engine *e, weir_query *prev) {
  return prev ? prev->pNext : e->pQueries;
}

weir_query *weir_query_find(weir_engine *e, const char *name) {
  return engine_query_find(e, name);
}

int weir_query_state(const weir_query *q) {
  return q->pExec ? (int)exec_query_state_get(q->pExec) : 0;
}

const char *weir_query_error(const weir_query *q) {
  return q->pExec ? exec_query_error(q->pExec) : NULL;
}

const char *weir_query_sql(const weir_query *q) {
  return q->zSql;
}

int weir_query_is_bounded(const weir_query *q) { return q->bBounded; }

int weir_clock_is_manual(weir_engine *e) {
  return exec_clock_is_manual(e->clock);
}
