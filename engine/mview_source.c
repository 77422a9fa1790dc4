/*
** engine/mview_source.c — the source of a query that reads a materialized
** view. The planner plans a reference to a materialized view as a Read
** whose pSourceDef is the view (not its inlined definition); the engine's
** binder opens this exec_source for it. On xStart it delivers the view's
** current contents as +I batches, then forwards every changelog batch the
** view's query writes (so an aggregate over the view receives -U/+U
** retractions), through engine_mview_follow (mview.c).
**
** Watermark: the view query's sink-side watermark (exec_sink.xWatermark
** of the view's sink), passed on as the source's own (ADVANCE-like)
** watermark after the rows it let through, and +inf when the view's query
** ends. A failed view fails the reading query; a dropped or finished one
** ends it.
*/
#include <string.h>

#include "engine/engine.h"

typedef struct mv_source {
  exec_source base;
  weir_engine *pEngine;
  char *zView;
  exec_schema schema;  /* the view's columns (catalog copy) */
  weir_view_sub *pSub; /* NULL once ended or stopped */
  common_arena heap;   /* the batch being filled, reset per delivery */
  exec_batch *pBatch;
  int bStopped;
} mv_source;

/* Deliver the batch being filled, if any, and start a new one. */
static void src_flush(mv_source *s) {
  if (s->pBatch && s->pBatch->n > 0 && !s->bStopped)
    s->base.xDeliver(s->base.pArg, s->pBatch, 0);
  common_arena_reset(&s->heap);
  s->pBatch = NULL;
}

static exec_batch *src_batch(mv_source *s) {
  if (s->pBatch && s->pBatch->n >= EXEC_BATCH_CAP) src_flush(s);
  if (!s->pBatch)
    s->pBatch = exec_batch_new(&s->heap, s->schema.nCol, s->schema.aType);
  return s->pBatch;
}

/* One snapshot row as +I into the batch being filled. */
static void src_row(void *pArg, int ncol, const weir_value *values) {
  mv_source *s = pArg;
  if (s->bStopped) return;
  exec_batch *b = src_batch(s);
  int j = b->n;
  for (int c = 0; c < b->nCol; c++) {
    exec_vec *d = &b->aCol[c];
    const weir_value *w = c < ncol ? &values[c] : NULL;
    d->null[j] = !w || w->is_null || d->type == WEIR_NULL_TYPE;
    if (d->null[j]) continue;
    switch (d->type) {
      case WEIR_VARCHAR: {
        char *p = common_arena_alloc(&s->heap, w->u.s.n + 1);
        if (w->u.s.n) memcpy(p, w->u.s.p, w->u.s.n);
        d->v.s[j].p = p;
        d->v.s[j].n = w->u.s.n;
        break;
      }
      case WEIR_DOUBLE:
        d->v.f64[j] = w->u.f;
        break;
      case WEIR_BOOLEAN:
        d->v.b[j] = w->u.i != 0;
        break;
      default:
        d->v.i64[j] = w->u.i;
        break;
    }
  }
  b->op[j] = OP_INSERT;
  b->n = j + 1;
}

/* A changelog batch of the view: copied (the view's batch is shared with
** its other readers and its table). */
static void src_batch_in(void *pArg, const exec_batch *pIn) {
  mv_source *s = pArg;
  if (s->bStopped) return;
  src_flush(s);
  for (int i = 0; i < pIn->n; i++) exec_batch_append_row(src_batch(s), pIn, i);
  src_flush(s);
}

static void src_watermark(void *pArg, int64_t wm) {
  mv_source *s = pArg;
  if (s->bStopped) return;
  src_flush(s);
  if (!s->bStopped) s->base.xWatermark(s->base.pArg, wm);
}

static void src_end(void *pArg, const char *zErr) {
  mv_source *s = pArg;
  if (s->bStopped) return;
  src_flush(s);
  weir_view_unsubscribe(s->pEngine, s->pSub);
  s->pSub = NULL;
  if (s->bStopped) return;
  if (zErr) {
    char *z = common_mprintf("materialized view %s failed: %s", s->zView, zErr);
    s->base.xError(s->base.pArg, z);
    common_free(z);
  } else {
    s->base.xEnd(s->base.pArg);
  }
}

static int src_start(exec_source *pSrc, uv_loop_t *loop) {
  mv_source *s = (mv_source *)pSrc;
  engine_mview_tap tap = {s, src_batch_in, src_watermark, src_end};
  /* src_row fills batches during the snapshot; each tap callback flushes
  ** what is pending first. s->pSub is set before any callback, and
  ** src_end (the view had ended) releases it. */
  if (engine_mview_follow(s->pEngine, s->zView, src_row, &tap, &s->pSub))
    return 1;
  src_flush(s);
  return 0;
}

static void src_stop(exec_source *pSrc) {
  mv_source *s = (mv_source *)pSrc;
  s->bStopped = 1;
  if (s->pSub) weir_view_unsubscribe(s->pEngine, s->pSub);
  s->pSub = NULL;
}

static void src_free(exec_source *pSrc) {
  mv_source *s = (mv_source *)pSrc;
  src_stop(pSrc);
  common_arena_free(&s->heap);
  for (int i = 0; i < s->schema.nCol; i++) common_free(s->schema.azName[i]);
  common_free(s->schema.azName);
  common_free(s->schema.aType);
  common_free(s->zView);
  common_free(s);
}

static const exec_source_vtab mv_source_vtab = {src_start, src_stop, src_free};

/* See engine.h. */
exec_source *engine_mview_source_open(weir_engine *e, const plan_object *o,
                                      char **pzErr) {
  if (!weir_view_query(e, o->zName)) {
    *pzErr = common_mprintf("materialized view %s is not running", o->zName);
    return NULL;
  }
  mv_source *s = common_calloc(1, sizeof(*s));
  s->base.vt = &mv_source_vtab;
  s->base.nPart = 1;
  s->pEngine = e;
  s->zView = common_strdup(o->zName);
  int n = o->schema.nCol;
  s->schema.nCol = n;
  s->schema.azName = common_calloc((size_t)n + 1, sizeof(char *));
  s->schema.aType = common_calloc((size_t)n + 1, 1);
  for (int i = 0; i < n; i++) {
    s->schema.azName[i] = common_strdup(o->schema.azName[i]);
    s->schema.aType[i] = o->schema.aType[i];
  }
  common_arena_init(&s->heap, 16384);
  return &s->base;
}
