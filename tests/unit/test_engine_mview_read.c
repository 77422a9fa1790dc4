/*
** tests/unit/test_engine_mview_read.c — queries that read a materialized
** view through include/weir.h: they get the view's current contents (+I)
** first, then its changes (retractions included), not a re-run of its
** definition; the view ending, being dropped or weir_close ends them.
*/
#include <stdio.h>
#include <string.h>

#include "tinytest.h"
#include "weir.h"

/* A query's changelog as "op v1 v2 ...;" text. */
typedef struct qlog {
  int nStart, nEnd, bErr;
  char z[4096];
} qlog;

static void on_start(void *arg, weir_query *q, const char *name, int ncol,
                     const char *const *col_names,
                     const weir_type *col_types) {
  ((qlog *)arg)->nStart++;
}

static void on_row(void *arg, weir_query *q, weir_op op, int ncol,
                   const weir_value *values) {
  qlog *l = arg;
  static const char *azOp[] = {"+I", "-U", "+U", "-D"};
  size_t n = strlen(l->z);
  snprintf(l->z + n, sizeof l->z - n, "%s", azOp[op]);
  for (int i = 0; i < ncol; i++) {
    char a[64];
    weir_value_format(a, sizeof a, &values[i]);
    n = strlen(l->z);
    snprintf(l->z + n, sizeof l->z - n, " %s", a);
  }
  n = strlen(l->z);
  snprintf(l->z + n, sizeof l->z - n, ";");
}

static void on_end(void *arg, weir_query *q, const weir_error *err) {
  qlog *l = arg;
  l->nEnd++;
  if (err) l->bErr = 1;
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

/* Start zSql (one SELECT) with l as its callbacks. */
static weir_query *start(weir_engine *e, const char *zSql, qlog *l) {
  weir_error err = {0};
  weir_callbacks cb = {l, on_start, on_row, on_end, NULL};
  memset(l, 0, sizeof(*l));
  int rc = weir_exec(e, zSql, NULL, 0, &cb, &err);
  if (rc) fprintf(stderr, "%s: %s\n", zSql, err.message);
  CHECK_EQ_INT(rc, WEIR_OK);
  weir_error_clear(&err);
  /* The newest query is the one just started. */
  return weir_query_next(e, NULL);
}

static weir_engine *open_with_view(void) {
  weir_engine *e = NULL;
  weir_error err = {0};
  CHECK_EQ_INT(weir_open(&e, NULL, &err), WEIR_OK);
  exec_ok(e,
          "SET clock = 'manual';"
          "CREATE SOURCE s (k VARCHAR, v BIGINT) WITH (connector='memory');"
          "CREATE MATERIALIZED VIEW mv AS "
          "SELECT k, SUM(v) AS t FROM s GROUP BY k;"
          "INSERT INTO s VALUES ('a', 1), ('b', 2);");
  return e;
}

TEST(reader_gets_snapshot_then_changes) {
  weir_engine *e = open_with_view();
  qlog l1, l2;
  weir_query *q1 = start(e, "SELECT k, t FROM mv;", &l1);
  /* The rows that arrived before the query started are there. */
  CHECK_EQ_STR(l1.z, "+I a 1;+I b 2;");
  start(e, "SELECT SUM(t) AS total, COUNT(*) AS n FROM mv;", &l2);
  CHECK_EQ_STR(l2.z, "+I 3 2;");
  exec_ok(e, "INSERT INTO s VALUES ('a', 5);");
  /* The view's -U/+U reach the readers; the aggregate retracts. */
  CHECK_EQ_STR(l1.z, "+I a 1;+I b 2;-U a 1;+U a 6;");
  CHECK_EQ_STR(l2.z, "+I 3 2;-U 3 2;+U 8 2;");
  /* A stopped reader hears nothing more; the others go on. */
  weir_query_stop(e, q1);
  CHECK_EQ_INT(l1.nEnd, 1);
  exec_ok(e, "INSERT INTO s VALUES ('c', 4);");
  CHECK_EQ_STR(l1.z, "+I a 1;+I b 2;-U a 1;+U a 6;");
  CHECK_EQ_STR(l2.z, "+I 3 2;-U 3 2;+U 8 2;-U 8 2;+U 12 3;");
  /* The view's own query shows its definition, not SELECT * FROM mv. */
  weir_query *qv = weir_view_query(e, "mv");
  CHECK(qv != NULL);
  CHECK_CONTAINS(weir_query_sql(qv), "CREATE MATERIALIZED VIEW mv AS");
  CHECK_CONTAINS(weir_query_sql(qv), "SUM(v)");
  weir_close(e);
  CHECK_EQ_INT(l2.nEnd, 1);
  CHECK_EQ_INT(l2.bErr, 0);
}

TEST(view_over_view_and_drop) {
  weir_engine *e = open_with_view();
  exec_ok(e, "CREATE MATERIALIZED VIEW tot AS SELECT SUM(t) AS s FROM mv;");
  qlog l;
  start(e, "SELECT s FROM tot;", &l);
  CHECK_EQ_STR(l.z, "+I 3;");
  exec_ok(e, "INSERT INTO s VALUES ('b', 10);");
  CHECK_EQ_STR(l.z, "+I 3;-U 3;+U 13;");
  /* Dropping the view a query reads ends that query (no error). */
  exec_ok(e, "DROP VIEW tot;");
  CHECK_EQ_INT(l.nEnd, 1);
  CHECK_EQ_INT(l.bErr, 0);
  exec_ok(e, "INSERT INTO s VALUES ('b', 1);");
  CHECK_EQ_STR(l.z, "+I 3;-U 3;+U 13;");
  /* Stopping mv's own query ends its readers once their snapshot is in. */
  qlog l2;
  start(e, "SELECT k FROM mv WHERE t > 5;", &l2);
  CHECK_EQ_STR(l2.z, "+I b;");
  weir_query_stop(e, weir_view_query(e, "mv"));
  CHECK_EQ_INT(l2.nEnd, 1);
  qlog l3;
  start(e, "SELECT COUNT(*) AS n FROM mv;", &l3);
  CHECK_EQ_STR(l3.z, "+I 2;");
  CHECK_EQ_INT(l3.nEnd, 1);
  weir_close(e);
}

TEST(reader_counts_the_view_rows) {
  weir_engine *e = open_with_view();
  weir_query *q0 = weir_query_next(e, NULL);
  qlog l;
  start(e, "SELECT * FROM mv;", &l);
  weir_query *q = weir_query_next(e, NULL);
  CHECK(q != q0);
  /* Its only input is the view: rows in = the snapshot, not s's rows. */
  weir_query_stats st;
  weir_query_get_stats(q, &st);
  CHECK_EQ_INT(st.rows_in, 2);
  exec_ok(e, "INSERT INTO s VALUES ('z', 1), ('z', 2);");
  /* One batch into the view; what it emits for z, each row once. */
  CHECK_CONTAINS(l.z, "+I a 1;+I b 2;");
  CHECK_CONTAINS(l.z, "z 3;");
  weir_query_get_stats(q, &st);
  int n = 0;
  for (const char *p = l.z; *p; p++) n += *p == ';';
  CHECK_EQ_INT(st.rows_in, n);
  weir_close(e);
}

int main(int argc, char **argv) { return tt_main(argc, argv); }
