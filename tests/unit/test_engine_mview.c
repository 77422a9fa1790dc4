/*
** tests/unit/test_engine_mview.c — weir_table (a changelog applied to a
** table) and materialized views through include/weir.h: snapshots,
** subscriptions (snapshot first, then changes), DROP VIEW, weir_close.
*/
#include <stdio.h>
#include <string.h>

#include "tinytest.h"
#include "weir.h"

static weir_value vint(int64_t i) {
  weir_value v;
  memset(&v, 0, sizeof v);
  v.type = WEIR_BIGINT;
  v.u.i = i;
  return v;
}

static weir_value vstr(const char *z) {
  weir_value v;
  memset(&v, 0, sizeof v);
  v.type = WEIR_VARCHAR;
  v.u.s.p = z;
  v.u.s.n = (uint32_t)strlen(z);
  return v;
}

/* Rows of a table as "k=v;" text, in scan order. */
typedef struct text {
  char z[1024];
} text;

static void add_row(void *arg, int ncol, const weir_value *values) {
  text *t = arg;
  char a[64], b[64];
  weir_value_format(a, sizeof a, &values[0]);
  weir_value_format(b, sizeof b, &values[1]);
  size_t n = strlen(t->z);
  snprintf(t->z + n, sizeof t->z - n, "%s=%s;", a, b);
}

TEST(table_applies_changelog) {
  const char *az[] = {"k", "v"};
  weir_type aT[] = {WEIR_VARCHAR, WEIR_BIGINT};
  weir_table *t = weir_table_new(2, az, aT);
  weir_value r1[] = {vstr("a"), vint(1)}, r2[] = {vstr("b"), vint(2)},
             r3[] = {vstr("a"), vint(3)};
  CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_INSERT, 2, r1), WEIR_OK);
  CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_INSERT, 2, r2), WEIR_OK);
  CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_UPDATE_BEFORE, 2, r1), WEIR_OK);
  CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_UPDATE_AFTER, 2, r3), WEIR_OK);
  /* Duplicates are counted; a retraction removes one copy. */
  CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_INSERT, 2, r2), WEIR_OK);
  CHECK_EQ_INT(weir_table_rows(t), 3);
  text x = {""};
  weir_table_scan(t, add_row, &x);
  CHECK_EQ_STR(x.z, "b=2;b=2;a=3;");
  CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_DELETE, 2, r2), WEIR_OK);
  /* Retracting a row the table does not hold is an error, no change. */
  CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_DELETE, 2, r1), WEIR_ERROR);
  CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_INSERT, 1, r1), WEIR_ERROR);
  x.z[0] = 0;
  weir_table_scan(t, add_row, &x);
  CHECK_EQ_STR(x.z, "b=2;a=3;");
  CHECK_EQ_STR(weir_table_col_name(t, 1), "v");
  CHECK_EQ_INT(weir_table_col_type(t, 0), WEIR_VARCHAR);
  CHECK(weir_table_bytes(t) > 0);
  weir_table_free(t);
}

TEST(table_many_rows_and_nulls) {
  const char *az[] = {"k", "v"};
  weir_type aT[] = {WEIR_BIGINT, WEIR_DOUBLE};
  weir_table *t = weir_table_new(2, az, aT);
  for (int i = 0; i < 5000; i++) {
    weir_value r[2] = {vint(i), vint(0)};
    r[1].is_null = i % 2;
    if (!r[1].is_null) r[1].type = WEIR_DOUBLE, r[1].u.f = i * 0.5;
    CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_INSERT, 2, r), WEIR_OK);
  }
  for (int i = 0; i < 5000; i += 2) {
    weir_value r[2] = {vint(i), vint(0)};
    r[1].type = WEIR_DOUBLE;
    r[1].u.f = i * 0.5;
    CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_DELETE, 2, r), WEIR_OK);
  }
  CHECK_EQ_INT(weir_table_rows(t), 2500);
  /* The NULL rows remain; a NULL differs from 0.0. */
  weir_value z[2] = {vint(1), vint(0)};
  z[1].type = WEIR_DOUBLE;
  CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_DELETE, 2, z), WEIR_ERROR);
  z[1].is_null = 1;
  CHECK_EQ_INT(weir_table_apply(t, WEIR_OP_DELETE, 2, z), WEIR_OK);
  CHECK_EQ_INT(weir_table_rows(t), 2499);
  weir_table_free(t);
}

/* ---- materialized views --------------------------------------------------*/

typedef struct sub_log {
  int nStart, nEnd;
  char zCols[64];
  char z[2048];
} sub_log;

static void log_start(void *arg, weir_query *q, const char *name, int ncol,
                      const char *const *col_names,
                      const weir_type *col_types) {
  sub_log *l = arg;
  l->nStart++;
  snprintf(l->zCols, sizeof l->zCols, "%s:%s,%s", name, col_names[0],
           col_names[1]);
}

