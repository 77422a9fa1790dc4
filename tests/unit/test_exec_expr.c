/*
** tests/unit/test_exec_expr.c — the executor's vector/expression core:
** expressions built by hand (as the planner would) over small batches,
** checking each scalar function, NULL semantics, result types, CAST,
** LIKE, time functions on known timestamps, value formatting and EXPLAIN.
*/
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "tinytest.h"

/* 2026-01-01 12:00:26 UTC (a Thursday). */
#define TS0 1767268826000000LL

static common_arena g_arena;
static exec_eval_ctx g_ctx;

static void setup(void) {
  common_arena_init(&g_arena, 1 << 16);
  g_ctx.pScratch = &g_arena;
  g_ctx.zErr = NULL;
  g_ctx.now = TS0 + 500000;
}

/* ---- expression builders ------------------------------------------------ */

static exec_expr *enew(exec_expr_kind kind, int type) {
  exec_expr *e = common_arena_zalloc(&g_arena, sizeof(*e));
  e->kind = kind;
  e->type = (uint8_t)type;
  return e;
}
static exec_expr *eint(int64_t v) {
  exec_expr *e = enew(EXPR_CONST, WEIR_BIGINT);
  e->value.type = WEIR_BIGINT;
  e->value.u.i = v;
  return e;
}
static exec_expr *edbl(double v) {
  exec_expr *e = enew(EXPR_CONST, WEIR_DOUBLE);
  e->value.type = WEIR_DOUBLE;
  e->value.u.f = v;
  return e;
}
static exec_expr *ebool(int v) {
  exec_expr *e = enew(EXPR_CONST, WEIR_BOOLEAN);
  e->value.type = WEIR_BOOLEAN;
  e->value.u.i = v;
  return e;
}
static exec_expr *estr(const char *z) {
  exec_expr *e = enew(EXPR_CONST, WEIR_VARCHAR);
  e->value.type = WEIR_VARCHAR;
  e->value.u.s.p = z;
  e->value.u.s.n = (uint32_t)strlen(z);
  return e;
}
static exec_expr *enull(void) {
  exec_expr *e = enew(EXPR_CONST, WEIR_NULL_TYPE);
  e->value.isNull = 1;
  return e;
}
static exec_expr *ets(int64_t us) {
  exec_expr *e = enew(EXPR_CONST, WEIR_TIMESTAMP);
  e->value.type = WEIR_TIMESTAMP;
  e->value.u.i = us;
  return e;
}
static exec_expr *eiv(int64_t us) {
  exec_expr *e = enew(EXPR_CONST, WEIR_INTERVAL);
  e->value.type = WEIR_INTERVAL;
  e->value.u.i = us;
  return e;
}
static exec_expr *ecol(int iCol, int type) {
  exec_expr *e = enew(EXPR_COL, type);
  e->iCol = iCol;
  return e;
}
static exec_expr *ecast(exec_expr *a, int type) {
  exec_expr *e = enew(EXPR_CAST, type);
  e->nArg = 1;
  e->aArg = common_arena_alloc(&g_arena, sizeof(exec_expr *));
  e->aArg[0] = a;
  return e;
}

/* Bind zFn over args; returns NULL and sets *pzErr on a bind error. */
static exec_expr *vcall(const char *zFn, const char **pzErr, int nArg,
                        va_list ap) {
  const exec_fn *f = exec_fn_find(zFn);
  if (!f) {
    *pzErr = "no such function";
    return NULL;
  }
  exec_expr *e = enew(EXPR_CALL, 0);
  uint8_t aType[16];
  e->zFn = zFn;
  e->nArg = nArg;
  e->aArg = common_arena_alloc(&g_arena, sizeof(exec_expr *) * 16);
  for (int k = 0; k < nArg; k++) {
    e->aArg[k] = va_arg(ap, exec_expr *);
    aType[k] = e->aArg[k]->type;
  }
  if (nArg < f->nMinArg || (f->nMaxArg >= 0 && nArg > f->nMaxArg)) {
    *pzErr = "wrong number of arguments";
    return NULL;
  }
  if (f->xBind(nArg, aType, &e->type, &e->xImpl, pzErr)) return NULL;
  return e;
}

/* A bound call; a bind error fails the test. */
static exec_expr *call(const char *zFn, int nArg, ...) {
  const char *zErr = NULL;
  va_list ap;
  va_start(ap, nArg);
  exec_expr *e = vcall(zFn, &zErr, nArg, ap);
  va_end(ap);
  if (!e) {
    char m[256];
    snprintf(m, sizeof m, "bind %s: %s", zFn, zErr);
    tt_fail(__FILE__, __LINE__, m);
    exit(1);
  }
  return e;
}

/* The bind error of a call ("" when it binds). */
static const char *bind_err(const char *zFn, int nArg, ...) {
  const char *zErr = NULL;
  va_list ap;
  va_start(ap, nArg);
  exec_expr *e = vcall(zFn, &zErr, nArg, ap);
  va_end(ap);
  return e ? "" : zErr;
}

/* Format row i of v. */
static void fmt_row(common_buf *b, const exec_vec *v, int i) {
  exec_value x;
  exec_vec_get(v, i, &x);
  exec_value_format(b, &x);
}

/* Evaluate a column-free expression (one row) and return its text. The
** vector's type must be the expression's. */
static const char *ev(exec_expr *e) {
  common_buf b;
  common_buf_init(&b);
  const exec_vec *v = exec_expr_eval(e, NULL, &g_ctx);
  CHECK_EQ_INT(v->type, e->type);
  fmt_row(&b, v, 0);
  char *z = common_arena_strdup(&g_arena, b.z ? b.z : "");
  common_buf_free(&b);
  return z;
}

/* Evaluate over batch bt; rows joined with ','. */
static const char *evb(exec_expr *e, const exec_batch *bt) {
  common_buf b;
  common_buf_init(&b);
  const exec_vec *v = exec_expr_eval(e, bt, &g_ctx);
  CHECK_EQ_INT(v->type, e->type);
  for (int i = 0; i < bt->n; i++) {
    if (i) common_buf_putc(&b, ',');
    fmt_row(&b, v, i);
  }
  char *z = common_arena_strdup(&g_arena, b.z ? b.z : "");
  common_buf_free(&b);
  return z;
}

static const char *explain(exec_expr *e, const exec_schema *s) {
  common_buf b;
  common_buf_init(&b);
  exec_expr_explain(&b, e, s);
  char *z = common_arena_strdup(&g_arena, b.z ? b.z : "");
  common_buf_free(&b);
  return z;
}

/* A batch (score BIGINT, team VARCHAR, ts TIMESTAMP, x DOUBLE) with rows
** (5,'red',TS0,1.5) (NULL,'blue',NULL,NULL) (20,NULL,TS0+1h,-2.0). */
static exec_batch *sample_batch(void) {
  static const uint8_t aType[] = {WEIR_BIGINT, WEIR_VARCHAR, WEIR_TIMESTAMP,
                                  WEIR_DOUBLE};
  exec_batch *b = exec_batch_new(&g_arena, 4, aType);
  b->n = 3;
  int64_t sc[] = {5, 0, 20};
  const char *tm[] = {"red", "blue", NULL};
  int64_t ts[] = {TS0, 0, TS0 + 3600000000LL};
  double x[] = {1.5, 0, -2.0};
  for (int i = 0; i < 3; i++) {
    b->aCol[0].v.i64[i] = sc[i];
    b->aCol[0].null[i] = i == 1;
    b->aCol[1].null[i] = tm[i] == NULL;
    if (tm[i]) b->aCol[1].v.s[i] = (exec_str){tm[i], (uint32_t)strlen(tm[i])};
    b->aCol[2].v.i64[i] = ts[i];
    b->aCol[2].null[i] = i == 1;
    b->aCol[3].v.f64[i] = x[i];
    b->aCol[3].null[i] = i == 1;
  }
  b->op[1] = OP_UPDATE_BEFORE;
  b->op[2] = OP_DELETE;
  return b;
}

/* ---- arithmetic ---------------------------------------------------------- */

TEST(arith_bigint) {
  setup();
  exec_expr *e = call("+", 2, eint(1), eint(2));
  CHECK_EQ_INT(e->type, WEIR_BIGINT);
  CHECK_EQ_STR(ev(e), "3");
  CHECK_EQ_STR(ev(call("-", 2, eint(1), eint(10))), "-9");
  CHECK_EQ_STR(ev(call("*", 2, eint(-4), eint(6))), "-24");
  CHECK_EQ_STR(ev(call("/", 2, eint(7), eint(2))), "3");
  CHECK_EQ_STR(ev(call("/", 2, eint(-7), eint(2))), "-3");
  CHECK_EQ_STR(ev(call("%", 2, eint(7), eint(3))), "1");
  CHECK_EQ_STR(ev(call("%", 2, eint(-7), eint(3))), "-1");
  CHECK_EQ_STR(ev(call("/", 2, eint(5), eint(0))), "NULL");
  CHECK_EQ_STR(ev(call("%", 2, eint(5), eint(0))), "NULL");
  CHECK_EQ_STR(ev(call("/", 2, eint(INT64_MIN), eint(-1))),
               "-9223372036854775808");
  CHECK_EQ_STR(ev(call("%", 2, eint(INT64_MIN), eint(-1))), "0");
  /* Overflow wraps (Java/Flink BIGINT semantics). */
  CHECK_EQ_STR(ev(call("+", 2, eint(INT64_MAX), eint(1))),
               "-9223372036854775808");
  CHECK_EQ_STR(ev(call("NEG", 1, eint(5))), "-5");
  CHECK_EQ_STR(ev(call("MOD", 2, eint(10), eint(4))), "2");
}

