/*
** engine/statements.c — weir_exec: parse one statement and carry it out.
** The dispatch table of engine.c's header comment lives here, one static
** function per statement kind.
*/
#include "engine/engine.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Context of one weir_exec call. */
typedef struct stmt_ctx {
  weir_engine *e;
  const char *zSql;           /* text the AST positions refer to */
  parse_result *pr;
  const ast_stmt *s;
  int block;
  const weir_callbacks *cb;
  weir_error *err;
} stmt_ctx;

static const char *obj_kind_name(plan_obj_kind k) {
  switch (k) {
    case PLAN_OBJ_SOURCE: return "Source";
    case PLAN_OBJ_SINK: return "Sink";
    case PLAN_OBJ_VIEW: return "View";
  }
  return "Object";
}

static conn_options obj_options(const plan_object *o) {
  conn_options opt = {o->nOpt, (const char *const *)o->azKey,
                      (const char *const *)o->azVal};
  return opt;
}

static void free_memory_hub(void *p) { conn_memory_free(p); }

/* Does SQL text zSql name identifier zName (case-insensitive, as a whole
** word)? Used to find what depends on an object before dropping it. */
static int sql_mentions(const char *zSql, const char *zName) {
  size_t n = strlen(zName);
  for (const char *p = zSql; p && *p; p++) {
    if (common_strnicmp(p, zName, n)) continue;
    int bBefore = p > zSql && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
    int bAfter = isalnum((unsigned char)p[n]) || p[n] == '_';
    if (!bBefore && !bAfter) return 1;
  }
  return 0;
}

/* "unknown WHAT "NAME"", with the closest of azCand as a suggestion. */
static int unknown_name(stmt_ctx *c, int iPos, const char *zWhat,
                        const char *zName, const char *const *azCand,
                        int nCand) {
  const char *zBest = NULL;
  int dBest = 3;
  for (int i = 0; i < nCand; i++) {
    int d = common_edit_distance(zName, azCand[i]);
    if (d < dBest) {
      dBest = d;
      zBest = azCand[i];
    }
  }
  char *z = zBest ? common_mprintf("unknown %s \"%s\" (did you mean \"%s\"?)",
                                   zWhat, zName, zBest)
                  : common_mprintf("unknown %s \"%s\"", zWhat, zName);
  engine_error_at(c->err, WEIR_PLAN, c->zSql, iPos, z);
  common_free(z);
  return WEIR_PLAN;
}

/* unknown_name over the catalog's objects (of kind k, or any if k == 0). */
static int unknown_object(stmt_ctx *c, int iPos, const char *zWhat,
                          const char *zName, int k) {
  int n = plan_catalog_count(c->e->catalog), m = 0;
  const char **az = common_calloc((size_t)n + 1, sizeof(char *));
  for (int i = 0; i < n; i++) {
    plan_object *o = plan_catalog_at(c->e->catalog, i);
    if (!k || (int)o->kind == k) az[m++] = o->zName;
  }
  int rc = unknown_name(c, iPos, zWhat, zName, az, m);
  common_free(az);
  return rc;
}

/* unknown_name over the engine's query names. */
static int unknown_query(stmt_ctx *c, int iPos, const char *zName) {
  int n = 0;
  for (weir_query *q = c->e->pQueries; q; q = q->pNext) n++;
  const char **az = common_calloc((size_t)n + 1, sizeof(char *));
  n = 0;
  for (weir_query *q = c->e->pQueries; q; q = q->pNext) az[n++] = q->zName;
  int rc = unknown_name(c, iPos, "query", zName, az, n);
  common_free(az);
  return rc;
}

