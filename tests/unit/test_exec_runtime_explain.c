/*
** tests/unit/test_exec_runtime_explain.c — EXPLAIN text of hand-built
** plans (every operator and its parameters) and EXPLAIN ANALYZE counters
** of a query that ran.
*/
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "tinytest.h"

static common_arena A;

static exec_plan *node(exec_plan_kind k, int id) {
  exec_plan *p = common_arena_zalloc(&A, sizeof(*p));
  p->kind = k;
  p->id = id;
  p->iWmCol = -1;
  p->aChild = common_arena_zalloc(&A, sizeof(exec_plan *) * 4);
  return p;
}

static void add(exec_plan *p, exec_plan *c) {
  p->aChild[p->nChild++] = c;
}

/* schema from "name:TYPE" pairs, types as digits */
static void schema(exec_schema *s, int n, const char **az, const int *at) {
  s->nCol = n;
  s->azName = common_arena_alloc(&A, sizeof(char *) * (size_t)n);
  s->aType = common_arena_alloc(&A, (size_t)n);
  for (int i = 0; i < n; i++) {
    s->azName[i] = (char *)az[i];
    s->aType[i] = (uint8_t)at[i];
  }
}

static const char *azScore[] = {"user_id", "team", "score", "ts"};
static const int aScore[] = {WEIR_VARCHAR, WEIR_VARCHAR, WEIR_BIGINT,
                             WEIR_TIMESTAMP};

static exec_plan *read_scores(int id) {
  exec_plan *r = node(PLAN_READ, id);
  r->zSource = "scores";
  r->iWmCol = 3;
  r->wmDelay = 5000000;
  schema(&r->schema, 4, azScore, aScore);
  return r;
}

static char *explain(const exec_plan *p) {
  common_buf b;
  common_buf_init(&b);
  exec_plan_explain(&b, p, NULL);
  return common_buf_detach(&b);
}

TEST(explain_design_example) {
  common_arena_init(&A, 4096);
  exec_plan *r = read_scores(3);
  exec_plan *g = node(PLAN_AGG, 2);
  add(g, r);
  g->nKey = 1;
  g->aKeyCol = common_arena_alloc(&A, sizeof(int));
  g->aKeyCol[0] = 1;
  g->nAgg = 1;
  g->aAgg = common_arena_zalloc(&A, sizeof(exec_agg));
  g->aAgg[0].kind = AGG_SUM;
  g->aAgg[0].iArg = 2;
  g->aAgg[0].iFilter = -1;
  g->window.kind = WIN_TUMBLE;
  g->window.iTimeCol = 3;
  g->window.size = 120000000;
  g->trigger.bOnTime = 1;
  g->trigger.accum = ACC_DISCARDING;
  exec_plan *s = node(PLAN_SINK, 1);
  add(s, g);
  char *z = explain(s);
  CHECK_EQ_STR(
      z,
      "Sink [stdout]\n"
      "  Combine [keys: team; aggs: SUM(score); window: TUMBLE(ts, 2 min); "
      "trigger: AFTER WATERMARK; accumulation: DISCARDING; lateness: 0s]\n"
      "    Read [scores; watermark: ts - 5s]\n");
  common_free(z);

  /* Early and late firings, lateness, retracting, HOP with offset,
  ** COUNT(*) / COUNT(DISTINCT) / FILTER, a named sink. */
  g->window.kind = WIN_HOP;
  g->window.slide = 60000000;
  g->window.size = 300000000;
  g->window.offset = 30000000;
  g->trigger.early = TRIG_EVERY;
  g->trigger.earlyArg = 10000000;
  g->trigger.late = TRIG_EVERY_ROW;
  g->trigger.lateness = 3600000000LL;
  g->trigger.accum = ACC_RETRACTING;
  g->nAgg = 3;
  g->aAgg = common_arena_zalloc(&A, 3 * sizeof(exec_agg));
  g->aAgg[0].kind = AGG_COUNT_STAR;
  g->aAgg[0].iArg = -1;
  g->aAgg[0].iFilter = -1;
  g->aAgg[1].kind = AGG_COUNT;
  g->aAgg[1].bDistinct = 1;
  g->aAgg[1].iArg = 0;
  g->aAgg[1].iFilter = -1;
  g->aAgg[2].kind = AGG_MAX;
  g->aAgg[2].iArg = 2;
  g->aAgg[2].iFilter = 0;
  s->zSink = "totals";
  z = explain(s);
  CHECK_EQ_STR(
      z,
      "Sink [totals]\n"
      "  Combine [keys: team; aggs: COUNT(*), COUNT(DISTINCT user_id), "
      "MAX(score) FILTER (WHERE user_id); window: HOP(ts, 1 min, 5 min, "
      "offset 30s); trigger: AFTER WATERMARK AND EARLY EVERY 10s AND LATE "
      "EVERY ROW; accumulation: RETRACTING; lateness: 1 h]\n"
      "    Read [scores; watermark: ts - 5s]\n");
  common_free(z);

  /* No on-time pane, sessions on processing time, an unwindowed one. */
  g->trigger.bOnTime = 0;
  g->trigger.early = TRIG_AFTER_DELAY;
  g->trigger.earlyArg = 1500;
  g->trigger.late = TRIG_AFTER_ROWS;
  g->trigger.lateArg = 7;
  g->window.kind = WIN_SESSION;
  g->window.iTimeCol = -1;
  g->window.gap = 2 * 86400000000LL;
  z = explain(s);
  CHECK_CONTAINS(z,
                 "window: SESSION(PROCTIME(), 2 d); trigger: EARLY AFTER "
                 "DELAY 1500us AND LATE AFTER 7 ROWS;");
  common_free(z);
  g->window.kind = WIN_NONE;
  g->bUnbounded = 1;
  g->trigger.early = TRIG_EVERY_ROW;
  g->trigger.late = TRIG_NONE;
  g->nKey = 0;
  z = explain(s);
  CHECK_CONTAINS(z, "Combine [keys: none; aggs: COUNT(*), ");
  CHECK_CONTAINS(z,
                 "window: GLOBAL; trigger: EARLY EVERY ROW; "
                 "accumulation: RETRACTING]\n");
  common_free(z);
  common_arena_free(&A);
}

