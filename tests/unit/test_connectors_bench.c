/*
** tests/unit/test_connectors_bench.c — reader throughput, printed (never
** asserted on time: the test build has sanitizers and shares a machine).
**
** Reads the benchmark's events through the `file` source on a libuv loop
** with only team and score needed (the stateless benchmark query's
** projection), and also times the CSV / JSON parsers alone over the file
** already in memory, and the file sink's formatting. The data are
** WEIR_BENCH_CSV / WEIR_BENCH_JSON when set (e.g. the output of
** `bench_gen_scores 5000000 s.csv s.jsonl`), otherwise 200k generated
** rows. For real figures build with -DCMAKE_BUILD_TYPE=Release and no
** sanitizer.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "connectors/conn_internal.h"
#include "tinytest.h"

static char *azName[] = {"user_id", "team", "score", "ts"};
static uint8_t aType[] = {WEIR_VARCHAR, WEIR_VARCHAR, WEIR_BIGINT,
                          WEIR_TIMESTAMP};
static exec_schema sch = {4, azName, aType};
static const uint8_t aNeeded[] = {0, 1, 1, 0};

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of this process: on a shared, loaded machine the rate per CPU
** second is the figure that says what one core can do. */
static double cpu_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Path of the data, generating a small file when no env var is set. */
static const char *data(int bJson) {
  const char *z = getenv(bJson ? "WEIR_BENCH_JSON" : "WEIR_BENCH_CSV");
  if (z) return z;
  static char zPath[2][64];
  snprintf(zPath[bJson], sizeof zPath[bJson], "/tmp/weir_bench_%d.%s",
           (int)getppid(), bJson ? "jsonl" : "csv");
  FILE *f = fopen(zPath[bJson], "w");
  CHECK(f != NULL);
  if (!bJson) fputs("user_id,team,score,ts\n", f);
  for (int i = 0; i < 200000; i++) {
    int ms = i % 1000, s = i / 1000 % 60;
    if (bJson) {
      fprintf(f,
              "{\"user_id\":\"u%d\",\"team\":\"t%03d\",\"score\":%d,"
              "\"ts\":\"2026-01-01 12:00:%02d.%03d\"}\n",
              i * 7 % 100000, i % 1000, 1 + i % 20, s, ms);
    } else {
      fprintf(f, "u%d,t%03d,%d,2026-01-01 12:00:%02d.%03d\n", i * 7 % 100000,
              i % 1000, 1 + i % 20, s, ms);
    }
  }
  fclose(f);
  return zPath[bJson];
}

typedef struct counter {
  int64_t nRows, sum;
  int nEnd;
} counter;

static void on_deliver(void *pArg, exec_batch *b, int iPart) {
  counter *c = pArg;
  const int64_t *a = b->aCol[2].v.i64;
  for (int i = 0; i < b->n; i++) c->sum += a[i] + b->aCol[1].v.s[i].n;
  c->nRows += b->n;
}
static void on_end(void *pArg) {
  ((counter *)pArg)->nEnd++;
}

/* The file source end to end (I/O, parse, batches, loop pacing). */
static void bench_source(int bJson) {
  const char *zPath = data(bJson);
  const char *azK[] = {"connector", "path", "format"};
  const char *azV[] = {"file", zPath, bJson ? "json" : "csv"};
  conn_options o = {3, azK, azV};
  uv_loop_t loop;
  uv_loop_init(&loop);
  exec_source *s = conn_source_open(&o, &sch, aNeeded, NULL);
  CHECK(s != NULL);
  counter c = {0, 0, 0};
  s->pArg = &c;
  s->xDeliver = on_deliver;
  s->xEnd = on_end;
  double t0 = now_s(), c0 = cpu_s();
  s->vt->xStart(s, &loop);
  uv_run(&loop, UV_RUN_DEFAULT);
  double dt = now_s() - t0, dc = cpu_s() - c0;
  CHECK_EQ_INT(c.nEnd, 1);
  CHECK(c.nRows > 0);
  CHECK_EQ_INT(s->nBad, 0);
  printf(
      "  file source %s: %lld rows in %.3f s = %.2f M rows/s "
      "(CPU %.3f s = %.2f M rows/s)\n",
      bJson ? "json" : "csv", (long long)c.nRows, dt,
      (double)c.nRows / dt / 1e6, dc, (double)c.nRows / dc / 1e6);
  s->vt->xStop(s);
  s->vt->xFree(s);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_EQ_INT(uv_loop_close(&loop), 0);
}

