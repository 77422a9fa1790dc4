/*
** engine/api.c — the rest of include/weir.h: the callback sink that turns
** changelog batches into weir_callbacks rows, pushing rows into memory
** sources from C, the demo source, and value formatting.
*/
#include "engine/engine.h"

#include <stdio.h>
#include <string.h>

/* ---- rows ---------------------------------------------------------------- */

void engine_row_values(const exec_batch *b, int iRow, weir_value *aOut) {
  for (int j = 0; j < b->nCol; j++) {
    exec_value x;
    exec_vec_get(&b->aCol[j], iRow, &x);
    weir_value *w = &aOut[j];
    memset(w, 0, sizeof(*w));
    w->type = (weir_type)x.type;
    w->is_null = x.isNull;
    if (x.type == WEIR_VARCHAR) {
      w->u.s.p = x.u.s.p;
      w->u.s.n = x.u.s.n;
    } else if (x.type == WEIR_DOUBLE) {
      w->u.f = x.u.f;
    } else {
      w->u.i = x.u.i;
    }
  }
}

/* ---- callback sink ------------------------------------------------------ */

typedef struct cb_sink {
  exec_sink base;
  weir_query *q;
  weir_value *aVal;
  int nVal;
} cb_sink;

static int cb_write(exec_sink *s, const exec_batch *b,
                    const exec_schema *sch) {
  cb_sink *p = (cb_sink *)s;
  weir_query *q = p->q;
  if (!q->cb.on_row) return 0;
  if (p->nVal < b->nCol) {
    p->aVal = common_realloc(p->aVal, sizeof(weir_value) * (size_t)b->nCol);
    p->nVal = b->nCol;
  }
  for (int i = 0; i < b->n; i++) {
    engine_row_values(b, i, p->aVal);
    q->cb.on_row(q->cb.arg, q, (weir_op)b->op[i], b->nCol, p->aVal);
  }
  return 0;
}

static int cb_flush(exec_sink *s) { return 0; }

static void cb_free(exec_sink *s) {
  cb_sink *p = (cb_sink *)s;
  common_free(p->aVal);
  common_free(p);
}

static const exec_sink_vtab cb_vtab = {cb_write, cb_flush, cb_free};

exec_sink *engine_callback_sink_new(weir_query *q) {
  cb_sink *p = common_calloc(1, sizeof(*p));
  p->base.vt = &cb_vtab;
  p->q = q;
  return &p->base;
}

/* ---- pushing rows ------------------------------------------------------- */

int weir_push_rows(weir_engine *e, const char *source, int nrow, int ncol,
                   const weir_value *values, weir_error *err) {
  plan_object *o = plan_catalog_find(e->catalog, source);
  if (!o || o->kind != PLAN_OBJ_SOURCE || !o->pConn) {
    engine_error(err, WEIR_ERROR, "%s is not a memory source", source);
    return WEIR_ERROR;
  }
  if (ncol != o->schema.nCol) {
    engine_error(err, WEIR_ERROR, "%s has %d columns, got %d", source,
                 o->schema.nCol, ncol);
    return WEIR_ERROR;
  }
  common_arena a;
  common_arena_init(&a, 16384);
  int rc = WEIR_OK;
  for (int r0 = 0; r0 < nrow && !rc; r0 += EXEC_BATCH_CAP) {
    exec_batch *b = exec_batch_new(&a, ncol, o->schema.aType);
    b->pHeap = &a;
    int n = nrow - r0 < EXEC_BATCH_CAP ? nrow - r0 : EXEC_BATCH_CAP;
    for (int i = 0; i < n && !rc; i++) {
      for (int j = 0; j < ncol; j++) {
        const weir_value *w = &values[(size_t)(r0 + i) * (size_t)ncol + j];
        exec_vec *v = &b->aCol[j];
        int t = v->type;
        v->null[i] = (uint8_t)(w->is_null != 0);
        if (w->is_null) continue;
        if ((int)w->type != t &&
            !(t == WEIR_DOUBLE && w->type == WEIR_BIGINT)) {
          engine_error(err, WEIR_ERROR, "row %d column %s: expected %s, got %s",
                       r0 + i + 1, o->schema.azName[j], exec_type_name(t),
                       exec_type_name(w->type));
          rc = WEIR_ERROR;
          break;
        }
        switch (t) {
          case WEIR_VARCHAR: {
            char *z = common_arena_strndup(&a, w->u.s.p, w->u.s.n);
            v->v.s[i].p = z;
            v->v.s[i].n = w->u.s.n;
            break;
          }
          case WEIR_DOUBLE:
            v->v.f64[i] = w->type == WEIR_BIGINT ? (double)w->u.i : w->u.f;
            break;
          case WEIR_BOOLEAN:
            v->v.b[i] = (uint8_t)(w->u.i != 0);
            break;
          default:
            v->v.i64[i] = w->u.i;
        }
      }
    }
    b->n = n;
    if (!rc) conn_memory_push(o->pConn, b);
  }
  common_arena_free(&a);
  return rc;
}

/* ---- the demo ------------------------------------------------------------ */

int weir_demo_start(weir_engine *e, weir_error *err) {
  static const char zDdl[] =
      "CREATE SOURCE scores (user_id VARCHAR, team VARCHAR, score BIGINT, "
      "ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) "
      "WITH (connector = 'memory');";
  if (plan_catalog_find(e->catalog, "scores")) {
    engine_error(err, WEIR_ERROR, "a source named scores already exists");
    return WEIR_ERROR;
  }
  int rc = weir_exec(e, zDdl, NULL, 0, NULL, err);
  if (rc) return rc;
  /* CREATE SOURCE gave the memory source its hub. */
  plan_object *o = plan_catalog_find(e->catalog, "scores");
  e->pDemo = conn_demo_start(e->loop, o->pConn, e->clock);
  return WEIR_OK;
}

/* ---- formatting ----------------------------------------------------------- */

int weir_value_format(char *buf, int n, const weir_value *w) {
  exec_value v;
  v.type = (uint8_t)w->type;
  v.isNull = (uint8_t)(w->is_null != 0);
  if (w->type == WEIR_VARCHAR) {
    v.u.s.p = w->u.s.p;
    v.u.s.n = w->u.s.n;
  } else if (w->type == WEIR_DOUBLE) {
    v.u.f = w->u.f;
  } else {
    v.u.i = w->u.i;
  }
  common_buf b;
  common_buf_init(&b);
  exec_value_format(&b, &v);
  int len = (int)b.n;
  if (n > 0) {
    int k = len < n - 1 ? len : n - 1;
    if (k > 0) memcpy(buf, b.z, (size_t)k);
    buf[k < 0 ? 0 : k] = 0;
  }
  common_buf_free(&b);
  return len;
}

const char *weir_type_name(weir_type t) { return exec_type_name((int)t); }

const char *weir_op_name(weir_op op) { return exec_op_name((int)op); }