TEST(explain_pardo_window_flatten_values) {
  common_arena_init(&A, 4096);
  exec_plan *r1 = read_scores(5);
  exec_plan *r2 = node(PLAN_READ, 6);
  r2->zSource = "more";
  schema(&r2->schema, 4, azScore, aScore);
  exec_plan *fl = node(PLAN_FLATTEN, 4);
  add(fl, r1);
  add(fl, r2);
  fl->schema = r1->schema;
  exec_plan *w = node(PLAN_WINDOW, 3);
  add(w, fl);
  w->window.kind = WIN_CUMULATE;
  w->window.iTimeCol = 3;
  w->window.slide = 60000000;
  w->window.size = 3600000000LL;
  exec_plan *pd = node(PLAN_PARDO, 2);
  add(pd, w);
  w->schema = r1->schema;

  /* WHERE score > 10, SELECT team, score * 2 AS dbl */
  exec_expr col2 = {.kind = EXPR_COL, .type = WEIR_BIGINT, .iCol = 2};
  exec_expr col1 = {.kind = EXPR_COL, .type = WEIR_VARCHAR, .iCol = 1};
  exec_expr ten = {.kind = EXPR_CONST,
                   .type = WEIR_BIGINT,
                   .value = {.type = WEIR_BIGINT, .u.i = 10}};
  exec_expr two = {.kind = EXPR_CONST,
                   .type = WEIR_BIGINT,
                   .value = {.type = WEIR_BIGINT, .u.i = 2}};
  exec_expr *aGt[2] = {&col2, &ten}, *aMul[2] = {&col2, &two};
  exec_expr gt = {.kind = EXPR_CALL,
                  .type = WEIR_BOOLEAN,
                  .zFn = ">",
                  .nArg = 2,
                  .aArg = aGt};
  exec_expr mul = {.kind = EXPR_CALL,
                   .type = WEIR_BIGINT,
                   .zFn = "*",
                   .nArg = 2,
                   .aArg = aMul};
  exec_expr *aProj[2] = {&col1, &mul};
  pd->pFilter = &gt;
  pd->nProj = 2;
  pd->aProj = aProj;
  const char *az[] = {"team", "dbl"};
  const int at[] = {WEIR_VARCHAR, WEIR_BIGINT};
  schema(&pd->schema, 2, az, at);
  exec_plan *s = node(PLAN_SINK, 1);
  add(s, pd);
  char *z = explain(s);
  CHECK_EQ_STR(
      z,
      "Sink [stdout]\n"
      "  ParDo [filter: (score > 10); project: team, (score * 2) AS dbl]\n"
      "    Window [CUMULATE(ts, 1 min, 1 h)]\n"
      "      Flatten [2 inputs]\n"
      "        Read [scores; watermark: ts - 5s]\n"
      "        Read [more]\n");
  common_free(z);

  r1->idleTimeout = 30000000;
  r1->bIdleAdvance = 1;
  z = explain(r1);
  CHECK_EQ_STR(z, "Read [scores; watermark: ts - 5s; idle: 30s (advance)]\n");
  common_free(z);

  exec_plan *v = node(PLAN_VALUES, 7);
  v->nRow = 1;
  z = explain(v);
  CHECK_EQ_STR(z, "Values [1 row]\n");
  common_free(z);
  common_arena_free(&A);
}