TEST(arith_double) {
  setup();
  exec_expr *e = call("+", 2, eint(1), edbl(2.5));
  CHECK_EQ_INT(e->type, WEIR_DOUBLE);
  CHECK_EQ_STR(ev(e), "3.5");
  CHECK_EQ_STR(ev(call("/", 2, eint(7), edbl(2))), "3.5");
  CHECK_EQ_STR(ev(call("/", 2, edbl(1), eint(0))), "NULL");
  CHECK_EQ_STR(ev(call("+", 2, edbl(0.1), edbl(0.2))),
               "0.30000000000000004");
  CHECK_EQ_STR(ev(call("*", 2, edbl(1.5), edbl(2))), "3.0");
  CHECK_EQ_STR(ev(call("%", 2, edbl(7.5), eint(2))), "1.5");
  CHECK_EQ_STR(ev(call("NEG", 1, edbl(2.5))), "-2.5");
}

TEST(arith_null) {
  setup();
  exec_expr *e = call("+", 2, eint(1), enull());
  CHECK_EQ_INT(e->type, WEIR_BIGINT);
  CHECK_EQ_STR(ev(e), "NULL");
  e = call("*", 2, enull(), edbl(1));
  CHECK_EQ_INT(e->type, WEIR_DOUBLE);
  CHECK_EQ_STR(ev(e), "NULL");
  e = call("-", 2, enull(), enull());
  CHECK_EQ_INT(e->type, WEIR_NULL_TYPE);
  CHECK_EQ_STR(ev(e), "NULL");
  CHECK_CONTAINS(bind_err("+", 2, estr("a"), eint(1)), "cannot apply +");
  CHECK_CONTAINS(bind_err("+", 2, ebool(1), eint(1)), "BOOLEAN");
}

TEST(arith_time) {
  setup();
  exec_expr *e = call("+", 2, ets(TS0), eiv(5000000));
  CHECK_EQ_INT(e->type, WEIR_TIMESTAMP);
  CHECK_EQ_STR(ev(e), "2026-01-01 12:00:31");
  e = call("+", 2, eiv(60000000), ets(TS0));
  CHECK_EQ_INT(e->type, WEIR_TIMESTAMP);
  CHECK_EQ_STR(ev(e), "2026-01-01 12:01:26");
  e = call("-", 2, ets(TS0), eiv(26000000));
  CHECK_EQ_STR(ev(e), "2026-01-01 12:00:00");
  e = call("-", 2, ets(TS0 + 120000000), ets(TS0));
  CHECK_EQ_INT(e->type, WEIR_INTERVAL);
  CHECK_EQ_STR(ev(e), "INTERVAL '2' MINUTE");
  e = call("*", 2, eiv(1500000), eint(3));
  CHECK_EQ_INT(e->type, WEIR_INTERVAL);
  CHECK_EQ_STR(ev(e), "INTERVAL '4.5' SECOND");
  e = call("*", 2, eint(2), eiv(3600000000LL));
  CHECK_EQ_STR(ev(e), "INTERVAL '2' HOUR");
  e = call("*", 2, eiv(1000000), edbl(0.5));
  CHECK_EQ_STR(ev(e), "INTERVAL '0.5' SECOND");
  e = call("-", 2, eiv(1000000), eiv(3000000));
  CHECK_EQ_STR(ev(e), "INTERVAL '-2' SECOND");
  e = call("/", 2, eiv(60000000), eint(4));
  CHECK_EQ_STR(ev(e), "INTERVAL '15' SECOND");
  CHECK_CONTAINS(bind_err("+", 2, ets(TS0), eint(1)), "TIMESTAMP");
  CHECK_CONTAINS(bind_err("+", 2, ets(TS0), ets(TS0)), "cannot apply");
  CHECK_CONTAINS(bind_err("*", 2, ets(TS0), eint(2)), "cannot apply");
}

/* ---- comparisons and logic ---------------------------------------------- */

TEST(compare) {
  setup();
  static const char *azOp[] = {"=", "<>", "<", "<=", ">", ">="};
  /* 1 vs 2, 2 vs 2, 3 vs 2 for each op. */
  static const char *azWant[] = {
    "FALSE,TRUE,FALSE", "TRUE,FALSE,TRUE", "TRUE,FALSE,FALSE",
    "TRUE,TRUE,FALSE", "FALSE,FALSE,TRUE", "FALSE,TRUE,TRUE"};
  for (int k = 0; k < 6; k++) {
    char z[64];
    exec_expr *a[3][2] = {
      {eint(1), eint(2)}, {eint(2), edbl(2.0)}, {edbl(3), eint(2)}};
    snprintf(z, sizeof z, "%s,%s,%s",
             ev(call(azOp[k], 2, a[0][0], a[0][1])),
             ev(call(azOp[k], 2, a[1][0], a[1][1])),
             ev(call(azOp[k], 2, a[2][0], a[2][1])));
    CHECK_EQ_STR(z, azWant[k]);
    snprintf(z, sizeof z, "%s,%s,%s",
             ev(call(azOp[k], 2, estr("a"), estr("b"))),
             ev(call(azOp[k], 2, estr("b"), estr("b"))),
             ev(call(azOp[k], 2, estr("bb"), estr("b"))));
    CHECK_EQ_STR(z, azWant[k]);
    snprintf(z, sizeof z, "%s,%s,%s",
             ev(call(azOp[k], 2, ets(TS0 - 1), ets(TS0))),
             ev(call(azOp[k], 2, ets(TS0), ets(TS0))),
             ev(call(azOp[k], 2, ets(TS0 + 1), ets(TS0))));
    CHECK_EQ_STR(z, azWant[k]);
    snprintf(z, sizeof z, "%s,%s,%s",
             ev(call(azOp[k], 2, ebool(0), ebool(1))),
             ev(call(azOp[k], 2, ebool(1), ebool(1))),
             ev(call(azOp[k], 2, ebool(1), ebool(0))));
    CHECK_EQ_STR(z, azWant[k]);
    exec_expr *e = call(azOp[k], 2, eint(1), enull());
    CHECK_EQ_INT(e->type, WEIR_BOOLEAN);
    CHECK_EQ_STR(ev(e), "NULL");
  }
  CHECK_CONTAINS(bind_err("=", 2, estr("1"), eint(1)),
                 "cannot compare VARCHAR with BIGINT");
  CHECK_CONTAINS(bind_err("<", 2, ets(TS0), estr("2026-01-01")),
                 "cannot compare");
  CHECK_EQ_STR(ev(call("!=", 2, eint(1), eint(2))), "TRUE");
}

TEST(three_valued_logic) {
  setup();
  /* Operands: TRUE, FALSE, NULL (as a typed BOOLEAN NULL too). */
  const char *zAnd = "", *zOr = "";
  common_buf a, o;
  common_buf_init(&a);
  common_buf_init(&o);
  for (int x = 0; x < 3; x++) {
    for (int y = 0; y < 3; y++) {
      exec_expr *ex = x == 2 ? enull() : ebool(x == 0);
      exec_expr *ey = y == 2 ? ecast(enull(), WEIR_BOOLEAN) : ebool(y == 0);
      common_buf_printf(&a, "%s ", ev(call("AND", 2, ex, ey)));
      common_buf_printf(&o, "%s ", ev(call("OR", 2, ex, ey)));
    }
  }
  zAnd = a.z;
  zOr = o.z;
  CHECK_EQ_STR(zAnd, "TRUE FALSE NULL FALSE FALSE FALSE NULL FALSE NULL ");
  CHECK_EQ_STR(zOr, "TRUE TRUE TRUE TRUE FALSE NULL TRUE NULL NULL ");
  common_buf_free(&a);
  common_buf_free(&o);
  CHECK_EQ_STR(ev(call("NOT", 1, ebool(1))), "FALSE");
  CHECK_EQ_STR(ev(call("NOT", 1, enull())), "NULL");
  CHECK_CONTAINS(bind_err("AND", 2, eint(1), ebool(1)), "BOOLEAN");
}

TEST(is_distinct_and_null) {
  setup();
  CHECK_EQ_STR(ev(call("IS", 2, enull(), enull())), "TRUE");
  CHECK_EQ_STR(ev(call("IS", 2, eint(1), enull())), "FALSE");
  CHECK_EQ_STR(ev(call("IS", 2, eint(1), edbl(1.0))), "TRUE");
  CHECK_EQ_STR(ev(call("IS", 2, estr("a"), estr("b"))), "FALSE");
  CHECK_EQ_STR(ev(call("ISNOT", 2, enull(), enull())), "FALSE");
  CHECK_EQ_STR(ev(call("ISNOT", 2, eint(1), enull())), "TRUE");
  CHECK_EQ_STR(ev(call("ISNOT", 2, eint(1), eint(1))), "FALSE");
  CHECK_EQ_STR(ev(call("ISNULL", 1, enull())), "TRUE");
  CHECK_EQ_STR(ev(call("ISNULL", 1, estr(""))), "FALSE");
  CHECK_EQ_STR(ev(call("ISNOTNULL", 1, eint(0))), "TRUE");
  CHECK_EQ_STR(ev(call("ISNOTNULL", 1, ecast(enull(), WEIR_BIGINT))),
               "FALSE");
}

/* ---- CASE, COALESCE, NULLIF, IN, BETWEEN -------------------------------- */

