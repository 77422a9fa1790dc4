/*
** tests/unit/test_planner.c — the planner: plan shapes of real SQL (parsed
** by the parser), window and trigger parameters, EMIT defaults, pseudo-
** columns, aNeeded, view/CTE/subquery inlining and UNION ALL.
**
** Each test builds a small catalog, parses statements with
** parse_statement and walks the exec_plan tree plan_query returns.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/planner.h"
#include "tinytest.h"

#define SEC 1000000LL
#define MINUTE_US (60 * SEC)

/* Run one DDL statement against c; aborts the test on failure. */
static void ddl(plan_catalog *c, const char *zSql) {
  parse_result r;
  const char *zTail;
  plan_object *o = NULL;
  plan_error err = {-1, NULL};
  int rc = parse_statement(&r, zSql, &zTail);
  if (rc || !r.pStmt) {
    fprintf(stderr, "parse failed: %s\n", r.err.zMsg ? r.err.zMsg : "?");
    CHECK(0);
    parse_result_free(&r);
    return;
  }
  rc = plan_create(c, r.pStmt, zSql, &o, &err);
  if (rc) fprintf(stderr, "plan_create: %s\n", err.zMsg);
  CHECK_EQ_INT(rc, 0);
  plan_error_clear(&err);
  parse_result_free(&r);
}

/* The standard catalog: scores (memory, watermark on ts), logs (bounded
** file, no watermark). */
static plan_catalog *catalog(void) {
  plan_catalog *c = plan_catalog_new();
  ddl(c,
      "CREATE SOURCE scores (user_id VARCHAR, team VARCHAR, score BIGINT,"
      " ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)"
      " WITH (connector = 'memory')");
  ddl(c,
      "CREATE SOURCE logs (host VARCHAR, bytes DOUBLE, at TIMESTAMP,"
      " n BIGINT) WITH (Connector = 'file', path = 'x.csv',"
      " format = 'csv')");
  return c;
}

/* Plan a query; returns the root or NULL with *pErr set (caller clears).
** The arena must outlive the plan. */
static exec_plan *plan(plan_catalog *c, const char *zSql, common_arena *a,
                       plan_error *pErr) {
  parse_result r;
  const char *zTail;
  exec_plan *p = NULL;
  plan_settings set = {1};
  int rc = parse_statement(&r, zSql, &zTail);
  pErr->zMsg = NULL;
  pErr->iPos = -1;
  if (rc || !r.pStmt) {
    fprintf(stderr, "parse failed: %s\n", r.err.zMsg ? r.err.zMsg : "?");
    CHECK(0);
    parse_result_free(&r);
    return NULL;
  }
  CHECK_EQ_INT(r.pStmt->kind, AS_SELECT);
  rc = plan_query(c, r.pStmt->pSelect, zSql, &set, NULL, a, &p, pErr);
  parse_result_free(&r);
  if (rc) return NULL;
  return p;
}

/* Plan a query that must succeed. */
static exec_plan *ok(plan_catalog *c, const char *zSql, common_arena *a) {
  plan_error err;
  exec_plan *p = plan(c, zSql, a, &err);
  if (!p) fprintf(stderr, "plan failed: %s\n  for: %s\n", err.zMsg, zSql);
  CHECK(p != NULL);
  plan_error_clear(&err);
  if (!p) exit(1);
  CHECK_EQ_INT(p->kind, PLAN_SINK);
  return p;
}

/* Plan a query that must fail with a message containing zWant at the
** byte offset of the first occurrence of zAt in zSql. */
static void fails(plan_catalog *c, const char *zSql, const char *zWant,
                  const char *zAt) {
  common_arena a;
  plan_error err;
  exec_plan *p;
  common_arena_init(&a, 4096);
  p = plan(c, zSql, &a, &err);
  CHECK(p == NULL);
  CHECK_CONTAINS(err.zMsg, zWant);
  if (zAt) {
    const char *z = strstr(zSql, zAt);
    CHECK(z != NULL);
    if (z && err.iPos != (int)(z - zSql)) {
      fprintf(stderr, "position %d for: %s\n", err.iPos, zSql);
    }
    if (z) CHECK_EQ_INT(err.iPos, (int)(z - zSql));
  }
  plan_error_clear(&err);
  common_arena_free(&a);
}

/* Chain of kinds from the root down the first children. */
static void shape(const exec_plan *p, char *zOut, size_t n) {
  static const char *az[] = {"?",   "Read",    "Values", "ParDo", "Window",
                             "Agg", "Flatten", "Join",   "Sink"};
  zOut[0] = 0;
  while (p) {
    size_t k = strlen(zOut);
    snprintf(zOut + k, n - k, "%s%s", k ? "<" : "", az[p->kind]);
    p = p->nChild ? p->aChild[0] : NULL;
  }
}

/* The first node of the given kind (pre-order). */
static const exec_plan *find(const exec_plan *p, exec_plan_kind k) {
  int i;
  if (!p) return NULL;
  if (p->kind == k) return p;
  for (i = 0; i < p->nChild; i++) {
    const exec_plan *q = find(p->aChild[i], k);
    if (q) return q;
  }
  return NULL;
}

static char zShape[256];
#define SHAPE(p) (shape((p), zShape, sizeof(zShape)), zShape)

