/*
** tests/unit/test_connectors_file.c — the `file` source on a real libuv
** loop: bounded reads end with xEnd, records spanning chunk boundaries
** (tiny chunks via the conn_file_chunk knob), globs read in sorted order,
** bad-record policies, pacing per loop turn, stopping from inside a
** delivery, and follow mode picking up appended lines and new files.
** Every test ends by closing the loop, which fails if a handle leaked.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connectors/conn_internal.h"
#include "tinytest.h"

static char *azName[] = {"user_id", "team", "score", "ts"};
static uint8_t aType[] = {WEIR_VARCHAR, WEIR_VARCHAR, WEIR_BIGINT,
                          WEIR_TIMESTAMP};
static exec_schema sch = {4, azName, aType};

/* What a test's source delivered. */
typedef struct collect {
  common_buf rows; /* rendered rows */
  int nRows, nDeliver, nEnd, nError;
  char zErr[512];
  exec_source *src;
  int nStopAfter; /* >0: stop and free the source in that delivery */
  int bFreed;
} collect;

static void on_deliver(void *pArg, exec_batch *b, int iPart) {
  collect *c = pArg;
  CHECK_EQ_INT(iPart, 0);
  for (int i = 0; i < b->n; i++) {
    for (int k = 0; k < b->nCol; k++) {
      const exec_vec *v = &b->aCol[k];
      if (k) common_buf_putc(&c->rows, '|');
      if (v->null[i]) {
        common_buf_puts(&c->rows, "NULL");
      } else if (v->type == WEIR_VARCHAR) {
        common_buf_append(&c->rows, v->v.s[i].p, v->v.s[i].n);
      } else if (v->type == WEIR_TIMESTAMP) {
        char z[40];
        common_ts_format(z, v->v.i64[i]);
        common_buf_puts(&c->rows, z);
      } else {
        common_buf_printf(&c->rows, "%lld", (long long)v->v.i64[i]);
      }
    }
    common_buf_putc(&c->rows, '\n');
  }
  c->nRows += b->n;
  c->nDeliver++;
  if (c->nStopAfter && c->nDeliver == c->nStopAfter) {
    c->src->vt->xStop(c->src);
    c->src->vt->xFree(c->src);
    c->bFreed = 1;
  }
}
static void on_end(void *pArg) {
  ((collect *)pArg)->nEnd++;
}
static void on_error(void *pArg, const char *zMsg) {
  collect *c = pArg;
  c->nError++;
  snprintf(c->zErr, sizeof c->zErr, "%s", zMsg);
}

/* Open a file source from alternating key, value strings (NULL ends). */
static exec_source *open_src(collect *c, const uint8_t *aNeeded, char **pzErr,
                             ...) {
  const char *azK[16], *azV[16];
  int n = 0;
  va_list ap;
  va_start(ap, pzErr);
  for (;;) {
    const char *k = va_arg(ap, const char *);
    if (!k) break;
    azK[n] = k;
    azV[n++] = va_arg(ap, const char *);
  }
  va_end(ap);
  conn_options o = {n, azK, azV};
  exec_source *s = conn_source_open(&o, &sch, aNeeded, pzErr);
  if (!s) return NULL;
  memset(c, 0, sizeof *c);
  common_buf_init(&c->rows);
  common_buf_puts(&c->rows, "");
  c->src = s;
  s->pArg = c;
  s->xDeliver = on_deliver;
  s->xEnd = on_end;
  s->xError = on_error;
  return s;
}

/* Stop and free the source (unless the test did), run the loop so the
** handles close, and check that nothing is left on it. */
static void finish(uv_loop_t *loop, collect *c) {
  if (!c->bFreed) {
    c->src->vt->xStop(c->src);
    c->src->vt->xFree(c->src);
  }
  uv_run(loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(loop), 0);
  common_buf_free(&c->rows);
}

static char zDir[256];
static void make_dir(void) {
  snprintf(zDir, sizeof zDir, "/tmp/weir_conn_test_XXXXXX");
  CHECK(mkdtemp(zDir) != NULL);
}
static void rm_dir(void) {
  char zCmd[300];
  snprintf(zCmd, sizeof zCmd, "rm -rf %s", zDir);
  CHECK_EQ_INT(system(zCmd), 0);
}
static const char *path(const char *zName) {
  static char z[4][512];
  static int i;
  i = (i + 1) % 4;
  snprintf(z[i], sizeof z[i], "%s/%s", zDir, zName);
  return z[i];
}
static void write_file(const char *zName, const char *zText,
                       const char *zMode) {
  FILE *f = fopen(path(zName), zMode);
  CHECK(f != NULL);
  fputs(zText, f);
  fclose(f);
}