TEST(case_when) {
  setup();
  exec_expr *e = call("CASE", 5, ebool(0), eint(1), ebool(1), edbl(2.5),
                      eint(3));
  CHECK_EQ_INT(e->type, WEIR_DOUBLE);
  CHECK_EQ_STR(ev(e), "2.5");
  e = call("CASE", 4, ebool(0), eint(1), enull(), eint(2));
  CHECK_EQ_INT(e->type, WEIR_BIGINT);
  CHECK_EQ_STR(ev(e), "NULL");
  e = call("CASE", 3, ebool(0), estr("a"), estr("b"));
  CHECK_EQ_STR(ev(e), "b");
  e = call("CASE", 3, ebool(1), enull(), eint(7));
  CHECK_EQ_INT(e->type, WEIR_BIGINT);
  CHECK_EQ_STR(ev(e), "NULL");
  e = call("CASE", 3, ebool(0), eint(1), eint(7));
  CHECK_EQ_STR(ev(e), "7");
  CHECK_CONTAINS(bind_err("CASE", 3, ebool(1), eint(1), estr("x")),
                 "incompatible");
  CHECK_CONTAINS(bind_err("CASE", 2, eint(1), eint(1)), "BOOLEAN");
  /* Over a batch: CASE WHEN score > 10 THEN 'big' ELSE 'small' END. */
  exec_batch *b = sample_batch();
  e = call("CASE", 3, call(">", 2, ecol(0, WEIR_BIGINT), eint(10)),
           estr("big"), estr("small"));
  CHECK_EQ_STR(evb(e, b), "small,small,big");
}

TEST(coalesce_nullif) {
  setup();
  CHECK_EQ_STR(ev(call("COALESCE", 3, enull(), eint(2), eint(3))), "2");
  exec_expr *e = call("COALESCE", 2, enull(), edbl(1.5));
  CHECK_EQ_INT(e->type, WEIR_DOUBLE);
  e = call("COALESCE", 2, eint(4), edbl(1.5));
  CHECK_EQ_INT(e->type, WEIR_DOUBLE);
  CHECK_EQ_STR(ev(e), "4.0");
  e = call("COALESCE", 2, enull(), enull());
  CHECK_EQ_STR(ev(e), "NULL");
  CHECK_EQ_STR(ev(call("IFNULL", 2, enull(), estr("x"))), "x");
  CHECK_CONTAINS(bind_err("COALESCE", 2, eint(1), estr("x")),
                 "incompatible");
  CHECK_EQ_STR(ev(call("NULLIF", 2, eint(1), eint(1))), "NULL");
  CHECK_EQ_STR(ev(call("NULLIF", 2, eint(1), eint(2))), "1");
  CHECK_EQ_STR(ev(call("NULLIF", 2, eint(1), enull())), "1");
  e = call("NULLIF", 2, enull(), estr("a"));
  CHECK_EQ_INT(e->type, WEIR_VARCHAR);
  CHECK_EQ_STR(ev(e), "NULL");
  exec_batch *b = sample_batch();
  CHECK_EQ_STR(evb(call("COALESCE", 2, ecol(1, WEIR_VARCHAR), estr("?")), b),
               "red,blue,?");
}

TEST(in_list) {
  setup();
  CHECK_EQ_STR(ev(call("IN", 4, eint(2), eint(1), eint(2), eint(3))),
               "TRUE");
  CHECK_EQ_STR(ev(call("IN", 3, eint(5), eint(1), eint(2))), "FALSE");
  CHECK_EQ_STR(ev(call("IN", 3, eint(5), eint(1), enull())), "NULL");
  CHECK_EQ_STR(ev(call("IN", 3, eint(1), eint(1), enull())), "TRUE");
  CHECK_EQ_STR(ev(call("IN", 3, enull(), eint(1), eint(2))), "NULL");
  CHECK_EQ_STR(ev(call("IN", 3, eint(2), edbl(2.0), eint(7))), "TRUE");
  CHECK_EQ_STR(ev(call("IN", 3, estr("b"), estr("a"), estr("b"))), "TRUE");
  CHECK_CONTAINS(bind_err("IN", 3, eint(2), estr("a"), eint(7)),
                 "IN cannot compare");
  exec_batch *b = sample_batch();
  CHECK_EQ_STR(evb(call("IN", 3, ecol(0, WEIR_BIGINT), eint(20), eint(5)),
                   b), "TRUE,NULL,TRUE");
}

TEST(between) {
  setup();
  CHECK_EQ_STR(ev(call("BETWEEN", 3, eint(5), eint(1), eint(10))), "TRUE");
  CHECK_EQ_STR(ev(call("BETWEEN", 3, eint(1), eint(1), eint(10))), "TRUE");
  CHECK_EQ_STR(ev(call("BETWEEN", 3, eint(10), eint(1), eint(10))), "TRUE");
  CHECK_EQ_STR(ev(call("BETWEEN", 3, eint(11), eint(1), eint(10))),
               "FALSE");
  CHECK_EQ_STR(ev(call("BETWEEN", 3, eint(11), enull(), eint(10))),
               "FALSE");
  CHECK_EQ_STR(ev(call("BETWEEN", 3, eint(5), enull(), eint(10))), "NULL");
  CHECK_EQ_STR(ev(call("BETWEEN", 3, enull(), eint(1), eint(10))), "NULL");
  CHECK_EQ_STR(ev(call("BETWEEN", 3, edbl(2.5), eint(2), eint(3))), "TRUE");
  CHECK_EQ_STR(ev(call("BETWEEN", 3, ets(TS0), ets(TS0 - 1),
                       ets(TS0 + 1))), "TRUE");
}

/* ---- strings ------------------------------------------------------------ */

static const char *like(const char *s, const char *p, const char *esc) {
  if (esc) return ev(call("LIKE", 3, estr(s), estr(p), estr(esc)));
  return ev(call("LIKE", 2, estr(s), estr(p)));
}

TEST(like_patterns) {
  setup();
  CHECK_EQ_STR(like("abc", "a%", NULL), "TRUE");
  CHECK_EQ_STR(like("abc", "%c", NULL), "TRUE");
  CHECK_EQ_STR(like("abc", "%b%", NULL), "TRUE");
  CHECK_EQ_STR(like("abc", "a_c", NULL), "TRUE");
  CHECK_EQ_STR(like("abc", "a_", NULL), "FALSE");
  CHECK_EQ_STR(like("abc", "abc", NULL), "TRUE");
  CHECK_EQ_STR(like("abc", "ab", NULL), "FALSE");
  CHECK_EQ_STR(like("ABC", "a%", NULL), "FALSE");
  CHECK_EQ_STR(like("", "%", NULL), "TRUE");
  CHECK_EQ_STR(like("", "_", NULL), "FALSE");
  CHECK_EQ_STR(like("aXbYc", "a%b%c", NULL), "TRUE");
  CHECK_EQ_STR(like("aXbY", "a%b%c", NULL), "FALSE");
  CHECK_EQ_STR(like("mississippi", "%iss%pi", NULL), "TRUE");
  CHECK_EQ_STR(like("mississippi", "%iss%ppx", NULL), "FALSE");
  CHECK_EQ_STR(like("ab", "%%%b", NULL), "TRUE");
  CHECK_EQ_STR(like("h\xc3\xa9llo", "h_llo", NULL), "TRUE");
  CHECK_EQ_STR(like("10%", "10!%", "!"), "TRUE");
  CHECK_EQ_STR(like("100", "10!%", "!"), "FALSE");
  CHECK_EQ_STR(like("a_b", "a!_b", "!"), "TRUE");
  CHECK_EQ_STR(like("axb", "a!_b", "!"), "FALSE");
  CHECK_EQ_STR(like("a!b", "a!!b", "!"), "TRUE");
  CHECK(g_ctx.zErr == NULL);
  CHECK_EQ_STR(like("abc", "a%", "!!"), "NULL");
  CHECK(g_ctx.zErr != NULL);
  CHECK_EQ_STR(ev(call("LIKE", 2, enull(), estr("a"))), "NULL");
  CHECK_CONTAINS(bind_err("LIKE", 2, eint(1), estr("a")), "VARCHAR");
  exec_batch *b = sample_batch();
  CHECK_EQ_STR(evb(call("LIKE", 2, ecol(1, WEIR_VARCHAR), estr("%e%")), b),
               "TRUE,TRUE,NULL");
}

