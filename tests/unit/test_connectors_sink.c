/*
** tests/unit/test_connectors_sink.c — the rest of connectors/: option
** checks, the memory hub (fan-out, watermarks, unsubscribe), row
** formatting, the file sink (CSV and JSON lines with ops, append and
** overwrite), a CSV round trip through sink and source, and the demo
** generator.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connectors/conn_internal.h"
#include "tinytest.h"

static char *azName[] = {"name", "n", "ts", "ok", "x"};
static uint8_t aType[] = {WEIR_VARCHAR, WEIR_BIGINT, WEIR_TIMESTAMP,
                          WEIR_BOOLEAN, WEIR_DOUBLE};
static exec_schema sch = {5, azName, aType};

/* Check options given as "k=v" strings; returns the error or NULL. */
static char *check(int bSink, int n, ...) {
  static char zBuf[1024];
  const char *azK[16], *azV[16];
  char aStore[16][128];
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) {
    const char *z = va_arg(ap, const char *);
    snprintf(aStore[i], sizeof aStore[i], "%s", z);
    char *eq = strchr(aStore[i], '=');
    *eq = 0;
    azK[i] = aStore[i];
    azV[i] = eq + 1;
  }
  va_end(ap);
  conn_options o = {n, azK, azV};
  char *zErr = NULL;
  int rc =
      bSink ? conn_sink_check(&o, &zErr) : conn_source_check(&o, &sch, &zErr);
  if (!rc) {
    CHECK(zErr == NULL);
    return NULL;
  }
  CHECK(zErr != NULL);
  snprintf(zBuf, sizeof zBuf, "%s", zErr);
  common_free(zErr);
  return zBuf;
}

TEST(option_checks) {
  CHECK(check(0, 3, "connector=file", "path=x.csv", "format=csv") == NULL);
  CHECK(check(0, 6, "connector=file", "path=x/*.json", "format=JSON",
              "follow=true", "format.on-error=fail",
              "csv.delimiter=;") == NULL);
  CHECK(check(0, 1, "connector=memory") == NULL);
  CHECK(check(0, 4, "connector=kafka", "topic=t", "bootstrap.servers=h:1",
              "properties.client.id=weir") == NULL);
  /* Without 'connector' a source is a memory source. */
  CHECK_CONTAINS(check(0, 1, "path=x"),
                 "unknown option 'path' for connector 'memory'");
  CHECK_CONTAINS(check(0, 1, "connector=ftp"), "unknown connector 'ftp'");
  CHECK_CONTAINS(check(0, 2, "connector=file", "format=csv"),
                 "option 'path' is required");
  CHECK_CONTAINS(check(0, 2, "connector=file", "path=x"),
                 "option 'format' is required");
  CHECK_CONTAINS(check(0, 3, "connector=file", "path=x", "format=xml"),
                 "unknown format 'xml'");
  CHECK_CONTAINS(check(0, 4, "connector=file", "path=x", "format=csv",
                       "format.on-error=ignore"),
                 "'format.on-error' must be 'skip' or 'fail'");
  CHECK_CONTAINS(
      check(0, 4, "connector=file", "path=x", "format=csv", "follow=yes"),
      "'follow' must be 'true' or 'false'");
  CHECK_CONTAINS(check(0, 4, "connector=file", "pth=x", "path=x", "format=csv"),
                 "unknown option 'pth' for connector 'file' (did you mean "
                 "'path'?)");
  CHECK_CONTAINS(
      check(0, 4, "connector=file", "path=x", "format=csv", "csv.delimiter=ab"),
      "'csv.delimiter' must be one character");
  CHECK_CONTAINS(check(0, 2, "connector=kafka", "topic=t"),
                 "'bootstrap.servers' is required");
  CHECK(check(1, 4, "connector=file", "path=o.json", "format=json",
              "sink.mode=append") == NULL);
  CHECK(check(1, 3, "connector=kafka", "topic=t", "bootstrap.servers=h:1") ==
        NULL);
  CHECK_CONTAINS(check(1, 4, "connector=file", "path=o", "format=csv",
                       "sink.mode=replace"),
                 "'sink.mode' must be 'append' or 'overwrite'");
  CHECK_CONTAINS(check(1, 2, "connector=file", "format=csv"),
                 "option 'path' is required");
  CHECK_CONTAINS(check(1, 1, "connector=memory"),
                 "unknown sink connector 'memory'");
  const char *azK[] = {"connector", "path", "PATH"};
  const char *azV[] = {"file", "a", "b"};
  conn_options o = {3, azK, azV};
  CHECK_EQ_STR(conn_opt(&o, "path", NULL), "b");
  CHECK_EQ_STR(conn_opt(&o, "format", "dflt"), "dflt");
}

