/*
** tests/unit/test_planner_ddl.c — the planner's catalog statements:
** CREATE SOURCE/STREAM/TABLE (schema, WATERMARK FOR, options), CREATE
** VIEW / SINK validation, INSERT ... VALUES batches, and the constant
** expressions of SET / ADVANCE.
*/
#include <stdio.h>
#include <string.h>

#include "planner/planner.h"
#include "tinytest.h"

#define SEC 1000000LL

/* Parse zSql and run plan_create; returns its rc, *pErr filled. */
static int create(plan_catalog *c, const char *zSql, plan_object **ppObj,
                  plan_error *pErr) {
  parse_result r;
  const char *zTail;
  int rc = parse_statement(&r, zSql, &zTail);
  pErr->zMsg = NULL;
  pErr->iPos = -1;
  *ppObj = NULL;
  if (rc || !r.pStmt) {
    fprintf(stderr, "parse failed: %s\n", r.err.zMsg ? r.err.zMsg : "?");
    CHECK(0);
    parse_result_free(&r);
    return -1;
  }
  rc = plan_create(c, r.pStmt, zSql, ppObj, pErr);
  parse_result_free(&r);
  return rc;
}

static plan_object *create_ok(plan_catalog *c, const char *zSql) {
  plan_object *o;
  plan_error err;
  int rc = create(c, zSql, &o, &err);
  if (rc) fprintf(stderr, "plan_create: %s\n  for: %s\n", err.zMsg, zSql);
  CHECK_EQ_INT(rc, 0);
  plan_error_clear(&err);
  return o;
}

static void create_fails(plan_catalog *c, const char *zSql, const char *zWant) {
  plan_object *o;
  plan_error err;
  int rc = create(c, zSql, &o, &err);
  CHECK_EQ_INT(rc, 1);
  CHECK_CONTAINS(err.zMsg, zWant);
  CHECK(err.iPos >= 0 && err.iPos < (int)strlen(zSql));
  plan_error_clear(&err);
}

static const char *opt(const plan_object *o, const char *zKey) {
  int i;
  for (i = 0; i < o->nOpt; i++) {
    if (strcmp(o->azKey[i], zKey) == 0) return o->azVal[i];
  }
  return NULL;
}