TEST(string_functions) {
  setup();
  CHECK_EQ_STR(ev(call("LOWER", 1, estr("HeLLo \xc3\x89"))),
               "hello \xc3\x89");
  CHECK_EQ_STR(ev(call("UPPER", 1, estr("hello!"))), "HELLO!");
  CHECK_EQ_STR(ev(call("LENGTH", 1, estr("h\xc3\xa9llo"))), "5");
  CHECK_EQ_STR(ev(call("CHAR_LENGTH", 1, estr(""))), "0");
  CHECK_EQ_STR(ev(call("LENGTH", 1, enull())), "NULL");
  CHECK_EQ_STR(ev(call("SUBSTR", 2, estr("hello"), eint(2))), "ello");
  CHECK_EQ_STR(ev(call("SUBSTR", 3, estr("hello"), eint(2), eint(3))),
               "ell");
  CHECK_EQ_STR(ev(call("SUBSTR", 3, estr("hello"), eint(0), eint(2))), "h");
  CHECK_EQ_STR(ev(call("SUBSTR", 2, estr("hello"), eint(-3))), "llo");
  CHECK_EQ_STR(ev(call("SUBSTR", 3, estr("hello"), eint(-3), eint(2))),
               "ll");
  CHECK_EQ_STR(ev(call("SUBSTR", 3, estr("hello"), eint(3), eint(-2))),
               "he");
  CHECK_EQ_STR(ev(call("SUBSTRING", 3, estr("h\xc3\xa9llo"), eint(2),
                       eint(2))), "\xc3\xa9l");
  CHECK_EQ_STR(ev(call("SUBSTR", 2, estr("hello"), eint(10))), "");
  CHECK_EQ_STR(ev(call("SUBSTR", 3, estr("hello"), eint(-10), eint(7))),
               "he");
  CHECK_EQ_STR(ev(call("SUBSTR", 3, estr("hello"), eint(2), enull())),
               "NULL");
  CHECK_EQ_STR(ev(call("TRIM", 1, estr("  hi  "))), "hi");
  CHECK_EQ_STR(ev(call("LTRIM", 1, estr("  hi  "))), "hi  ");
  CHECK_EQ_STR(ev(call("RTRIM", 1, estr("  hi  "))), "  hi");
  CHECK_EQ_STR(ev(call("TRIM", 2, estr("xxhixx"), estr("x"))), "hi");
  CHECK_EQ_STR(ev(call("TRIM", 1, estr("   "))), "");
  CHECK_EQ_STR(ev(call("CONCAT", 3, estr("a"), estr("b"), estr("c"))),
               "abc");
  CHECK_EQ_STR(ev(call("CONCAT", 2, estr("a"), ecast(enull(),
                                                      WEIR_VARCHAR))),
               "NULL");
  CHECK_EQ_STR(ev(call("CONCAT", 2, estr("a"), enull())), "NULL");
  CHECK_EQ_STR(ev(call("||", 2, estr("a"), eint(1))), "a1");
  CHECK_EQ_STR(ev(call("||", 2, edbl(2.5), estr("x"))), "2.5x");
  CHECK_EQ_STR(ev(call("REPLACE", 3, estr("hello"), estr("l"), estr("L"))),
               "heLLo");
  CHECK_EQ_STR(ev(call("REPLACE", 3, estr("aaa"), estr("aa"), estr("b"))),
               "ba");
  CHECK_EQ_STR(ev(call("REPLACE", 3, estr("abc"), estr(""), estr("x"))),
               "abc");
  CHECK_EQ_STR(ev(call("REPLACE", 3, estr("abc"), estr("b"), estr(""))),
               "ac");
  CHECK_CONTAINS(bind_err("LOWER", 1, eint(1)), "LOWER expects VARCHAR");
  CHECK_CONTAINS(bind_err("SUBSTR", 2, estr("a"), estr("b")), "BIGINT");
  exec_batch *b = sample_batch();
  CHECK_EQ_STR(evb(call("UPPER", 1, ecol(1, WEIR_VARCHAR)), b),
               "RED,BLUE,NULL");
  CHECK_EQ_STR(evb(call("||", 2, ecol(1, WEIR_VARCHAR),
                        ecol(0, WEIR_BIGINT)), b), "red5,NULL,NULL");
}

/* ---- math --------------------------------------------------------------- */

TEST(math_functions) {
  setup();
  exec_expr *e = call("ABS", 1, eint(-5));
  CHECK_EQ_INT(e->type, WEIR_BIGINT);
  CHECK_EQ_STR(ev(e), "5");
  CHECK_EQ_STR(ev(call("ABS", 1, edbl(-2.5))), "2.5");
  CHECK_EQ_STR(ev(call("ABS", 1, eiv(-2000000))), "INTERVAL '2' SECOND");
  CHECK_EQ_STR(ev(call("ROUND", 1, edbl(2.5))), "3.0");
  CHECK_EQ_STR(ev(call("ROUND", 1, edbl(-2.5))), "-3.0");
  CHECK_EQ_STR(ev(call("ROUND", 1, edbl(2.4))), "2.0");
  CHECK_EQ_STR(ev(call("ROUND", 2, edbl(2.675), eint(2))), "2.68");
  CHECK_EQ_STR(ev(call("ROUND", 2, edbl(-1.005), eint(2))), "-1.01");
  CHECK_EQ_STR(ev(call("ROUND", 2, edbl(1234.5678), eint(-2))), "1200.0");
  CHECK_EQ_STR(ev(call("ROUND", 2, eint(1234), eint(-2))), "1200");
  CHECK_EQ_STR(ev(call("ROUND", 2, eint(1250), eint(-2))), "1300");
  CHECK_EQ_STR(ev(call("ROUND", 2, eint(-1250), eint(-2))), "-1300");
  CHECK_EQ_STR(ev(call("ROUND", 2, eint(-1249), eint(-2))), "-1200");
  CHECK_EQ_STR(ev(call("ROUND", 2, eint(7), eint(2))), "7");
  CHECK_EQ_STR(ev(call("FLOOR", 1, edbl(-2.5))), "-3.0");
  CHECK_EQ_STR(ev(call("CEIL", 1, edbl(2.1))), "3.0");
  CHECK_EQ_STR(ev(call("CEILING", 1, edbl(-2.1))), "-2.0");
  e = call("FLOOR", 1, eint(7));
  CHECK_EQ_INT(e->type, WEIR_BIGINT);
  CHECK_EQ_STR(ev(e), "7");
  CHECK_EQ_STR(ev(call("MOD", 2, eint(-7), eint(3))), "-1");
  CHECK_EQ_STR(ev(call("MOD", 2, eint(7), eint(0))), "NULL");
  CHECK_EQ_STR(ev(call("POWER", 2, eint(2), eint(10))), "1024.0");
  CHECK_EQ_STR(ev(call("SQRT", 1, eint(16))), "4.0");
  CHECK_EQ_STR(ev(call("SQRT", 1, edbl(-1))), "NULL");
  CHECK_EQ_STR(ev(call("SQRT", 1, enull())), "NULL");
  CHECK_EQ_STR(ev(call("SIGN", 1, eint(-9))), "-1");
  CHECK_CONTAINS(bind_err("ABS", 1, estr("x")), "ABS expects");
}

/* ---- time --------------------------------------------------------------- */

TEST(extract_fields) {
  setup();
  static const struct { const char *zFn; const char *zWant; } a[] = {
    {"EXTRACT_YEAR", "2026"}, {"EXTRACT_MONTH", "1"},
    {"EXTRACT_DAY", "1"}, {"EXTRACT_HOUR", "12"},
    {"EXTRACT_MINUTE", "0"}, {"EXTRACT_SECOND", "26"},
    {"EXTRACT_MILLISECOND", "26123"}, {"EXTRACT_DOW", "5"},
    {"EXTRACT_DOY", "1"}, {"EXTRACT_EPOCH", "1767268826"},
    {"EXTRACT_QUARTER", "1"}, {"EXTRACT_WEEK", "1"},
    {"YEAR", "2026"}, {"MONTH", "1"}, {"DAYOFMONTH", "1"},
    {"HOUR", "12"}, {"MINUTE", "0"}, {"SECOND", "26"},
    {"DAYOFWEEK", "5"}, {"DAYOFYEAR", "1"},
    {"EXTRACT_MICROSECOND", "26123000"},
  };
  for (int k = 0; k < COMMON_ARRAY_SIZE(a); k++) {
    exec_expr *e = call(a[k].zFn, 1, ets(TS0 + 123000));
    CHECK_EQ_INT(e->type, WEIR_BIGINT);
    CHECK_EQ_STR(ev(e), a[k].zWant);
  }
  int64_t t;
  CHECK(exec_ts_parse("2026-12-31 23:59:59", 19, &t) == 0);
  CHECK_EQ_STR(ev(call("EXTRACT_DOY", 1, ets(t))), "365");
  CHECK_EQ_STR(ev(call("EXTRACT_QUARTER", 1, ets(t))), "4");
  /* 2026 starts on a Thursday: it has 53 ISO weeks. */
  CHECK_EQ_STR(ev(call("EXTRACT_WEEK", 1, ets(t))), "53");
  CHECK(exec_ts_parse("2024-12-30", 10, &t) == 0);
  CHECK_EQ_STR(ev(call("EXTRACT_WEEK", 1, ets(t))), "1");
  CHECK(exec_ts_parse("2021-01-03", 10, &t) == 0);
  CHECK_EQ_STR(ev(call("EXTRACT_WEEK", 1, ets(t))), "53");
  CHECK_EQ_STR(ev(call("EXTRACT_DOW", 1, ets(t))), "1");   /* Sunday */
  CHECK(exec_ts_parse("2024-02-29 06:07:08", 19, &t) == 0);
  CHECK_EQ_STR(ev(call("EXTRACT_DAY", 1, ets(t))), "29");
  CHECK_EQ_STR(ev(call("EXTRACT_DOY", 1, ets(t))), "60");
  /* Before the epoch: 1969-12-31 23:59:59.5. */
  CHECK_EQ_STR(ev(call("YEAR", 1, ets(-500000))), "1969");
  CHECK_EQ_STR(ev(call("SECOND", 1, ets(-500000))), "59");
  CHECK_EQ_STR(ev(call("EXTRACT_EPOCH", 1, ets(-500000))), "-1");
  CHECK_EQ_STR(ev(call("EXTRACT_EPOCH", 1, eiv(90000000))), "90");
  CHECK_EQ_STR(ev(call("HOUR", 1, enull())), "NULL");
  CHECK_CONTAINS(bind_err("HOUR", 1, eint(1)), "TIMESTAMP");
  exec_batch *b = sample_batch();
  CHECK_EQ_STR(evb(call("HOUR", 1, ecol(2, WEIR_TIMESTAMP)), b),
               "12,NULL,13");
}