/* A batch of 3 rows with every type and some NULLs, in arena a. */
static exec_batch *sample(common_arena *a) {
  exec_batch *b = conn_batch_new(a, &sch);
  static const char *azS[] = {"plain", "has,comma \"q\"\nnl", ""};
  for (int i = 0; i < 3; i++) {
    for (int c = 0; c < 5; c++) b->aCol[c].null[i] = 0;
    b->aCol[0].v.s[i].p = azS[i];
    b->aCol[0].v.s[i].n = (uint32_t)strlen(azS[i]);
    b->aCol[1].v.i64[i] = i == 1 ? INT64_MIN : -42 + i * 1000;
    b->aCol[2].v.i64[i] = 1767225600000000LL + i * 1500;
    b->aCol[3].v.b[i] = (uint8_t)(i & 1);
    b->aCol[4].v.f64[i] = i == 0 ? 0.1 : 2.5;
  }
  b->aCol[3].null[2] = 1;
  b->aCol[4].null[1] = 1;
  b->op[0] = OP_INSERT;
  b->op[1] = OP_UPDATE_BEFORE;
  b->op[2] = OP_DELETE;
  b->n = 3;
  return b;
}

/* 'idle.timeout' / 'idle.advance' are checked on every kind of source
** with one rule (conn_check_idle, the planner's duration syntax). */
TEST(idle_option_checks) {
  CHECK(check(0, 3, "connector=memory", "idle.timeout=5 s",
              "idle.advance=true") == NULL);
  CHECK(check(0, 5, "connector=file", "path=x", "format=csv",
              "idle.timeout=500ms", "idle.advance=FALSE") == NULL);
  CHECK_EQ_STR(check(0, 2, "connector=memory", "idle.timeout=banana"),
               "option 'idle.timeout' must be a duration like '5 s' or "
               "'500 ms', not 'banana'");
  CHECK_CONTAINS(check(0, 2, "connector=memory", "idle.advance=maybe"),
                 "option 'idle.advance' must be 'true' or 'false', not "
                 "'maybe'");
  CHECK_EQ_STR(check(0, 2, "connector=memory", "idle.timout=5 s"),
               "unknown option 'idle.timout' for connector 'memory' (did "
               "you mean 'idle.timeout'?)");
  CHECK_CONTAINS(check(0, 4, "connector=file", "path=x", "format=csv",
                       "idle.timeout=banana"),
                 "option 'idle.timeout' must be a duration");
  CHECK_CONTAINS(check(0, 4, "connector=file", "path=x", "format=csv",
                       "idle.timeout=5 weeks"),
                 "not '5 weeks'");
  CHECK_CONTAINS(check(0, 4, "connector=kafka", "topic=t",
                       "bootstrap.servers=h:1", "idle.timeout=-1"),
                 "option 'idle.timeout' must be a duration");
  CHECK_CONTAINS(check(0, 4, "connector=kafka", "topic=t",
                       "bootstrap.servers=h:1", "idle.advance=1"),
                 "option 'idle.advance' must be 'true' or 'false'");
}