TEST(create_source_schema_watermark_options) {
  plan_catalog *c = plan_catalog_new();
  plan_object *o = create_ok(
      c,
      "CREATE SOURCE scores (user_id VARCHAR, team TEXT, score INT, "
      "ratio REAL, ts TIMESTAMP, "
      "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) "
      "WITH (CONNECTOR = 'kafka', 'bootstrap.servers' = '127.0.0.1:9092', "
      "format = 'json')");
  CHECK(o != NULL);
  CHECK_EQ_INT(o->kind, PLAN_OBJ_SOURCE);
  CHECK_EQ_STR(o->zName, "scores");
  CHECK_EQ_INT(o->schema.nCol, 5);
  CHECK_EQ_INT(o->schema.aType[1], WEIR_VARCHAR);
  CHECK_EQ_INT(o->schema.aType[2], WEIR_BIGINT);
  CHECK_EQ_INT(o->schema.aType[3], WEIR_DOUBLE);
  CHECK_EQ_INT(o->iWmCol, 4);
  CHECK_EQ_INT(o->wmDelay, 5 * SEC);
  CHECK_EQ_STR(opt(o, "connector"), "kafka");
  CHECK_EQ_STR(opt(o, "bootstrap.servers"), "127.0.0.1:9092");
  CHECK(plan_catalog_find(c, "SCORES") == o);
  CHECK_EQ_INT(plan_catalog_count(c), 1);

  o = create_ok(c,
                "CREATE STREAM clicks (url VARCHAR, at TIMESTAMP, "
                "WATERMARK FOR at AS at) WITH (connector = 'memory')");
  CHECK_EQ_INT(o->iWmCol, 1);
  CHECK_EQ_INT(o->wmDelay, 0);
  o = create_ok(c,
                "CREATE TABLE bids (price DOUBLE, bidtime TIMESTAMP(3), "
                "WATERMARK FOR bidtime AS bidtime - INTERVAL '1' MINUTE) "
                "WITH ('connector' = 'memory')");
  CHECK_EQ_INT(o->wmDelay, 60 * SEC);
  CHECK_EQ_INT(o->schema.aType[1], WEIR_TIMESTAMP);
  o = create_ok(c,
                "CREATE SOURCE plain (a BIGINT) WITH (connector = "
                "'memory')");
  CHECK_EQ_INT(o->iWmCol, -1);
  CHECK(plan_catalog_at(c, 3) == o);
  CHECK_EQ_INT(plan_catalog_count(c), 4);

  /* errors */
  create_fails(c,
               "CREATE SOURCE scores (a BIGINT) WITH (connector = "
               "'memory')",
               "source \"scores\" already exists");
  o = create_ok(c, "CREATE SOURCE IF NOT EXISTS scores (a BIGINT)");
  CHECK(o == NULL);
  create_fails(c, "CREATE SOURCE w1 (a BIGINT, WATERMARK FOR a AS a)",
               "WATERMARK FOR column \"a\" must be TIMESTAMP");
  create_fails(c,
               "CREATE SOURCE w2 (ts TIMESTAMP, WATERMARK FOR ts AS "
               "ts + INTERVAL '1' SECOND)",
               "WATERMARK expression must "
               "be \"ts\" or \"ts - INTERVAL ...\"");
  create_fails(c,
               "CREATE SOURCE w3 (ts TIMESTAMP, WATERMARK FOR tz AS "
               "tz - INTERVAL '1' SECOND)",
               "WATERMARK FOR names unknown column \"tz\"");
  CHECK_EQ_INT(plan_catalog_count(c), 4);
  CHECK_EQ_INT(plan_catalog_drop(c, "clicks"), 0);
  CHECK_EQ_INT(plan_catalog_drop(c, "clicks"), 1);
  CHECK_EQ_INT(plan_catalog_count(c), 3);
  plan_catalog_free(c);
}

TEST(create_view_and_sink) {
  plan_catalog *c = plan_catalog_new();
  plan_object *o;
  create_ok(c,
            "CREATE SOURCE scores (user_id VARCHAR, team VARCHAR, "
            "score BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - "
            "INTERVAL '5' SECOND) WITH (connector = 'memory')");
  o = create_ok(c,
                "CREATE VIEW totals AS SELECT team, SUM(score) AS total "
                "FROM scores GROUP BY team;");
  CHECK_EQ_INT(o->kind, PLAN_OBJ_VIEW);
  CHECK_EQ_INT(o->bMaterialized, 0);
  CHECK_EQ_STR(o->zSql,
               "SELECT team, SUM(score) AS total FROM scores "
               "GROUP BY team");
  CHECK_EQ_INT(o->schema.nCol, 2);
  CHECK_EQ_STR(o->schema.azName[1], "total");
  CHECK_EQ_INT(o->schema.aType[1], WEIR_BIGINT);

  o = create_ok(c,
                "CREATE MATERIALIZED VIEW mv AS WITH t AS (SELECT team "
                "FROM scores) SELECT team FROM t WITH ('late.sink' = "
                "'late')");
  CHECK_EQ_INT(o->bMaterialized, 1);
  CHECK_EQ_STR(o->zSql,
               "WITH t AS (SELECT team FROM scores) SELECT team "
               "FROM t");
  CHECK_EQ_STR(opt(o, "late.sink"), "late");

  /* views validate now, with positions in the CREATE statement */
  create_fails(c, "CREATE VIEW bad AS SELECT scroe FROM scores",
               "unknown column \"scroe\" (did you mean \"score\"?)");
  CHECK(plan_catalog_find(c, "bad") == NULL);
  create_fails(c, "CREATE VIEW totals AS SELECT team FROM scores",
               "view \"totals\" already exists");
  o = create_ok(c,
                "CREATE OR REPLACE VIEW totals AS SELECT team FROM "
                "scores");
  CHECK_EQ_INT(o->schema.nCol, 1);
  CHECK(plan_catalog_find(c, "totals") == o);

  o = create_ok(c,
                "CREATE SINK out1 FROM totals WITH (connector = 'kafka',"
                " topic = 't')");
  CHECK_EQ_INT(o->kind, PLAN_OBJ_SINK);
  CHECK_EQ_STR(o->zFrom, "totals");
  CHECK_EQ_INT(o->schema.nCol, 1);
  CHECK_EQ_STR(opt(o, "topic"), "t");
  create_fails(c, "CREATE SINK out2 FROM nothing WITH (connector = 'kafka')",
               "unknown source or view \"nothing\"");
  o = create_ok(c,
                "CREATE SINK out3 AS SELECT team, score FROM scores "
                "WHERE score > 3 WITH (connector = 'file', path = 'o')");
  CHECK_EQ_STR(o->zSql, "SELECT team, score FROM scores WHERE score > 3");
  CHECK_EQ_INT(o->schema.nCol, 2);
  CHECK_EQ_STR(opt(o, "path"), "o");
  plan_catalog_free(c);
}