TEST(date_format) {
  setup();
  static const struct { const char *zFmt, *zWant; } a[] = {
    {"yyyy-MM-dd HH:mm:ss", "2026-01-01 12:00:26"},
    {"yyyy/MM/dd", "2026/01/01"},
    {"HH:mm:ss.SSS", "12:00:26.123"},
    {"HH:mm:ss.SSSSSS", "12:00:26.123000"},
    {"EEE, d MMM yyyy", "Thu, 1 Jan 2026"},
    {"EEEE d MMMM yy", "Thursday 1 January 26"},
    {"yyyy'T'HH", "2026T12"},
    {"h a", "12 PM"},
    {"'it''s' D", "it's 1"},
    {"M/d H:m:s", "1/1 12:0:26"},
  };
  for (int k = 0; k < COMMON_ARRAY_SIZE(a); k++) {
    exec_expr *e = call("DATE_FORMAT", 2, ets(TS0 + 123000),
                        estr(a[k].zFmt));
    CHECK_EQ_INT(e->type, WEIR_VARCHAR);
    CHECK_EQ_STR(ev(e), a[k].zWant);
  }
  CHECK_EQ_STR(ev(call("DATE_FORMAT", 2, estr("2026-01-01 12:00:26"),
                       estr("HH"))), "12");
  CHECK_EQ_STR(ev(call("DATE_FORMAT", 2, estr("nope"), estr("HH"))),
               "NULL");
  CHECK_EQ_STR(ev(call("DATE_FORMAT", 2, ets(0), enull())), "NULL");
}

TEST(to_timestamp_and_unix) {
  setup();
  exec_expr *e = call("TO_TIMESTAMP", 1, estr("2026-01-01 12:00:26"));
  CHECK_EQ_INT(e->type, WEIR_TIMESTAMP);
  const exec_vec *v = exec_expr_eval(e, NULL, &g_ctx);
  CHECK(!v->null[0]);
  CHECK(v->v.i64[0] == TS0);
  CHECK_EQ_STR(ev(call("TO_TIMESTAMP", 2, estr("01/01/2026 12:00"),
                       estr("dd/MM/yyyy HH:mm"))), "2026-01-01 12:00:00");
  CHECK_EQ_STR(ev(call("TO_TIMESTAMP", 2, estr("2026-01-01T12:00:26.5"),
                       estr("yyyy-MM-dd'T'HH:mm:ss.S"))),
               "2026-01-01 12:00:26.500");
  CHECK_EQ_STR(ev(call("TO_TIMESTAMP", 2, estr("1 Feb 2026 3 PM"),
                       estr("d MMM yyyy h a"))), "2026-02-01 15:00:00");
  CHECK_EQ_STR(ev(call("TO_TIMESTAMP", 1, estr("garbage"))), "NULL");
  CHECK_EQ_STR(ev(call("TO_TIMESTAMP", 2, estr("2026-13-01"),
                       estr("yyyy-MM-dd"))), "NULL");
  CHECK_EQ_STR(ev(call("TO_TIMESTAMP", 2, estr("2026-01-01x"),
                       estr("yyyy-MM-dd"))), "NULL");
  CHECK_EQ_STR(ev(call("FROM_UNIXTIME", 1, eint(1767268826))),
               "2026-01-01 12:00:26");
  CHECK_EQ_STR(ev(call("FROM_UNIXTIME", 2, eint(0), estr("yyyy"))), "1970");
  CHECK_EQ_STR(ev(call("UNIX_TIMESTAMP", 1, ets(TS0 + 999999))),
               "1767268826");
  CHECK_EQ_STR(ev(call("UNIX_TIMESTAMP", 1, estr("2026-01-01 12:00:26"))),
               "1767268826");
  CHECK_EQ_STR(ev(call("UNIX_TIMESTAMP", 2, estr("2026|01|01"),
                       estr("yyyy|MM|dd"))), "1767225600");
  CHECK_EQ_STR(ev(call("UNIX_TIMESTAMP", 0)), "1767268826");
  CHECK_EQ_STR(ev(call("NOW", 0)), "2026-01-01 12:00:26.500");
  CHECK_EQ_STR(ev(call("CURRENT_TIMESTAMP", 0)), "2026-01-01 12:00:26.500");
}

/* ---- CAST --------------------------------------------------------------- */

TEST(casts) {
  setup();
  CHECK_EQ_STR(ev(ecast(estr("42"), WEIR_BIGINT)), "42");
  CHECK_EQ_STR(ev(ecast(estr(" -42 "), WEIR_BIGINT)), "-42");
  CHECK_EQ_STR(ev(ecast(estr("abc"), WEIR_BIGINT)), "NULL");
  CHECK_EQ_STR(ev(ecast(estr(""), WEIR_BIGINT)), "NULL");
  CHECK_EQ_STR(ev(ecast(estr("2.5"), WEIR_BIGINT)), "2");
  CHECK_EQ_STR(ev(ecast(estr("9223372036854775807"), WEIR_BIGINT)),
               "9223372036854775807");
  CHECK_EQ_STR(ev(ecast(estr("-9223372036854775808"), WEIR_BIGINT)),
               "-9223372036854775808");
  CHECK_EQ_STR(ev(ecast(estr("99999999999999999999999"), WEIR_BIGINT)),
               "NULL");
  CHECK_EQ_STR(ev(ecast(estr("2.5"), WEIR_DOUBLE)), "2.5");
  CHECK_EQ_STR(ev(ecast(estr("1e3"), WEIR_DOUBLE)), "1000.0");
  CHECK_EQ_STR(ev(ecast(estr("1.5x"), WEIR_DOUBLE)), "NULL");
  CHECK_EQ_STR(ev(ecast(edbl(2.7), WEIR_BIGINT)), "2");
  CHECK_EQ_STR(ev(ecast(edbl(-2.7), WEIR_BIGINT)), "-2");
  CHECK_EQ_STR(ev(ecast(edbl(1e30), WEIR_BIGINT)), "NULL");
  CHECK_EQ_STR(ev(ecast(edbl(NAN), WEIR_BIGINT)), "NULL");
  CHECK_EQ_STR(ev(ecast(eint(3), WEIR_DOUBLE)), "3.0");
  CHECK_EQ_STR(ev(ecast(eint(-42), WEIR_VARCHAR)), "-42");
  CHECK_EQ_STR(ev(ecast(eint(INT64_MIN), WEIR_VARCHAR)),
               "-9223372036854775808");
  CHECK_EQ_STR(ev(ecast(edbl(0.1), WEIR_VARCHAR)), "0.1");
  CHECK_EQ_STR(ev(ecast(ebool(1), WEIR_VARCHAR)), "TRUE");
  CHECK_EQ_STR(ev(ecast(estr("true"), WEIR_BOOLEAN)), "TRUE");
  CHECK_EQ_STR(ev(ecast(estr(" FALSE"), WEIR_BOOLEAN)), "FALSE");
  CHECK_EQ_STR(ev(ecast(estr("yes"), WEIR_BOOLEAN)), "NULL");
  CHECK_EQ_STR(ev(ecast(eint(7), WEIR_BOOLEAN)), "TRUE");
  CHECK_EQ_STR(ev(ecast(eint(0), WEIR_BOOLEAN)), "FALSE");
  CHECK_EQ_STR(ev(ecast(ebool(1), WEIR_BIGINT)), "1");
  CHECK_EQ_STR(ev(ecast(estr("2026-01-01 12:00:26"), WEIR_TIMESTAMP)),
               "2026-01-01 12:00:26");
  CHECK_EQ_STR(ev(ecast(estr("2026-01-01"), WEIR_TIMESTAMP)),
               "2026-01-01 00:00:00");
  CHECK_EQ_STR(ev(ecast(estr("yesterday"), WEIR_TIMESTAMP)), "NULL");
  CHECK_EQ_STR(ev(ecast(ets(TS0), WEIR_BIGINT)), "1767268826000000");
  CHECK_EQ_STR(ev(ecast(eint(TS0), WEIR_TIMESTAMP)), "2026-01-01 12:00:26");
  CHECK_EQ_STR(ev(ecast(ets(TS0 + 5000), WEIR_VARCHAR)),
               "2026-01-01 12:00:26.005");
  CHECK_EQ_STR(ev(ecast(eiv(300000000), WEIR_VARCHAR)),
               "INTERVAL '5' MINUTE");
  CHECK_EQ_STR(ev(ecast(eint(1000000), WEIR_INTERVAL)),
               "INTERVAL '1' SECOND");
  CHECK_EQ_STR(ev(ecast(enull(), WEIR_BIGINT)), "NULL");
  CHECK(exec_cast_supported(WEIR_VARCHAR, WEIR_TIMESTAMP));
  CHECK(exec_cast_supported(WEIR_TIMESTAMP, WEIR_BIGINT));
  CHECK(!exec_cast_supported(WEIR_TIMESTAMP, WEIR_DOUBLE));
  CHECK(!exec_cast_supported(WEIR_BOOLEAN, WEIR_TIMESTAMP));
  /* A column cast keeps NULLs. */
  exec_batch *b = sample_batch();
  CHECK_EQ_STR(evb(ecast(ecol(0, WEIR_BIGINT), WEIR_VARCHAR), b),
               "5,NULL,20");
  CHECK_EQ_STR(evb(ecast(ecol(3, WEIR_DOUBLE), WEIR_BIGINT), b),
               "1,NULL,-2");
}

/* ---- formatting, batches, explain ---------------------------------------- */

