/*
** exec/op_window.c — PLAN_WINDOW: window assignment for non-aggregating
** window TVF queries (SELECT * FROM TUMBLE(scores, ts, INTERVAL '2'
** MINUTE)). Every input row goes out once per window it belongs to, with
** window_start and window_end (TIMESTAMP) appended: once for TUMBLE, once
** per overlapping window for HOP and CUMULATE. SESSION windows only exist
** through aggregation (they merge), so a SESSION here is refused.
**
** Stateless: ops pass through unchanged (a retraction of a row is a
** retraction in each of its windows) and the watermark is forwarded as
** is. Rows whose time is NULL belong to no window; they are dropped and
** counted in nLateDropped.
*/
#include <string.h>
#include "exec/exec_int.h"

typedef struct window_op {
  exec_op base;
  exec_window w;
  int nIn;                  /* input columns */
  common_arena arena;       /* the output batch */
  exec_batch *pOut;
  int bFailed;
} window_op;

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

static int window_init(exec_op *op) {
  window_op *o = (window_op *)op;
  const exec_plan *p = op->plan;
  o->w = p->window;
  const char *zErr = NULL;
  if (p->nChild != 1) {
    zErr = "window: expects one input";
  } else if (o->w.kind == WIN_SESSION) {
    zErr = "SESSION windows need an aggregation (GROUP BY): without one a "
           "session is never complete";
  } else if (o->w.kind == WIN_TUMBLE && o->w.size <= 0) {
    zErr = "TUMBLE: size must be positive";
  } else if (o->w.kind == WIN_HOP && (o->w.size <= 0 || o->w.slide <= 0)) {
    zErr = "HOP: slide and size must be positive";
  } else if (o->w.kind == WIN_CUMULATE &&
             (o->w.size <= 0 || o->w.slide <= 0 || o->w.size % o->w.slide)) {
    zErr = "CUMULATE: the max size must be a positive multiple of the step";
  } else if (o->w.kind == WIN_NONE) {
    zErr = "window: no window function";
  }
  if (zErr) {
    if (op->q) exec_query_fail(op->q, "%s", zErr);
    o->bFailed = 1;
    return 1;
  }
  const exec_schema *in = &p->aChild[0]->schema;
  o->nIn = in->nCol;
  if (o->w.iTimeCol >= 0 &&
      (o->w.iTimeCol >= in->nCol ||
       (in->aType[o->w.iTimeCol] != WEIR_TIMESTAMP &&
        in->aType[o->w.iTimeCol] != WEIR_BIGINT))) {
    if (op->q) {
      exec_query_fail(op->q, "window: the time column must be a TIMESTAMP");
    }
    o->bFailed = 1;
    return 1;
  }
  if (p->schema.nCol != o->nIn + 2) {
    if (op->q) {
      exec_query_fail(op->q,
                      "window: the plan's schema has %d columns but the "
                      "operator produces %d (input, window_start, "
                      "window_end)",
                      p->schema.nCol, o->nIn + 2);
    }
    o->bFailed = 1;
    return 1;
  }
  uint8_t *aType = common_malloc((size_t)o->nIn + 2);
  memcpy(aType, in->aType, (size_t)o->nIn);
  aType[o->nIn] = WEIR_TIMESTAMP;
  aType[o->nIn + 1] = WEIR_TIMESTAMP;
  common_arena_init(&o->arena, 0);
  o->pOut = exec_batch_new(&o->arena, o->nIn + 2, aType);
  common_free(aType);
  return 0;
}

/* Emit the output batch if it holds rows. */
static int out_flush(window_op *o, exec_batch *b) {
  if (o->pOut->n == 0) return 0;
  int rc = exec_op_emit(&o->base, o->pOut);
  o->pOut->n = 0;
  return rc;
}

/* Append row i of b with window [s, e). */
static int out_row(window_op *o, exec_batch *b, int i, int64_t s,
                   int64_t e) {
  exec_batch *out = o->pOut;
  if (out->n == EXEC_BATCH_CAP) {
    int rc = out_flush(o, b);
    if (rc) return rc;
  }
  int j = out->n;
  for (int c = 0; c < o->nIn; c++) {
    const exec_vec *v = &b->aCol[c];
    exec_vec *d = &out->aCol[c];
    d->null[j] = v->null[i];
    size_t sz = exec_type_size(v->type);
    if (sz) {
      memcpy((char *)d->v.p + sz * (size_t)j, (char *)v->v.p + sz * (size_t)i,
             sz);
    }
  }
  out->op[j] = b->op[i];
  out->aCol[o->nIn].null[j] = 0;
  out->aCol[o->nIn].v.i64[j] = s;
  out->aCol[o->nIn + 1].null[j] = 0;
  out->aCol[o->nIn + 1].v.i64[j] = e;
  out->n++;
  return 0;
}

/* Strings are not copied: they stay valid for the whole push, and every
** output batch is emitted before the push returns. */
static int window_push(exec_op *op, int iInput, exec_batch *b) {
  window_op *o = (window_op *)op;
  if (o->bFailed) return 1;
  const exec_window *w = &o->w;
  int64_t now = 0;
  if (w->iTimeCol < 0) now = exec_clock_now(exec_query_env(op->q)->clock);
  o->pOut->pHeap = b->pHeap;
  int rc = 0;
  for (int i = 0; i < b->n && !rc; i++) {
    int64_t t = now;
    if (w->iTimeCol >= 0) {
      const exec_vec *v = &b->aCol[w->iTimeCol];
      if (v->null[i]) {
        op->nLateDropped++;
        continue;
      }
      t = v->v.i64[i];
    }
    switch (w->kind) {
      case WIN_TUMBLE: {
        int64_t s = floor_div(t - w->offset, w->size) * w->size + w->offset;
        rc = out_row(o, b, i, s, s + w->size);
        break;
      }
      case WIN_HOP: {
        int64_t last =
          floor_div(t - w->offset, w->slide) * w->slide + w->offset;
        if (last <= t - w->size) break;
        int64_t first =
          last - (last - (t - w->size + 1)) / w->slide * w->slide;
        for (int64_t s = first; s <= last && !rc; s += w->slide) {
          rc = out_row(o, b, i, s, s + w->size);
        }
        break;
      }
      case WIN_CUMULATE: {
        int64_t p = floor_div(t - w->offset, w->size) * w->size + w->offset;
        int64_t e = p + (floor_div(t - p, w->slide) + 1) * w->slide;
        for (; e <= p + w->size && !rc; e += w->slide) {
          rc = out_row(o, b, i, p, e);
        }
        break;
      }
      default:
        break;
    }
  }
  if (!rc) rc = out_flush(o, b);
  o->pOut->pHeap = NULL;
  return rc;
}

static void window_close(exec_op *op) {
  window_op *o = (window_op *)op;
  common_arena_free(&o->arena);
  o->pOut = NULL;
}

/* The window assignment operator (PLAN_WINDOW). */
const exec_op_vtab exec_window_vtab = {
  "Window", sizeof(window_op), window_init, window_push,
  NULL,     NULL,              window_close,
};