/* Parse and run plan_insert_values. */
static int insert(plan_catalog *c, const char *zSql, common_arena *a,
                  exec_batch **ppB, plan_error *pErr) {
  parse_result r;
  const char *zTail;
  plan_object *o = NULL;
  int rc = parse_statement(&r, zSql, &zTail);
  if (rc || !r.pStmt) {
    fprintf(stderr, "parse failed: %s\n", r.err.zMsg ? r.err.zMsg : "?");
    CHECK(0);
    parse_result_free(&r);
    return -1;
  }
  rc = plan_insert_values(c, r.pStmt, zSql, a, &o, ppB, pErr);
  if (rc == 0) CHECK(o == plan_catalog_find(c, r.pStmt->zName));
  parse_result_free(&r);
  return rc;
}

TEST(insert_values_batches) {
  plan_catalog *c = plan_catalog_new();
  common_arena a;
  exec_batch *b = NULL;
  plan_error err = {-1, NULL};
  const char *zSql;
  common_arena_init(&a, 4096);
  create_ok(c,
            "CREATE SOURCE scores (user_id VARCHAR, team VARCHAR, "
            "score BIGINT, ratio DOUBLE, ts TIMESTAMP) WITH (connector = "
            "'memory')");
  CHECK_EQ_INT(insert(c,
                      "INSERT INTO scores VALUES ('julie', 'red', 5, 2, "
                      "TIMESTAMP '2026-01-01 12:00:26'), ('bob', NULL, "
                      "-3, 0.5, '2026-01-01 12:01:00')",
                      &a, &b, &err),
               0);
  CHECK(b != NULL);
  CHECK_EQ_INT(b->n, 2);
  CHECK_EQ_INT(b->nCol, 5);
  CHECK_EQ_INT(b->aCol[0].v.s[0].n, 5);
  CHECK(memcmp(b->aCol[0].v.s[0].p, "julie", 5) == 0);
  CHECK_EQ_INT(b->aCol[1].null[1], 1);
  CHECK_EQ_INT(b->aCol[1].null[0], 0);
  CHECK_EQ_INT(b->aCol[2].v.i64[1], -3);
  CHECK(b->aCol[3].v.f64[0] == 2.0); /* BIGINT into DOUBLE */
  CHECK(b->aCol[3].v.f64[1] == 0.5);
  CHECK_EQ_INT(b->aCol[4].v.i64[0], (1767268800LL + 26) * SEC);
  CHECK_EQ_INT(b->aCol[4].v.i64[1], (1767268800LL + 60) * SEC);
  CHECK_EQ_INT(b->op[0], OP_INSERT);

  /* column list: the others are NULL */
  CHECK_EQ_INT(insert(c,
                      "INSERT INTO scores (score, user_id) VALUES (7, "
                      "'x')",
                      &a, &b, &err),
               0);
  CHECK_EQ_INT(b->n, 1);
  CHECK_EQ_INT(b->aCol[2].v.i64[0], 7);
  CHECK_EQ_INT(b->aCol[0].null[0], 0);
  CHECK_EQ_INT(b->aCol[1].null[0], 1);
  CHECK_EQ_INT(b->aCol[4].null[0], 1);

  /* errors */
  zSql = "INSERT INTO scores (score, team) VALUES (1, 'a', 3)";
  CHECK_EQ_INT(insert(c, zSql, &a, &b, &err), 1);
  CHECK_CONTAINS(err.zMsg, "expected 2 values, got 3");
  CHECK_EQ_INT(err.iPos, (int)(strstr(zSql, "(1,") - zSql));
  plan_error_clear(&err);
  zSql = "INSERT INTO scores (score) VALUES ('many')";
  CHECK_EQ_INT(insert(c, zSql, &a, &b, &err), 1);
  CHECK_CONTAINS(err.zMsg,
                 "cannot insert VARCHAR into BIGINT column "
                 "\"score\"");
  CHECK_EQ_INT(err.iPos, (int)(strstr(zSql, "'many'") - zSql));
  plan_error_clear(&err);
  zSql = "INSERT INTO scores (ts) VALUES ('noon')";
  CHECK_EQ_INT(insert(c, zSql, &a, &b, &err), 1);
  CHECK_CONTAINS(err.zMsg, "cannot convert 'noon' to TIMESTAMP");
  plan_error_clear(&err);
  CHECK_EQ_INT(insert(c, "INSERT INTO scores (scroe) VALUES (1)", &a, &b, &err),
               1);
  CHECK_CONTAINS(err.zMsg,
                 "unknown column \"scroe\" (did you mean "
                 "\"score\"?)");
  plan_error_clear(&err);
  CHECK_EQ_INT(insert(c, "INSERT INTO nothing VALUES (1)", &a, &b, &err), 1);
  CHECK_CONTAINS(err.zMsg, "unknown source \"nothing\"");
  plan_error_clear(&err);
  common_arena_free(&a);
  plan_catalog_free(c);
}