/* Read a whole file source with the given chunk size; returns the rows. */
static char *read_all(const char *zPath, const char *zFormat, size_t nChunk,
                      int64_t *pnBad) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  collect c;
  conn_file_chunk = nChunk;
  exec_source *s = open_src(&c, NULL, NULL, "connector", "file", "path", zPath,
                            "format", zFormat, NULL);
  CHECK(s != NULL);
  s->vt->xStart(s, &loop);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(c.nEnd, 1);
  CHECK_EQ_INT(s->nRecords, c.nRows);
  if (pnBad) *pnBad = s->nBad;
  char *z = common_strdup(c.rows.z);
  finish(&loop, &c);
  conn_file_chunk = 0;
  return z;
}

TEST(bounded_csv_reads_everything_then_ends) {
  make_dir();
  common_buf in;
  common_buf_init(&in);
  common_buf_puts(&in, "user_id,team,score,ts\n");
  for (int i = 0; i < 3000; i++) {
    common_buf_printf(&in, "u%d,t%d,%d,2026-01-01 00:00:%02d.%03d\n", i, i % 7,
                      i, i % 60, i % 1000);
  }
  write_file("a.csv", in.z, "w");
  int64_t nBad = -1;
  char *z = read_all(path("a.csv"), "csv", 0, &nBad);
  CHECK_EQ_INT(nBad, 0);
  CHECK(strncmp(z,
                "u0|t0|0|2026-01-01 00:00:00\nu1|t1|1|2026-01-01 "
                "00:00:01.001\n",
                54) == 0);
  CHECK_CONTAINS(z, "\nu2999|t3|2999|2026-01-01 00:00:59.999\n");
  int nLine = 0;
  for (const char *p = z; *p; p++) nLine += *p == '\n';
  CHECK_EQ_INT(nLine, 3000);
  common_free(z);
  common_buf_free(&in);
  rm_dir();
}

TEST(records_spanning_chunks_read_the_same) {
  make_dir();
  common_buf in;
  common_buf_init(&in);
  common_buf_puts(&in, "ts,score,team,user_id\n");
  for (int i = 0; i < 300; i++) {
    common_buf_printf(&in, "2026-01-01 00:00:01,%d,\"t,\"\"%d\"\"\n\",u%d", i,
                      i, i);
    if (i % 50 == 7) {
      for (int k = 0; k < 100; k++) common_buf_puts(&in, "long");
    }
    common_buf_puts(&in, i % 3 ? "\n" : "\r\n");
    if (i == 100) common_buf_puts(&in, "x,notanumber,y,z\n");
  }
  common_buf_puts(&in, "2026-01-02,1,last,nonewline");
  write_file("b.csv", in.z, "w");
  common_buf_reset(&in);
  for (int i = 0; i < 300; i++) {
    common_buf_printf(&in,
                      "{\"user_id\":\"u\\\"%d\",\"team\":\"t%d\","
                      "\"score\":%d,\"ts\":%d}\n",
                      i, i % 5, i, i * 1000);
  }
  common_buf_puts(&in, "{\"score\":\"bad\"}\n{\"score\":1}");
  write_file("c.jsonl", in.z, "w");
  common_buf_free(&in);

  int64_t nBad;
  char *zCsv = read_all(path("b.csv"), "csv", 0, &nBad);
  CHECK_EQ_INT(nBad, 1);
  CHECK_CONTAINS(zCsv, "u7longlong");
  CHECK_CONTAINS(zCsv, "|t,\"5\"\n|");
  CHECK_CONTAINS(zCsv, "\nnonewline|last|1|2026-01-02 00:00:00\n");
  char *zJson = read_all(path("c.jsonl"), "json", 0, &nBad);
  CHECK_EQ_INT(nBad, 1);
  CHECK_CONTAINS(zJson, "u\"299|t4|299|1970-01-01 00:04:59\n");
  CHECK_CONTAINS(zJson, "NULL|NULL|1|NULL\n");
  static const size_t aChunk[] = {1, 2, 3, 7, 64, 1000};
  for (int i = 0; i < COMMON_ARRAY_SIZE(aChunk); i++) {
    char *z = read_all(path("b.csv"), "csv", aChunk[i], &nBad);
    CHECK_EQ_STR(z, zCsv);
    CHECK_EQ_INT(nBad, 1);
    common_free(z);
    z = read_all(path("c.jsonl"), "json", aChunk[i], &nBad);
    CHECK_EQ_STR(z, zJson);
    CHECK_EQ_INT(nBad, 1);
    common_free(z);
  }
  common_free(zCsv);
  common_free(zJson);
  rm_dir();
}