/* Start (and, if bounded, finish) the query of pSel into zSink. */
static int run_query(stmt_ctx *c, const ast_select *pSel, const char *zSink,
                     int bExplainAnalyze) {
  weir_query *q = NULL;
  int rc = engine_query_start(c->e, c->pr, pSel, c->zSql, zSink, c->cb, &q,
                              c->err);
  if (rc) return rc;
  q->bExplainAnalyze = bExplainAnalyze;
  int bManual = exec_clock_is_manual(c->e->clock);
  /* With block == 0 (the server, an embedding host running its own loop)
  ** nothing waits: the query runs on the loop. A nested wait would run the
  ** loop from inside one of its own callbacks and stall everything else. */
  int bWait = c->block && (q->bBounded || (!bManual && !zSink));
  if (bExplainAnalyze && !q->bBounded && bManual) bWait = 0;
  if (bWait) {
    rc = engine_query_wait(c->e, q);
    if (exec_query_state_get(q->pExec) == EXQ_FAILED) {
      const char *z = exec_query_error(q->pExec);
      engine_error(c->err, WEIR_RUNTIME, "query %s failed: %s", q->zName,
                   z ? z : "unknown error");
      return WEIR_RUNTIME;
    }
    if (rc == WEIR_INTERRUPTED)
      engine_error(c->err, WEIR_INTERRUPTED, "query %s interrupted",
                   q->zName);
  } else if (zSink) {
    engine_message(c->cb, "Query %s started: writing to %s.", q->zName,
                   zSink);
  }
  if (bExplainAnalyze) {
    common_buf b;
    common_buf_init(&b);
    exec_plan_explain(&b, q->pPlan, q->pExec);
    weir_query_stats st;
    weir_query_get_stats(q, &st);
    common_buf_printf(&b,
                      "rows in: %lld, rows out: %lld, bad records: %lld, "
                      "late rows dropped: %lld",
                      (long long)st.rows_in, (long long)st.rows_out,
                      (long long)st.bad_records, (long long)st.late_dropped);
    engine_message(c->cb, "%s", b.z);
    common_buf_free(&b);
  }
  return rc;
}

static int do_create(stmt_ctx *c) {
  const ast_stmt *s = c->s;
  plan_object *o = NULL;
  plan_error pe = {-1, NULL};
  if (s->zName && plan_catalog_find(c->e->catalog, s->zName) &&
      s->bIfNotExists) {
    engine_message(c->cb, "%s already exists, skipped.", s->zName);
    return WEIR_OK;
  }
  if (plan_create(c->e->catalog, s, c->zSql, &o, &pe))
    return engine_plan_fail(c->err, c->zSql, &pe);
  conn_options opt = obj_options(o);
  char *zErr = NULL;
  if (o->kind == PLAN_OBJ_SOURCE) {
    const char *zConn = conn_opt(&opt, "connector", "memory");
    if (conn_source_check(&opt, &o->schema, &zErr)) {
      engine_error_at(c->err, WEIR_PLAN, c->zSql, s->iPos, zErr);
      common_free(zErr);
      plan_catalog_drop(c->e->catalog, o->zName);
      return WEIR_PLAN;
    }
    if (!common_stricmp(zConn, "memory")) {
      o->pConn = conn_memory_new(&o->schema);
      o->xFreeConn = free_memory_hub;
    }
  } else if (o->kind == PLAN_OBJ_SINK) {
    void *pFree;
    conn_options copt = engine_conn_options(o, &pFree);
    int bBad = conn_sink_check(&copt, &zErr);
    common_free(pFree);
    if (bBad) {
      engine_error_at(c->err, WEIR_PLAN, c->zSql, s->iPos, zErr);
      common_free(zErr);
      plan_catalog_drop(c->e->catalog, o->zName);
      return WEIR_PLAN;
    }
  }
  engine_message(c->cb, "%s %s created.", obj_kind_name(o->kind), o->zName);
  if (o->kind == PLAN_OBJ_VIEW && o->bMaterialized) {
    /* mview.c keeps its contents; if it cannot run, there is no view. */
    int rc = engine_mview_start(c->e, o->zName, c->err);
    if (rc) plan_catalog_drop(c->e->catalog, s->zName);
    return rc;
  }
  if (o->kind == PLAN_OBJ_SINK) {
    /* CREATE SINK x FROM v / AS SELECT: the sink's query starts now. */
    if (s->pSelect) return run_query(c, s->pSelect, o->zName, 0);
    if (s->zFrom) {
      char *zQ = common_malloc(strlen(s->zFrom) + 32);
      sprintf(zQ, "SELECT * FROM %s", s->zFrom);
      parse_result pr;
      const char *zTail;
      memset(&pr, 0, sizeof(pr));
      int rc;
      if (parse_statement(&pr, zQ, &zTail) || !pr.pStmt) {
        engine_error(c->err, WEIR_PLAN, "cannot read %s", s->zFrom);
        rc = WEIR_PLAN;
      } else {
        stmt_ctx c2 = *c;
        c2.zSql = zQ;
        c2.pr = &pr;
        rc = run_query(&c2, pr.pStmt->pSelect, o->zName, 0);
      }
      parse_result_free(&pr);
      common_free(zQ);
      return rc;
    }
  }
  return WEIR_OK;
}

