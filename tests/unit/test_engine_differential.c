/*
** tests/unit/test_engine_differential.c — weir against SQLite as an
** oracle, on random event streams (several keys, out of order, NULLs).
**
** Final results: for every window type (TUMBLE, HOP, SESSION, CUMULATE,
** plus an uneven hop and an offset tumble) a query with every aggregate
** (COUNT(*), COUNT(x), COUNT(DISTINCT x), SUM, MIN, MAX, AVG, FILTER;
** over BIGINT and DOUBLE columns, NULL keys too) runs over a bounded CSV
** file through weir_exec; its rows must be exactly what SQLite computes
** for the same data with a plain GROUP BY over the window bounds
** (sessions by gaps-and-islands with LAG and a running SUM per key).
** Unwindowed GROUP BY and aggregates over aggregates are checked the
** same way, their changelogs applied.
**
** Triggers: the same data is pushed into a memory source in random
** batches under the manual clock, with processing time and watermark
** moving between batches (the watermark passes windows that still get
** rows, all within the allowed lateness), for every trigger and
** accumulation mode. Applying each changelog must give the final result:
** RETRACTING as a multiset (retractions remove their row), ACCUMULATING
** as an upsert by (key, window), DISCARDING by summing the panes'
** counts and sums per (key, window). Sessions may merge: a stale
** ACCUMULATING/DISCARDING session pane must lie inside a final session.
**
** WEIR_DIFF_SEEDS overrides the number of seeds; WEIR_DIFF_VERBOSE prints
** the row counts compared.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tinytest.h"
#include "weir.h"

#define BASE_US 1767225600000000LL /* 2026-01-01 00:00:00 UTC */
#define SEC 1000000LL
#define SPAN_MS 600000             /* events spread over 10 minutes */
#define GAP_US (7 * SEC)           /* the session gap */
#define EXEC_MIN_WM (-(1LL << 62)) /* before any watermark */

/* ---- random events -------------------------------------------------- */

typedef struct ev {
  char k[2];
  int kNull, xNull, yNull;
  int64_t x, ts;
  double y;      /* multiples of 0.25, so sums are exact in any order */
  int64_t order; /* arrival order key for the trigger runs */
} ev;

static uint64_t rng(uint64_t *s) {
  uint64_t x = *s;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return *s = x;
}

/* n events with 2..4 keys (and a NULL key now and then); timestamps are
** multiples of 3 ms so that no two events of a key are exactly one
** session gap (7 s) apart. */
static ev *gen_events(uint64_t seed, int n) {
  uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
  int nKey = 2 + (int)(seed % 3);
  ev *a = calloc((size_t)n, sizeof *a);
  for (int i = 0; i < n; i++) {
    a[i].k[0] = (char)('a' + rng(&s) % (uint64_t)nKey);
    a[i].kNull = rng(&s) % 20 == 0;
    a[i].xNull = rng(&s) % 10 == 0;
    a[i].x = (int64_t)(rng(&s) % 100);
    a[i].yNull = rng(&s) % 10 == 0;
    a[i].y = ((double)(rng(&s) % 400) - 200.0) * 0.25;
    a[i].ts = BASE_US + (int64_t)(rng(&s) % (SPAN_MS / 3)) * 3000;
    /* arrive roughly in time order, up to 30 s out of order */
    a[i].order = a[i].ts + (int64_t)(rng(&s) % 30000) * 1000;
  }
  return a;
}

static int by_order(const void *pa, const void *pb) {
  const ev *a = pa, *b = pb;
  return a->order < b->order ? -1 : a->order > b->order;
}

static void ts_text(char *z, size_t n, int64_t us) {
  time_t t = (time_t)(us / SEC);
  struct tm tm;
  gmtime_r(&t, &tm);
  snprintf(z, n, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
           (int)(us % SEC / 1000));
}

/* ---- result rows as strings ----------------------------------------- */

typedef struct rowset {
  int n, nAlloc;
  char **az;
  int *aOp;
} rowset;

static void rs_add(rowset *r, const char *z, int op) {
  if (r->n == r->nAlloc) {
    r->nAlloc = r->nAlloc ? 2 * r->nAlloc : 64;
    r->az = realloc(r->az, (size_t)r->nAlloc * sizeof *r->az);
    r->aOp = realloc(r->aOp, (size_t)r->nAlloc * sizeof *r->aOp);
  }
  r->az[r->n] = strdup(z);
  r->aOp[r->n++] = op;
}