static const char *fmt_value(int type, int64_t i, double f) {
  exec_value v;
  memset(&v, 0, sizeof v);
  v.type = (uint8_t)type;
  if (type == WEIR_DOUBLE) v.u.f = f;
  else v.u.i = i;
  common_buf b;
  common_buf_init(&b);
  exec_value_format(&b, &v);
  char *z = common_arena_strdup(&g_arena, b.z);
  common_buf_free(&b);
  return z;
}

TEST(value_format) {
  setup();
  CHECK_EQ_STR(fmt_value(WEIR_DOUBLE, 0, 2.5), "2.5");
  CHECK_EQ_STR(fmt_value(WEIR_DOUBLE, 0, 0.1), "0.1");
  CHECK_EQ_STR(fmt_value(WEIR_DOUBLE, 0, 1e20), "1e+20");
  CHECK_EQ_STR(fmt_value(WEIR_DOUBLE, 0, 2.0), "2.0");
  CHECK_EQ_STR(fmt_value(WEIR_DOUBLE, 0, -0.5), "-0.5");
  CHECK_EQ_STR(fmt_value(WEIR_DOUBLE, 0, 1.0 / 3), "0.3333333333333333");
  CHECK_EQ_STR(fmt_value(WEIR_DOUBLE, 0, 1e-7), "1e-07");
  CHECK_EQ_STR(fmt_value(WEIR_DOUBLE, 0, 123456789012.0), "123456789012.0");
  CHECK_EQ_STR(fmt_value(WEIR_DOUBLE, 0, NAN), "NaN");
  CHECK_EQ_STR(fmt_value(WEIR_DOUBLE, 0, -INFINITY), "-Infinity");
  CHECK_EQ_STR(fmt_value(WEIR_BOOLEAN, 1, 0), "TRUE");
  CHECK_EQ_STR(fmt_value(WEIR_BOOLEAN, 0, 0), "FALSE");
  CHECK_EQ_STR(fmt_value(WEIR_BIGINT, -17, 0), "-17");
  CHECK_EQ_STR(fmt_value(WEIR_TIMESTAMP, TS0, 0), "2026-01-01 12:00:26");
  CHECK_EQ_STR(fmt_value(WEIR_TIMESTAMP, TS0 + 1, 0),
               "2026-01-01 12:00:26.000001");
  CHECK_EQ_STR(fmt_value(WEIR_INTERVAL, 5000000, 0), "INTERVAL '5' SECOND");
  CHECK_EQ_STR(fmt_value(WEIR_INTERVAL, 86400000000LL * 2, 0),
               "INTERVAL '2' DAY");
  CHECK_EQ_STR(fmt_value(WEIR_INTERVAL, -5400000000LL, 0),
               "INTERVAL '-90' MINUTE");
  CHECK_EQ_STR(fmt_value(WEIR_INTERVAL, 1500, 0),
               "INTERVAL '0.0015' SECOND");
  CHECK_EQ_STR(fmt_value(WEIR_INTERVAL, 0, 0), "INTERVAL '0' SECOND");
  CHECK_EQ_STR(fmt_value(WEIR_INTERVAL, INT64_MIN, 0),
               "INTERVAL '-9223372036854.775808' SECOND");
  CHECK_EQ_STR(fmt_value(WEIR_NULL_TYPE, 0, 0), "NULL");
  exec_value v = {.type = WEIR_VARCHAR, .isNull = 1};
  common_buf b;
  common_buf_init(&b);
  exec_value_format(&b, &v);
  CHECK_EQ_STR(b.z, "NULL");
  common_buf_free(&b);
  char z[40];
  CHECK_EQ_INT(exec_ts_format(z, TS0), 19);
  CHECK_EQ_STR(z, "2026-01-01 12:00:26");
  int64_t t = 0;
  CHECK(exec_ts_parse("2026-01-01T12:00:26Z", 20, &t) == 0);
  CHECK(t == TS0);
  CHECK(exec_ts_parse("2026-01-01 25:00:00", 19, &t) != 0);
  CHECK_EQ_STR(exec_type_name(WEIR_TIMESTAMP), "TIMESTAMP");
  CHECK_EQ_STR(exec_op_name(OP_UPDATE_AFTER), "+U");
  CHECK_EQ_INT(exec_type_size(WEIR_BIGINT), 8);
  CHECK_EQ_INT(exec_type_size(WEIR_BOOLEAN), 1);
}

TEST(batch_append_and_rowop) {
  setup();
  exec_batch *src = sample_batch();
  char buf[8] = "green";
  src->aCol[1].v.s[2] = (exec_str){buf, 5};
  src->aCol[1].null[2] = 0;
  common_arena heap;
  common_arena_init(&heap, 4096);
  static const uint8_t aType[] = {WEIR_BIGINT, WEIR_VARCHAR, WEIR_TIMESTAMP,
                                  WEIR_DOUBLE};
  exec_batch *dst = exec_batch_new(&heap, 4, aType);
  CHECK_EQ_INT(dst->n, 0);
  CHECK_EQ_INT(dst->op[0], OP_INSERT);
  exec_batch_append_row(dst, src, 2);
  exec_batch_append_row(dst, src, 1);
  memcpy(buf, "XXXXX", 5);   /* the copy must not point into src */
  CHECK_EQ_INT(dst->n, 2);
  CHECK_EQ_STR(evb(ecol(1, WEIR_VARCHAR), dst), "green,blue");
  CHECK_EQ_STR(evb(ecol(0, WEIR_BIGINT), dst), "20,NULL");
  CHECK_EQ_STR(evb(ecol(3, WEIR_DOUBLE), dst), "-2.0,NULL");
  CHECK_EQ_INT(dst->op[0], OP_DELETE);
  CHECK_EQ_INT(dst->op[1], OP_UPDATE_BEFORE);
  exec_expr *e = enew(EXPR_ROWOP, WEIR_VARCHAR);
  CHECK_EQ_STR(evb(e, src), "+I,-U,-D");
  exec_value x;
  exec_vec_get(&dst->aCol[2], 0, &x);
  CHECK(!x.isNull && x.type == WEIR_TIMESTAMP &&
        x.u.i == TS0 + 3600000000LL);
  exec_vec_get(&dst->aCol[2], 1, &x);
  CHECK(x.isNull);
  common_arena_free(&heap);
  exec_vec *v = exec_vec_new(&g_arena, WEIR_VARCHAR);
  CHECK_EQ_INT(v->type, WEIR_VARCHAR);
  CHECK_EQ_INT(v->null[EXEC_BATCH_CAP - 1], 0);
}

TEST(explain_exprs) {
  setup();
  char *azName[] = {"score", "user_id", "ts", "x"};
  uint8_t aType[] = {WEIR_BIGINT, WEIR_VARCHAR, WEIR_TIMESTAMP, WEIR_DOUBLE};
  exec_schema s = {4, azName, aType};
  exec_expr *score = ecol(0, WEIR_BIGINT);
  CHECK_EQ_STR(explain(call("*", 2, score, eint(2)), &s), "(score * 2)");
  CHECK_EQ_STR(explain(call(">", 2, score, eint(10)), &s), "(score > 10)");
  CHECK_EQ_STR(explain(call("LOWER", 1, ecol(1, WEIR_VARCHAR)), &s),
               "LOWER(user_id)");
  CHECK_EQ_STR(explain(call("AND", 2, call("ISNOTNULL", 1, score),
                            call("NOT", 1, ebool(0))), &s),
               "((score IS NOT NULL) AND (NOT FALSE))");
  CHECK_EQ_STR(explain(call("CASE", 3, call("=", 2, score, eint(1)),
                            estr("it's"), enull()), &s),
               "CASE WHEN (score = 1) THEN 'it''s' ELSE NULL END");
  CHECK_EQ_STR(explain(call("EXTRACT_HOUR", 1, ecol(2, WEIR_TIMESTAMP)), &s),
               "EXTRACT(HOUR FROM ts)");
  CHECK_EQ_STR(explain(ecast(score, WEIR_DOUBLE), &s),
               "CAST(score AS DOUBLE)");
  CHECK_EQ_STR(explain(call("IN", 3, score, eint(1), eint(2)), &s),
               "(score IN (1, 2))");
  CHECK_EQ_STR(explain(call("BETWEEN", 3, ecol(3, WEIR_DOUBLE), edbl(0.5),
                            edbl(2)), &s), "(x BETWEEN 0.5 AND 2.0)");
  CHECK_EQ_STR(explain(call("LIKE", 2, ecol(1, WEIR_VARCHAR), estr("a%")),
                       &s), "(user_id LIKE 'a%')");
  CHECK_EQ_STR(explain(call("-", 2, ecol(2, WEIR_TIMESTAMP),
                            eiv(5000000)), &s),
               "(ts - INTERVAL '5' SECOND)");
  CHECK_EQ_STR(explain(call(">", 2, ecol(2, WEIR_TIMESTAMP), ets(TS0)), &s),
               "(ts > TIMESTAMP '2026-01-01 12:00:26')");
  CHECK_EQ_STR(explain(call("IS", 2, score, enull()), &s),
               "(score IS NOT DISTINCT FROM NULL)");
  CHECK_EQ_STR(explain(call("NEG", 1, score), &s), "(-score)");
  CHECK_EQ_STR(explain(call("CONCAT", 2, estr("a"), ecol(1, WEIR_VARCHAR)),
                       NULL), "CONCAT('a', $1)");
  CHECK_EQ_STR(explain(enew(EXPR_ROWOP, WEIR_VARCHAR), &s), "op");
}

/* ---- the registry, NULL literals everywhere ----------------------------- */