static int do_insert(stmt_ctx *c) {
  const ast_stmt *s = c->s;
  plan_object *o = plan_catalog_find(c->e->catalog, s->zName);
  if (!o) {
    engine_error_at(c->err, WEIR_PLAN, c->zSql, s->iPos,
                    "unknown source or sink");
    return WEIR_PLAN;
  }
  if (o->kind == PLAN_OBJ_SINK) return run_query(c, s->pSelect, o->zName, 0);
  if (o->kind != PLAN_OBJ_SOURCE || !o->pConn) {
    common_buf b;
    common_buf_init(&b);
    common_buf_printf(&b, "cannot INSERT INTO %s: only memory sources and "
                      "sinks accept rows", o->zName);
    engine_error_at(c->err, WEIR_PLAN, c->zSql, s->iPos, b.z);
    common_buf_free(&b);
    return WEIR_PLAN;
  }
  common_arena a;
  common_arena_init(&a, 16384);
  plan_object *pSrc = NULL;
  exec_batch *pBatch = NULL;
  plan_error pe = {-1, NULL};
  if (plan_insert_values(c->e->catalog, s, c->zSql, &a, &pSrc, &pBatch,
                         &pe)) {
    common_arena_free(&a);
    return engine_plan_fail(c->err, c->zSql, &pe);
  }
  conn_memory_push(pSrc->pConn, pBatch);
  common_arena_free(&a);
  return WEIR_OK;
}

static int const_value(stmt_ctx *c, const ast_expr *e, exec_value *v,
                       common_arena *a) {
  plan_error pe = {-1, NULL};
  if (plan_const_expr(e, a, v, &pe))
    return engine_plan_fail(c->err, c->zSql, &pe);
  return WEIR_OK;
}

static void set_remember(weir_engine *e, const char *zKey, const char *zVal) {
  for (int i = 0; i < e->nSet; i++) {
    if (!common_stricmp(e->azSetKey[i], zKey)) {
      common_free(e->azSetVal[i]);
      e->azSetVal[i] = common_strdup(zVal);
      return;
    }
  }
  e->azSetKey = common_realloc(e->azSetKey, sizeof(char *) * (e->nSet + 1));
  e->azSetVal = common_realloc(e->azSetVal, sizeof(char *) * (e->nSet + 1));
  e->azSetKey[e->nSet] = common_strdup(zKey);
  e->azSetVal[e->nSet] = common_strdup(zVal);
  e->nSet++;
}

/* Is any query still running? */
static int any_running(weir_engine *e) {
  for (weir_query *q = e->pQueries; q; q = q->pNext) {
    if (q->pExec && exec_query_state_get(q->pExec) == EXQ_RUNNING) return 1;
  }
  return 0;
}

static int do_set(stmt_ctx *c) {
  const ast_stmt *s = c->s;
  common_arena a;
  common_arena_init(&a, 1024);
  exec_value v;
  int rc = const_value(c, s->pExpr, &v, &a);
  if (rc) goto done;
  common_buf txt;
  common_buf_init(&txt);
  if (v.type == WEIR_VARCHAR && !v.isNull)
    common_buf_append(&txt, v.u.s.p, v.u.s.n);
  else
    exec_value_format(&txt, &v);
  if (!common_stricmp(s->zName, "clock")) {
    if (!common_stricmp(txt.z, "manual")) {
      exec_clock_set_manual(c->e->clock, 1);
    } else if (!common_stricmp(txt.z, "real") ||
               !common_stricmp(txt.z, "system")) {
      exec_clock_set_manual(c->e->clock, 0);
    } else {
      engine_error_at(c->err, WEIR_PLAN, c->zSql, s->pExpr->iPos,
                      "clock must be 'manual' or 'real'");
      rc = WEIR_PLAN;
    }
  } else if (!common_stricmp(s->zName, "execution.runtime-mode")) {
    if (common_stricmp(txt.z, "batch") && common_stricmp(txt.z, "streaming")) {
      engine_error_at(c->err, WEIR_PLAN, c->zSql, s->pExpr->iPos,
                      "execution.runtime-mode must be 'batch' or 'streaming'");
      rc = WEIR_PLAN;
    }
  } else if (!common_stricmp(s->zName, "time")) {
    if (!exec_clock_is_manual(c->e->clock)) {
      engine_error_at(c->err, WEIR_PLAN, c->zSql, s->iPos,
                      "SET time needs SET clock = 'manual' first");
      rc = WEIR_PLAN;
    } else if (v.type != WEIR_TIMESTAMP || v.isNull) {
      engine_error_at(c->err, WEIR_PLAN, c->zSql, s->pExpr->iPos,
                      "time must be a TIMESTAMP");
      rc = WEIR_PLAN;
    } else if (v.u.i < exec_clock_now(c->e->clock) && any_running(c->e)) {
      /* Before any query runs SET time may start the playground anywhere;
      ** after, timers are pending and time only moves forward. */
      engine_error_at(c->err, WEIR_PLAN, c->zSql, s->pExpr->iPos,
                      "processing time cannot move backwards while queries "
                      "run (use ADVANCE TIME TO a later time)");
      rc = WEIR_PLAN;
    } else if (any_running(c->e)) {
      exec_clock_advance(c->e->clock, v.u.i);   /* fires what falls due */
    } else {
      exec_clock_set(c->e->clock, v.u.i);
    }
  }
  if (!rc) set_remember(c->e, s->zName, txt.z ? txt.z : "");
  common_buf_free(&txt);
done:
  common_arena_free(&a);
  return rc;
}