/* Read a whole file into memory. */
static char *load(const char *zPath, size_t *pn) {
  FILE *f = fopen(zPath, "rb");
  CHECK(f != NULL);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *z = common_malloc((size_t)n + 1);
  CHECK(fread(z, 1, (size_t)n, f) == (size_t)n);
  fclose(f);
  *pn = (size_t)n;
  return z;
}

/* The parser alone over the file in memory. */
static void bench_parse(int bJson) {
  size_t n;
  char *z = load(data(bJson), &n);
  exec_source src;
  memset(&src, 0, sizeof src);
  conn_rd rd;
  conn_rd_init(&rd, &sch, aNeeded, bJson ? CONN_FMT_JSON : CONN_FMT_CSV, &src);
  common_arena a;
  common_arena_init(&a, 1 << 16);
  exec_batch *b = conn_batch_new(&a, &sch);
  counter c = {0, 0, 0};
  double t0 = now_s(), c0 = cpu_s();
  size_t off = 0;
  while (off < n) {
    b->n = 0;
    off += bJson ? conn_json_parse(&rd, z + off, n - off, 1, b)
                 : conn_csv_parse(&rd, z + off, n - off, 1, b);
    on_deliver(&c, b, 0);
  }
  double dt = now_s() - t0, dc = cpu_s() - c0;
  CHECK_EQ_INT(src.nBad, 0);
  printf(
      "  parse only %s: %lld rows in %.3f s = %.2f M rows/s "
      "(CPU %.3f s = %.2f M rows/s)\n",
      bJson ? "json" : "csv", (long long)c.nRows, dt,
      (double)c.nRows / dt / 1e6, dc, (double)c.nRows / dc / 1e6);
  conn_rd_clear(&rd);
  common_arena_free(&a);
  common_free(z);
}

TEST(throughput_csv) {
  bench_source(0);
  bench_parse(0);
}

TEST(throughput_json) {
  bench_source(1);
  bench_parse(1);
}

/* Formatting (team, score*2)-shaped rows as the file sink does. */
TEST(throughput_format) {
  static char *azOut[] = {"team", "score2"};
  static uint8_t aOutType[] = {WEIR_VARCHAR, WEIR_BIGINT};
  static exec_schema out = {2, azOut, aOutType};
  common_arena a;
  common_arena_init(&a, 1 << 16);
  exec_batch *b = conn_batch_new(&a, &out);
  for (int i = 0; i < EXEC_BATCH_CAP; i++) {
    b->aCol[0].null[i] = b->aCol[1].null[i] = 0;
    b->aCol[0].v.s[i].p = "t123";
    b->aCol[0].v.s[i].n = 4;
    b->aCol[1].v.i64[i] = 2 * (1 + i % 20);
  }
  b->n = EXEC_BATCH_CAP;
  common_buf buf;
  common_buf_init(&buf);
  int nBatch = 2000;
  for (int bJson = 0; bJson < 2; bJson++) {
    double c0 = cpu_s();
    for (int k = 0; k < nBatch; k++) {
      common_buf_reset(&buf);
      for (int i = 0; i < b->n; i++) {
        if (bJson) {
          conn_format_json_row(&buf, b, i, &out, 1);
        } else {
          conn_format_csv_row(&buf, b, i);
        }
      }
    }
    double dt = cpu_s() - c0;
    CHECK(buf.n > 0);
    printf("  format %s: %.2f M rows/s (CPU)\n", bJson ? "json" : "csv",
           (double)nBatch * EXEC_BATCH_CAP / dt / 1e6);
  }
  common_buf_free(&buf);
  common_arena_free(&a);
}

int main(int argc, char **argv) {
  int rc = tt_main(argc, argv);
  char z[64];
  for (int i = 0; i < 2; i++) {
    snprintf(z, sizeof z, "/tmp/weir_bench_%d.%s", (int)getpid(),
             i ? "jsonl" : "csv");
    unlink(z);
  }
  return rc;
}
