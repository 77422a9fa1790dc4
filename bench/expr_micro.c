/*
** bench/expr_micro.c — micro-benchmark of exec's vectorised expressions:
** evaluates `score * 2` and `score > 10` (column op constant, as the
** planner binds them) and `score * score2` (column op column) over
** batches of EXEC_BATCH_CAP rows, resetting the scratch arena per batch
** as an operator does, and prints rows/s for each.
**
** Usage: bench_expr_micro [rows]   (default 100,000,000)
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec/exec.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static exec_expr *col(int i) {
  static exec_expr a[4];
  a[i].kind = EXPR_COL;
  a[i].type = WEIR_BIGINT;
  a[i].iCol = i;
  return &a[i];
}

static exec_expr *bigint(int64_t v) {
  exec_expr *e = calloc(1, sizeof(*e));
  e->kind = EXPR_CONST;
  e->type = WEIR_BIGINT;
  e->value.type = WEIR_BIGINT;
  e->value.u.i = v;
  return e;
}

static exec_expr *binop(const char *zOp, exec_expr *l, exec_expr *r) {
  exec_expr *e = calloc(1, sizeof(*e));
  uint8_t aType[2] = {l->type, r->type};
  const char *zErr = NULL;
  e->kind = EXPR_CALL;
  e->zFn = zOp;
  e->nArg = 2;
  e->aArg = calloc(2, sizeof(exec_expr *));
  e->aArg[0] = l;
  e->aArg[1] = r;
  if (exec_fn_find(zOp)->xBind(2, aType, &e->type, &e->xImpl, &zErr)) {
    fprintf(stderr, "bind %s: %s\n", zOp, zErr);
    exit(1);
  }
  return e;
}

/* Evaluate e over nRows rows of b; returns a checksum so the work is not
** optimised away. */
static int64_t run(const char *zName, exec_expr *e, exec_batch *b,
                   int64_t nRows) {
  common_arena scratch;
  exec_eval_ctx ctx;
  int64_t sum = 0;
  common_arena_init(&scratch, 256 * 1024);
  memset(&ctx, 0, sizeof ctx);
  ctx.pScratch = &scratch;
  double t0 = now_s();
  for (int64_t done = 0; done < nRows; done += b->n) {
    const exec_vec *v = exec_expr_eval(e, b, &ctx);
    sum += v->type == WEIR_BOOLEAN ? v->v.b[(done / 1024) & 1023]
                                   : v->v.i64[(done / 1024) & 1023];
    common_arena_reset(&scratch);
  }
  double dt = now_s() - t0;
  common_buf buf;
  common_buf_init(&buf);
  exec_expr_explain(&buf, e, NULL);
  printf("%-22s %8.1f M rows/s  (%.3f s for %lld rows)\n", buf.z,
         (double)nRows / dt / 1e6, dt, (long long)nRows);
  common_buf_free(&buf);
  common_arena_free(&scratch);
  (void)zName;
  return sum;
}

int main(int argc, char **argv) {
  int64_t nRows = argc > 1 ? atoll(argv[1]) : 100000000LL;
  static const uint8_t aType[] = {WEIR_BIGINT, WEIR_BIGINT};
  common_arena a;
  common_arena_init(&a, 1 << 16);
  exec_batch *b = exec_batch_new(&a, 2, aType);
  b->n = EXEC_BATCH_CAP;
  for (int i = 0; i < b->n; i++) {
    b->aCol[0].v.i64[i] = (i * 7919) % 100;
    b->aCol[0].null[i] = i % 97 == 0;
    b->aCol[1].v.i64[i] = i % 13;
  }
  int64_t s = 0;
  s += run("mul", binop("*", col(0), bigint(2)), b, nRows);
  s += run("gt", binop(">", col(0), bigint(10)), b, nRows);
  s += run("mulvv", binop("*", col(0), col(1)), b, nRows);
  s += run("gtvv", binop(">", col(0), col(1)), b, nRows);
  printf("(checksum %lld)\n", (long long)s);
  common_arena_free(&a);
  return 0;
}