static void rs_clear(rowset *r) {
  for (int i = 0; i < r->n; i++) free(r->az[i]);
  free(r->az);
  free(r->aOp);
  memset(r, 0, sizeof *r);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void rs_sort(rowset *r) {
  qsort(r->az, (size_t)r->n, sizeof *r->az, cmp_str);
}

/* Compare two sorted sets; print up to a few differences. Returns the
** number of differing rows. */
static int rs_diff(const char *zWhat, rowset *got, rowset *want) {
  rs_sort(got);
  rs_sort(want);
  int i = 0, j = 0, nDiff = 0;
  while (i < got->n || j < want->n) {
    int c = i >= got->n    ? 1
            : j >= want->n ? -1
                           : strcmp(got->az[i], want->az[j]);
    if (c == 0) {
      i++, j++;
      continue;
    }
    if (nDiff++ < 4) {
      fprintf(stderr, "  %s: %s %s\n", zWhat, c < 0 ? "extra" : "missing",
              c < 0 ? got->az[i] : want->az[j]);
    }
    if (c < 0)
      i++;
    else
      j++;
  }
  if (getenv("WEIR_DIFF_VERBOSE")) {
    fprintf(stderr, "  %s: %d rows, %d expected\n", zWhat, got->n, want->n);
  }
  if (nDiff) {
    fprintf(stderr, "  %s: %d differing rows (got %d, want %d)\n", zWhat, nDiff,
            got->n, want->n);
  }
  return nDiff;
}

static void fmt_value(char *z, size_t n, const weir_value *v) {
  if (v->is_null) {
    snprintf(z, n, "NULL");
  } else if (v->type == WEIR_DOUBLE) {
    snprintf(z, n, "%.9g", v->u.f);
  } else if (v->type == WEIR_VARCHAR) {
    snprintf(z, n, "%.*s", (int)v->u.s.n, v->u.s.p);
  } else {
    snprintf(z, n, "%lld", (long long)v->u.i);
  }
}

/* ---- a query's changelog -------------------------------------------- */

typedef struct coll {
  weir_callbacks cb;
  weir_query *q;
  rowset rows;
  int nEnd, bFailed;
  char zErr[512];
  char zSql[1024];
  int mode; /* 'D', 'A', 'R' */
} coll;

static void c_start(void *arg, weir_query *q, const char *name, int ncol,
                    const char *const *names, const weir_type *types) {
  coll *c = arg;
  c->q = q;
}

static void c_row(void *arg, weir_query *q, weir_op op, int ncol,
                  const weir_value *v) {
  coll *c = arg;
  char z[1024], w[256];
  size_t n = 0;
  z[0] = 0;
  for (int i = 0; i < ncol; i++) {
    fmt_value(w, sizeof w, &v[i]);
    n += (size_t)snprintf(z + n, sizeof z - n, "%s%s", i ? "|" : "", w);
    if (n >= sizeof z) break;
  }
  rs_add(&c->rows, z, (int)op);
}

static void c_end(void *arg, weir_query *q, const weir_error *err) {
  coll *c = arg;
  c->nEnd++;
  if (err) {
    c->bFailed = 1;
    snprintf(c->zErr, sizeof c->zErr, "%s", err->message ? err->message : "?");
  }
}

static coll *coll_new(void) {
  coll *c = calloc(1, sizeof *c);
  c->cb.arg = c;
  c->cb.on_start = c_start;
  c->cb.on_row = c_row;
  c->cb.on_end = c_end;
  return c;
}

static void coll_free(coll *c) {
  rs_clear(&c->rows);
  free(c);
}

/* Run one statement; fail the test with weir's message on error. */
static void exec_ok(weir_engine *e, const char *zSql, coll *c, int block) {
  weir_error err = {0};
  int rc = weir_exec(e, zSql, NULL, block, c ? &c->cb : NULL, &err);
  if (rc) {
    fprintf(stderr, "  weir_exec(%s): %s\n", zSql,
            err.message ? err.message : "?");
  }
  weir_error_clear(&err);
  CHECK_EQ_INT(rc, WEIR_OK);
}

/* ---- the windows ---------------------------------------------------- */

#define AGGS                                                              \
  "COUNT(*) AS c, COUNT(x) AS cx, COUNT(DISTINCT x) AS cd, SUM(x) AS s, " \
  "MIN(x) AS mn, MAX(x) AS mx, AVG(x) AS av, "                            \
  "COUNT(*) FILTER (WHERE x > 50) AS cf, "                                \
  "SUM(x) FILTER (WHERE x < 20) AS sf, SUM(y) AS sy, MAX(y) AS my, "      \
  "AVG(y) AS ay, COUNT(DISTINCT x) FILTER (WHERE y > 0) AS cdf"
/* Positions of the counts and sums within AGGS (c, cx, s, cf, sf). */
static const int aSumCol[] = {0, 1, 3, 7, 8};

/* A query shape: weir's SQL (a printf format: %s = source, then the
** EMIT clause; %% for SQL's modulo) and
** SQLite's over ev(k, x, ts). Rows start with nKey key columns (k,
** window_start, window_end for windows), then the aggregates. */
typedef struct wintype {
  const char *zName;
  const char *zWeir;
  const char *zOracle;
  int nKey;
  int bSession;   /* windows may merge */
  int bChangelog; /* unwindowed: only EMIT CHANGES-style (retracting) */
  int bFinalOnly; /* no trigger run (an inner windowed query would drop
                  ** late rows at lateness 0) */
} wintype;

#define WIN_SQL(tvf)                                       \
  "SELECT k, window_start, window_end, " AGGS " FROM " tvf \
  " GROUP BY k, window_start, window_end %s"

static const wintype aWin[] = {
    {"tumble", WIN_SQL("TUMBLE(%s, ts, INTERVAL '10' SECOND)"),
     "SELECT k, ts - ts % 10000000 AS ws, ts - ts % 10000000 + 10000000 AS "
     "we, " AGGS " FROM ev GROUP BY k, ws",
     3, 0, 0, 0},
    {"hop", WIN_SQL("HOP(%s, ts, INTERVAL '5' SECOND, INTERVAL '15' SECOND)"),
     "SELECT k, ts - ts % 5000000 - j * 5000000 AS ws, "
     "ts - ts % 5000000 - j * 5000000 + 15000000 AS we, " AGGS
     " FROM ev, (SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2) "
     "GROUP BY k, ws",
     3, 0, 0, 0},
    {"session", WIN_SQL("SESSION(%s, ts, INTERVAL '7' SECOND)"),
     "WITH o AS (SELECT k, x, y, ts, CASE WHEN ts - LAG(ts) OVER "
     "(PARTITION BY k ORDER BY ts) < 7000000 THEN 0 ELSE 1 END AS brk "
     "FROM ev), s AS (SELECT k, x, y, ts, SUM(brk) OVER (PARTITION BY k "
     "ORDER BY ts ROWS UNBOUNDED PRECEDING) AS sid FROM o) "
     "SELECT k, MIN(ts) AS ws, MAX(ts) + 7000000 AS we, " AGGS
     " FROM s GROUP BY k, sid",
     3, 1, 0, 0},
    {"cumulate",
     WIN_SQL("CUMULATE(%s, ts, INTERVAL '5' SECOND, INTERVAL '20' SECOND)"),
     "SELECT k, ts - ts % 20000000 AS ws, "
     "ts - ts % 20000000 + j * 5000000 AS we, " AGGS
     " FROM ev, (SELECT 1 AS j UNION ALL SELECT 2 UNION ALL SELECT 3 "
     "UNION ALL SELECT 4) WHERE ts - ts % 20000000 + j * 5000000 > ts "
     "GROUP BY k, ws, we",
     3, 0, 0, 0},
    /* a hop whose size is not a multiple of its slide */
    {"hop_uneven",
     WIN_SQL("HOP(%s, ts, INTERVAL '4' SECOND, INTERVAL '10' SECOND)"),
     "SELECT k, ts - ts % 4000000 - j * 4000000 AS ws, "
     "ts - ts % 4000000 - j * 4000000 + 10000000 AS we, " AGGS
     " FROM ev, (SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2) "
     "WHERE ts - ts % 4000000 - j * 4000000 + 10000000 > ts GROUP BY k, ws",
     3, 0, 0, 0},
    /* a tumble with an offset: windows start at 3 s past each 10 s */
    {"tumble_offset",
     WIN_SQL("TUMBLE(%s, ts, INTERVAL '10' SECOND, INTERVAL '3' SECOND)"),
     "SELECT k, ts - (ts - 3000000) % 10000000 AS ws, "
     "ts - (ts - 3000000) % 10000000 + 10000000 AS we, " AGGS
     " FROM ev GROUP BY k, ws",
     3, 0, 0, 0},
    /* unwindowed: a changelog per key */
    {"unwindowed", "SELECT k, " AGGS " FROM %s GROUP BY k %s",
     "SELECT k, " AGGS " FROM ev GROUP BY k", 1, 0, 1, 0},
    /* an aggregate over an aggregate's changelog (retractions in its
    ** input), grouped by a key that moves as the inner counts grow */
    {"agg_of_agg",
     "SELECT c %% 3 AS m, COUNT(*) AS nk, SUM(s) AS ss, MIN(s) AS mn, "
     "MAX(s) AS mx, COUNT(DISTINCT c) AS cd, AVG(s) AS av "
     "FROM (SELECT k, COUNT(*) AS c, SUM(x) AS s FROM %s GROUP BY k) "
     "GROUP BY c %% 3 %s",
     "SELECT c % 3 AS m, COUNT(*) AS nk, SUM(s) AS ss, MIN(s) AS mn, "
     "MAX(s) AS mx, COUNT(DISTINCT c) AS cd, AVG(s) AS av "
     "FROM (SELECT k, COUNT(*) AS c, SUM(x) AS s FROM ev GROUP BY k) "
     "GROUP BY c % 3",
     1, 0, 1, 0},
    /* a window over a window's rows: 10 s tumbles of 5 s tumbles' counts
    ** and sums equal 10 s tumbles of the events */
    {"window_of_window",
     "SELECT k, window_start, window_end, SUM(c) AS c, SUM(s) AS s "
     "FROM TUMBLE((SELECT k, window_start AS ws, COUNT(*) AS c, "
     "SUM(x) AS s FROM TUMBLE(%s, ts, INTERVAL '5' SECOND) "
     "GROUP BY k, window_start), ws, INTERVAL '10' SECOND) "
     "GROUP BY k, window_start, window_end %s",
     "SELECT k, ts - ts % 10000000 AS ws, ts - ts % 10000000 + 10000000 "
     "AS we, COUNT(*) AS c, SUM(x) AS s FROM ev GROUP BY k, ws",
     3, 0, 0, 1},
    /* a window over a changelog: each group's latest time and running
    ** sum move between windows as the inner aggregate retracts them */
    {"window_of_changelog",
     "SELECT window_start, window_end, COUNT(*) AS nk, SUM(s) AS ss, "
     "MIN(s) AS mn, MAX(s) AS mx, COUNT(DISTINCT c) AS cd "
     "FROM TUMBLE((SELECT k, MAX(ts) AS ts, SUM(x) AS s, COUNT(*) AS c "
     "FROM %s GROUP BY k, x %% 7), ts, INTERVAL '10' SECOND) "
     "GROUP BY window_start, window_end %s",
     "SELECT ts - ts % 10000000 AS ws, ts - ts % 10000000 + 10000000 AS we, "
     "COUNT(*) AS nk, SUM(s) AS ss, MIN(s) AS mn, MAX(s) AS mx, "
     "COUNT(DISTINCT c) AS cd FROM (SELECT k, MAX(ts) AS ts, SUM(x) AS s, "
     "COUNT(*) AS c FROM ev GROUP BY k, x % 7) GROUP BY ws",
     2, 0, 0, 1},
    /* an unwindowed aggregate over a windowed one's final rows */
    {"agg_of_window",
     "SELECT ws, COUNT(*) AS nk, SUM(c) AS sc, MAX(c) AS mc, "
     "MIN(s) AS mn FROM (SELECT k, window_start AS ws, COUNT(*) AS c, "
     "SUM(x) AS s FROM TUMBLE(%s, ts, INTERVAL '10' SECOND) "
     "GROUP BY k, window_start) GROUP BY ws %s",
     "SELECT ws, COUNT(*) AS nk, SUM(c) AS sc, MAX(c) AS mc, MIN(s) AS mn "
     "FROM (SELECT k, ts - ts % 10000000 AS ws, COUNT(*) AS c, "
     "SUM(x) AS s FROM ev GROUP BY k, ws) GROUP BY ws",
     1, 0, 1, 1},
    /* a window over sessions' rows: sessions are emitted long after
    ** they start, so the outer window needs the inner's held watermark */
    {"window_of_session",
     "SELECT k, window_start, window_end, SUM(c) AS c, SUM(s) AS s "
     "FROM TUMBLE((SELECT k, window_start AS ws, COUNT(*) AS c, "
     "SUM(x) AS s FROM SESSION(%s, ts, INTERVAL '7' SECOND) "
     "GROUP BY k, window_start, window_end), ws, INTERVAL '10' SECOND) "
     "GROUP BY k, window_start, window_end %s",
     "WITH o AS (SELECT k, x, ts, CASE WHEN ts - LAG(ts) OVER "
     "(PARTITION BY k ORDER BY ts) < 7000000 THEN 0 ELSE 1 END AS brk "
     "FROM ev), s AS (SELECT k, x, ts, SUM(brk) OVER (PARTITION BY k "
     "ORDER BY ts ROWS UNBOUNDED PRECEDING) AS sid FROM o), "
     "sess AS (SELECT k, MIN(ts) AS ws, COUNT(*) AS c, SUM(x) AS s "
     "FROM s GROUP BY k, sid) "
     "SELECT k, ws - ws % 10000000 AS w0, ws - ws % 10000000 + 10000000, "
     "SUM(c), SUM(s) FROM sess GROUP BY k, w0",
     3, 0, 0, 1},
};

/* SQLite's answer for window type w over events a[0..n). */
static void oracle(const wintype *w, const ev *a, int n, rowset *out) {
  sqlite3 *db;
  CHECK_EQ_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
  CHECK_EQ_INT(sqlite3_exec(db,
                            "CREATE TABLE ev(k TEXT, x INTEGER, "
                            "y REAL, ts INTEGER)",
                            0, 0, 0),
               SQLITE_OK);
  sqlite3_stmt *st;
  CHECK_EQ_INT(
      sqlite3_prepare_v2(db, "INSERT INTO ev VALUES (?, ?, ?, ?)", -1, &st, 0),
      SQLITE_OK);
  for (int i = 0; i < n; i++) {
    if (a[i].kNull)
      sqlite3_bind_null(st, 1);
    else
      sqlite3_bind_text(st, 1, a[i].k, 1, SQLITE_STATIC);
    if (a[i].xNull)
      sqlite3_bind_null(st, 2);
    else
      sqlite3_bind_int64(st, 2, a[i].x);
    if (a[i].yNull)
      sqlite3_bind_null(st, 3);
    else
      sqlite3_bind_double(st, 3, a[i].y);
    sqlite3_bind_int64(st, 4, a[i].ts);
    CHECK_EQ_INT(sqlite3_step(st), SQLITE_DONE);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  int rc = sqlite3_prepare_v2(db, w->zOracle, -1, &st, 0);
  if (rc) fprintf(stderr, "  sqlite: %s\n", sqlite3_errmsg(db));
  CHECK_EQ_INT(rc, SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    char z[1024], v[256];
    size_t m = 0;
    for (int i = 0; i < sqlite3_column_count(st); i++) {
      switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL:
          snprintf(v, sizeof v, "NULL");
          break;
        case SQLITE_INTEGER:
          snprintf(v, sizeof v, "%lld", sqlite3_column_int64(st, i));
          break;
        case SQLITE_FLOAT:
          snprintf(v, sizeof v, "%.9g", sqlite3_column_double(st, i));
          break;
        default:
          snprintf(v, sizeof v, "%s", sqlite3_column_text(st, i));
      }
      m += (size_t)snprintf(z + m, sizeof z - m, "%s%s", i ? "|" : "", v);
    }
    rs_add(out, z, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
}

/* The 4 values of event p, for weir_push_rows. */
static void set_row(weir_value *v, const ev *p) {
  memset(v, 0, 4 * sizeof *v);
  v[0].type = WEIR_VARCHAR;
  v[0].is_null = p->kNull;
  v[0].u.s.p = p->k;
  v[0].u.s.n = 1;
  v[1].type = WEIR_BIGINT;
  v[1].is_null = p->xNull;
  v[1].u.i = p->x;
  v[2].type = WEIR_DOUBLE;
  v[2].is_null = p->yNull;
  v[2].u.f = p->y;
  v[3].type = WEIR_TIMESTAMP;
  v[3].u.i = p->ts;
}

static int nSeeds(int dflt) {
  const char *z = getenv("WEIR_DIFF_SEEDS");
  return z && atoi(z) > 0 ? atoi(z) : dflt;
}

/* ---- final results over a bounded file ------------------------------ */

static int check_changelog(coll *c, rowset *want, int bSession,
                           const char *zWhat);

static int final_one(const wintype *w, uint64_t seed, const char *zDir) {
  /* Every 10th seed is big enough to span several file batches. */
  int n = seed % 10 == 0 ? 4000 : 150 + (int)(seed % 7) * 40;
  ev *a = gen_events(seed, n);
  char zPath[512], zSql[4096], zTs[64];
  snprintf(zPath, sizeof zPath, "%s/ev%llu.csv", zDir,
           (unsigned long long)seed);
  FILE *f = fopen(zPath, "w");
  CHECK(f != NULL);
  fprintf(f, "k,x,y,ts\n");
  for (int i = 0; i < n; i++) {
    char zX[32] = "", zY[32] = "";
    ts_text(zTs, sizeof zTs, a[i].ts);
    if (!a[i].xNull) snprintf(zX, sizeof zX, "%lld", (long long)a[i].x);
    if (!a[i].yNull) snprintf(zY, sizeof zY, "%.2f", a[i].y);
    fprintf(f, "%s,%s,%s,%s\n", a[i].kNull ? "" : a[i].k, zX, zY, zTs);
  }
  fclose(f);

  weir_engine *e;
  weir_error err = {0};
  CHECK_EQ_INT(weir_open(&e, NULL, &err), WEIR_OK);
  snprintf(
      zSql, sizeof zSql,
      "CREATE SOURCE ev (k VARCHAR, x BIGINT, y DOUBLE, ts TIMESTAMP) WITH "
      "(connector = 'file', path = '%s', format = 'csv');",
      zPath);
  exec_ok(e, zSql, NULL, 0);
  snprintf(zSql, sizeof zSql, w->zWeir, "ev", "");
  strcat(zSql, ";");
  coll *c = coll_new();
  c->mode = 'R';
  exec_ok(e, zSql, c, 1);
  int nBad = 0;
  if (c->bFailed) {
    fprintf(stderr, "  %s seed %llu failed: %s\n", w->zName,
            (unsigned long long)seed, c->zErr);
    nBad++;
  }
  /* Windows answer one +I each; an unwindowed aggregate's changelog is
  ** applied (below). */
  for (int i = 0; i < c->rows.n && !w->bChangelog; i++) {
    if (c->rows.aOp[i] != WEIR_OP_INSERT) {
      fprintf(stderr, "  %s seed %llu: op %d on %s\n", w->zName,
              (unsigned long long)seed, c->rows.aOp[i], c->rows.az[i]);
      nBad++;
      break;
    }
  }
  rowset want = {0};
  oracle(w, a, n, &want);
  char zWhat[96];
  snprintf(zWhat, sizeof zWhat, "%s seed %llu", w->zName,
           (unsigned long long)seed);
  if (w->bChangelog) {
    nBad += check_changelog(c, &want, 0, zWhat) ? 1 : 0;
  } else {
    nBad += rs_diff(zWhat, &c->rows, &want) ? 1 : 0;
  }
  /* The same file with a pane per batch, retracting: the changelog
  ** still applies to the final answer. */
  coll *c2 = NULL;
  if (!w->bChangelog) {
    c2 = coll_new();
    c2->mode = 'R';
    snprintf(zSql, sizeof zSql, w->zWeir, "ev",
             "EMIT AFTER WATERMARK EARLY EVERY ROW RETRACTING");
    strcat(zSql, ";");
    exec_ok(e, zSql, c2, 1);
    strcat(zWhat, " early");
    nBad += check_changelog(c2, &want, 0, zWhat) ? 1 : 0;
  }
  rs_clear(&want);
  weir_close(e);
  coll_free(c);
  if (c2) coll_free(c2);
  free(a);
  unlink(zPath);
  return nBad;
}

static void final_all(const wintype *w) {
  char zDir[] = "/tmp/weir_diffXXXXXX";
  CHECK(mkdtemp(zDir) != NULL);
  int nBad = 0, n = nSeeds(30);
  for (int s = 1; s <= n; s++) nBad += final_one(w, (uint64_t)s, zDir);
  rmdir(zDir);
  CHECK_EQ_INT(nBad, 0);
}

TEST(final_tumble) {
  final_all(&aWin[0]);
}
TEST(final_hop) {
  final_all(&aWin[1]);
}
TEST(final_session) {
  final_all(&aWin[2]);
}
TEST(final_cumulate) {
  final_all(&aWin[3]);
}
TEST(final_hop_uneven) {
  final_all(&aWin[4]);
}
TEST(final_tumble_offset) {
  final_all(&aWin[5]);
}
TEST(final_unwindowed) {
  final_all(&aWin[6]);
}
TEST(final_agg_of_agg) {
  final_all(&aWin[7]);
}
TEST(final_window_of_window) {
  final_all(&aWin[8]);
}
TEST(final_agg_of_window) {
  final_all(&aWin[10]);
}
TEST(final_window_of_changelog) {
  final_all(&aWin[9]);
}

/* ---- triggers and accumulation modes -------------------------------- */

/* EMIT clauses; %s is the accumulation mode. Every one allows lateness
** far beyond the data's disorder, so no row is dropped. */
static const char *azEmit[] = {
    "EMIT AFTER WATERMARK ALLOWED LATENESS INTERVAL '1' HOUR %s",
    "EMIT AFTER WATERMARK EARLY EVERY ROW LATE EVERY ROW "
    "ALLOWED LATENESS INTERVAL '1' HOUR %s",
    "EMIT AFTER WATERMARK EARLY AFTER 3 ROWS LATE AFTER 2 ROWS "
    "ALLOWED LATENESS INTERVAL '1' HOUR %s",
    "EMIT AFTER WATERMARK EARLY EVERY INTERVAL '10' SECOND "
    "LATE AFTER DELAY INTERVAL '5' SECOND "
    "ALLOWED LATENESS INTERVAL '1' HOUR %s",
    "EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '7' SECOND "
    "LATE EVERY ROW ALLOWED LATENESS INTERVAL '1' HOUR %s",
    "EMIT EARLY EVERY ROW LATE EVERY ROW "
    "ALLOWED LATENESS INTERVAL '1' HOUR %s",
    "EMIT EARLY AFTER 3 ROWS LATE AFTER 3 ROWS "
    "ALLOWED LATENESS INTERVAL '1' HOUR %s",
};
static const char *azAcc[] = {"DISCARDING", "ACCUMULATING", "RETRACTING"};
/* Aliases, with the accumulation mode they imply. */
static const struct {
  const char *zEmit;
  int mode;
} aAlias[] = {
    {"EMIT CHANGES ALLOWED LATENESS INTERVAL '1' HOUR", 'R'},
    {"EMIT STREAM ALLOWED LATENESS INTERVAL '1' HOUR", 'R'},
    {"EMIT FINAL ALLOWED LATENESS INTERVAL '1' HOUR", 'D'},
    {"EMIT ON WINDOW CLOSE ALLOWED LATENESS INTERVAL '1' HOUR", 'D'},
    {"EMIT STREAM AFTER DELAY INTERVAL '4' SECOND "
     "ALLOWED LATENESS INTERVAL '1' HOUR",
     'R'},
};

/* Split "k|ws|we|rest" into the key "k|ws|we" (in zKey) and the row. */
static void row_key(const char *z, char *zKey, size_t n, int64_t *pWs,
                    int64_t *pWe) {
  const char *p = strchr(z, '|');
  const char *q = p ? strchr(p + 1, '|') : NULL;
  const char *r = q ? strchr(q + 1, '|') : NULL;
  size_t m = r ? (size_t)(r - z) : strlen(z);
  if (m >= n) m = n - 1;
  memcpy(zKey, z, m);
  zKey[m] = 0;
  *pWs = p ? atoll(p + 1) : 0;
  *pWe = q ? atoll(q + 1) : 0;
}

/* Field i (0-based) of a row as an integer (NULL = 0). */
static int64_t row_int(const char *z, int i) {
  while (i-- > 0) {
    z = strchr(z, '|');
    if (!z) return 0;
    z++;
  }
  return strncmp(z, "NULL", 4) == 0 ? 0 : atoll(z);
}

static int key_index(rowset *keys, const char *zKey) {
  for (int i = 0; i < keys->n; i++) {
    if (strcmp(keys->az[i], zKey) == 0) return i;
  }
  return -1;
}

/* The final window (index into want) of the same key that contains
** [ws, we), or -1. */
static int containing(rowset *want, const char *zRow) {
  char zKey[256];
  int64_t ws, we;
  row_key(zRow, zKey, sizeof zKey, &ws, &we);
  size_t nk = strchr(zKey, '|') - zKey;
  for (int i = 0; i < want->n; i++) {
    char zK2[256];
    int64_t ws2, we2;
    row_key(want->az[i], zK2, sizeof zK2, &ws2, &we2);
    if (strncmp(zK2, zKey, nk + 1) == 0 && ws2 <= ws && we <= we2) return i;
  }
  return -1;
}

/* Check one changelog c (mode c->mode) against the final rows want.
** Returns the number of problems (printed). */
static int check_changelog(coll *c, rowset *want, int bSession,
                           const char *zWhat) {
  rowset got = {0};
  int nBad = 0;
  if (c->mode == 'R') {
    /* A multiset: retractions remove an equal row. */
    for (int i = 0; i < c->rows.n; i++) {
      int op = c->rows.aOp[i];
      if (op == WEIR_OP_INSERT || op == WEIR_OP_UPDATE_AFTER) {
        rs_add(&got, c->rows.az[i], 0);
        continue;
      }
      int j;
      for (j = got.n - 1; j >= 0; j--) {
        if (strcmp(got.az[j], c->rows.az[i]) == 0) break;
      }
      if (j < 0) {
        if (nBad++ < 3) {
          fprintf(stderr, "  %s: retraction of a row not held: %s\n", zWhat,
                  c->rows.az[i]);
        }
        continue;
      }
      free(got.az[j]);
      got.az[j] = got.az[--got.n];
    }
    nBad += rs_diff(zWhat, &got, want);
  } else if (c->mode == 'A') {
    /* An upsert by (key, window): the last pane wins; a -D (a session
    ** merged away, DESIGN 2.4) deletes its window's row. No -U: panes
    ** accumulate, they do not retract. */
    rowset keys = {0};
    for (int i = 0; i < c->rows.n; i++) {
      char zKey[256];
      int64_t ws, we;
      int op = c->rows.aOp[i];
      row_key(c->rows.az[i], zKey, sizeof zKey, &ws, &we);
      int j = key_index(&keys, zKey);
      if (op == WEIR_OP_DELETE && bSession) {
        if (j < 0 || strcmp(got.az[j], c->rows.az[i]) != 0) {
          if (nBad++ < 3) {
            fprintf(stderr, "  %s: -D of a row not held: %s\n", zWhat,
                    c->rows.az[i]);
          }
          continue;
        }
        free(keys.az[j]);
        free(got.az[j]);
        keys.az[j] = keys.az[--keys.n];
        got.az[j] = got.az[--got.n];
        continue;
      }
      if (op != WEIR_OP_INSERT) {
        if (nBad++ < 3) {
          fprintf(stderr, "  %s: retraction under ACCUMULATING: %s\n", zWhat,
                  c->rows.az[i]);
        }
        continue;
      }
      if (j < 0) {
        rs_add(&keys, zKey, 0);
        rs_add(&got, c->rows.az[i], 0);
      } else {
        free(got.az[j]);
        got.az[j] = strdup(c->rows.az[i]);
      }
    }
    nBad += rs_diff(zWhat, &got, want);
    rs_clear(&keys);
  } else {
    /* DISCARDING: panes' counts and sums add up per final window. */
    int nCol = sizeof aSumCol / sizeof aSumCol[0];
    int64_t *aSum = calloc((size_t)want->n * (size_t)nCol, sizeof *aSum);
    for (int i = 0; i < c->rows.n; i++) {
      int j;
      if (bSession) {
        j = containing(want, c->rows.az[i]);
      } else {
        char zKey[256], zK2[256];
        int64_t ws, we;
        row_key(c->rows.az[i], zKey, sizeof zKey, &ws, &we);
        for (j = want->n - 1; j >= 0; j--) {
          row_key(want->az[j], zK2, sizeof zK2, &ws, &we);
          if (strcmp(zKey, zK2) == 0) break;
        }
      }
      if (j < 0) {
        if (nBad++ < 3) {
          fprintf(stderr, "  %s: pane of no final window: %s\n", zWhat,
                  c->rows.az[i]);
        }
        continue;
      }
      for (int m = 0; m < nCol; m++) {
        aSum[j * nCol + m] += row_int(c->rows.az[i], 3 + aSumCol[m]);
      }
    }
    for (int j = 0; j < want->n; j++) {
      for (int m = 0; m < nCol; m++) {
        if (aSum[j * nCol + m] != row_int(want->az[j], 3 + aSumCol[m])) {
          if (nBad++ < 3) {
            fprintf(stderr, "  %s: column %d sums to %lld, want %s\n", zWhat,
                    3 + aSumCol[m], (long long)aSum[j * nCol + m], want->az[j]);
          }
        }
      }
    }
    free(aSum);
  }
  rs_clear(&got);
  return nBad;
}

static int trig_one(const wintype *w, uint64_t seed) {
  /* Every 10th seed pushes big batches (split at EXEC_BATCH_CAP). */
  int bBig = seed % 10 == 0;
  int n = bBig ? 3000 : 120 + (int)(seed % 5) * 30;
  ev *a = gen_events(seed, n);
  qsort(a, (size_t)n, sizeof *a, by_order);
  uint64_t s = seed ^ 0xABCDEF;
  char zSql[2048], zEmit[512], zTs[64];
  weir_engine *e;
  weir_error err = {0};
  CHECK_EQ_INT(weir_open(&e, NULL, &err), WEIR_OK);
  int64_t now = BASE_US + 3600 * SEC;
  ts_text(zTs, sizeof zTs, now);
  exec_ok(e, "SET clock = 'manual';", NULL, 0);
  snprintf(zSql, sizeof zSql, "SET time = TIMESTAMP '%s';", zTs);
  exec_ok(e, zSql, NULL, 0);
  exec_ok(e,
          "CREATE SOURCE ev (k VARCHAR, x BIGINT, y DOUBLE, ts TIMESTAMP) WITH "
          "(connector = 'memory');",
          NULL, 0);
  /* Windows: every EMIT clause x accumulation mode, and the aliases.
  ** Unwindowed shapes: the default and EMIT CHANGES (both retracting). */
  int nEmit = sizeof azEmit / sizeof azEmit[0];
  int nAlias = sizeof aAlias / sizeof aAlias[0];
  int nQ = w->bChangelog ? 2 : nEmit * 3 + nAlias;
  coll **ac = calloc((size_t)nQ, sizeof *ac);
  for (int i = 0; i < nQ; i++) {
    ac[i] = coll_new();
    if (w->bChangelog) {
      snprintf(zEmit, sizeof zEmit, "%s", i ? "EMIT CHANGES" : "");
      ac[i]->mode = 'R';
    } else if (i < nEmit * 3) {
      snprintf(zEmit, sizeof zEmit, azEmit[i / 3], azAcc[i % 3]);
      ac[i]->mode = azAcc[i % 3][0];
    } else {
      snprintf(zEmit, sizeof zEmit, "%s", aAlias[i - nEmit * 3].zEmit);
      ac[i]->mode = aAlias[i - nEmit * 3].mode;
    }
    snprintf(ac[i]->zSql, sizeof ac[i]->zSql, w->zWeir, "ev", zEmit);
    strcat(ac[i]->zSql, ";");
    exec_ok(e, ac[i]->zSql, ac[i], 0);
  }

  /* A materialized view of the retracting changelog. */
  snprintf(zSql, sizeof zSql, "CREATE MATERIALIZED VIEW mv AS ");
  snprintf(zSql + strlen(zSql), sizeof zSql - strlen(zSql), w->zWeir, "ev",
           w->bChangelog ? ""
                         : "EMIT AFTER WATERMARK EARLY EVERY ROW LATE EVERY "
                           "ROW ALLOWED LATENESS INTERVAL '1' HOUR RETRACTING");
  strcat(zSql, ";");
  exec_ok(e, zSql, NULL, 0);

  /* Feed: batches of 1..12 rows; between them processing time moves by
  ** 0..6 s and, now and then, the watermark to 5 s behind the latest
  ** event seen (so later rows can be late, never beyond the lateness). */
  int64_t maxTs = 0, wm = 0, nLate = 0;
  weir_value *av = calloc((size_t)n * 4, sizeof *av);
  for (int i = 0; i < n;) {
    int m = 1 + (int)(rng(&s) % (bBig ? 1500 : 12));
    if (i + m > n) m = n - i;
    for (int j = 0; j < m; j++) {
      const ev *p = &a[i + j];
      weir_value *v = &av[(size_t)j * 4];
      set_row(v, p);
      if (p->ts > maxTs) maxTs = p->ts;
      if (p->ts < wm) nLate++;
    }
    int rc = weir_push_rows(e, "ev", m, 4, av, &err);
    if (rc) fprintf(stderr, "  push: %s\n", err.message);
    CHECK_EQ_INT(rc, WEIR_OK);
    i += m;
    int r = (int)(rng(&s) % 4);
    if (r == 0 || r == 1) {
      now += (int64_t)(rng(&s) % 6000) * 1000;
      ts_text(zTs, sizeof zTs, now);
      snprintf(zSql, sizeof zSql, "ADVANCE TIME TO TIMESTAMP '%s';", zTs);
      exec_ok(e, zSql, NULL, 0);
    }
    if ((r == 1 || r == 2) && maxTs - 5 * SEC > wm) {
      wm = maxTs - 5 * SEC;
      ts_text(zTs, sizeof zTs, wm);
      snprintf(zSql, sizeof zSql, "ADVANCE WATERMARK OF ev TO TIMESTAMP '%s';",
               zTs);
      exec_ok(e, zSql, NULL, 0);
    }
  }
  free(av);
  /* End: the watermark passes every window (and its lateness), then
  ** processing time moves on: nothing more may change. */
  ts_text(zTs, sizeof zTs, BASE_US + 86400 * SEC);
  snprintf(zSql, sizeof zSql, "ADVANCE WATERMARK OF ev TO TIMESTAMP '%s';",
           zTs);
  exec_ok(e, zSql, NULL, 0);
  ts_text(zTs, sizeof zTs, now + 7200 * SEC);
  snprintf(zSql, sizeof zSql, "ADVANCE TIME TO TIMESTAMP '%s';", zTs);
  exec_ok(e, zSql, NULL, 0);

  rowset want = {0};
  oracle(w, a, n, &want);
  int nBad = 0;
  for (int i = 0; i < nQ; i++) {
    char zWhat[700];
    const char *zE = strstr(ac[i]->zSql, "EMIT");
    snprintf(zWhat, sizeof zWhat, "%s seed %llu [%s]", w->zName,
             (unsigned long long)seed, zE ? zE : "default");
    weir_query_stats st;
    memset(&st, 0, sizeof st);
    if (ac[i]->q) weir_query_get_stats(ac[i]->q, &st);
    if (st.late_dropped) {
      fprintf(stderr, "  %s: %lld rows dropped as late\n", zWhat,
              (long long)st.late_dropped);
      nBad++;
    }
    if (ac[i]->bFailed) {
      fprintf(stderr, "  %s: failed: %s\n", zWhat, ac[i]->zErr);
      nBad++;
    }
    if (getenv("WEIR_DIFF_VERBOSE")) {
      fprintf(stderr, "  %s: %d changelog rows, %lld late rows in\n", zWhat,
              ac[i]->rows.n, (long long)nLate);
    }
    /* Every window closed and its lateness passed: no state left. */
    if (!w->bChangelog && st.state_bytes != 0) {
      fprintf(stderr, "  %s: %lld state bytes after the last window\n", zWhat,
              (long long)st.state_bytes);
      nBad++;
    }
    nBad += check_changelog(ac[i], &want, w->bSession, zWhat) ? 1 : 0;
  }
  /* The materialized view holds the final answer too. */
  coll *cv = coll_new();
  int rc = weir_view_snapshot(e, "mv", &cv->cb, &err);
  if (rc) fprintf(stderr, "  snapshot: %s\n", err.message);
  weir_error_clear(&err);
  CHECK_EQ_INT(rc, WEIR_OK);
  char zWhatV[96];
  snprintf(zWhatV, sizeof zWhatV, "%s seed %llu view", w->zName,
           (unsigned long long)seed);
  nBad += rs_diff(zWhatV, &cv->rows, &want) ? 1 : 0;
  coll_free(cv);
  rs_clear(&want);
  weir_close(e);
  for (int i = 0; i < nQ; i++) coll_free(ac[i]);
  free(ac);
  free(a);
  return nBad;
}

static void trig_all(const wintype *w) {
  int nBad = 0, n = nSeeds(20);
  for (int s = 1; s <= n; s++) nBad += trig_one(w, (uint64_t)s);
  CHECK_EQ_INT(nBad, 0);
}

TEST(triggers_tumble) {
  trig_all(&aWin[0]);
}
TEST(triggers_hop) {
  trig_all(&aWin[1]);
}
TEST(triggers_session) {
  trig_all(&aWin[2]);
}
TEST(triggers_cumulate) {
  trig_all(&aWin[3]);
}
TEST(triggers_hop_uneven) {
  trig_all(&aWin[4]);
}
TEST(triggers_tumble_offset) {
  trig_all(&aWin[5]);
}
TEST(changes_unwindowed) {
  trig_all(&aWin[6]);
}
TEST(changes_agg_of_agg) {
  trig_all(&aWin[7]);
}

/* ---- watermarks through stacked operators ---------------------------- */

/*
** Events pushed in time order, the watermark advanced to the latest
** event time after every batch: no row is ever late at the source. A
** query stacking a window (or an aggregate) on a window's output must
** then still see every inner row — the inner operator holds its output
** watermark back to what it may still emit (DESIGN.md 2.5) — and end
** with SQLite's answer.
*/
static int by_ts(const void *pa, const void *pb) {
  const ev *a = pa, *b = pb;
  return a->ts < b->ts ? -1 : a->ts > b->ts;
}

static int stacked_one(const wintype *w, uint64_t seed) {
  int n = 150 + (int)(seed % 7) * 40;
  ev *a = gen_events(seed, n);
  qsort(a, (size_t)n, sizeof *a, by_ts);
  uint64_t s = seed ^ 0x57AC;
  char zSql[4096], zTs[64];
  weir_engine *e;
  weir_error err = {0};
  CHECK_EQ_INT(weir_open(&e, NULL, &err), WEIR_OK);
  exec_ok(e, "SET clock = 'manual';", NULL, 0);
  exec_ok(e,
          "CREATE SOURCE ev (k VARCHAR, x BIGINT, y DOUBLE, ts TIMESTAMP) "
          "WITH (connector = 'memory');",
          NULL, 0);
  coll *c = coll_new();
  c->mode = 'R';
  snprintf(c->zSql, sizeof c->zSql, w->zWeir, "ev", "");
  strcat(c->zSql, ";");
  exec_ok(e, c->zSql, c, 0);
  weir_value *av = calloc((size_t)n * 4, sizeof *av);
  for (int i = 0; i < n;) {
    int m = 1 + (int)(rng(&s) % 10);
    if (i + m > n) m = n - i;
    for (int j = 0; j < m; j++) set_row(&av[(size_t)j * 4], &a[i + j]);
    CHECK_EQ_INT(weir_push_rows(e, "ev", m, 4, av, &err), WEIR_OK);
    i += m;
    ts_text(zTs, sizeof zTs, a[i - 1].ts);
    snprintf(zSql, sizeof zSql, "ADVANCE WATERMARK OF ev TO TIMESTAMP '%s';",
             zTs);
    exec_ok(e, zSql, NULL, 0);
  }
  free(av);
  ts_text(zTs, sizeof zTs, BASE_US + 86400 * SEC);
  snprintf(zSql, sizeof zSql, "ADVANCE WATERMARK OF ev TO TIMESTAMP '%s';",
           zTs);
  exec_ok(e, zSql, NULL, 0);
  rowset want = {0};
  oracle(w, a, n, &want);
  char zWhat[96];
  snprintf(zWhat, sizeof zWhat, "%s seed %llu stacked", w->zName,
           (unsigned long long)seed);
  int nBad = check_changelog(c, &want, 0, zWhat) ? 1 : 0;
  weir_query_stats st;
  weir_query_get_stats(c->q, &st);
  if (st.late_dropped) {
    fprintf(stderr, "  %s: %lld rows dropped as late\n", zWhat,
            (long long)st.late_dropped);
    nBad++;
  }
  rs_clear(&want);
  weir_close(e);
  coll_free(c);
  free(a);
  return nBad;
}

static void stacked_all(const wintype *w) {
  int nBad = 0, n = nSeeds(20);
  for (int s = 1; s <= n; s++) nBad += stacked_one(w, (uint64_t)s);
  CHECK_EQ_INT(nBad, 0);
}

TEST(stacked_window_of_window) {
  stacked_all(&aWin[8]);
}
TEST(stacked_agg_of_window) {
  stacked_all(&aWin[10]);
}
TEST(stacked_window_of_session) {
  stacked_all(&aWin[11]);
}
TEST(final_window_of_session) {
  final_all(&aWin[11]);
}

/* ---- rows beyond the allowed lateness -------------------------------- */

/*
** Tumbling 10 s windows with 5 s of allowed lateness, the watermark kept
** close behind the data: a row is dropped iff, when it arrives, the
** watermark has reached its window's end + 5 s. The test decides that
** for every row; the final result must equal SQLite over the rows kept,
** and the query's late_dropped counter must equal the rows dropped.
*/
static int late_one(uint64_t seed, const char *zAcc) {
  int n = 150 + (int)(seed % 5) * 30;
  ev *a = gen_events(seed, n);
  qsort(a, (size_t)n, sizeof *a, by_order);
  ev *aKept = calloc((size_t)n, sizeof *aKept);
  int nKept = 0, nDrop = 0;
  uint64_t s = seed ^ 0x5EED;
  char zSql[2048], zTs[64];
  weir_engine *e;
  weir_error err = {0};
  CHECK_EQ_INT(weir_open(&e, NULL, &err), WEIR_OK);
  exec_ok(e, "SET clock = 'manual';", NULL, 0);
  exec_ok(e,
          "CREATE SOURCE ev (k VARCHAR, x BIGINT, y DOUBLE, ts TIMESTAMP) WITH "
          "(connector = 'memory');",
          NULL, 0);
  coll *c = coll_new();
  c->mode = zAcc[0];
  snprintf(c->zSql, sizeof c->zSql, aWin[0].zWeir, "ev", "");
  snprintf(zSql, sizeof zSql,
           "%s EMIT AFTER WATERMARK LATE EVERY ROW "
           "ALLOWED LATENESS INTERVAL '5' SECOND %s;",
           c->zSql, zAcc);
  snprintf(c->zSql, sizeof c->zSql, "%s", zSql);
  exec_ok(e, c->zSql, c, 0);
  int64_t wm = EXEC_MIN_WM, maxTs = 0;
  weir_value *av = calloc((size_t)n * 4, sizeof *av);
  for (int i = 0; i < n;) {
    int m = 1 + (int)(rng(&s) % 8);
    if (i + m > n) m = n - i;
    for (int j = 0; j < m; j++) {
      const ev *p = &a[i + j];
      weir_value *v = &av[(size_t)j * 4];
      set_row(v, p);
      int64_t end = p->ts - p->ts % (10 * SEC) + 10 * SEC;
      if (wm >= end + 5 * SEC)
        nDrop++;
      else
        aKept[nKept++] = *p;
      if (p->ts > maxTs) maxTs = p->ts;
    }
    CHECK_EQ_INT(weir_push_rows(e, "ev", m, 4, av, &err), WEIR_OK);
    i += m;
    if (rng(&s) % 2 && maxTs - 2 * SEC > wm) {
      wm = maxTs - 2 * SEC;
      ts_text(zTs, sizeof zTs, wm);
      snprintf(zSql, sizeof zSql, "ADVANCE WATERMARK OF ev TO TIMESTAMP '%s';",
               zTs);
      exec_ok(e, zSql, NULL, 0);
    }
  }
  free(av);
  ts_text(zTs, sizeof zTs, BASE_US + 86400 * SEC);
  snprintf(zSql, sizeof zSql, "ADVANCE WATERMARK OF ev TO TIMESTAMP '%s';",
           zTs);
  exec_ok(e, zSql, NULL, 0);
  rowset want = {0};
  oracle(&aWin[0], aKept, nKept, &want);
  char zWhat[128];
  snprintf(zWhat, sizeof zWhat, "late seed %llu %s", (unsigned long long)seed,
           zAcc);
  int nBad = check_changelog(c, &want, 0, zWhat) ? 1 : 0;
  weir_query_stats st;
  weir_query_get_stats(c->q, &st);
  if (st.late_dropped != nDrop) {
    fprintf(stderr, "  %s: late_dropped %lld, want %d\n", zWhat,
            (long long)st.late_dropped, nDrop);
    nBad++;
  }
  if (getenv("WEIR_DIFF_VERBOSE")) {
    fprintf(stderr, "  %s: %d rows dropped of %d\n", zWhat, nDrop, n);
  }
  rs_clear(&want);
  weir_close(e);
  coll_free(c);
  free(aKept);
  free(a);
  return nBad;
}

TEST(late_rows_dropped_exactly) {
  int nBad = 0, n = nSeeds(20);
  for (int s = 1; s <= n; s++) {
    nBad += late_one((uint64_t)s, "RETRACTING");
    nBad += late_one((uint64_t)s, "DISCARDING");
  }
  CHECK_EQ_INT(nBad, 0);
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}