/* Parse "SET x = <expr>" and fold its value. */
static int const_of(const char *zSql, common_arena *a, exec_value *v,
                    plan_error *pErr) {
  parse_result r;
  const char *zTail;
  int rc = parse_statement(&r, zSql, &zTail);
  if (rc || !r.pStmt) {
    fprintf(stderr, "parse failed: %s\n", r.err.zMsg ? r.err.zMsg : "?");
    CHECK(0);
    parse_result_free(&r);
    return -1;
  }
  rc = plan_const_expr(r.pStmt->pExpr, a, v, pErr);
  parse_result_free(&r);
  return rc;
}

TEST(constant_expressions) {
  common_arena a;
  exec_value v;
  plan_error err = {-1, NULL};
  common_arena_init(&a, 1024);
  CHECK_EQ_INT(const_of("SET time = TIMESTAMP '2026-01-01 12:00:00' + "
                        "INTERVAL '1' MINUTE",
                        &a, &v, &err),
               0);
  CHECK_EQ_INT(v.type, WEIR_TIMESTAMP);
  CHECK_EQ_INT(v.u.i, (1767268800LL + 60) * SEC);
  CHECK_EQ_INT(const_of("ADVANCE TIME BY INTERVAL '90' SECOND", &a, &v, &err),
               0);
  CHECK_EQ_INT(v.type, WEIR_INTERVAL);
  CHECK_EQ_INT(v.u.i, 90 * SEC);
  CHECK_EQ_INT(const_of("SET clock = 'manual'", &a, &v, &err), 0);
  CHECK_EQ_INT(v.type, WEIR_VARCHAR);
  CHECK_EQ_INT(v.u.s.n, 6);
  CHECK(memcmp(v.u.s.p, "manual", 6) == 0);
  CHECK_EQ_INT(const_of("SET x = 2 * 3 - 1", &a, &v, &err), 0);
  CHECK_EQ_INT(v.type, WEIR_BIGINT);
  CHECK_EQ_INT(v.u.i, 5);
  CHECK_EQ_INT(const_of("SET x = 1 + 'a'", &a, &v, &err), 1);
  CHECK_CONTAINS(err.zMsg, "cannot apply + to BIGINT and VARCHAR");
  plan_error_clear(&err);
  common_arena_free(&a);
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}