static void log_row(void *arg, weir_query *q, weir_op op, int ncol,
                    const weir_value *values) {
  sub_log *l = arg;
  static const char *azOp[] = {"+I", "-U", "+U", "-D"};
  char a[64], b[64];
  weir_value_format(a, sizeof a, &values[0]);
  weir_value_format(b, sizeof b, &values[1]);
  size_t n = strlen(l->z);
  snprintf(l->z + n, sizeof l->z - n, "%s %s %s;", azOp[op], a, b);
}

static void log_end(void *arg, weir_query *q, const weir_error *err) {
  sub_log *l = arg;
  l->nEnd++;
}

static void exec_ok(weir_engine *e, const char *zSql) {
  weir_error err = {0};
  const char *z = zSql;
  while (*z) {
    const char *zTail = NULL;
    int rc = weir_exec(e, z, &zTail, 0, NULL, &err);
    if (rc) fprintf(stderr, "%s: %s\n", z, err.message);
    CHECK_EQ_INT(rc, WEIR_OK);
    weir_error_clear(&err);
    if (!zTail || zTail == z) break;
    z = zTail;
  }
}

TEST(view_snapshot_and_subscription) {
  weir_engine *e;
  weir_error err = {0};
  CHECK_EQ_INT(weir_open(&e, NULL, &err), WEIR_OK);
  exec_ok(e,
          "CREATE SOURCE s (k VARCHAR, v BIGINT) WITH (connector='memory');"
          "CREATE MATERIALIZED VIEW mv AS "
          "SELECT k, SUM(v) AS t FROM s GROUP BY k;"
          "CREATE VIEW plain AS SELECT k FROM s;"
          "INSERT INTO s VALUES ('a', 1), ('b', 2);");
  weir_run(e, 0);
  sub_log snap;
  memset(&snap, 0, sizeof snap);
  weir_callbacks cb = {&snap, log_start, log_row, log_end, NULL};
  CHECK_EQ_INT(weir_view_snapshot(e, "mv", &cb, &err), WEIR_OK);
  CHECK_EQ_STR(snap.zCols, "mv:k,t");
  CHECK_EQ_STR(snap.z, "+I a 1;+I b 2;");
  CHECK_EQ_INT(snap.nEnd, 0);
  /* Not materialized / unknown: errors that say so. */
  CHECK_EQ_INT(weir_view_snapshot(e, "plain", &cb, &err), WEIR_ERROR);
  CHECK(strstr(err.message, "not a materialized view") != NULL);
  weir_error_clear(&err);
  CHECK_EQ_INT(weir_view_snapshot(e, "nope", &cb, &err), WEIR_ERROR);
  weir_error_clear(&err);
  /* A subscriber gets the snapshot, then changes. */
  sub_log l;
  memset(&l, 0, sizeof l);
  weir_callbacks cb2 = {&l, log_start, log_row, log_end, NULL};
  weir_view_sub *s = NULL;
  CHECK_EQ_INT(weir_view_subscribe(e, "mv", &cb2, &s, &err), WEIR_OK);
  exec_ok(e, "INSERT INTO s VALUES ('a', 5);");
  weir_run(e, 0);
  CHECK_EQ_STR(l.z, "+I a 1;+I b 2;-U a 1;+U a 6;");
  weir_query *q = weir_view_query(e, "mv");
  CHECK(q != NULL);
  CHECK_EQ_INT(weir_query_state(q), 1);
  CHECK(weir_query_find(e, weir_query_name(q)) == q);
  /* DROP VIEW ends the subscription, which stays valid. */
  exec_ok(e, "DROP VIEW mv;");
  CHECK_EQ_INT(l.nEnd, 1);
  CHECK(weir_view_query(e, "mv") == NULL);
  weir_view_unsubscribe(e, s);
  /* Re-created under the same name: a fresh, empty view. */
  exec_ok(e,
          "CREATE MATERIALIZED VIEW mv AS SELECT k, v FROM s;"
          "INSERT INTO s VALUES ('c', 7);");
  weir_run(e, 0);
  memset(&snap, 0, sizeof snap);
  CHECK_EQ_INT(weir_view_snapshot(e, "mv", &cb, &err), WEIR_OK);
  CHECK_EQ_STR(snap.z, "+I c 7;");
  /* Subscriptions still open at weir_close get on_end and are freed. */
  memset(&l, 0, sizeof l);
  CHECK_EQ_INT(weir_view_subscribe(e, "mv", &cb2, &s, &err), WEIR_OK);
  weir_close(e);
  CHECK_EQ_INT(l.nEnd, 1);
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}