/* Evaluate constant e, which must be a non-NULL value of type t, into
** *pOut; otherwise an error "zWhat needs a <t>" at e. */
static int typed_const(stmt_ctx *c, const ast_expr *e, int t,
                       const char *zWhat, int64_t *pOut) {
  common_arena a;
  common_arena_init(&a, 1024);
  exec_value v;
  int rc = const_value(c, e, &v, &a);
  common_arena_free(&a);
  if (rc) return rc;
  if (v.type != t || v.isNull) {
    char *z = common_mprintf("%s needs %s %s", zWhat,
                             t == WEIR_INTERVAL ? "an" : "a",
                             exec_type_name(t));
    engine_error_at(c->err, WEIR_PLAN, c->zSql, e->iPos, z);
    common_free(z);
    return WEIR_PLAN;
  }
  *pOut = v.u.i;
  return WEIR_OK;
}

static int do_advance_time(stmt_ctx *c) {
  const ast_stmt *s = c->s;
  if (!exec_clock_is_manual(c->e->clock)) {
    engine_error_at(c->err, WEIR_PLAN, c->zSql, s->iPos,
                    "ADVANCE TIME needs SET clock = 'manual' first");
    return WEIR_PLAN;
  }
  int64_t now = exec_clock_now(c->e->clock), to, x;
  int rc = s->bBy ? typed_const(c, s->pExpr, WEIR_INTERVAL,
                                "ADVANCE TIME BY", &x)
                  : typed_const(c, s->pExpr, WEIR_TIMESTAMP,
                                "ADVANCE TIME TO", &x);
  if (rc) return rc;
  to = s->bBy ? now + x : x;
  if (to < now) {
    engine_error_at(c->err, WEIR_PLAN, c->zSql, s->pExpr->iPos,
                    "processing time cannot move backwards");
    return WEIR_PLAN;
  }
  exec_clock_advance(c->e->clock, to);
  return WEIR_OK;
}

static int do_advance_watermark(stmt_ctx *c) {
  const ast_stmt *s = c->s;
  plan_object *o = plan_catalog_find(c->e->catalog, s->zName);
  if (!o || o->kind != PLAN_OBJ_SOURCE) {
    return unknown_object(c, s->iPos, "source", s->zName, PLAN_OBJ_SOURCE);
  }
  if (!o->pConn) {
    engine_error_at(c->err, WEIR_PLAN, c->zSql, s->iPos,
                    "ADVANCE WATERMARK applies to memory sources");
    return WEIR_PLAN;
  }
  int64_t wm;
  int rc = typed_const(c, s->pExpr, WEIR_TIMESTAMP, "ADVANCE WATERMARK", &wm);
  if (rc) return rc;
  conn_memory_watermark(o->pConn, wm);
  return WEIR_OK;
}