TEST(format_rows) {
  common_arena a;
  common_arena_init(&a, 65536);
  exec_batch *b = sample(&a);
  common_buf out;
  common_buf_init(&out);
  for (int i = 0; i < 3; i++) conn_format_csv_row(&out, b, i);
  CHECK_EQ_STR(out.z,
               "plain,-42,2026-01-01 00:00:00,false,0.1\n"
               "\"has,comma \"\"q\"\"\nnl\",-9223372036854775808,"
               "2026-01-01 00:00:00.001500,true,\n"
               "\"\",1958,2026-01-01 00:00:00.003,,2.5\n");
  common_buf_reset(&out);
  for (int i = 0; i < 3; i++) conn_format_json_row(&out, b, i, &sch, i != 0);
  CHECK_EQ_STR(out.z,
               "{\"name\":\"plain\",\"n\":-42,\"ts\":\"2026-01-01 00:00:00\","
               "\"ok\":false,\"x\":0.1}\n"
               "{\"op\":\"-U\",\"name\":\"has,comma \\\"q\\\"\\nnl\","
               "\"n\":-9223372036854775808,\"ts\":\"2026-01-01 "
               "00:00:00.001500\",\"ok\":true,\"x\":null}\n"
               "{\"op\":\"-D\",\"name\":\"\",\"n\":1958,\"ts\":\"2026-01-01 "
               "00:00:00.003\",\"ok\":null,\"x\":2.5}\n");
  common_buf_free(&out);
  common_arena_free(&a);
}

static char *slurp(const char *zPath) {
  FILE *f = fopen(zPath, "r");
  CHECK(f != NULL);
  static char z[65536];
  size_t n = fread(z, 1, sizeof z - 1, f);
  z[n] = 0;
  fclose(f);
  return z;
}

static exec_sink *open_sink(const char *zPath, const char *zFmt,
                            const char *zMode) {
  const char *azK[] = {"connector", "path", "format", "sink.mode"};
  const char *azV[] = {"file", zPath, zFmt, zMode};
  conn_options o = {zMode ? 4 : 3, azK, azV};
  char *zErr = NULL;
  exec_sink *s = conn_sink_open(&o, &sch, &zErr);
  CHECK(s != NULL);
  CHECK(zErr == NULL);
  return s;
}

TEST(file_sink_csv_and_json) {
  char zDir[] = "/tmp/weir_sink_XXXXXX";
  CHECK(mkdtemp(zDir) != NULL);
  char zCsv[256], zJson[256];
  snprintf(zCsv, sizeof zCsv, "%s/o.csv", zDir);
  snprintf(zJson, sizeof zJson, "%s/o.jsonl", zDir);
  common_arena a;
  common_arena_init(&a, 65536);
  exec_batch *b = sample(&a);

  exec_sink *s = open_sink(zCsv, "csv", NULL);
  /* CSV cannot carry ops: a changelog with -U/-D is refused. */
  CHECK_EQ_INT(s->vt->xWrite(s, b, &sch), 1);
  CHECK_CONTAINS(s->zErr,
                 "a CSV file sink takes insert-only results, got a "
                 "-U row");
  s->vt->xFree(s);
  b->op[1] = b->op[2] = OP_INSERT;
  s = open_sink(zCsv, "csv", NULL);
  CHECK_EQ_INT(s->vt->xWrite(s, b, &sch), 0);
  /* Nothing reaches the file before a flush (buffered). */
  CHECK_EQ_STR(slurp(zCsv), "");
  CHECK_EQ_INT(s->vt->xFlush(s), 0);
  s->vt->xFree(s);
  const char *zWant =
      "name,n,ts,ok,x\n"
      "plain,-42,2026-01-01 00:00:00,false,0.1\n"
      "\"has,comma \"\"q\"\"\nnl\",-9223372036854775808,"
      "2026-01-01 00:00:00.001500,true,\n"
      "\"\",1958,2026-01-01 00:00:00.003,,2.5\n";
  CHECK_EQ_STR(slurp(zCsv), zWant);
  /* Append mode adds rows without a second header. */
  s = open_sink(zCsv, "csv", "append");
  b->n = 1;
  s->vt->xWrite(s, b, &sch);
  s->vt->xFlush(s);
  s->vt->xFree(s);
  char zWant2[1024];
  snprintf(zWant2, sizeof zWant2,
           "%splain,-42,2026-01-01 00:00:00,false,"
           "0.1\n",
           zWant);
  CHECK_EQ_STR(slurp(zCsv), zWant2);
  /* Overwrite (the default) truncates. */
  s = open_sink(zCsv, "csv", "overwrite");
  s->vt->xFlush(s);
  s->vt->xFree(s);
  CHECK_EQ_STR(slurp(zCsv), "name,n,ts,ok,x\n");

  b->n = 3;
  b->op[1] = OP_UPDATE_BEFORE;
  b->op[2] = OP_DELETE;
  s = open_sink(zJson, "json", NULL);
  s->vt->xWrite(s, b, &sch);
  s->vt->xFlush(s);
  s->vt->xFree(s);
  const char *zJ = slurp(zJson);
  CHECK(strncmp(zJ, "{\"op\":\"+I\",\"name\":\"plain\",\"n\":-42,", 34) == 0);
  CHECK_CONTAINS(zJ, "{\"op\":\"-U\",");
  CHECK_CONTAINS(zJ, "{\"op\":\"-D\",\"name\":\"\",\"n\":1958,");

  /* Bad path: an open error, not a crash. */
  const char *azK[] = {"connector", "path", "format"};
  const char *azV[] = {"file", "/nonexistent/dir/o.csv", "csv"};
  conn_options o = {3, azK, azV};
  char *zErr = NULL;
  CHECK(conn_sink_open(&o, &sch, &zErr) == NULL);
  CHECK_CONTAINS(zErr, "cannot open /nonexistent/dir/o.csv");
  common_free(zErr);
  common_arena_free(&a);
  char zCmd[300];
  snprintf(zCmd, sizeof zCmd, "rm -rf %s", zDir);
  CHECK_EQ_INT(system(zCmd), 0);
}

