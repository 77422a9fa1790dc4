/*
** tests/unit/test_engine_memory.c — state is bounded by the watermark
** (DESIGN.md 5), checked at the engine level through the C API: an
** endless-looking stream (2M rows pushed into a memory source in batches
** with weir_push_rows, event time always moving forward, the watermark
** following it) over tumbling windows must hold flat memory — both the
** query's own state (weir_query_get_stats().state_bytes) and everything
** weir allocated (common_mem_used()) — once warmed up. The operator-level
** twin is endless_stream_state_is_flat in test_exec_window.c.
**
** Hop, session and cumulate windows get the same check with fewer rows.
**
** WEIR_MEM_ROWS overrides the number of rows (default 2,000,000).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "tinytest.h"
#include "weir.h"

#define BASE_US 1767225600000000LL /* 2026-01-01 00:00:00 UTC */
#define NKEY 13
#define BATCH 1000

typedef struct counter {
  weir_callbacks cb;
  weir_query *q;
  int64_t nRows, nCount; /* output rows; sum of their COUNT(*) */
  int nNonInsert, nFailed;
} counter;

static void on_start(void *arg, weir_query *q, const char *name, int ncol,
                     const char *const *names, const weir_type *types) {
  ((counter *)arg)->q = q;
}

static void on_row(void *arg, weir_query *q, weir_op op, int ncol,
                   const weir_value *v) {
  counter *c = arg;
  c->nRows++;
  if (op != WEIR_OP_INSERT) c->nNonInsert++;
  if (ncol >= 3 && !v[2].is_null) c->nCount += v[2].u.i;
}

static void on_end(void *arg, weir_query *q, const weir_error *err) {
  if (err) ((counter *)arg)->nFailed++;
}

static void exec_ok(weir_engine *e, const char *zSql, counter *c) {
  weir_error err = {0};
  int rc = weir_exec(e, zSql, NULL, 0, c ? &c->cb : NULL, &err);
  if (rc) fprintf(stderr, "  %s: %s\n", zSql, err.message);
  weir_error_clear(&err);
  CHECK_EQ_INT(rc, WEIR_OK);
}

/*
** Drive nRow rows (1 ms of event time apart, NKEY keys) through a
** 1-second tumbling COUNT/SUM per key. The watermark is ts - 1 s
** (WATERMARK FOR), so windows close as the stream moves on.
*/
TEST(endless_tumble_memory_is_flat) {
  const char *zRows = getenv("WEIR_MEM_ROWS");
  int64_t nRow = zRows && atoll(zRows) > 0 ? atoll(zRows) : 2000000;
  nRow -= nRow % BATCH;
  weir_engine *e;
  weir_error err = {0};
  CHECK_EQ_INT(weir_open(&e, NULL, &err), WEIR_OK);
  exec_ok(e, "SET clock = 'manual';", NULL);
  exec_ok(e, "SET time = TIMESTAMP '2026-01-01 00:00:00';", NULL);
  exec_ok(e,
          "CREATE SOURCE ev (k VARCHAR, x BIGINT, ts TIMESTAMP, "
          "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) "
          "WITH (connector = 'memory');",
          NULL);
  counter c;
  memset(&c, 0, sizeof c);
  c.cb.arg = &c;
  c.cb.on_start = on_start;
  c.cb.on_row = on_row;
  c.cb.on_end = on_end;
  exec_ok(e,
          "SELECT k, window_start, COUNT(*) AS n, SUM(x) AS s "
          "FROM TUMBLE(ev, ts, INTERVAL '1' SECOND) "
          "GROUP BY k, window_start;",
          &c);
  CHECK(c.q != NULL);

  static const char *azKey[NKEY] = {"k0", "k1", "k2", "k3",  "k4",  "k5", "k6",
                                    "k7", "k8", "k9", "k10", "k11", "k12"};
  weir_value *av = calloc(BATCH * 3, sizeof *av);
  int64_t ts = BASE_US;
  int64_t nBatch = nRow / BATCH, warm = nBatch / 20;
  int64_t stWarm = 0, memWarm = 0, stMax = 0, memMax = 0;
  for (int64_t b = 0; b < nBatch; b++) {
    for (int i = 0; i < BATCH; i++) {
      weir_value *v = &av[i * 3];
      const char *z = azKey[(i * 7 + b) % NKEY];
      v[0].type = WEIR_VARCHAR;
      v[0].u.s.p = z;
      v[0].u.s.n = (uint32_t)strlen(z);
      v[1].type = WEIR_BIGINT;
      v[1].u.i = i;
      v[2].type = WEIR_TIMESTAMP;
      v[2].u.i = ts;
      ts += 1000; /* 1 ms per row */
    }
    int rc = weir_push_rows(e, "ev", BATCH, 3, av, &err);
    if (rc) fprintf(stderr, "  push: %s\n", err.message);
    CHECK_EQ_INT(rc, WEIR_OK);
    weir_query_stats st;
    weir_query_get_stats(c.q, &st);
    int64_t mem = common_mem_used();
    if (b == warm) {
      stWarm = st.state_bytes;
      memWarm = mem;
    } else if (b > warm) {
      if (st.state_bytes > stMax) stMax = st.state_bytes;
      if (mem > memMax) memMax = mem;
    }
  }
  free(av);
  weir_query_stats st;
  weir_query_get_stats(c.q, &st);
  fprintf(stderr,
          "  state %lld B at warm-up, max %lld B after; "
          "weir memory %lld B at warm-up, max %lld B after\n",
          (long long)stWarm, (long long)stMax, (long long)memWarm,
          (long long)memMax);
  CHECK_EQ_INT(st.rows_in, nRow);
  CHECK_EQ_INT(st.late_dropped, 0);
  CHECK(stWarm > 0);
  CHECK(stMax <= 2 * stWarm);
  /* Everything weir holds (catalog, plan, buffers, state) stays within a
  ** fixed margin of what it held at warm-up. */
  CHECK(memMax <= memWarm + memWarm / 2 + 256 * 1024);
  /* Windows closed as the watermark moved: all but the last ~2 s of
  ** event time have been emitted, one row per key and second. */
  int64_t nSec = nRow / 1000;
  CHECK(c.nRows >= (nSec - 2) * NKEY);
  CHECK(c.nCount >= nRow - 2000);
  /* Closing every window emits the rest and frees the state. */
  exec_ok(e, "ADVANCE WATERMARK OF ev TO TIMESTAMP '2027-01-01 00:00:00';",
          NULL);
  weir_query_get_stats(c.q, &st);
  CHECK_EQ_INT(st.state_bytes, 0);
  CHECK_EQ_INT(c.nRows, nSec * NKEY);
  CHECK_EQ_INT(c.nCount, nRow);
  CHECK_EQ_INT(c.nNonInsert, 0);
  CHECK_EQ_INT(c.nFailed, 0);
  weir_close(e);
}