static void render_objects(stmt_ctx *c, plan_obj_kind kind) {
  plan_catalog *cat = c->e->catalog;
  int n = plan_catalog_count(cat), nRow = 0;
  const char **az = common_calloc((size_t)n * 3 + 1, sizeof(char *));
  common_arena a;
  common_arena_init(&a, 4096);
  for (int i = 0; i < n; i++) {
    plan_object *o = plan_catalog_at(cat, i);
    if (o->kind != kind) continue;
    conn_options opt = obj_options(o);
    common_buf cols;
    common_buf_init(&cols);
    for (int j = 0; j < o->schema.nCol; j++)
      common_buf_printf(&cols, "%s%s %s", j ? ", " : "", o->schema.azName[j],
                        exec_type_name(o->schema.aType[j]));
    az[nRow * 3] = o->zName;
    if (kind == PLAN_OBJ_VIEW)
      az[nRow * 3 + 1] = o->bMaterialized ? "materialized view" : "view";
    else if (kind == PLAN_OBJ_SINK)
      az[nRow * 3 + 1] = common_arena_strdup(
          &a, conn_opt(&opt, "connector", "file"));
    else
      az[nRow * 3 + 1] = common_arena_strdup(
          &a, conn_opt(&opt, "connector", "memory"));
    az[nRow * 3 + 2] = common_arena_strdup(&a, cols.z ? cols.z : "");
    common_buf_free(&cols);
    nRow++;
  }
  static const char *azHead[] = {"name", "kind", "columns"};
  common_buf b;
  common_buf_init(&b);
  engine_table(&b, 3, azHead, nRow, az);
  engine_message(c->cb, "%s", b.z);
  common_buf_free(&b);
  common_arena_free(&a);
  common_free(az);
}

static void render_queries(stmt_ctx *c) {
  int n = 0;
  for (weir_query *q = c->e->pQueries; q; q = q->pNext) n++;
  enum { NQCOL = 8 };
  const char **az = common_calloc((size_t)n * NQCOL + 1, sizeof(char *));
  common_arena a;
  common_arena_init(&a, 4096);
  int i = n;
  /* Oldest first. */
  for (weir_query *q = c->e->pQueries; q; q = q->pNext) {
    i--;
    weir_query_stats st;
    weir_query_get_stats(q, &st);
    static const char *azState[] = {"?", "RUNNING", "FINISHED", "STOPPED",
                                    "FAILED"};
    exec_query_state s = exec_query_state_get(q->pExec);
    char zWm[40];
    if (st.watermark == INT64_MIN)
      strcpy(zWm, "-");
    else if (st.watermark == INT64_MAX)
      strcpy(zWm, "+inf");
    else
      common_ts_format(zWm, st.watermark);
    const char **row = &az[i * NQCOL];
    row[0] = q->zName;
    row[1] = azState[s >= 1 && s <= 4 ? s : 0];
    row[2] = common_arena_printf(&a, "%lld", (long long)st.rows_in);
    row[3] = common_arena_printf(&a, "%lld", (long long)st.rows_out);
    row[4] = common_arena_printf(&a, "%lld", (long long)st.late_dropped);
    row[5] = common_arena_printf(&a, "%lld", (long long)st.bad_records);
    row[6] = common_arena_strdup(&a, zWm);
    row[7] = common_arena_printf(&a, "%.60s", q->zSql);
    for (char *p = (char *)row[7]; *p; p++)
      if (*p == '\n') *p = ' ';
  }
  static const char *azHead[] = {"name",     "state",       "rows in",
                                 "rows out", "late dropped", "bad records",
                                 "watermark", "sql"};
  common_buf b;
  common_buf_init(&b);
  engine_table(&b, NQCOL, azHead, n, az);
  engine_message(c->cb, "%s", b.z);
  common_buf_free(&b);
  common_arena_free(&a);
  common_free(az);
}

static int do_show(stmt_ctx *c) {
  switch (c->s->objKind) {
    case AO_SOURCE:
    case AO_TABLE:
    case AO_STREAM:
      render_objects(c, PLAN_OBJ_SOURCE);
      break;
    case AO_SINK:
      render_objects(c, PLAN_OBJ_SINK);
      break;
    case AO_VIEW:
      render_objects(c, PLAN_OBJ_VIEW);
      break;
    case AO_QUERY:
      render_queries(c);
      break;
  }
  return WEIR_OK;
}