/* Collects what a source delivered. */
typedef struct sub_log {
  int nBatch, nRows;
  int64_t wm;
  exec_source *pOther; /* stop and free this one on the first delivery */
} sub_log;
static void log_deliver(void *pArg, exec_batch *b, int iPart) {
  sub_log *l = pArg;
  l->nBatch++;
  l->nRows += b->n;
  if (l->pOther) {
    l->pOther->vt->xStop(l->pOther);
    l->pOther->vt->xFree(l->pOther);
    l->pOther = NULL;
  }
}
static void log_wm(void *pArg, int64_t wm) {
  ((sub_log *)pArg)->wm = wm;
}

static exec_source *sub(conn_memory *m, sub_log *l) {
  exec_source *s = conn_memory_subscribe(m);
  memset(l, 0, sizeof *l);
  s->pArg = l;
  s->xDeliver = log_deliver;
  s->xWatermark = log_wm;
  return s;
}

TEST(memory_hub_fans_out) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  conn_memory *m = conn_memory_new(&sch);
  sub_log l1, l2, l3;
  exec_source *s1 = sub(m, &l1);
  exec_source *s2 = sub(m, &l2);
  exec_source *s3 = sub(m, &l3);
  s1->vt->xStart(s1, &loop);
  s2->vt->xStart(s2, &loop);
  /* s3 is not started: it receives nothing. */
  common_arena a;
  common_arena_init(&a, 65536);
  exec_batch *b = sample(&a);
  conn_memory_push(m, b);
  CHECK_EQ_INT(l1.nRows, 3);
  CHECK_EQ_INT(l2.nRows, 3);
  CHECK_EQ_INT(l3.nRows, 0);
  CHECK_EQ_INT(s1->nRecords, 3);
  conn_memory_watermark(m, 12345);
  CHECK_EQ_INT(l1.wm, 12345);
  CHECK_EQ_INT(l2.wm, 12345);
  CHECK_EQ_INT(l3.wm, 0);
  /* Stopping unsubscribes. */
  s2->vt->xStop(s2);
  conn_memory_push(m, b);
  CHECK_EQ_INT(l1.nRows, 6);
  CHECK_EQ_INT(l2.nRows, 3);
  s2->vt->xFree(s2);
  /* A subscriber may free another one from inside a delivery. */
  s3->vt->xStart(s3, &loop);
  l1.pOther = s3;
  conn_memory_push(m, b);
  CHECK_EQ_INT(l1.nRows, 9);
  CHECK(l3.nRows <= 3);
  conn_memory_push(m, b);
  CHECK_EQ_INT(l1.nRows, 12);
  CHECK(l3.nRows <= 3);
  CHECK_EQ_INT(conn_memory_rows(m), 12);
  /* The hub may go first; the subscriber is then freed on its own. */
  conn_memory_free(m);
  s1->vt->xStop(s1);
  s1->vt->xFree(s1);
  common_arena_free(&a);
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
}