TEST(glob_reads_files_in_sorted_order) {
  make_dir();
  write_file("b.csv", "team,score\nb1,1\nb2,x\n", "w");
  write_file("a.csv", "score,team\n10,a1\n", "w");
  write_file("c.csv", "team\nc1", "w");
  write_file("d.txt", "team\nnot me\n", "w");
  uv_loop_t loop;
  uv_loop_init(&loop);
  collect c;
  exec_source *s = open_src(&c, NULL, NULL, "connector", "file", "path",
                            path("*.csv"), "format", "csv", NULL);
  CHECK(s != NULL);
  CHECK_EQ_INT(s->nPart, 1);
  s->vt->xStart(s, &loop);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(c.nEnd, 1);
  CHECK_EQ_STR(c.rows.z,
               "NULL|a1|10|NULL\nNULL|b1|1|NULL\nNULL|c1|NULL|NULL\n");
  CHECK_EQ_INT(s->nBad, 1);
  char zWant[600];
  snprintf(zWant, sizeof zWant, "%s:3: column score: 'x' is not a BIGINT",
           path("b.csv"));
  CHECK_EQ_STR(s->zLastBad, zWant);
  finish(&loop, &c);
  rm_dir();
}

TEST(on_error_fail_reports_and_stops) {
  make_dir();
  write_file("f.jsonl",
             "{\"score\":1}\n{\"score\":2}\n{\"score\":true}\n"
             "{\"score\":4}\n",
             "w");
  uv_loop_t loop;
  uv_loop_init(&loop);
  collect c;
  exec_source *s =
      open_src(&c, NULL, NULL, "connector", "file", "path", path("f.jsonl"),
               "format", "json", "format.on-error", "fail", NULL);
  CHECK(s != NULL);
  s->vt->xStart(s, &loop);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(c.nError, 1);
  CHECK_EQ_INT(c.nEnd, 0);
  CHECK_EQ_INT(c.nRows, 2);
  CHECK_CONTAINS(c.zErr, "f.jsonl:3: column score: 'true' is not a BIGINT");
  finish(&loop, &c);
  rm_dir();
}

TEST(missing_file_is_an_open_error) {
  make_dir();
  collect c;
  char *zErr = NULL;
  exec_source *s = open_src(&c, NULL, &zErr, "connector", "file", "path",
                            path("nope.csv"), "format", "csv", NULL);
  CHECK(s == NULL);
  CHECK_CONTAINS(zErr, "nope.csv: no such file");
  common_free(zErr);
  zErr = NULL;
  s = open_src(&c, NULL, &zErr, "connector", "file", "path", path("*.csv"),
               "format", "csv", NULL);
  CHECK(s == NULL);
  CHECK_CONTAINS(zErr, "no file matches");
  common_free(zErr);
  zErr = NULL;
  rm_dir();
}

TEST(paced_per_loop_turn_and_stoppable_in_delivery) {
  make_dir();
  common_buf in;
  common_buf_init(&in);
  common_buf_puts(&in, "score\n");
  for (int i = 0; i < 100 * EXEC_BATCH_CAP; i++) {
    common_buf_printf(&in, "%d\n", i);
  }
  write_file("big.csv", in.z, "w");
  common_buf_free(&in);
  uv_loop_t loop;
  uv_loop_init(&loop);
  collect c;
  static const uint8_t aNeeded[] = {0, 0, 1, 0};
  exec_source *s = open_src(&c, aNeeded, NULL, "connector", "file", "path",
                            path("big.csv"), "format", "csv", NULL);
  s->vt->xStart(s, &loop);
  uv_run(&loop, UV_RUN_NOWAIT);
  /* One turn: a bounded number of batches, then the loop gets control. */
  CHECK(c.nDeliver > 0);
  CHECK(c.nDeliver <= 64);
  CHECK_EQ_INT(c.nEnd, 0);
  c.nStopAfter = c.nDeliver + 3;
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(c.bFreed);
  CHECK_EQ_INT(c.nDeliver, c.nStopAfter);
  CHECK_EQ_INT(c.nEnd, 0);
  finish(&loop, &c);
  rm_dir();
}