static int do_describe(stmt_ctx *c) {
  plan_object *o = plan_catalog_find(c->e->catalog, c->s->zName);
  if (!o) {
    return unknown_object(c, c->s->iPos, "source, sink or view", c->s->zName,
                          0);
  }
  int n = o->schema.nCol;
  const char **az = common_calloc((size_t)n * 3 + 1, sizeof(char *));
  for (int i = 0; i < n; i++) {
    az[i * 3] = o->schema.azName[i];
    az[i * 3 + 1] = exec_type_name(o->schema.aType[i]);
    az[i * 3 + 2] = "";
  }
  char zWm[96] = "";
  if (o->iWmCol >= 0 && o->iWmCol < n) {
    snprintf(zWm, sizeof zWm, "WATERMARK %s - %gs", o->schema.azName[o->iWmCol],
             (double)o->wmDelay / 1e6);
    az[o->iWmCol * 3 + 2] = zWm;
  }
  static const char *azHead[] = {"column", "type", "watermark"};
  common_buf b;
  common_buf_init(&b);
  common_buf_printf(&b, "%s %s\n", obj_kind_name(o->kind), o->zName);
  engine_table(&b, 3, azHead, n, az);
  conn_options opt = obj_options(o);
  for (int i = 0; i < opt.n; i++)
    common_buf_printf(&b, "%s%s = '%s'", i ? ", " : "WITH (", opt.azKey[i],
                      opt.azVal[i]);
  if (opt.n) common_buf_puts(&b, ")\n");
  if (o->zSql) common_buf_printf(&b, "AS %s\n", o->zSql);
  engine_message(c->cb, "%s", b.z);
  common_buf_free(&b);
  common_free(az);
  return WEIR_OK;
}

static int do_explain(stmt_ctx *c) {
  const ast_stmt *in = c->s->pInner;
  const ast_select *pSel = NULL;
  const char *zSink = NULL;
  if (in->kind == AS_SELECT) {
    pSel = in->pSelect;
  } else if (in->kind == AS_INSERT && in->pSelect) {
    pSel = in->pSelect;
    zSink = in->zName;
  } else if (in->kind == AS_CREATE_VIEW || in->kind == AS_CREATE_SINK) {
    pSel = in->pSelect;
  }
  if (!pSel) {
    engine_error_at(c->err, WEIR_PLAN, c->zSql, in->iPos,
                    "EXPLAIN needs a query");
    return WEIR_PLAN;
  }
  if (c->s->bAnalyze) return run_query(c, pSel, zSink, 1);
  common_arena a;
  common_arena_init(&a, 16384);
  exec_plan *p = NULL;
  plan_settings set = engine_plan_settings(c->e);
  plan_error pe = {-1, NULL};
  if (plan_query(c->e->catalog, pSel, c->zSql, &set, zSink, &a, &p, &pe)) {
    common_arena_free(&a);
    return engine_plan_fail(c->err, c->zSql, &pe);
  }
  common_buf b;
  common_buf_init(&b);
  exec_plan_explain(&b, p, NULL);
  engine_message(c->cb, "%s", b.z ? b.z : "");
  common_buf_free(&b);
  common_arena_free(&a);
  return WEIR_OK;
}