static const char *azAll[] = {
  "+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=", ">", ">=", "AND",
  "OR", "NOT", "NEG", "IS", "ISNOT", "ISNULL", "ISNOTNULL", "LIKE",
  "BETWEEN", "IN", "CASE", "COALESCE", "NULLIF", "LOWER", "UPPER", "SUBSTR",
  "SUBSTRING", "LENGTH", "CHAR_LENGTH", "TRIM", "LTRIM", "RTRIM", "CONCAT",
  "REPLACE", "ABS", "ROUND", "FLOOR", "CEIL", "CEILING", "MOD", "POWER",
  "SQRT", "EXTRACT_YEAR", "EXTRACT_MONTH", "EXTRACT_DAY", "EXTRACT_HOUR",
  "EXTRACT_MINUTE", "EXTRACT_SECOND", "EXTRACT_MILLISECOND", "EXTRACT_DOW",
  "EXTRACT_DOY", "EXTRACT_EPOCH", "YEAR", "MONTH", "DAYOFMONTH", "HOUR",
  "MINUTE", "SECOND", "DATE_FORMAT", "TO_TIMESTAMP", "FROM_UNIXTIME",
  "UNIX_TIMESTAMP", "NOW", "CURRENT_TIMESTAMP",
  /* beyond the foundation list */
  "IF", "GREATEST", "LEAST", "INSTR", "LOCATE", "POSITION", "LEFT", "RIGHT",
  "LPAD", "RPAD", "REPEAT", "REVERSE", "INITCAP", "SPLIT_INDEX", "REGEXP",
  "REGEXP_EXTRACT", "REGEXP_REPLACE", "DATE_TRUNC", "EXTRACT_WEEK",
  "EXTRACT_QUARTER", "SIGN", "EXP", "LN", "LOG10", "IFNULL", "CONCAT_WS",
  "TO_TIMESTAMP_LTZ", "TRUNCATE", "EXTRACT_ISODOW", NULL};

TEST(registry_complete) {
  CHECK(exec_fn_find("lower") == exec_fn_find("LOWER"));
  CHECK(exec_fn_find("no_such_fn") == NULL);
  for (int k = 0; azAll[k]; k++) {
    const exec_fn *f = exec_fn_find(azAll[k]);
    if (!f) tt_fail(__FILE__, __LINE__, azAll[k]);
    CHECK(f && f->xBind);
  }
}

/* Every function binds with all-NULL-literal arguments, and evaluates
** without crashing to NULL (or a defined non-NULL for the NULL tests). */
TEST(null_literals_everywhere) {
  setup();
  for (int k = 0; azAll[k]; k++) {
    const exec_fn *f = exec_fn_find(azAll[k]);
    int nArg = f->nMinArg ? f->nMinArg : (f->nMaxArg ? 1 : 0);
    if (nArg == 0) continue;   /* NOW() etc. */
    exec_expr *e = enew(EXPR_CALL, 0);
    uint8_t aType[4] = {0, 0, 0, 0};
    const char *zErr = NULL;
    e->zFn = f->zName;
    e->nArg = nArg;
    e->aArg = common_arena_alloc(&g_arena, sizeof(exec_expr *) * 4);
    for (int i = 0; i < nArg; i++) e->aArg[i] = enull();
    if (f->xBind(nArg, aType, &e->type, &e->xImpl, &zErr)) {
      char m[128];
      snprintf(m, sizeof m, "%s(NULL...): %s", f->zName, zErr);
      tt_fail(__FILE__, __LINE__, m);
      continue;
    }
    const char *z = ev(e);
    const char *zWant = "NULL";
    if (!strcmp(f->zName, "ISNULL") || !strcmp(f->zName, "IS")) {
      zWant = "TRUE";
    } else if (!strcmp(f->zName, "ISNOTNULL") ||
               !strcmp(f->zName, "ISNOT")) {
      zWant = "FALSE";
    }
    if (strcmp(z, zWant)) {
      char m[128];
      snprintf(m, sizeof m, "%s(NULL...) = %s", f->zName, z);
      tt_fail(__FILE__, __LINE__, m);
    }
    /* And with one typed argument plus NULLs: the result type follows. */
  }
  exec_expr *e = call("COALESCE", 2, enull(), eint(1));
  CHECK_EQ_INT(e->type, WEIR_BIGINT);
  e = call("ROUND", 2, edbl(1.5), enull());
  CHECK_EQ_INT(e->type, WEIR_DOUBLE);
  CHECK_EQ_STR(ev(e), "NULL");
  e = call("SUBSTR", 2, enull(), eint(1));
  CHECK_EQ_INT(e->type, WEIR_VARCHAR);
}

/* ---- functions beyond the foundation list ------------------------------- */

TEST(more_functions) {
  setup();
  exec_expr *e = call("IF", 3, ebool(0), eint(1), edbl(2.5));
  CHECK_EQ_INT(e->type, WEIR_DOUBLE);
  CHECK_EQ_STR(ev(e), "2.5");
  CHECK_EQ_STR(ev(call("GREATEST", 3, eint(1), edbl(7.5), eint(3))), "7.5");
  CHECK_EQ_STR(ev(call("LEAST", 3, estr("b"), estr("a"), estr("c"))), "a");
  CHECK_EQ_STR(ev(call("GREATEST", 2, eint(1), ecast(enull(), WEIR_BIGINT))),
               "NULL");
  CHECK_EQ_STR(ev(call("INSTR", 2, estr("h\xc3\xa9llo"), estr("l"))), "3");
  CHECK_EQ_STR(ev(call("INSTR", 2, estr("hello"), estr("z"))), "0");
  CHECK_EQ_STR(ev(call("LOCATE", 2, estr("l"), estr("hello"))), "3");
  CHECK_EQ_STR(ev(call("LOCATE", 3, estr("l"), estr("hello"), eint(4))),
               "4");
  CHECK_EQ_STR(ev(call("LOCATE", 3, estr("l"), estr("hello"), eint(9))),
               "0");
  CHECK_EQ_STR(ev(call("POSITION", 2, estr("lo"), estr("hello"))), "4");
  CHECK_EQ_STR(ev(call("LEFT", 2, estr("h\xc3\xa9llo"), eint(2))),
               "h\xc3\xa9");
  CHECK_EQ_STR(ev(call("RIGHT", 2, estr("hello"), eint(3))), "llo");
  CHECK_EQ_STR(ev(call("RIGHT", 2, estr("hello"), eint(9))), "hello");
  CHECK_EQ_STR(ev(call("LEFT", 2, estr("hello"), eint(-1))), "");
  CHECK_EQ_STR(ev(call("LPAD", 3, estr("hi"), eint(5), estr("xy"))),
               "xyxhi");
  CHECK_EQ_STR(ev(call("RPAD", 3, estr("hi"), eint(5), estr("xy"))),
               "hixyx");
  CHECK_EQ_STR(ev(call("LPAD", 3, estr("hello"), eint(2), estr("x"))), "he");
  CHECK_EQ_STR(ev(call("LPAD", 3, estr("hi"), eint(-1), estr("x"))), "NULL");
  CHECK_EQ_STR(ev(call("REPEAT", 2, estr("ab"), eint(3))), "ababab");
  CHECK_EQ_STR(ev(call("REPEAT", 2, estr("ab"), eint(0))), "");
  CHECK_EQ_STR(ev(call("REVERSE", 1, estr("h\xc3\xa9y"))), "y\xc3\xa9h");
  CHECK_EQ_STR(ev(call("INITCAP", 1, estr("hello wORLD-x1y"))),
               "Hello World-X1y");
  CHECK_EQ_STR(ev(call("SPLIT_INDEX", 3, estr("a/b//c"), estr("/"),
                       eint(1))), "b");
  CHECK_EQ_STR(ev(call("SPLIT_INDEX", 3, estr("a/b//c"), estr("/"),
                       eint(2))), "");
  CHECK_EQ_STR(ev(call("SPLIT_INDEX", 3, estr("a/b//c"), estr("/"),
                       eint(3))), "c");
  CHECK_EQ_STR(ev(call("SPLIT_INDEX", 3, estr("a/b//c"), estr("/"),
                       eint(4))), "NULL");
  CHECK_EQ_STR(ev(call("SPLIT_INDEX", 3, estr("abc"), estr("/"), eint(0))),
               "abc");
  CHECK_EQ_STR(ev(call("REGEXP", 2, estr("abc123"), estr("[0-9]+$"))),
               "TRUE");
  CHECK_EQ_STR(ev(call("REGEXP", 2, estr("abc"), estr("^b"))), "FALSE");
  CHECK_EQ_STR(ev(call("REGEXP_EXTRACT", 3, estr("foothebar"),
                       estr("foo(.*)(bar)"), eint(2))), "bar");
  CHECK_EQ_STR(ev(call("REGEXP_EXTRACT", 2, estr("x=12&y=3"),
                       estr("y=([0-9]+)"))), "3");
  CHECK_EQ_STR(ev(call("REGEXP_EXTRACT", 2, estr("abc"), estr("z"))),
               "NULL");
  CHECK_EQ_STR(ev(call("REGEXP_EXTRACT", 3,
                       estr("https://x.io/?channel_id=7&a=1"),
                       estr("(&|\\?)channel_id=([^&]*)"), eint(2))), "7");
  /* NEXMark q21's pattern. */
  CHECK_EQ_STR(ev(call("REGEXP_EXTRACT", 3,
                       estr("https://www.nexmark.com/m?channel_id=9&x=1"),
                       estr("(&|^)channel_id=([^&]*)"), eint(2))), "NULL");
  CHECK_EQ_STR(ev(call("REGEXP_EXTRACT", 3,
                       estr("a=1&channel_id=1086&x=1"),
                       estr("(&|^)channel_id=([^&]*)"), eint(2))), "1086");
  CHECK_EQ_STR(ev(call("REGEXP_EXTRACT", 3, estr("channel_id=55"),
                       estr("(&|^)channel_id=([^&]*)"), eint(2))), "55");
  CHECK_EQ_STR(ev(call("REGEXP_REPLACE", 3, estr("a1b22c"), estr("[0-9]+"),
                       estr("#"))), "a#b#c");
  CHECK_EQ_STR(ev(call("REGEXP_REPLACE", 3, estr("john smith"),
                       estr("([a-z]+) ([a-z]+)"), estr("$2, $1"))),
               "smith, john");
  CHECK_EQ_STR(ev(call("REGEXP_REPLACE", 3, estr("abc"), estr("x*"),
                       estr("-"))), "-a-b-c-");
  CHECK_EQ_STR(ev(call("REGEXP_REPLACE", 3, estr("aaa"), estr("^a"),
                       estr("b"))), "baa");
  CHECK(g_ctx.zErr == NULL);
  CHECK_EQ_STR(ev(call("REGEXP", 2, estr("abc"), estr("(("))), "NULL");
  CHECK(g_ctx.zErr != NULL);
  CHECK_EQ_STR(ev(call("DATE_TRUNC", 2, estr("hour"), ets(TS0 + 123))),
               "2026-01-01 12:00:00");
  CHECK_EQ_STR(ev(call("DATE_TRUNC", 2, estr("MINUTE"), ets(TS0))),
               "2026-01-01 12:00:00");
  CHECK_EQ_STR(ev(call("DATE_TRUNC", 2, estr("month"), ets(TS0 +
                                                           86400000000LL *
                                                           40))),
               "2026-02-01 00:00:00");
  CHECK_EQ_STR(ev(call("DATE_TRUNC", 2, estr("quarter"),
                       ets(TS0 + 86400000000LL * 100))),
               "2026-04-01 00:00:00");
  CHECK_EQ_STR(ev(call("DATE_TRUNC", 2, estr("week"), ets(TS0))),
               "2025-12-29 00:00:00");
  CHECK_EQ_STR(ev(call("DATE_TRUNC", 2, estr("year"), ets(TS0))),
               "2026-01-01 00:00:00");
  CHECK_EQ_STR(ev(call("DATE_TRUNC", 2, estr("second"), ets(-1))),
               "1969-12-31 23:59:59");
  CHECK_EQ_STR(ev(call("DATE_TRUNC", 2, estr("fortnight"), ets(TS0))),
               "NULL");
  CHECK_EQ_STR(ev(call("CONCAT_WS", 4, estr("-"), estr("a"), enull(),
                       eint(3))), "a-3");
  CHECK_EQ_STR(ev(call("CONCAT_WS", 2, enull(), estr("a"))), "NULL");
  CHECK_EQ_STR(ev(call("CONCAT_WS", 3, estr(","), ecast(enull(),
                                                         WEIR_VARCHAR),
                       ecast(enull(), WEIR_VARCHAR))), "");
  CHECK_EQ_STR(ev(call("TO_TIMESTAMP_LTZ", 2, eint(1767268826), eint(0))),
               "2026-01-01 12:00:26");
  CHECK_EQ_STR(ev(call("TO_TIMESTAMP_LTZ", 1, eint(1767268826123LL))),
               "2026-01-01 12:00:26.123");
  CHECK_EQ_STR(ev(call("TO_TIMESTAMP_LTZ", 2, eint(1), eint(6))), "NULL");
  CHECK_EQ_STR(ev(call("TRUNCATE", 2, edbl(2.789), eint(2))), "2.78");
  CHECK_EQ_STR(ev(call("TRUNCATE", 1, edbl(-2.7))), "-2.0");
  CHECK_EQ_STR(ev(call("TRUNCATE", 2, eint(1299), eint(-2))), "1200");
  CHECK_EQ_STR(ev(call("EXTRACT_ISODOW", 1, ets(TS0))), "4");
  CHECK_EQ_STR(ev(call("EXTRACT_DAYOFWEEK", 1, ets(TS0))), "5");
  CHECK_CONTAINS(bind_err("LEFT", 2, eint(1), eint(1)), "LEFT");
  CHECK_CONTAINS(bind_err("GREATEST", 2, eint(1), estr("a")),
                 "incompatible");
  /* Over a batch: the regex cache sees changing rows. */
  exec_batch *b = sample_batch();
  CHECK_EQ_STR(evb(call("REGEXP_REPLACE", 3, ecol(1, WEIR_VARCHAR),
                        estr("[aeiou]"), estr("_")), b), "r_d,bl__,NULL");
}