/*
** The same for the other window kinds, nRow rows each: rows 1 ms apart
** in batches of BATCH, with 2 s of event time between batches (so each
** key's sessions, gap 100 ms, end with the batch). Memory must stay
** flat after warm-up and the state must be empty once every window
** closed. Returns the sum of the first aggregate (COUNT(*)) emitted.
*/
static int64_t flat_run(const char *zQuery, int64_t nRow) {
  weir_engine *e;
  weir_error err = {0};
  CHECK_EQ_INT(weir_open(&e, NULL, &err), WEIR_OK);
  exec_ok(e, "SET clock = 'manual';", NULL);
  exec_ok(e,
          "CREATE SOURCE ev (k VARCHAR, x BIGINT, ts TIMESTAMP, "
          "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) "
          "WITH (connector = 'memory');",
          NULL);
  counter c;
  memset(&c, 0, sizeof c);
  c.cb.arg = &c;
  c.cb.on_start = on_start;
  c.cb.on_row = on_row;
  c.cb.on_end = on_end;
  exec_ok(e, zQuery, &c);
  static const char *azKey[NKEY] = {"k0", "k1", "k2", "k3",  "k4",  "k5", "k6",
                                    "k7", "k8", "k9", "k10", "k11", "k12"};
  weir_value *av = calloc(BATCH * 3, sizeof *av);
  int64_t ts = BASE_US, nBatch = nRow / BATCH, warm = nBatch / 10;
  int64_t stWarm = 0, memWarm = 0, stMax = 0, memMax = 0;
  for (int64_t b = 0; b < nBatch; b++) {
    for (int i = 0; i < BATCH; i++) {
      weir_value *v = &av[i * 3];
      const char *z = azKey[(i * 7 + b) % NKEY];
      v[0].type = WEIR_VARCHAR;
      v[0].u.s.p = z;
      v[0].u.s.n = (uint32_t)strlen(z);
      v[1].type = WEIR_BIGINT;
      v[1].u.i = i;
      v[2].type = WEIR_TIMESTAMP;
      v[2].u.i = ts;
      ts += 1000;
    }
    ts += 2000000;
    CHECK_EQ_INT(weir_push_rows(e, "ev", BATCH, 3, av, &err), WEIR_OK);
    weir_query_stats st;
    weir_query_get_stats(c.q, &st);
    int64_t mem = common_mem_used();
    if (b == warm) {
      stWarm = st.state_bytes;
      memWarm = mem;
    } else if (b > warm) {
      if (st.state_bytes > stMax) stMax = st.state_bytes;
      if (mem > memMax) memMax = mem;
    }
  }
  free(av);
  fprintf(stderr,
          "  %.40s...: state %lld -> max %lld B, memory %lld -> "
          "max %lld B\n",
          zQuery, (long long)stWarm, (long long)stMax, (long long)memWarm,
          (long long)memMax);
  CHECK(stWarm > 0);
  CHECK(stMax <= 2 * stWarm);
  CHECK(memMax <= memWarm + memWarm / 2 + 256 * 1024);
  exec_ok(e, "ADVANCE WATERMARK OF ev TO TIMESTAMP '2027-01-01 00:00:00';",
          NULL);
  weir_query_stats st;
  weir_query_get_stats(c.q, &st);
  CHECK_EQ_INT(st.state_bytes, 0);
  CHECK_EQ_INT(st.late_dropped, 0);
  CHECK_EQ_INT(c.nFailed, 0);
  weir_close(e);
  return c.nCount;
}