static int do_drop(stmt_ctx *c) {
  const ast_stmt *s = c->s;
  if (s->objKind == AO_QUERY) {
    weir_query *q = engine_query_find(c->e, s->zName);
    if (!q) goto missing;
    weir_query_stop(c->e, q);
    engine_message(c->cb, "Query %s stopped.", q->zName);
    return WEIR_OK;
  }
  plan_object *o = plan_catalog_find(c->e->catalog, s->zName);
  if (!o) goto missing;
  /* A view built on it would break: refuse, like a database would. */
  for (int i = 0; i < plan_catalog_count(c->e->catalog); i++) {
    plan_object *v = plan_catalog_at(c->e->catalog, i);
    if (v != o && (v->zSql || v->zFrom) &&
        ((v->zSql && sql_mentions(v->zSql, o->zName)) ||
         (v->zFrom && !common_stricmp(v->zFrom, o->zName)))) {
      char *z = common_mprintf("%s is used by %s %s (drop that first)",
                               o->zName, v->kind == PLAN_OBJ_SINK ? "sink"
                                                                  : "view",
                               v->zName);
      engine_error_at(c->err, WEIR_PLAN, c->zSql, s->iPos, z);
      common_free(z);
      return WEIR_PLAN;
    }
  }
  /* So would a running query reading it -- except for a materialized
  ** view: dropping it stops its own query and ends its readers. */
  int bMv = o->kind == PLAN_OBJ_VIEW && o->bMaterialized;
  for (weir_query *q = c->e->pQueries; q && !bMv; q = q->pNext) {
    if (q->pExec &&
        exec_query_state_get(q->pExec) == EXQ_RUNNING && q->zSql &&
        sql_mentions(q->zSql, o->zName)) {
      common_buf b;
      common_buf_init(&b);
      common_buf_printf(&b, "%s is used by running query %s (STOP QUERY %s "
                        "first)", o->zName, q->zName, q->zName);
      engine_error_at(c->err, WEIR_PLAN, c->zSql, s->iPos, b.z);
      common_buf_free(&b);
      return WEIR_PLAN;
    }
  }
  if (o->kind == PLAN_OBJ_VIEW) engine_mview_drop(c->e, o->zName);
  char *zName = common_strdup(o->zName);
  const char *zKind = obj_kind_name(o->kind);
  plan_catalog_drop(c->e->catalog, zName);
  engine_message(c->cb, "%s %s dropped.", zKind, zName);
  common_free(zName);
  return WEIR_OK;
missing:
  if (s->bIfExists) return WEIR_OK;
  if (s->objKind == AO_QUERY) return unknown_query(c, s->iPos, s->zName);
  if (s->objKind == AO_SINK)
    return unknown_object(c, s->iPos, "sink", s->zName, PLAN_OBJ_SINK);
  if (s->objKind == AO_VIEW)
    return unknown_object(c, s->iPos, "view", s->zName, PLAN_OBJ_VIEW);
  return unknown_object(c, s->iPos, "source", s->zName, PLAN_OBJ_SOURCE);
}

static int do_stop(stmt_ctx *c) {
  weir_query *q = engine_query_find(c->e, c->s->zName);
  if (!q) return unknown_query(c, c->s->iPos, c->s->zName);
  if (q->bEnded) {
    char *z = common_mprintf("query %s is not running", q->zName);
    engine_error_at(c->err, WEIR_PLAN, c->zSql, c->s->iPos, z);
    common_free(z);
    return WEIR_PLAN;
  }
  weir_query_stop(c->e, q);
  engine_message(c->cb, "Query %s stopped.", q->zName);
  return WEIR_OK;
}

static int do_select(stmt_ctx *c) {
  return run_query(c, c->s->pSelect, NULL, 0);
}

/* One handler per statement kind (ast_stmt_kind). */
static int (*const aHandler[])(stmt_ctx *) = {
    [AS_SELECT] = do_select,
    [AS_CREATE_SOURCE] = do_create,
    [AS_CREATE_SINK] = do_create,
    [AS_CREATE_VIEW] = do_create,
    [AS_INSERT] = do_insert,
    [AS_DROP] = do_drop,
    [AS_SHOW] = do_show,
    [AS_DESCRIBE] = do_describe,
    [AS_EXPLAIN] = do_explain,
    [AS_SET] = do_set,
    [AS_ADVANCE_TIME] = do_advance_time,
    [AS_ADVANCE_WATERMARK] = do_advance_watermark,
    [AS_STOP_QUERY] = do_stop,
};

int weir_exec(weir_engine *e, const char *sql, const char **tail, int block,
              const weir_callbacks *cb, weir_error *err) {
  parse_result pr;
  memset(&pr, 0, sizeof(pr));
  const char *zTail = sql;
  if (err) memset(err, 0, sizeof(*err));
  if (parse_statement(&pr, sql, &zTail)) {
    engine_error_at(err, WEIR_SYNTAX, sql, pr.err.iPos, pr.err.zMsg);
    if (tail) *tail = zTail;
    parse_result_free(&pr);
    return WEIR_SYNTAX;
  }
  if (tail) *tail = zTail;
  if (!pr.pStmt) {
    parse_result_free(&pr);
    return WEIR_OK;
  }
  stmt_ctx c = {e, sql, &pr, pr.pStmt, block, cb, err};
  int rc = WEIR_OK;
  int kind = pr.pStmt->kind;
  if (kind > 0 && kind < (int)COMMON_ARRAY_SIZE(aHandler) && aHandler[kind])
    rc = aHandler[kind](&c);
  /* Let loop work caused by the statement settle (e.g. sink writes). */
  uv_run(e->loop, UV_RUN_NOWAIT);
  parse_result_free(&pr);
  return rc;
}