/* ---- follow mode -------------------------------------------------------- */

typedef struct follow_step {
  collect *c;
  int iStep;
  uv_timer_t timer;
} follow_step;

static void follow_tick(uv_timer_t *h) {
  follow_step *st = h->data;
  collect *c = st->c;
  switch (st->iStep++) {
    case 0:
      /* The two complete lines are in; the partial third one waits. */
      CHECK_EQ_INT(c->nRows, 2);
      write_file("a.jsonl", "3}\n{\"score\":4}\n", "a");
      break;
    case 1:
      CHECK_EQ_INT(c->nRows, 4);
      write_file("b.jsonl", "{\"score\":5,\"team\":\"new\"}\n", "w");
      write_file("ignored.csv", "score\n6\n", "w");
      break;
    case 2:
      CHECK_EQ_INT(c->nRows, 5);
      write_file("a.jsonl", "{\"score\":oops}\n{\"score\":7}\n", "a");
      break;
    default:
      CHECK_EQ_INT(c->nRows, 6);
      CHECK_EQ_INT(c->nEnd, 0);
      CHECK_EQ_STR(c->rows.z,
                   "NULL|NULL|1|NULL\nNULL|NULL|2|NULL\n"
                   "NULL|NULL|3|NULL\nNULL|NULL|4|NULL\n"
                   "NULL|new|5|NULL\nNULL|NULL|7|NULL\n");
      CHECK_EQ_INT(c->src->nBad, 1);
      CHECK_CONTAINS(c->src->zLastBad, "a.jsonl:5: invalid JSON");
      uv_close((uv_handle_t *)h, NULL);
      c->src->vt->xStop(c->src);
      c->src->vt->xFree(c->src);
      c->bFreed = 1;
      break;
  }
}

TEST(follow_picks_up_appends_and_new_files) {
  make_dir();
  conn_file_poll_ms = 10;
  write_file("a.jsonl", "{\"score\":1}\n{\"score\":2}\n{\"score\":", "w");
  uv_loop_t loop;
  uv_loop_init(&loop);
  collect c;
  exec_source *s =
      open_src(&c, NULL, NULL, "connector", "file", "path", path("*.jsonl"),
               "format", "json", "follow", "true", NULL);
  CHECK(s != NULL);
  s->vt->xStart(s, &loop);
  follow_step st = {&c, 0};
  uv_timer_init(&loop, &st.timer);
  st.timer.data = &st;
  uv_timer_start(&st.timer, follow_tick, 80, 80);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(st.iStep, 4);
  finish(&loop, &c);
  rm_dir();
}

TEST(follow_waits_for_files_to_appear) {
  make_dir();
  conn_file_poll_ms = 10;
  uv_loop_t loop;
  uv_loop_init(&loop);
  collect c;
  exec_source *s =
      open_src(&c, NULL, NULL, "connector", "file", "path", path("*.csv"),
               "format", "csv", "follow", "true", NULL);
  CHECK(s != NULL);
  s->vt->xStart(s, &loop);
  for (int i = 0; i < 5; i++) uv_run(&loop, UV_RUN_ONCE);
  CHECK_EQ_INT(c.nRows, 0);
  write_file("late.csv", "team,score\nz,9\n", "w");
  for (int i = 0; i < 200 && c.nRows == 0; i++) uv_run(&loop, UV_RUN_ONCE);
  CHECK_EQ_STR(c.rows.z, "NULL|z|9|NULL\n");
  /* The header read earlier still maps the appended rows; a second file
  ** has its own header. */
  write_file("late.csv", "y,8\n", "a");
  write_file("later.csv", "score,team\n7,x\n", "w");
  for (int i = 0; i < 200 && c.nRows < 3; i++) uv_run(&loop, UV_RUN_ONCE);
  CHECK_EQ_STR(c.rows.z, "NULL|z|9|NULL\nNULL|y|8|NULL\nNULL|x|7|NULL\n");
  write_file("late.csv", "w,6\n", "a");
  for (int i = 0; i < 200 && c.nRows < 4; i++) uv_run(&loop, UV_RUN_ONCE);
  CHECK_CONTAINS(c.rows.z, "NULL|x|7|NULL\nNULL|w|6|NULL\n");
  CHECK_EQ_INT(c.src->nBad, 0);
  finish(&loop, &c);
  rm_dir();
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}