TEST(endless_hop_session_cumulate_flat) {
  int64_t n = 400000;
  /* Each row is in two 2 s hops (slide 1 s). */
  CHECK_EQ_INT(flat_run("SELECT k, window_start, COUNT(*) AS n, SUM(x) "
                        "FROM HOP(ev, ts, INTERVAL '1' SECOND, "
                        "INTERVAL '2' SECOND) GROUP BY k, window_start;",
                        n),
               2 * n);
  CHECK_EQ_INT(flat_run("SELECT k, window_start, COUNT(*) AS n, SUM(x) "
                        "FROM SESSION(ev, ts, INTERVAL '100' MILLISECOND) "
                        "GROUP BY k, window_start, window_end;",
                        n),
               n);
  /* Cumulate step 500 ms, max 1 s: a row in the first half of its second
  ** is in two windows, in the second half in one. */
  int64_t nCum = flat_run(
      "SELECT k, window_start, COUNT(*) AS n, SUM(x) "
      "FROM CUMULATE(ev, ts, INTERVAL '500' MILLISECOND, "
      "INTERVAL '1' SECOND) "
      "GROUP BY k, window_start, window_end;",
      n);
  CHECK(nCum > n && nCum < 2 * n);
}

/*
** The control: with no watermark windows never close, and the same
** measures grow with the stream — so the flat readings above mean
** something.
*/
TEST(without_watermark_state_grows) {
  weir_engine *e;
  weir_error err = {0};
  CHECK_EQ_INT(weir_open(&e, NULL, &err), WEIR_OK);
  exec_ok(e, "SET clock = 'manual';", NULL);
  exec_ok(e,
          "CREATE SOURCE ev (k VARCHAR, x BIGINT, ts TIMESTAMP) "
          "WITH (connector = 'memory');",
          NULL);
  counter c;
  memset(&c, 0, sizeof c);
  c.cb.arg = &c;
  c.cb.on_start = on_start;
  c.cb.on_row = on_row;
  exec_ok(e,
          "SELECT k, window_start, COUNT(*) AS n, SUM(x) AS s "
          "FROM TUMBLE(ev, ts, INTERVAL '1' SECOND) "
          "GROUP BY k, window_start;",
          &c);
  weir_value *av = calloc(BATCH * 3, sizeof *av);
  int64_t ts = BASE_US, st10 = 0, mem10 = 0;
  for (int b = 0; b < 100; b++) {
    for (int i = 0; i < BATCH; i++) {
      weir_value *v = &av[i * 3];
      v[0].type = WEIR_VARCHAR;
      v[0].u.s.p = "k";
      v[0].u.s.n = 1;
      v[1].type = WEIR_BIGINT;
      v[1].u.i = i;
      v[2].type = WEIR_TIMESTAMP;
      v[2].u.i = ts;
      ts += 1000;
    }
    CHECK_EQ_INT(weir_push_rows(e, "ev", BATCH, 3, av, &err), WEIR_OK);
    if (b == 10) {
      weir_query_stats st;
      weir_query_get_stats(c.q, &st);
      st10 = st.state_bytes;
      mem10 = common_mem_used();
    }
  }
  free(av);
  weir_query_stats st;
  weir_query_get_stats(c.q, &st);
  CHECK(st10 > 0);
  CHECK(st.state_bytes > 4 * st10);
  CHECK(common_mem_used() > mem10);
  CHECK_EQ_INT(c.nRows, 0);
  weir_close(e);
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}