/* ---- EXPLAIN ANALYZE over a query that ran ----------------------------- */

typedef struct null_sink {
  exec_sink base;
  int nRows;
} null_sink;

static int ns_write(exec_sink *s, const exec_batch *b, const exec_schema *sch) {
  ((null_sink *)s)->nRows += b->n;
  return 0;
}
static int ns_flush(exec_sink *s) {
  return 0;
}
static void ns_free(exec_sink *s) {}
static const exec_sink_vtab ns_vt = {ns_write, ns_flush, ns_free};
static null_sink gSink = {{&ns_vt, ""}, 0};

static exec_sink *open_sink(void *pArg, const exec_plan *p, char **pzErr) {
  return &gSink.base;
}
static exec_source *open_source(void *pArg, const exec_plan *p, char **pzErr) {
  return NULL;
}

TEST(explain_analyze_counters) {
  common_arena_init(&A, 4096);
  exec_plan *v = node(PLAN_VALUES, 3);
  const char *az[] = {"n"};
  const int at[] = {WEIR_BIGINT};
  schema(&v->schema, 1, az, at);
  v->nRow = 6;
  v->aaRow = common_arena_alloc(&A, 6 * sizeof(exec_value *));
  for (int i = 0; i < 6; i++) {
    v->aaRow[i] = common_arena_zalloc(&A, sizeof(exec_value));
    v->aaRow[i]->type = WEIR_BIGINT;
    v->aaRow[i]->u.i = i;
  }
  exec_plan *pd = node(PLAN_PARDO, 2);
  add(pd, v);
  pd->schema = v->schema;
  exec_expr col0 = {.kind = EXPR_COL, .type = WEIR_BIGINT, .iCol = 0};
  exec_expr three = {.kind = EXPR_CONST,
                     .type = WEIR_BIGINT,
                     .value = {.type = WEIR_BIGINT, .u.i = 3}};
  exec_expr *aArg[2] = {&col0, &three};
  exec_expr ge = {.kind = EXPR_CALL, .zFn = ">=", .nArg = 2, .aArg = aArg};
  uint8_t aT[2] = {WEIR_BIGINT, WEIR_BIGINT};
  const char *zErr0 = NULL;
  CHECK_EQ_INT(exec_fn_find(">=")->xBind(2, aT, &ge.type, &ge.xImpl, &zErr0),
               0);
  pd->pFilter = &ge;
  exec_plan *s = node(PLAN_SINK, 1);
  add(s, pd);
  s->schema = v->schema;

  uv_loop_t loop;
  uv_loop_init(&loop);
  exec_env env = {&loop, exec_clock_new(&loop)};
  exec_binder binder = {NULL, open_source, open_sink, NULL};
  exec_query *q = NULL;
  char *zErr = NULL;
  CHECK_EQ_INT(exec_query_start(&q, s, &env, &binder, &zErr), 0);
  CHECK_EQ_INT(gSink.nRows, 3);
  common_buf b;
  common_buf_init(&b);
  exec_plan_explain(&b, s, q);
  CHECK_EQ_STR(b.z,
               "Sink [stdout] (rows in=3, out=3, late dropped=0)\n"
               "  ParDo [filter: (n >= 3)] (rows in=6, out=3, late dropped=0)\n"
               "    Values [6 rows] (rows in=0, out=6, late dropped=0)\n");
  common_buf_free(&b);
  exec_query_free(q);
  exec_clock_free(env.clock);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
  common_arena_free(&A);
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}