TEST(projection_filter_shape_and_needed) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *pd, *rd;
  common_arena_init(&a, 4096);
  p = ok(c, "SELECT team, score*2 FROM scores WHERE score > 10", &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Read");
  CHECK(p->zSink == NULL);
  pd = p->aChild[0];
  CHECK(pd->pFilter != NULL);
  CHECK_EQ_INT(pd->pFilter->type, WEIR_BOOLEAN);
  CHECK_EQ_INT(pd->nProj, 2);
  CHECK_EQ_STR(pd->schema.azName[0], "team");
  CHECK_EQ_STR(pd->schema.azName[1], "score*2");
  CHECK_EQ_INT(pd->schema.aType[1], WEIR_BIGINT);
  CHECK_EQ_INT(pd->aProj[0]->kind, EXPR_COL);
  CHECK_EQ_INT(pd->aProj[0]->iCol, 1);
  rd = pd->aChild[0];
  CHECK_EQ_STR(rd->zSource, "scores");
  CHECK_EQ_INT(rd->iWmCol, 3);
  CHECK_EQ_INT(rd->wmDelay, 5 * SEC);
  CHECK_EQ_INT(rd->aNeeded[0], 0); /* user_id never read */
  CHECK_EQ_INT(rd->aNeeded[1], 1);
  CHECK_EQ_INT(rd->aNeeded[2], 1);
  CHECK_EQ_INT(rd->aNeeded[3], 1); /* the watermark column */
  CHECK(p->id != pd->id && pd->id != rd->id);
  CHECK(plan_is_unbounded(p));
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(bounded_file_and_select_star) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *rd;
  common_arena_init(&a, 4096);
  p = ok(c, "SELECT * FROM logs", &a);
  CHECK(!plan_is_unbounded(p));
  CHECK_EQ_INT(p->schema.nCol, 4);
  CHECK_EQ_STR(p->schema.azName[3], "n");
  rd = find(p, PLAN_READ);
  CHECK_EQ_INT(rd->iWmCol, -1);
  CHECK_EQ_INT(
      rd->aNeeded[0] + rd->aNeeded[1] + rd->aNeeded[2] + rd->aNeeded[3], 4);
  p = ok(c, "SELECT host FROM logs", &a);
  rd = find(p, PLAN_READ);
  CHECK_EQ_INT(rd->aNeeded[0], 1);
  CHECK_EQ_INT(rd->aNeeded[1] + rd->aNeeded[2] + rd->aNeeded[3], 0);
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(tumble_tvf_aggregate) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *post, *agg, *pre, *rd;
  common_arena_init(&a, 4096);
  p = ok(c,
         "SELECT window_start, window_end, team, SUM(score) AS total "
         "FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE) "
         "GROUP BY window_start, window_end, team",
         &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Agg<ParDo<Read");
  post = p->aChild[0];
  agg = post->aChild[0];
  pre = agg->aChild[0];
  rd = pre->aChild[0];
  CHECK_EQ_INT(agg->window.kind, WIN_TUMBLE);
  CHECK_EQ_INT(agg->window.size, 2 * MINUTE_US);
  CHECK_EQ_INT(agg->bUnbounded, 0);
  CHECK_EQ_INT(agg->nKey, 1);
  CHECK_EQ_INT(agg->nAgg, 1);
  CHECK_EQ_INT(agg->aAgg[0].kind, AGG_SUM);
  CHECK_EQ_INT(agg->aAgg[0].resType, WEIR_BIGINT);
  /* key and argument and time are pre-projection columns */
  CHECK_EQ_STR(pre->schema.azName[agg->aKeyCol[0]], "team");
  CHECK_EQ_STR(pre->schema.azName[agg->aAgg[0].iArg], "score");
  CHECK_EQ_STR(pre->schema.azName[agg->window.iTimeCol], "ts");
  CHECK_EQ_INT(pre->schema.aType[agg->window.iTimeCol], WEIR_TIMESTAMP);
  /* Agg output: team, window_start, window_end, SUM, 4 metadata */
  CHECK_EQ_INT(agg->schema.nCol, 1 + 2 + 1 + 4);
  CHECK_EQ_STR(agg->schema.azName[1], "window_start");
  CHECK_EQ_STR(agg->schema.azName[4], "pane_timing");
  CHECK_EQ_STR(agg->schema.azName[7], "ver");
  /* final projection reorders: window_start first */
  CHECK_EQ_INT(post->nProj, 4);
  CHECK_EQ_INT(post->aProj[0]->iCol, 1);
  CHECK_EQ_INT(post->aProj[1]->iCol, 2);
  CHECK_EQ_INT(post->aProj[2]->iCol, 0);
  CHECK_EQ_INT(post->aProj[3]->iCol, 3);
  CHECK_EQ_STR(post->schema.azName[3], "total");
  /* default trigger: AFTER WATERMARK DISCARDING, no early, lateness 0 */
  CHECK_EQ_INT(agg->trigger.bOnTime, 1);
  CHECK_EQ_INT(agg->trigger.early, TRIG_NONE);
  CHECK_EQ_INT(agg->trigger.late, TRIG_NONE);
  CHECK_EQ_INT(agg->trigger.lateness, 0);
  CHECK_EQ_INT(agg->trigger.accum, ACC_DISCARDING);
  CHECK_EQ_INT(rd->aNeeded[0], 0);
  CHECK_EQ_INT(rd->aNeeded[1] + rd->aNeeded[2] + rd->aNeeded[3], 3);

  /* WHERE on the window bounds filters windows (after the aggregate);
  ** the rest of the WHERE still filters rows */
  p = ok(c,
         "SELECT team, COUNT(*) FROM TUMBLE(scores, ts, INTERVAL '2' "
         "MINUTE) WHERE window_start >= '2026-01-01 12:00:00' AND "
         "score > 1 GROUP BY team, window_start, window_end",
         &a);
  post = p->aChild[0];
  agg = post->aChild[0];
  pre = agg->aChild[0];
  CHECK(post->pFilter != NULL);
  CHECK_EQ_INT(post->pFilter->aArg[0]->iCol, 1); /* window_start */
  CHECK_EQ_INT(post->pFilter->aArg[1]->type, WEIR_TIMESTAMP);
  CHECK(pre->pFilter != NULL);
  CHECK_EQ_STR(pre->pFilter->zFn, ">");
  fails(c,
        "SELECT COUNT(*) FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE) "
        "WHERE ts > window_start GROUP BY window_start, window_end",
        "\"window_start\" can only be used in the select list or GROUP BY",
        "window_start GROUP");
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(tvf_spellings) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *agg;
  common_arena_init(&a, 4096);
  p = ok(c,
         "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE scores, "
         "DESCRIPTOR(ts), INTERVAL '2' MINUTE)) GROUP BY window_start, "
         "window_end",
         &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->window.kind, WIN_TUMBLE);
  CHECK_EQ_INT(agg->window.size, 2 * MINUTE_US);
  CHECK_EQ_INT(agg->nKey, 0);
  CHECK_EQ_INT(agg->aAgg[0].kind, AGG_COUNT_STAR);

  p = ok(c,
         "SELECT window_start, COUNT(*) FROM TUMBLE(data => TABLE scores,"
         " timecol => DESCRIPTOR(ts), dur => INTERVAL '10' MINUTE) "
         "GROUP BY window_start, window_end",
         &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->window.size, 10 * MINUTE_US);

  p = ok(c,
         "SELECT window_end, COUNT(*) FROM HOP(data => TABLE scores, "
         "timecol => DESCRIPTOR(ts), dur => INTERVAL '10' MINUTE, "
         "hopsize => INTERVAL '5' MINUTE) GROUP BY window_start, "
         "window_end",
         &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->window.kind, WIN_HOP);
  CHECK_EQ_INT(agg->window.size, 10 * MINUTE_US);
  CHECK_EQ_INT(agg->window.slide, 5 * MINUTE_US);

  p = ok(c,
         "SELECT window_start, team, MAX(score) FROM HOP(scores, ts, "
         "INTERVAL '1' MINUTE, INTERVAL '5' MINUTE, INTERVAL '30' SECOND)"
         " GROUP BY window_start, window_end, team",
         &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->window.slide, 1 * MINUTE_US);
  CHECK_EQ_INT(agg->window.size, 5 * MINUTE_US);
  CHECK_EQ_INT(agg->window.offset, 30 * SEC);

  p = ok(c,
         "SELECT window_start, team, COUNT(*) FROM SESSION(scores, ts, "
         "INTERVAL '5' MINUTE) GROUP BY window_start, window_end, team",
         &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->window.kind, WIN_SESSION);
  CHECK_EQ_INT(agg->window.gap, 5 * MINUTE_US);

  p = ok(c,
         "SELECT window_start, SUM(score) FROM CUMULATE(scores, ts, "
         "INTERVAL '1' MINUTE, INTERVAL '1' HOUR) GROUP BY window_start, "
         "window_end",
         &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->window.kind, WIN_CUMULATE);
  CHECK_EQ_INT(agg->window.slide, 1 * MINUTE_US);
  CHECK_EQ_INT(agg->window.size, 60 * MINUTE_US);
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(tvf_without_aggregate_is_window_node) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *w;
  common_arena_init(&a, 4096);
  p = ok(c, "SELECT * FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE)", &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Window<Read");
  w = find(p, PLAN_WINDOW);
  CHECK_EQ_INT(w->window.kind, WIN_TUMBLE);
  CHECK_EQ_INT(w->window.iTimeCol, 3);
  CHECK_EQ_INT(w->schema.nCol, 6);
  CHECK_EQ_STR(w->schema.azName[4], "window_start");
  CHECK_EQ_INT(p->schema.nCol, 6);
  CHECK_EQ_STR(p->schema.azName[5], "window_end");
  /* an aggregate not grouped by the window reads the materialised one */
  p = ok(c, "SELECT COUNT(*) FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE)", &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Agg<ParDo<Window<Read");
  CHECK_EQ_INT(find(p, PLAN_AGG)->bUnbounded, 1);
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(group_window_functions) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *agg, *post;
  common_arena_init(&a, 4096);
  p = ok(c,
         "SELECT team, TUMBLE_START(ts, INTERVAL '2' MINUTE) AS ws, "
         "TUMBLE_END(ts, INTERVAL '2' MINUTE), SUM(score) FROM scores "
         "GROUP BY team, TUMBLE(ts, INTERVAL '2' MINUTE)",
         &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Agg<ParDo<Read");
  agg = find(p, PLAN_AGG);
  post = p->aChild[0];
  CHECK_EQ_INT(agg->window.kind, WIN_TUMBLE);
  CHECK_EQ_INT(agg->window.size, 2 * MINUTE_US);
  CHECK_EQ_INT(agg->nKey, 1);
  CHECK_EQ_INT(post->aProj[1]->kind, EXPR_COL);
  CHECK_EQ_INT(post->aProj[1]->iCol, 1); /* window_start */
  CHECK_EQ_INT(post->aProj[2]->iCol, 2); /* window_end */
  CHECK_EQ_INT(post->aProj[3]->iCol, 3); /* SUM */
  CHECK_EQ_STR(post->schema.azName[1], "ws");

  p = ok(c,
         "SELECT HOP_END(ts, INTERVAL '1' MINUTE, INTERVAL '3' MINUTE), "
         "COUNT(*) FROM scores GROUP BY HOP(ts, INTERVAL '1' MINUTE, "
         "INTERVAL '3' MINUTE)",
         &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->window.kind, WIN_HOP);
  CHECK_EQ_INT(agg->window.slide, 1 * MINUTE_US);
  CHECK_EQ_INT(agg->window.size, 3 * MINUTE_US);
  CHECK_EQ_INT(agg->nKey, 0);

  p = ok(c,
         "SELECT team, SESSION_START(ts, INTERVAL '5' MINUTE), COUNT(*) "
         "FROM scores GROUP BY team, SESSION(ts, INTERVAL '5' MINUTE)",
         &a);
  CHECK_EQ_INT(find(p, PLAN_AGG)->window.gap, 5 * MINUTE_US);

  /* processing-time window */
  p = ok(c,
         "SELECT COUNT(*) FROM scores GROUP BY TUMBLE(PROCTIME(), "
         "INTERVAL '1' MINUTE)",
         &a);
  CHECK_EQ_INT(find(p, PLAN_AGG)->window.iTimeCol, -1);
  CHECK(find(p, PLAN_READ)->aNeeded[0] == 0);
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(ksql_window_clause) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *agg, *pre;
  common_arena_init(&a, 4096);
  p = ok(c,
         "SELECT team, WINDOWSTART, WINDOWEND, COUNT(*) FROM scores "
         "WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 10 MINUTES) "
         "GROUP BY team",
         &a);
  agg = find(p, PLAN_AGG);
  pre = agg->aChild[0];
  CHECK_EQ_INT(agg->window.kind, WIN_TUMBLE);
  CHECK_EQ_INT(agg->window.size, 60 * MINUTE_US);
  CHECK_EQ_STR(pre->schema.azName[agg->window.iTimeCol], "ts");
  CHECK_EQ_INT(agg->trigger.lateness, 10 * MINUTE_US);
  CHECK_EQ_INT(agg->trigger.late, TRIG_EVERY_ROW);
  CHECK_EQ_INT(agg->trigger.bOnTime, 1);
  CHECK_EQ_INT(p->aChild[0]->aProj[1]->iCol, 1);
  CHECK_EQ_INT(p->aChild[0]->aProj[2]->iCol, 2);
  p = ok(c,
         "SELECT team, COUNT(*) FROM scores WINDOW HOPPING (SIZE 10 "
         "MINUTES, ADVANCE BY 1 MINUTE) GROUP BY team",
         &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->window.kind, WIN_HOP);
  CHECK_EQ_INT(agg->window.size, 10 * MINUTE_US);
  CHECK_EQ_INT(agg->window.slide, 1 * MINUTE_US);
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(emit_defaults_and_spellings) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *agg;
  const char *zWin =
      "SELECT team, window_start, COUNT(*) FROM TUMBLE(scores,"
      " ts, INTERVAL '2' MINUTE) GROUP BY team, window_start,"
      " window_end ";
  char zSql[512];
  common_arena_init(&a, 4096);
  /* unwindowed aggregate: EMIT CHANGES RETRACTING */
  p = ok(c, "SELECT team, COUNT(*) FROM scores GROUP BY team", &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->bUnbounded, 1);
  CHECK_EQ_INT(agg->window.kind, WIN_NONE);
  CHECK_EQ_INT(agg->trigger.bOnTime, 0);
  CHECK_EQ_INT(agg->trigger.early, TRIG_EVERY_ROW);
  CHECK_EQ_INT(agg->trigger.accum, ACC_RETRACTING);
  CHECK_EQ_INT(agg->schema.nCol, 1 + 1 + 4);

  snprintf(zSql, sizeof(zSql), "%sEMIT CHANGES", zWin);
  agg = find(ok(c, zSql, &a), PLAN_AGG);
  CHECK_EQ_INT(agg->trigger.early, TRIG_EVERY_ROW);
  CHECK_EQ_INT(agg->trigger.bOnTime, 0);
  CHECK_EQ_INT(agg->trigger.accum, ACC_RETRACTING);

  snprintf(zSql, sizeof(zSql),
           "%sEMIT AFTER WATERMARK AND EARLY EVERY "
           "INTERVAL '1' MINUTE",
           zWin);
  agg = find(ok(c, zSql, &a), PLAN_AGG);
  CHECK_EQ_INT(agg->trigger.bOnTime, 1);
  CHECK_EQ_INT(agg->trigger.early, TRIG_EVERY);
  CHECK_EQ_INT(agg->trigger.earlyArg, 1 * MINUTE_US);
  CHECK_EQ_INT(agg->trigger.accum, ACC_DISCARDING);

  snprintf(zSql, sizeof(zSql),
           "%sEMIT AFTER WATERMARK EARLY AFTER 3 ROWS "
           "LATE EVERY ROW ALLOWED LATENESS INTERVAL '1' MINUTE "
           "ACCUMULATING",
           zWin);
  agg = find(ok(c, zSql, &a), PLAN_AGG);
  CHECK_EQ_INT(agg->trigger.early, TRIG_AFTER_ROWS);
  CHECK_EQ_INT(agg->trigger.earlyArg, 3);
  CHECK_EQ_INT(agg->trigger.late, TRIG_EVERY_ROW);
  CHECK_EQ_INT(agg->trigger.lateness, 1 * MINUTE_US);
  CHECK_EQ_INT(agg->trigger.accum, ACC_ACCUMULATING);

  snprintf(zSql, sizeof(zSql),
           "%sEMIT STREAM AFTER DELAY INTERVAL '30' "
           "SECOND",
           zWin);
  agg = find(ok(c, zSql, &a), PLAN_AGG);
  CHECK_EQ_INT(agg->trigger.early, TRIG_AFTER_DELAY);
  CHECK_EQ_INT(agg->trigger.earlyArg, 30 * SEC);
  CHECK_EQ_INT(agg->trigger.accum, ACC_RETRACTING);

  snprintf(zSql, sizeof(zSql), "%sEMIT FINAL", zWin);
  agg = find(ok(c, zSql, &a), PLAN_AGG);
  CHECK_EQ_INT(agg->trigger.bOnTime, 1);
  CHECK_EQ_INT(agg->trigger.early, TRIG_NONE);
  CHECK_EQ_INT(agg->trigger.accum, ACC_DISCARDING);

  snprintf(zSql, sizeof(zSql),
           "%sEMIT AFTER WATERMARK ALLOWED LATENESS "
           "INTERVAL '2' MINUTE RETRACTING",
           zWin);
  agg = find(ok(c, zSql, &a), PLAN_AGG);
  CHECK_EQ_INT(agg->trigger.late, TRIG_EVERY_ROW);
  CHECK_EQ_INT(agg->trigger.lateness, 2 * MINUTE_US);
  CHECK_EQ_INT(agg->trigger.accum, ACC_RETRACTING);

  /* EMIT on a query over an aggregating subquery reaches the aggregate */
  agg = find(ok(c,
                "SELECT * FROM (SELECT team, COUNT(*) AS n FROM TUMBLE("
                "scores, ts, INTERVAL '1' MINUTE) GROUP BY team, "
                "window_start, window_end) EMIT CHANGES",
                &a),
             PLAN_AGG);
  CHECK_EQ_INT(agg->trigger.early, TRIG_EVERY_ROW);
  CHECK_EQ_INT(agg->trigger.accum, ACC_RETRACTING);
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(pseudo_columns) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *post, *agg;
  int iMeta;
  common_arena_init(&a, 4096);
  p = ok(c,
         "SELECT team, COUNT(*) AS n, op, undo, pane_timing, pane_index,"
         " emit_time, ptime, ver FROM TUMBLE(scores, ts, INTERVAL '1' "
         "MINUTE) GROUP BY team, window_start, window_end "
         "EMIT CHANGES",
         &a);
  post = p->aChild[0];
  agg = post->aChild[0];
  iMeta = agg->nKey + 2 + agg->nAgg;
  CHECK_EQ_INT(iMeta, 4);
  CHECK_EQ_INT(post->aProj[2]->kind, EXPR_ROWOP);
  CHECK_EQ_INT(post->aProj[2]->type, WEIR_VARCHAR);
  CHECK_EQ_INT(post->aProj[3]->type, WEIR_BOOLEAN);
  CHECK_EQ_INT(post->aProj[4]->iCol, iMeta);
  CHECK_EQ_INT(post->aProj[4]->type, WEIR_VARCHAR);
  CHECK_EQ_INT(post->aProj[5]->iCol, iMeta + 1);
  CHECK_EQ_INT(post->aProj[6]->iCol, iMeta + 2);
  CHECK_EQ_INT(post->aProj[6]->type, WEIR_TIMESTAMP);
  CHECK_EQ_INT(post->aProj[7]->iCol, iMeta + 2);
  CHECK_EQ_INT(post->aProj[8]->iCol, iMeta + 3);
  CHECK_EQ_STR(agg->schema.azName[post->aProj[8]->iCol], "ver");
  fails(c, "SELECT team, pane_index FROM scores",
        "pane_index is only "
        "available on the result of an aggregate",
        "pane_index");
  /* through a subquery (or view) that aggregates */
  p = ok(c,
         "SELECT t, pane_timing, ver FROM (SELECT x.team AS t FROM ("
         "SELECT team, COUNT(*) AS n FROM scores GROUP BY team) x)",
         &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Agg<ParDo<Read");
  post = p->aChild[0];
  agg = post->aChild[0];
  CHECK_EQ_INT(post->nProj, 3);
  CHECK_EQ_STR(agg->schema.azName[post->aProj[1]->iCol], "pane_timing");
  CHECK_EQ_STR(agg->schema.azName[post->aProj[2]->iCol], "ver");
  CHECK_EQ_STR(p->schema.azName[1], "pane_timing");
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(aggregate_variants) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *agg, *pre, *post;
  common_arena_init(&a, 4096);
  p = ok(c,
         "SELECT team, COUNT(*), COUNT(user_id), COUNT(DISTINCT user_id),"
         " SUM(score) FILTER (WHERE score > 3), AVG(score), MIN(ts), "
         "MAX(score) + 1 FROM scores WHERE team <> 'x' GROUP BY team "
         "HAVING COUNT(*) > 1",
         &a);
  post = p->aChild[0];
  agg = post->aChild[0];
  pre = agg->aChild[0];
  CHECK(pre->pFilter != NULL);
  CHECK(post->pFilter != NULL);
  CHECK_EQ_INT(agg->nAgg, 7); /* HAVING's COUNT(*) is shared */
  CHECK_EQ_INT(agg->aAgg[0].kind, AGG_COUNT_STAR);
  CHECK_EQ_INT(agg->aAgg[0].iArg, -1);
  CHECK_EQ_INT(agg->aAgg[1].kind, AGG_COUNT);
  CHECK_EQ_INT(agg->aAgg[2].bDistinct, 1);
  CHECK_EQ_INT(agg->aAgg[1].iArg, agg->aAgg[2].iArg);
  CHECK_EQ_INT(pre->nProj, 5); /* team, user_id, score > 3, score, ts */
  CHECK_EQ_INT(agg->aAgg[3].kind, AGG_SUM);
  CHECK(agg->aAgg[3].iFilter >= 0);
  CHECK_EQ_INT(pre->schema.aType[agg->aAgg[3].iFilter], WEIR_BOOLEAN);
  CHECK_EQ_INT(agg->aAgg[4].kind, AGG_AVG);
  CHECK_EQ_INT(agg->aAgg[4].resType, WEIR_DOUBLE);
  CHECK_EQ_INT(agg->aAgg[5].kind, AGG_MIN);
  CHECK_EQ_INT(agg->aAgg[5].resType, WEIR_TIMESTAMP);
  CHECK_EQ_INT(agg->aAgg[6].kind, AGG_MAX);
  CHECK_EQ_INT(post->aProj[7]->kind, EXPR_CALL);
  CHECK_EQ_INT(post->schema.aType[7], WEIR_BIGINT);

  /* identical pre-projection expressions are computed once */
  p = ok(c,
         "SELECT COUNT(*) FILTER (WHERE score > 3), SUM(score) FILTER "
         "(WHERE score > 3) FROM scores",
         &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->aChild[0]->nProj, 2);
  CHECK_EQ_INT(agg->aAgg[0].iFilter, agg->aAgg[1].iFilter);

  /* GROUP BY an expression, referenced again in the select list */
  p = ok(c, "SELECT UPPER(team), COUNT(*) FROM scores GROUP BY UPPER(team)",
         &a);
  post = p->aChild[0];
  CHECK_EQ_INT(post->aProj[0]->kind, EXPR_COL);
  CHECK_EQ_INT(post->aProj[0]->iCol, 0);
  agg = post->aChild[0];
  CHECK_EQ_INT(agg->aChild[0]->aProj[agg->aKeyCol[0]]->kind, EXPR_CALL);

  /* DISTINCT is a group by every column */
  p = ok(c, "SELECT DISTINCT team FROM scores", &a);
  CHECK_EQ_INT(find(p, PLAN_AGG)->nKey, 1);
  CHECK_EQ_INT(find(p, PLAN_AGG)->nAgg, 0);
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(views_ctes_subqueries_union) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *rd, *fl;
  common_arena_init(&a, 4096);
  ddl(c,
      "CREATE VIEW big AS SELECT team, score FROM scores "
      "WHERE score > 100");
  p = ok(c, "SELECT team FROM big", &a);
  /* the view's ParDo and the query's are fused into one */
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Read");
  CHECK(p->aChild[0]->pFilter != NULL);
  CHECK_EQ_INT(p->aChild[0]->nProj, 1);
  CHECK_EQ_INT(p->aChild[0]->aProj[0]->iCol, 1);
  rd = find(p, PLAN_READ);
  CHECK_EQ_INT(rd->aNeeded[0], 0);
  CHECK_EQ_INT(rd->aNeeded[1], 1);
  CHECK_EQ_INT(rd->aNeeded[2], 1); /* read by the view's WHERE */

  /* a view over a view, windowed; EXPLAIN-able plan */
  ddl(c,
      "CREATE VIEW per_team AS SELECT team, window_start, SUM(score) AS s"
      " FROM TUMBLE(scores, ts, INTERVAL '1' MINUTE) GROUP BY team, "
      "window_start, window_end");
  p = ok(c, "SELECT s, team FROM per_team WHERE s > 3", &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Agg<ParDo<Read");
  /* the filter now reads the aggregate's output column directly */
  CHECK_EQ_INT(p->aChild[0]->pFilter->aArg[0]->kind, EXPR_COL);
  CHECK_EQ_INT(p->aChild[0]->pFilter->aArg[0]->iCol, 3);
  CHECK_EQ_INT(find(p, PLAN_AGG)->window.size, 1 * MINUTE_US);
  CHECK_EQ_STR(p->schema.azName[0], "s");
  /* two filters stay two ParDos (neither runs on rows the other drops) */
  p = ok(c, "SELECT team FROM big WHERE score < 200", &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<ParDo<Read");

  /* CTE */
  p = ok(c,
         "WITH t AS (SELECT team, score FROM scores) "
         "SELECT team FROM t WHERE score > 1",
         &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Read");
  CHECK_EQ_INT(find(p, PLAN_READ)->aNeeded[0], 0);

  /* subquery in FROM with an alias qualifying its columns */
  p = ok(c, "SELECT x.t2 FROM (SELECT team AS t2 FROM scores) AS x", &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Read");
  CHECK_EQ_STR(p->schema.azName[0], "t2");

  /* UNION ALL: a Flatten of both arms, BIGINT widened to DOUBLE */
  p = ok(c,
         "SELECT team, score FROM scores UNION ALL "
         "SELECT host, bytes FROM logs",
         &a);
  fl = p->aChild[0];
  CHECK_EQ_INT(fl->kind, PLAN_FLATTEN);
  CHECK_EQ_INT(fl->nChild, 2);
  CHECK_EQ_INT(fl->schema.aType[1], WEIR_DOUBLE);
  CHECK_EQ_INT(fl->aChild[0]->schema.aType[1], WEIR_DOUBLE);
  CHECK_EQ_INT(fl->aChild[0]->aProj[1]->kind, EXPR_CAST);
  CHECK(!plan_is_unbounded(fl->aChild[1]));
  CHECK(plan_is_unbounded(p));

  /* SELECT without FROM and VALUES */
  p = ok(c, "SELECT 1 + 1 AS two", &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Values");
  CHECK_EQ_INT(p->schema.aType[0], WEIR_BIGINT);
  CHECK_EQ_INT(find(p, PLAN_VALUES)->nRow, 1);
  p = ok(c, "VALUES (1, 'a'), (2.5, NULL)", &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<Values");
  CHECK_EQ_INT(p->aChild[0]->nRow, 2);
  CHECK_EQ_INT(p->schema.aType[0], WEIR_DOUBLE);
  CHECK_EQ_INT(p->schema.aType[1], WEIR_VARCHAR);
  CHECK(p->aChild[0]->aaRow[0][0].u.f == 1.0);
  CHECK_EQ_INT(p->aChild[0]->aaRow[1][1].isNull, 1);
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(binding_errors) {
  plan_catalog *c = catalog();
  fails(c, "SELECT scroe FROM scores",
        "unknown column \"scroe\" (did you mean \"score\"?)", "scroe");
  fails(c, "SELECT team FROM scroes",
        "unknown source or view \"scroes\" (did you mean \"scores\"?)",
        "scroes");
  fails(c, "SELECT zzz FROM nowhere", "unknown source or view \"nowhere\"",
        "nowhere");
  fails(c, "SELECT a FROM (SELECT team AS a, user_id AS a FROM scores)",
        "ambiguous column \"a\"", "a FROM");
  fails(c, "SELECT q.team FROM scores", "unknown table or alias \"q\"",
        "q.team");
  fails(c, "SELECT team + score FROM scores",
        "cannot apply + to VARCHAR and BIGINT", "team + score");
  fails(c, "SELECT team FROM scores WHERE score + 1",
        "WHERE must be BOOLEAN, not BIGINT", "score + 1");
  fails(c, "SELECT team FROM scores WHERE SUM(score) > 1",
        "aggregate SUM is not allowed in WHERE", "SUM(");
  fails(c, "SELECT user_id, COUNT(*) FROM scores GROUP BY team",
        "column \"user_id\" must appear in GROUP BY or be used in an "
        "aggregate",
        "user_id");
  fails(c, "SELECT team, SUM(COUNT(*)) FROM scores GROUP BY team",
        "cannot be nested", "COUNT(*)");
  fails(c, "SELECT SUMM(score) FROM scores",
        "unknown function \"SUMM\" (did you mean \"SUM\"?)", "SUMM");
  fails(c, "SELECT LOWER(team, team) FROM scores",
        "wrong number of arguments to LOWER", "LOWER");
  fails(c, "SELECT SUM(team) FROM scores",
        "SUM expects a numeric "
        "argument, not VARCHAR",
        "team)");
  fails(c, "SELECT team, COUNT(*) FROM scores GROUP BY SUM(score)",
        "aggregate SUM is not allowed in GROUP BY", "SUM(score)");
  fails(c, "SELECT window_start, team FROM scores",
        "window_start used without a window", "window_start");
  fails(c,
        "SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE), COUNT(*) FROM "
        "scores GROUP BY team",
        "TUMBLE_START requires a window", "TUMBLE_START");
  fails(c,
        "SELECT COUNT(*) FROM TUMBLE(scores, score, INTERVAL '1' MINUTE)"
        " GROUP BY window_start, window_end",
        "window time column \"score\" must be TIMESTAMP, not BIGINT",
        "score, INTERVAL");
  fails(c,
        "SELECT COUNT(*) FROM TUMBLE(scores, ts, INTERVAL '0' MINUTE) "
        "GROUP BY window_start, window_end",
        "TUMBLE size must be a positive INTERVAL", "INTERVAL '0'");
  fails(c,
        "SELECT COUNT(*) FROM TUMBLE(scores, ts, 5) GROUP BY "
        "window_start, window_end",
        "TUMBLE size must be an INTERVAL", "5)");
  fails(c,
        "SELECT COUNT(*) FROM HOP(scores, ts, INTERVAL '1' MINUTE) "
        "GROUP BY window_start",
        "missing arguments: HOP(table, time column,"
        " slide, size",
        "HOP(");
  fails(c,
        "SELECT COUNT(*) FROM TUMBLE(scores, tss, INTERVAL '1' MINUTE) "
        "GROUP BY window_start",
        "unknown column \"tss\" (did you mean "
        "\"ts\"?)",
        "tss");
  fails(c, "SELECT * FROM SESSION(scores, ts, INTERVAL '1' MINUTE)",
        "SESSION windows need an aggregate", "SESSION(");
  fails(c, "SELECT user_id FROM scores ORDER BY team",
        "ORDER BY is not supported on streams yet", "team");
  fails(c, "SELECT ts FROM scores WHERE ts > 'yesterday'",
        "cannot convert 'yesterday' to TIMESTAMP", "ts >");
  fails(c,
        "SELECT COUNT(*) FROM scores GROUP BY TUMBLE(ts, INTERVAL '1' "
        "MINUTE), HOP(ts, INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)",
        "only one window per GROUP BY", "HOP(");
  fails(c, "SELECT team FROM scores UNION ALL SELECT host, n FROM logs",
        "UNION ALL arms have different numbers of columns", NULL);
  fails(c, "SELECT team FROM scores UNION ALL SELECT n FROM logs",
        "UNION ALL column 1 has types VARCHAR and BIGINT", NULL);
  fails(c, "SELECT * , COUNT(*) FROM scores",
        "SELECT * is not allowed with GROUP BY or aggregates", "*");
  plan_catalog_free(c);
}

TEST(error_inside_view_points_at_reference) {
  plan_catalog *c = catalog();
  ddl(c, "CREATE VIEW v AS SELECT team, score FROM scores");
  /* dropping the source makes the view's definition fail to bind */
  CHECK_EQ_INT(plan_catalog_drop(c, "scores"), 0);
  fails(c, "SELECT team FROM v",
        "in view \"v\": unknown source or view "
        "\"scores\"",
        "v\0");
  plan_catalog_free(c);
}

TEST(coercions) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_expr *f;
  common_arena_init(&a, 4096);
  p = ok(c, "SELECT ts FROM scores WHERE ts >= '2026-01-01 12:00:00'", &a);
  f = p->aChild[0]->pFilter;
  CHECK_EQ_INT(f->kind, EXPR_CALL);
  CHECK_EQ_INT(f->aArg[1]->kind, EXPR_CONST);
  CHECK_EQ_INT(f->aArg[1]->type, WEIR_TIMESTAMP);
  CHECK_EQ_INT(f->aArg[1]->value.u.i, 1767268800LL * SEC);
  p = ok(c,
         "SELECT score + 1.5, NULL, CAST(score AS VARCHAR), "
         "CASE team WHEN 'red' THEN 1 ELSE 0 END, "
         "EXTRACT(HOUR FROM ts), score BETWEEN 1 AND 5, "
         "team IN ('a', 'b'), team LIKE 'r%', team IS NULL, "
         "-score, NOT (score > 1) FROM scores",
         &a);
  CHECK_EQ_INT(p->schema.aType[0], WEIR_DOUBLE);
  CHECK_EQ_INT(p->schema.aType[1], WEIR_VARCHAR);
  CHECK_EQ_INT(p->schema.aType[2], WEIR_VARCHAR);
  CHECK_EQ_INT(p->aChild[0]->aProj[2]->kind, EXPR_CAST);
  CHECK_EQ_INT(p->schema.aType[3], WEIR_BIGINT);
  CHECK_EQ_STR(p->aChild[0]->aProj[3]->zFn, "CASE");
  CHECK_EQ_STR(p->aChild[0]->aProj[3]->aArg[0]->zFn, "=");
  CHECK_EQ_INT(p->schema.aType[4], WEIR_BIGINT);
  CHECK_EQ_STR(p->aChild[0]->aProj[4]->zFn, "EXTRACT_HOUR");
  CHECK_EQ_INT(p->schema.aType[5], WEIR_BOOLEAN);
  CHECK_EQ_INT(p->schema.aType[6], WEIR_BOOLEAN);
  CHECK_EQ_INT(p->schema.aType[7], WEIR_BOOLEAN);
  CHECK_EQ_INT(p->schema.aType[8], WEIR_BOOLEAN);
  CHECK_EQ_INT(p->schema.aType[9], WEIR_BIGINT);
  CHECK_EQ_INT(p->schema.aType[10], WEIR_BOOLEAN);
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(explain_names_window_and_trigger) {
  plan_catalog *c = catalog();
  common_arena a;
  common_buf b;
  exec_plan *p;
  common_arena_init(&a, 4096);
  common_buf_init(&b);
  p = ok(c,
         "SELECT team, SUM(score) FROM TUMBLE(scores, ts, INTERVAL '2' "
         "MINUTE) GROUP BY team, window_start, window_end",
         &a);
  exec_plan_explain(&b, p, NULL);
  CHECK_CONTAINS(b.z, "TUMBLE(ts, 2 min)");
  CHECK_CONTAINS(b.z, "scores");
  CHECK_CONTAINS(b.z, "AFTER WATERMARK");
  CHECK_CONTAINS(b.z, "DISCARDING");
  common_buf_free(&b);
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(group_by_ordinals_aliases_having_alias) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *agg;
  common_arena_init(&a, 4096);
  p = ok(c,
         "SELECT window_start, team AS t, SUM(score) FROM TUMBLE(scores, "
         "ts, INTERVAL '2' MINUTE) GROUP BY 1, t",
         &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->window.kind, WIN_TUMBLE);
  CHECK_EQ_INT(agg->nKey, 1);
  CHECK_EQ_STR(agg->schema.azName[0], "team");
  CHECK(find(p, PLAN_WINDOW) == NULL);
  p = ok(c,
         "SELECT team, COUNT(*) AS c FROM scores GROUP BY team "
         "HAVING c > 1",
         &a);
  agg = find(p, PLAN_AGG);
  CHECK_EQ_INT(agg->nAgg, 1);
  CHECK(p->aChild[0]->pFilter != NULL);
  CHECK_EQ_INT(p->aChild[0]->pFilter->aArg[0]->iCol, 1);
  fails(c, "SELECT team, COUNT(*) FROM scores GROUP BY 3",
        "GROUP BY position 3 is not in the select list", "3");
  fails(c, "SELECT team, COUNT(*) FROM scores GROUP BY 2",
        "GROUP BY position 2 refers to an aggregate", "2");
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(sink_name_and_null_column) {
  plan_catalog *c = catalog();
  common_arena a;
  parse_result r;
  const char *zTail;
  const char *zSql = "SELECT NULL AS nothing, team FROM scores";
  exec_plan *p = NULL;
  plan_error err;
  plan_settings set = {0};
  common_arena_init(&a, 4096);
  ddl(c, "CREATE SINK out FROM scores WITH (connector = 'memory')");
  CHECK_EQ_INT(parse_statement(&r, zSql, &zTail), 0);
  CHECK_EQ_INT(plan_query(c, r.pStmt->pSelect, zSql, &set, "out", &a, &p, &err),
               0);
  parse_result_free(&r);
  CHECK_EQ_STR(p->zSink, "out");
  CHECK(p->pSinkDef == plan_catalog_find(c, "out"));
  CHECK_EQ_INT(p->schema.aType[0], WEIR_VARCHAR);
  CHECK_EQ_STR(p->schema.azName[0], "nothing");
  fails(c, "SELECT * FROM out", "\"out\" is a sink", "out");
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(joins_are_planned) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  const exec_plan *j;
  common_arena_init(&a, 4096);
  p = ok(c,
         "SELECT s.user_id, l.bytes FROM scores s JOIN logs l "
         "ON s.team = l.host AND s.score > 3",
         &a);
  CHECK_EQ_STR(SHAPE(p), "Sink<ParDo<Join<Read");
  j = find(p, PLAN_JOIN);
  CHECK_EQ_INT(j->nChild, 2);
  CHECK_EQ_INT(j->joinKind, 1);
  CHECK_EQ_INT(j->nJoinKey, 1);
  CHECK_EQ_INT(j->aLeftKey[0], 1);  /* scores.team */
  CHECK_EQ_INT(j->aRightKey[0], 0); /* logs.host */
  CHECK(j->pJoinFilter != NULL);
  CHECK_EQ_INT(j->schema.nCol, 8);
  CHECK_EQ_INT(j->window.kind, WIN_NONE);
  /* needed: user_id, team, score (+ts watermark); host, bytes */
  CHECK_EQ_INT(j->aChild[0]->aNeeded[0], 1);
  CHECK_EQ_INT(j->aChild[1]->aNeeded[0], 1);
  CHECK_EQ_INT(j->aChild[1]->aNeeded[1], 1);
  CHECK_EQ_INT(j->aChild[1]->aNeeded[2], 0);
  CHECK_EQ_INT(j->aChild[1]->aNeeded[3], 0);

  /* USING: the right copy is only reachable qualified */
  p = ok(c,
         "SELECT * FROM (SELECT team, score FROM scores) JOIN (SELECT "
         "host AS team, n FROM logs) USING (team)",
         &a);
  CHECK_EQ_INT(p->schema.nCol, 3);
  CHECK_EQ_INT(find(p, PLAN_JOIN)->nJoinKey, 1);

  /* the same window on both sides, joined on its bounds */
  p = ok(c,
         "SELECT L.team, L.window_start FROM TUMBLE(scores, ts, INTERVAL "
         "'1' MINUTE) L LEFT JOIN TUMBLE(logs, at, INTERVAL '1' MINUTE) R "
         "ON L.team = R.host AND L.window_start = R.window_start AND "
         "L.window_end = R.window_end",
         &a);
  j = find(p, PLAN_JOIN);
  CHECK_EQ_INT(j->joinKind, 2);
  CHECK_EQ_INT(j->nJoinKey, 3);
  CHECK_EQ_INT(j->window.kind, WIN_TUMBLE);
  CHECK_EQ_INT(j->window.size, 1 * MINUTE_US);
  CHECK_EQ_INT(j->aChild[0]->kind, PLAN_WINDOW);
  CHECK_EQ_INT(j->aChild[1]->kind, PLAN_WINDOW);

  fails(c, "SELECT * FROM scores, logs",
        "a streaming join needs an "
        "equality between the two sides",
        NULL);
  /* FROM a, b WHERE a.k = b.k: keys come from the WHERE */
  p = ok(c,
         "SELECT s.team FROM scores s, logs l WHERE l.n > 1 AND "
         "l.host = s.team",
         &a);
  j = find(p, PLAN_JOIN);
  CHECK_EQ_INT(j->nJoinKey, 1);
  CHECK_EQ_INT(j->aLeftKey[0], 1);
  CHECK_EQ_INT(j->aRightKey[0], 0);
  CHECK(p->aChild[0]->pFilter != NULL);
  fails(c, "SELECT * FROM scores s JOIN logs l ON s.score = l.host",
        "cannot join BIGINT with VARCHAR", "s.score =");
  fails(c, "SELECT n FROM scores s JOIN logs l ON s.team = l.hots",
        "unknown column \"hots\" (did you mean \"host\"?)", "l.hots");
  common_arena_free(&a);
  plan_catalog_free(c);
}

TEST(window_argument_errors_and_view_cycles) {
  plan_catalog *c = catalog();
  fails(c,
        "SELECT COUNT(*) FROM TUMBLE(scores, ts, INTERVAL '1' MINUTE, "
        "INTERVAL '2' MINUTE) GROUP BY window_start",
        "TUMBLE offset must be smaller than the window size", "INTERVAL '2'");
  fails(c,
        "SELECT COUNT(*) FROM TUMBLE(scores, ts, INTERVAL '1' MINUTE, "
        "foo => INTERVAL '1' SECOND) GROUP BY window_start",
        "TUMBLE has no argument named", "foo");
  fails(c, "SELECT COUNT(*) FROM FOO(scores) GROUP BY window_start",
        "unknown table function \"FOO\"", "FOO");
  fails(c, "SELECT COUNT(*) FROM scores GROUP BY TUMBLE(ts)",
        "missing arguments: TUMBLE(time column, size [, offset])", "TUMBLE(");
  fails(c, "SELECT TUMBLE(ts, INTERVAL '1' MINUTE) FROM scores",
        "TUMBLE(...) is only allowed in FROM", "TUMBLE(");
  fails(c,
        "SELECT COUNT(*) FROM CUMULATE(scores, ts, INTERVAL '1' MINUTE, "
        "INTERVAL '90' SECOND) GROUP BY window_start",
        "CUMULATE max size must be a multiple of the step", "INTERVAL '90'");
  fails(c, "SELECT COUNT(*) OVER () FROM scores",
        "window functions (COUNT ... OVER) are not supported yet", "COUNT");
  fails(c, "SELECT team, COUNT(*) FROM scores GROUP BY team LIMIT 3",
        "LIMIT is not supported on streams yet", "3");
  ddl(c, "CREATE SOURCE two (a TIMESTAMP, b TIMESTAMP)");
  fails(c, "SELECT COUNT(*) FROM two WINDOW TUMBLING (SIZE 1 MINUTE)",
        "WINDOW clause needs an event-time column", "TUMBLING");
  ddl(c, "CREATE VIEW v AS SELECT team FROM scores");
  ddl(c, "CREATE OR REPLACE VIEW v AS SELECT team FROM v");
  fails(c, "SELECT * FROM v", "nested too deeply", "v");
  plan_catalog_free(c);
}

TEST(every_outcome_is_a_plan_or_a_positioned_error) {
  static const char *const azSql[] = {
      "SELECT ((((score)))) FROM scores",
      "SELECT COUNT(*) FROM TUMBLE(TABLE scores, DESCRIPTOR(ts, team), "
      "INTERVAL '1' MINUTE) GROUP BY window_start",
      "SELECT COUNT(*) FROM TUMBLE(1, ts, INTERVAL '1' MINUTE) GROUP BY 1",
      "SELECT COUNT(*) FROM TUMBLE(scores, 'x', INTERVAL '1' MINUTE)",
      "SELECT DESCRIPTOR(ts) FROM scores",
      "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t",
      "SELECT column1 + 1 FROM (VALUES (1), (2))",
      "VALUES (1), ('a')",
      "SELECT EXISTS (SELECT 1) FROM scores",
      "SELECT ~score FROM scores",
      "SELECT - team FROM scores",
      "SELECT team FROM scores WHERE NULL",
      "SELECT COUNT(*) FROM scores HAVING COUNT(*) > 2",
      "SELECT 1 WHERE 1 = 1",
      "SELECT score FROM scores WHERE score IN (SELECT 1)",
      "SELECT CAST(ts AS VARCHAR), CAST('12' AS BIGINT) FROM scores",
      "SELECT ts + INTERVAL '1' MINUTE, ts - ts FROM scores",
      "SELECT window_start FROM TUMBLE(scores, ts, INTERVAL '1' MINUTE) "
      "WHERE window_start > TIMESTAMP '2026-01-01 00:00:00'",
      "SELECT COUNT(*) FROM TUMBLE(scores, ts, INTERVAL '1' MINUTE) WHERE "
      "window_start > TIMESTAMP '2026-01-01 00:00:00' GROUP BY window_start",
      "SELECT team, COUNT(*) FROM scores GROUP BY team UNION ALL SELECT host, "
      "COUNT(*) FROM logs GROUP BY host",
      "SELECT x.a FROM (SELECT t.a FROM (SELECT team AS a FROM scores) t) x",
      "SELECT * FROM scores s JOIN logs l ON s.team = l.host JOIN scores s2 "
      "ON s2.user_id = s.user_id",
      "SELECT COUNT(*) FROM scores GROUP BY HOP(ts, INTERVAL '1' MINUTE, "
      "INTERVAL '2' MINUTE, INTERVAL '9' MINUTE)",
      "SELECT SUM(score) FILTER (WHERE SUM(score) > 1) FROM scores",
      "SELECT COUNT(*) FROM scores GROUP BY COUNT(*)",
      "SELECT team FROM scores WHERE team LIKE 5",
      "SELECT CASE WHEN TRUE THEN 1 ELSE 'a' END FROM scores",
  };
  plan_catalog *c = catalog();
  int i;
  for (i = 0; i < COMMON_ARRAY_SIZE(azSql); i++) {
    common_arena a;
    plan_error err;
    exec_plan *p;
    common_arena_init(&a, 4096);
    p = plan(c, azSql[i], &a, &err);
    if (p) {
      CHECK_EQ_INT(p->kind, PLAN_SINK);
      CHECK(err.zMsg == NULL);
    } else {
      CHECK(err.zMsg != NULL && err.zMsg[0]);
      CHECK(err.iPos >= 0 && err.iPos < (int)strlen(azSql[i]));
    }
    plan_error_clear(&err);
    common_arena_free(&a);
  }
  plan_catalog_free(c);
}

TEST(sink_unique_key_for_upserts) {
  plan_catalog *c = catalog();
  common_arena a;
  exec_plan *p;
  common_arena_init(&a, 4096);
  /* windowed: group key and both window bounds, wherever projected */
  p = ok(c,
         "SELECT SUM(score), window_end, team, window_start FROM "
         "TUMBLE(scores, ts, INTERVAL '1' MINUTE) GROUP BY team, "
         "window_start, window_end",
         &a);
  CHECK_EQ_INT(p->nSinkKey, 3);
  CHECK_EQ_INT(p->aSinkKey[0], 1);
  CHECK_EQ_INT(p->aSinkKey[1], 2);
  CHECK_EQ_INT(p->aSinkKey[2], 3);
  /* one window bound is enough to name the window */
  p = ok(c,
         "SELECT team, window_start, COUNT(*) FROM TUMBLE(scores, ts, "
         "INTERVAL '1' MINUTE) GROUP BY team, window_start, window_end",
         &a);
  CHECK_EQ_INT(p->nSinkKey, 2);
  /* through a view-like subquery */
  p = ok(c,
         "SELECT n, k FROM (SELECT team AS k, COUNT(*) AS n FROM scores "
         "GROUP BY team)",
         &a);
  CHECK_EQ_INT(p->nSinkKey, 1);
  CHECK_EQ_INT(p->aSinkKey[0], 1);
  /* a key projected away, or no window bound: no unique key */
  p = ok(c, "SELECT COUNT(*) FROM scores GROUP BY team", &a);
  CHECK_EQ_INT(p->nSinkKey, 0);
  p = ok(c,
         "SELECT team, COUNT(*) FROM TUMBLE(scores, ts, INTERVAL '1' "
         "MINUTE) GROUP BY team, window_start, window_end",
         &a);
  CHECK_EQ_INT(p->nSinkKey, 0);
  /* append-only queries have none */
  p = ok(c, "SELECT team, score FROM scores", &a);
  CHECK_EQ_INT(p->nSinkKey, 0);
  common_arena_free(&a);
  plan_catalog_free(c);
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}