/* More than 8 arguments take exec_expr_eval's heap path. */
TEST(many_arguments) {
  setup();
  exec_expr *a[12];
  for (int k = 0; k < 12; k++) a[k] = eint(k);
  exec_expr *e = enew(EXPR_CALL, 0);
  const char *zErr = NULL;
  uint8_t aType[12];
  e->zFn = "CONCAT";
  e->nArg = 12;
  e->aArg = a;
  for (int k = 0; k < 12; k++) aType[k] = WEIR_BIGINT;
  CHECK(exec_fn_find("CONCAT")->xBind(12, aType, &e->type, &e->xImpl,
                                      &zErr) == 0);
  CHECK_EQ_STR(ev(e), "01234567891011");
  CHECK_EQ_STR(ev(call("IN", 11, eint(9), eint(0), eint(1), eint(2), eint(3),
                       eint(4), eint(5), eint(6), eint(7), eint(8),
                       eint(9))), "TRUE");
  CHECK_EQ_STR(ev(call("CASE", 11, ebool(0), eint(1), ebool(0), eint(2),
                       ebool(0), eint(3), ebool(0), eint(4), ebool(1),
                       eint(5), eint(6))), "5");
  CHECK_EQ_STR(ev(call("COALESCE", 10, enull(), enull(), enull(), enull(),
                       enull(), enull(), enull(), enull(), enull(),
                       estr("last"))), "last");
}

/* ---- vectorised kernels against a scalar reference ---------------------- */

TEST(kernels_match_reference) {
  setup();
  static const uint8_t aType[] = {WEIR_BIGINT, WEIR_BIGINT, WEIR_DOUBLE};
  exec_batch *b = exec_batch_new(&g_arena, 3, aType);
  b->n = EXEC_BATCH_CAP;
  srand(42);
  for (int i = 0; i < b->n; i++) {
    b->aCol[0].v.i64[i] = rand() % 41 - 20;
    b->aCol[0].null[i] = rand() % 7 == 0;
    b->aCol[1].v.i64[i] = rand() % 9 - 4;
    b->aCol[1].null[i] = rand() % 5 == 0;
    b->aCol[2].v.f64[i] = (rand() % 100) / 8.0 - 6;
    b->aCol[2].null[i] = rand() % 6 == 0;
  }
  exec_expr *a = ecol(0, WEIR_BIGINT), *c = ecol(1, WEIR_BIGINT);
  exec_expr *d = ecol(2, WEIR_DOUBLE);
  const exec_vec *mul = exec_expr_eval(call("*", 2, a, eint(2)), b, &g_ctx);
  const exec_vec *gt = exec_expr_eval(call(">", 2, a, eint(10)), b, &g_ctx);
  const exec_vec *sub = exec_expr_eval(call("-", 2, a, c), b, &g_ctx);
  const exec_vec *dv = exec_expr_eval(call("/", 2, a, c), b, &g_ctx);
  const exec_vec *le = exec_expr_eval(call("<=", 2, d, a), b, &g_ctx);
  const exec_vec *dm = exec_expr_eval(call("*", 2, d, c), b, &g_ctx);
  const exec_vec *an = exec_expr_eval(
    call("AND", 2, call(">", 2, a, eint(0)), call("<", 2, d, eint(0))), b,
    &g_ctx);
  int nBad = 0;
  for (int i = 0; i < b->n; i++) {
    int na = b->aCol[0].null[i], nc = b->aCol[1].null[i];
    int nd = b->aCol[2].null[i];
    int64_t x = b->aCol[0].v.i64[i], y = b->aCol[1].v.i64[i];
    double f = b->aCol[2].v.f64[i];
    nBad += (mul->null[i] != 0) != na || (!na && mul->v.i64[i] != x * 2);
    nBad += (gt->null[i] != 0) != na || (!na && gt->v.b[i] != (x > 10));
    nBad += (sub->null[i] != 0) != (na || nc) ||
            (!na && !nc && sub->v.i64[i] != x - y);
    nBad += (dv->null[i] != 0) != (na || nc || y == 0) ||
            (!dv->null[i] && dv->v.i64[i] != x / y);
    nBad += (le->null[i] != 0) != (na || nd) ||
            (!na && !nd && le->v.b[i] != (f <= (double)x));
    nBad += (dm->null[i] != 0) != (nd || nc) ||
            (!nd && !nc && dm->v.f64[i] != f * (double)y);
    /* 3VL: FALSE wins over NULL. */
    int pa = na ? -1 : x > 0, pd = nd ? -1 : f < 0;
    int want = (pa == 0 || pd == 0) ? 0 : (pa < 0 || pd < 0) ? -1 : 1;
    int got = an->null[i] ? -1 : an->v.b[i];
    nBad += want != got;
  }
  CHECK_EQ_INT(nBad, 0);
}

int main(int argc, char **argv) { return tt_main(argc, argv); }