TEST(csv_sink_output_reads_back) {
  char zDir[] = "/tmp/weir_rt_XXXXXX";
  CHECK(mkdtemp(zDir) != NULL);
  char zPath[256];
  snprintf(zPath, sizeof zPath, "%s/rt.csv", zDir);
  common_arena a;
  common_arena_init(&a, 65536);
  exec_batch *b = sample(&a);
  b->op[1] = b->op[2] = OP_INSERT;
  exec_sink *s = open_sink(zPath, "csv", NULL);
  CHECK_EQ_INT(s->vt->xWrite(s, b, &sch), 0);
  s->vt->xFlush(s);
  s->vt->xFree(s);
  /* Read it back and format again: identical text. */
  exec_source src;
  memset(&src, 0, sizeof src);
  conn_rd rd;
  conn_rd_init(&rd, &sch, NULL, CONN_FMT_CSV, &src);
  conn_rd_new_file(&rd, zPath);
  const char *zText = slurp(zPath);
  exec_batch *b2 = conn_batch_new(&a, &sch);
  conn_csv_parse(&rd, zText, strlen(zText), 1, b2);
  CHECK_EQ_INT(b2->n, 3);
  CHECK_EQ_INT(src.nBad, 0);
  common_buf o1, o2;
  common_buf_init(&o1);
  common_buf_init(&o2);
  for (int i = 0; i < 3; i++) {
    conn_format_csv_row(&o1, b, i);
    conn_format_csv_row(&o2, b2, i);
  }
  CHECK_EQ_STR(o2.z, o1.z);
  common_buf_free(&o1);
  common_buf_free(&o2);
  conn_rd_clear(&rd);
  common_arena_free(&a);
  char zCmd[300];
  snprintf(zCmd, sizeof zCmd, "rm -rf %s", zDir);
  CHECK_EQ_INT(system(zCmd), 0);
}

/* ---- demo ----------------------------------------------------------- */

static char *azDemo[] = {"user_id", "team", "score", "ts"};
static uint8_t aDemoType[] = {WEIR_VARCHAR, WEIR_VARCHAR, WEIR_BIGINT,
                              WEIR_TIMESTAMP};
static exec_schema schDemo = {4, azDemo, aDemoType};

typedef struct demo_log {
  int nBatch, nRows, bBad;
  int64_t tMin, tMax, now;
  conn_demo *d;
} demo_log;

static void demo_deliver(void *pArg, exec_batch *b, int iPart) {
  demo_log *l = pArg;
  l->nBatch++;
  if (b->n < 10 || b->n > 50) l->bBad = 1;
  for (int i = 0; i < b->n; i++) {
    int64_t sc = b->aCol[2].v.i64[i], ts = b->aCol[3].v.i64[i];
    if (sc < 1 || sc > 20 || b->aCol[0].v.s[i].n == 0) l->bBad = 1;
    if (ts > l->now || ts < l->now - 5000000) l->bBad = 1;
  }
  l->nRows += b->n;
  if (l->nBatch == 3) conn_demo_stop(l->d);
}

TEST(demo_pushes_batches) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  exec_clock *clock = exec_clock_new(&loop);
  exec_clock_set_manual(clock, 1);
  exec_clock_set(clock, 1767225600000000LL);
  conn_memory *m = conn_memory_new(&schDemo);
  exec_source *s = conn_memory_subscribe(m);
  demo_log l;
  memset(&l, 0, sizeof l);
  l.now = 1767225600000000LL;
  s->pArg = &l;
  s->xDeliver = demo_deliver;
  s->vt->xStart(s, &loop);
  l.d = conn_demo_start(&loop, m, clock);
  uint64_t t0 = uv_now(&loop);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_update_time(&loop);
  CHECK_EQ_INT(l.nBatch, 3);
  CHECK(l.nRows >= 30);
  CHECK(!l.bBad);
  CHECK(uv_now(&loop) - t0 >= 250);
  s->vt->xStop(s);
  s->vt->xFree(s);
  conn_memory_free(m);
  exec_clock_free(clock);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
}

int main(int argc, char **argv) {
  return tt_main(argc, argv);
}
