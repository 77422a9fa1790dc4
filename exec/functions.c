/*
** exec/functions.c — the scalar function registry (exec_fn_find) and the
** core operators: arithmetic, comparisons, boolean logic, IS [NOT]
** DISTINCT, IS [NOT] NULL, CASE, COALESCE, NULLIF, IN and BETWEEN. String
** functions live in functions_str.c, time and math in functions_time.c.
**
** Every function is vectorised: its xBind picks an implementation for the
** argument types once at plan time, and the implementation runs a loop
** over the batch. The hot ones (arithmetic and comparisons on BIGINT and
** DOUBLE) are branch-free loops the compiler vectorises; null bytes are
** combined with a bitwise OR.
**
** Semantics (SQL, with SQLite/Flink choices):
**   - NULL in, NULL out for arithmetic and comparisons; AND/OR use
**     three-valued logic (FALSE AND NULL = FALSE, TRUE OR NULL = TRUE).
**   - BIGINT op BIGINT is BIGINT and wraps on overflow (like Java/Flink);
**     / truncates toward zero; x / 0 and x % 0 are NULL (like SQLite),
**     also for DOUBLE. Any DOUBLE operand makes the result DOUBLE.
**   - TIMESTAMP +/- INTERVAL -> TIMESTAMP, TIMESTAMP - TIMESTAMP ->
**     INTERVAL, INTERVAL +/- INTERVAL, INTERVAL * or / BIGINT (or DOUBLE,
**     rounded to the microsecond) -> INTERVAL.
**   - "IS"/"ISNOT" are IS NOT DISTINCT FROM / IS DISTINCT FROM: never NULL.
**   - A bare NULL argument (WEIR_NULL_TYPE) is accepted everywhere; the
**     result takes the other arguments' type (WEIR_NULL_TYPE when nothing
**     else decides it).
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exec/exec.h"
#include "exec/functions_int.h"

#define IMPL(name)                                                     \
  static void name(exec_eval_ctx *ctx, int n, const exec_vec *const *aArg, \
                   int nArg, exec_vec *out)

/* Set *pzErr to a formatted message in a static buffer (plan time only,
** on the loop thread) and return 1. */
static int bind_err(const char **pzErr, const char *zFmt, ...) {
  static char zBuf[160];
  va_list ap;
  va_start(ap, zFmt);
  vsnprintf(zBuf, sizeof zBuf, zFmt, ap);
  va_end(ap);
  *pzErr = zBuf;
  return 1;
}

static int is_int64_type(int t) {
  return t == WEIR_BIGINT || t == WEIR_TIMESTAMP || t == WEIR_INTERVAL;
}
static int is_num_type(int t) {
  return t == WEIR_BIGINT || t == WEIR_DOUBLE;
}

/* ---- shared slot helpers (functions_int.h) ----------------------------- */

/* See functions_int.h. */
double exec_slot_f64(const exec_vec *v, int i) {
  switch (v->type) {
    case WEIR_DOUBLE: return v->v.f64[i];
    case WEIR_BOOLEAN: return v->v.b[i] != 0;
    case WEIR_BIGINT:
    case WEIR_TIMESTAMP:
    case WEIR_INTERVAL: return (double)v->v.i64[i];
    default: return 0.0;
  }
}

static int str_cmp(const exec_str *a, const exec_str *b) {
  uint32_t m = a->n < b->n ? a->n : b->n;
  int c = m ? memcmp(a->p, b->p, m) : 0;
  if (c) return c;
  return a->n < b->n ? -1 : a->n > b->n;
}

/* See functions_int.h. */
int exec_slot_cmp(const exec_vec *a, int i, const exec_vec *b, int j) {
  if (a->type == WEIR_VARCHAR && b->type == WEIR_VARCHAR) {
    return str_cmp(&a->v.s[i], &b->v.s[j]);
  }
  if (a->type == WEIR_DOUBLE || b->type == WEIR_DOUBLE) {
    double x = exec_slot_f64(a, i), y = exec_slot_f64(b, j);
    return (x > y) - (x < y);
  }
  if (a->type == WEIR_BOOLEAN || b->type == WEIR_BOOLEAN) {
    int x = (int)exec_slot_f64(a, i), y = (int)exec_slot_f64(b, j);
    return (x > y) - (x < y);
  }
  if (is_int64_type(a->type) && is_int64_type(b->type)) {
    int64_t x = a->v.i64[i], y = b->v.i64[j];
    return (x > y) - (x < y);
  }
  return 0;
}

/* See functions_int.h. */
int exec_types_comparable(int a, int b) {
  if (a == WEIR_NULL_TYPE || b == WEIR_NULL_TYPE) return 1;
  if (is_num_type(a) && is_num_type(b)) return 1;
  return a == b;
}

/* See functions_int.h. */
int exec_types_unify(int a, int b) {
  if (a == WEIR_NULL_TYPE) return b;
  if (b == WEIR_NULL_TYPE || a == b) return a;
  if (is_num_type(a) && is_num_type(b)) return WEIR_DOUBLE;
  return -1;
}

/* See functions_int.h. */
void exec_slot_copy(exec_vec *out, int j, const exec_vec *in, int i) {
  if (in->null[i] || in->type == WEIR_NULL_TYPE ||
      out->type == WEIR_NULL_TYPE) {
    out->null[j] = 1;
    return;
  }
  out->null[j] = 0;
  switch (out->type) {
    case WEIR_BOOLEAN: out->v.b[j] = exec_slot_f64(in, i) != 0; break;
    case WEIR_DOUBLE: out->v.f64[j] = exec_slot_f64(in, i); break;
    case WEIR_VARCHAR: out->v.s[j] = in->v.s[i]; break;
    default:
      out->v.i64[j] = in->type == WEIR_BOOLEAN ? in->v.b[i] != 0
                                               : in->v.i64[i];
      break;
  }
}

/* See functions_int.h. */
const double *exec_vec_f64(exec_eval_ctx *ctx, int n, const exec_vec *v) {
  if (v->type == WEIR_DOUBLE) return v->v.f64;
  double *d = common_arena_alloc(ctx->pScratch, sizeof(double) * (n ? n : 1));
  if (v->type == WEIR_BIGINT || v->type == WEIR_TIMESTAMP ||
      v->type == WEIR_INTERVAL) {
    const int64_t *restrict s = v->v.i64;
    for (int i = 0; i < n; i++) d[i] = (double)s[i];
  } else {
    for (int i = 0; i < n; i++) d[i] = exec_slot_f64(v, i);
  }
  return d;
}

/* See functions_int.h. */
void exec_impl_null(exec_eval_ctx *ctx, int n, const exec_vec *const *aArg,
                    int nArg, exec_vec *out) {
  memset(out->null, 1, (size_t)n);
}

/* ---- arithmetic --------------------------------------------------------- */

/* BIGINT-family loops; wrapping arithmetic through uint64_t. */
#define ARITH_I64(name, EXPR)                                          \
  IMPL(name) {                                                         \
    const int64_t *restrict a = aArg[0]->v.i64;                        \
    const int64_t *restrict b = aArg[1]->v.i64;                        \
    const uint8_t *restrict na = aArg[0]->null;                        \
    const uint8_t *restrict nb = aArg[1]->null;                        \
    int64_t *restrict o = out->v.i64;                                  \
    uint8_t *restrict no = out->null;                                  \
    for (int i = 0; i < n; i++) {                                      \
      no[i] = na[i] | nb[i];                                           \
      o[i] = (int64_t)(EXPR);                                          \
    }                                                                  \
  }
ARITH_I64(add_i64, (uint64_t)a[i] + (uint64_t)b[i])
ARITH_I64(sub_i64, (uint64_t)a[i] - (uint64_t)b[i])
ARITH_I64(mul_i64, (uint64_t)a[i] * (uint64_t)b[i])

IMPL(div_i64) {
  const int64_t *a = aArg[0]->v.i64, *b = aArg[1]->v.i64;
  const uint8_t *na = aArg[0]->null, *nb = aArg[1]->null;
  for (int i = 0; i < n; i++) {
    int64_t d = b[i];
    out->null[i] = na[i] | nb[i] | (d == 0);
    if (out->null[i]) continue;
    out->v.i64[i] = d == -1 ? (int64_t)((uint64_t)0 - (uint64_t)a[i])
                            : a[i] / d;
  }
}

IMPL(mod_i64) {
  const int64_t *a = aArg[0]->v.i64, *b = aArg[1]->v.i64;
  const uint8_t *na = aArg[0]->null, *nb = aArg[1]->null;
  for (int i = 0; i < n; i++) {
    int64_t d = b[i];
    out->null[i] = na[i] | nb[i] | (d == 0);
    if (out->null[i]) continue;
    out->v.i64[i] = d == -1 ? 0 : a[i] % d;
  }
}

#define ARITH_F64(name, EXPR)                                          \
  IMPL(name) {                                                         \
    const double *restrict a = exec_vec_f64(ctx, n, aArg[0]);          \
    const double *restrict b = exec_vec_f64(ctx, n, aArg[1]);          \
    const uint8_t *restrict na = aArg[0]->null;                        \
    const uint8_t *restrict nb = aArg[1]->null;                        \
    double *restrict o = out->v.f64;                                   \
    uint8_t *restrict no = out->null;                                  \
    for (int i = 0; i < n; i++) {                                      \
      no[i] = na[i] | nb[i];                                           \
      o[i] = EXPR;                                                     \
    }                                                                  \
  }
ARITH_F64(add_f64, a[i] + b[i])
ARITH_F64(sub_f64, a[i] - b[i])
ARITH_F64(mul_f64, a[i] * b[i])

IMPL(div_f64) {
  const double *a = exec_vec_f64(ctx, n, aArg[0]);
  const double *b = exec_vec_f64(ctx, n, aArg[1]);
  for (int i = 0; i < n; i++) {
    out->null[i] = aArg[0]->null[i] | aArg[1]->null[i] | (b[i] == 0.0);
    out->v.f64[i] = out->null[i] ? 0.0 : a[i] / b[i];
  }
}

IMPL(mod_f64) {
  const double *a = exec_vec_f64(ctx, n, aArg[0]);
  const double *b = exec_vec_f64(ctx, n, aArg[1]);
  for (int i = 0; i < n; i++) {
    out->null[i] = aArg[0]->null[i] | aArg[1]->null[i] | (b[i] == 0.0);
    out->v.f64[i] = out->null[i] ? 0.0 : fmod(a[i], b[i]);
  }
}

/* INTERVAL * DOUBLE (either order) and INTERVAL / DOUBLE, rounded. */
static int64_t f64_to_i64(double f, int *pBad) {
  if (!(f >= -9.2233720368547758e18 && f < 9.2233720368547758e18)) {
    *pBad = 1;
    return 0;
  }
  return (int64_t)f;
}
IMPL(mul_iv_f64) {
  const double *a = exec_vec_f64(ctx, n, aArg[0]);
  const double *b = exec_vec_f64(ctx, n, aArg[1]);
  for (int i = 0; i < n; i++) {
    int bad = aArg[0]->null[i] | aArg[1]->null[i];
    if (!bad) out->v.i64[i] = f64_to_i64(round(a[i] * b[i]), &bad);
    out->null[i] = (uint8_t)(bad != 0);
  }
}
IMPL(div_iv_f64) {
  const double *a = exec_vec_f64(ctx, n, aArg[0]);
  const double *b = exec_vec_f64(ctx, n, aArg[1]);
  for (int i = 0; i < n; i++) {
    int bad = aArg[0]->null[i] | aArg[1]->null[i] | (b[i] == 0.0);
    if (!bad) out->v.i64[i] = f64_to_i64(round(a[i] / b[i]), &bad);
    out->null[i] = (uint8_t)(bad != 0);
  }
}

enum { AR_ADD, AR_SUB, AR_MUL, AR_DIV, AR_MOD };
static const char *azArith[] = {"+", "-", "*", "/", "%"};

static int bind_arith(int op, const uint8_t *aType, uint8_t *pRet,
                      exec_fn_impl *pImpl, const char **pzErr) {
  static const exec_fn_impl aI64[] = {add_i64, sub_i64, mul_i64, div_i64,
                                      mod_i64};
  static const exec_fn_impl aF64[] = {add_f64, sub_f64, mul_f64, div_f64,
                                      mod_f64};
  int a = aType[0], b = aType[1];
  if (a == WEIR_NULL_TYPE || b == WEIR_NULL_TYPE) {
    int o = a == WEIR_NULL_TYPE ? b : a;
    if (o == WEIR_VARCHAR || o == WEIR_BOOLEAN) goto bad;
    *pRet = (uint8_t)o;
    *pImpl = exec_impl_null;
    return 0;
  }
  if (a == WEIR_BIGINT && b == WEIR_BIGINT) {
    *pRet = WEIR_BIGINT;
    *pImpl = aI64[op];
    return 0;
  }
  if (is_num_type(a) && is_num_type(b)) {
    *pRet = WEIR_DOUBLE;
    *pImpl = aF64[op];
    return 0;
  }
  *pRet = WEIR_INTERVAL;
  switch (op) {
    case AR_ADD:
      if ((a == WEIR_TIMESTAMP && b == WEIR_INTERVAL) ||
          (a == WEIR_INTERVAL && b == WEIR_TIMESTAMP)) {
        *pRet = WEIR_TIMESTAMP;
        *pImpl = add_i64;
        return 0;
      }
      if (a == WEIR_INTERVAL && b == WEIR_INTERVAL) {
        *pImpl = add_i64;
        return 0;
      }
      break;
    case AR_SUB:
      if (a == WEIR_TIMESTAMP && b == WEIR_INTERVAL) {
        *pRet = WEIR_TIMESTAMP;
        *pImpl = sub_i64;
        return 0;
      }
      if ((a == WEIR_TIMESTAMP && b == WEIR_TIMESTAMP) ||
          (a == WEIR_INTERVAL && b == WEIR_INTERVAL)) {
        *pImpl = sub_i64;
        return 0;
      }
      break;
    case AR_MUL:
      if ((a == WEIR_INTERVAL && b == WEIR_BIGINT) ||
          (a == WEIR_BIGINT && b == WEIR_INTERVAL)) {
        *pImpl = mul_i64;
        return 0;
      }
      if ((a == WEIR_INTERVAL && b == WEIR_DOUBLE) ||
          (a == WEIR_DOUBLE && b == WEIR_INTERVAL)) {
        *pImpl = mul_iv_f64;
        return 0;
      }
      break;
    case AR_DIV:
      if (a == WEIR_INTERVAL && b == WEIR_BIGINT) {
        *pImpl = div_i64;
        return 0;
      }
      if (a == WEIR_INTERVAL && b == WEIR_DOUBLE) {
        *pImpl = div_iv_f64;
        return 0;
      }
      break;
  }
bad:
  return bind_err(pzErr, "cannot apply %s to %s and %s", azArith[op],
                  exec_type_name(a), exec_type_name(b));
}

#define BIND_ARITH(name, OP)                                           \
  static int name(int nArg, const uint8_t *aType, uint8_t *pRet,       \
                  exec_fn_impl *pImpl, const char **pzErr) {           \
    return bind_arith(OP, aType, pRet, pImpl, pzErr);                  \
  }
BIND_ARITH(bind_add, AR_ADD)
BIND_ARITH(bind_sub, AR_SUB)
BIND_ARITH(bind_mul, AR_MUL)
BIND_ARITH(bind_div, AR_DIV)
BIND_ARITH(bind_mod, AR_MOD)

IMPL(neg_i64) {
  const int64_t *restrict a = aArg[0]->v.i64;
  int64_t *restrict o = out->v.i64;
  for (int i = 0; i < n; i++) o[i] = (int64_t)((uint64_t)0 - (uint64_t)a[i]);
  memcpy(out->null, aArg[0]->null, (size_t)n);
}
IMPL(neg_f64) {
  const double *restrict a = aArg[0]->v.f64;
  double *restrict o = out->v.f64;
  for (int i = 0; i < n; i++) o[i] = -a[i];
  memcpy(out->null, aArg[0]->null, (size_t)n);
}
static int bind_neg(int nArg, const uint8_t *aType, uint8_t *pRet,
                    exec_fn_impl *pImpl, const char **pzErr) {
  int a = aType[0];
  *pRet = (uint8_t)a;
  if (a == WEIR_NULL_TYPE) *pImpl = exec_impl_null;
  else if (a == WEIR_BIGINT || a == WEIR_INTERVAL) *pImpl = neg_i64;
  else if (a == WEIR_DOUBLE) *pImpl = neg_f64;
  else return bind_err(pzErr, "cannot negate %s", exec_type_name(a));
  return 0;
}

/* ---- comparisons -------------------------------------------------------- */

#define CMP_FUNCS(tag, OP)                                             \
  IMPL(cmp_i64_##tag) {                                                \
    const int64_t *restrict a = aArg[0]->v.i64;                        \
    const int64_t *restrict b = aArg[1]->v.i64;                        \
    const uint8_t *restrict na = aArg[0]->null;                        \
    const uint8_t *restrict nb = aArg[1]->null;                        \
    uint8_t *restrict o = out->v.b;                                    \
    uint8_t *restrict no = out->null;                                  \
    for (int i = 0; i < n; i++) {                                      \
      no[i] = na[i] | nb[i];                                           \
      o[i] = a[i] OP b[i];                                             \
    }                                                                  \
  }                                                                    \
  IMPL(cmp_f64_##tag) {                                                \
    const double *restrict a = exec_vec_f64(ctx, n, aArg[0]);          \
    const double *restrict b = exec_vec_f64(ctx, n, aArg[1]);          \
    const uint8_t *restrict na = aArg[0]->null;                        \
    const uint8_t *restrict nb = aArg[1]->null;                        \
    uint8_t *restrict o = out->v.b;                                    \
    uint8_t *restrict no = out->null;                                  \
    for (int i = 0; i < n; i++) {                                      \
      no[i] = na[i] | nb[i];                                           \
      o[i] = a[i] OP b[i];                                             \
    }                                                                  \
  }                                                                    \
  IMPL(cmp_str_##tag) {                                                \
    const exec_str *a = aArg[0]->v.s, *b = aArg[1]->v.s;               \
    for (int i = 0; i < n; i++) {                                      \
      out->null[i] = aArg[0]->null[i] | aArg[1]->null[i];              \
      out->v.b[i] = out->null[i] ? 0 : str_cmp(&a[i], &b[i]) OP 0;     \
    }                                                                  \
  }                                                                    \
  IMPL(cmp_bool_##tag) {                                               \
    const uint8_t *restrict a = aArg[0]->v.b;                          \
    const uint8_t *restrict b = aArg[1]->v.b;                          \
    const uint8_t *restrict na = aArg[0]->null;                        \
    const uint8_t *restrict nb = aArg[1]->null;                        \
    uint8_t *restrict o = out->v.b;                                    \
    uint8_t *restrict no = out->null;                                  \
    for (int i = 0; i < n; i++) {                                      \
      no[i] = na[i] | nb[i];                                           \
      o[i] = (a[i] != 0) OP (b[i] != 0);                               \
    }                                                                  \
  }
CMP_FUNCS(eq, ==)
CMP_FUNCS(ne, !=)
CMP_FUNCS(lt, <)
CMP_FUNCS(le, <=)
CMP_FUNCS(gt, >)
CMP_FUNCS(ge, >=)

enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

static int bind_cmp(int op, const uint8_t *aType, uint8_t *pRet,
                    exec_fn_impl *pImpl, const char **pzErr) {
  static const exec_fn_impl aI64[] = {cmp_i64_eq, cmp_i64_ne, cmp_i64_lt,
                                      cmp_i64_le, cmp_i64_gt, cmp_i64_ge};
  static const exec_fn_impl aF64[] = {cmp_f64_eq, cmp_f64_ne, cmp_f64_lt,
                                      cmp_f64_le, cmp_f64_gt, cmp_f64_ge};
  static const exec_fn_impl aStr[] = {cmp_str_eq, cmp_str_ne, cmp_str_lt,
                                      cmp_str_le, cmp_str_gt, cmp_str_ge};
  static const exec_fn_impl aBool[] = {cmp_bool_eq, cmp_bool_ne,
                                       cmp_bool_lt, cmp_bool_le,
                                       cmp_bool_gt, cmp_bool_ge};
  int a = aType[0], b = aType[1];
  *pRet = WEIR_BOOLEAN;
  if (!exec_types_comparable(a, b)) {
    return bind_err(pzErr, "cannot compare %s with %s", exec_type_name(a),
                    exec_type_name(b));
  }
  if (a == WEIR_NULL_TYPE || b == WEIR_NULL_TYPE) *pImpl = exec_impl_null;
  else if (a == WEIR_DOUBLE || b == WEIR_DOUBLE) *pImpl = aF64[op];
  else if (is_int64_type(a)) *pImpl = aI64[op];
  else if (a == WEIR_VARCHAR) *pImpl = aStr[op];
  else *pImpl = aBool[op];
  return 0;
}

#define BIND_CMP(name, OP)                                             \
  static int name(int nArg, const uint8_t *aType, uint8_t *pRet,       \
                  exec_fn_impl *pImpl, const char **pzErr) {           \
    return bind_cmp(OP, aType, pRet, pImpl, pzErr);                    \
  }
BIND_CMP(bind_eq, CMP_EQ)
BIND_CMP(bind_ne, CMP_NE)
BIND_CMP(bind_lt, CMP_LT)
BIND_CMP(bind_le, CMP_LE)
BIND_CMP(bind_gt, CMP_GT)
BIND_CMP(bind_ge, CMP_GE)

/* ---- boolean logic ------------------------------------------------------ */

/* Type check: every argument BOOLEAN (or a NULL literal). */
static int check_bool_args(const char *zFn, int nArg, const uint8_t *aType,
                           const char **pzErr) {
  for (int i = 0; i < nArg; i++) {
    if (aType[i] != WEIR_BOOLEAN && aType[i] != WEIR_NULL_TYPE) {
      return bind_err(pzErr, "%s expects BOOLEAN, got %s", zFn,
                      exec_type_name(aType[i]));
    }
  }
  return 0;
}

IMPL(and_impl) {
  const uint8_t *a = aArg[0]->v.b, *b = aArg[1]->v.b;
  const uint8_t *na = aArg[0]->null, *nb = aArg[1]->null;
  for (int i = 0; i < n; i++) {
    uint8_t xa = na[i] != 0, xb = nb[i] != 0;
    uint8_t fa = (uint8_t)((xa ^ 1) & (a[i] == 0));
    uint8_t fb = (uint8_t)((xb ^ 1) & (b[i] == 0));
    uint8_t f = fa | fb;
    out->null[i] = (uint8_t)((f ^ 1) & (xa | xb));
    out->v.b[i] = f ^ 1;
  }
}
IMPL(or_impl) {
  const uint8_t *a = aArg[0]->v.b, *b = aArg[1]->v.b;
  const uint8_t *na = aArg[0]->null, *nb = aArg[1]->null;
  for (int i = 0; i < n; i++) {
    uint8_t xa = na[i] != 0, xb = nb[i] != 0;
    uint8_t t = (uint8_t)(((xa ^ 1) & (a[i] != 0)) |
                          ((xb ^ 1) & (b[i] != 0)));
    out->null[i] = (uint8_t)((t ^ 1) & (xa | xb));
    out->v.b[i] = t;
  }
}
IMPL(not_impl) {
  for (int i = 0; i < n; i++) {
    out->null[i] = aArg[0]->null[i] != 0;
    out->v.b[i] = aArg[0]->v.b[i] == 0;
  }
}
static int bind_and(int nArg, const uint8_t *aType, uint8_t *pRet,
                    exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BOOLEAN;
  *pImpl = and_impl;
  return check_bool_args("AND", nArg, aType, pzErr);
}
static int bind_or(int nArg, const uint8_t *aType, uint8_t *pRet,
                   exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BOOLEAN;
  *pImpl = or_impl;
  return check_bool_args("OR", nArg, aType, pzErr);
}
static int bind_not(int nArg, const uint8_t *aType, uint8_t *pRet,
                    exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BOOLEAN;
  *pImpl = not_impl;
  return check_bool_args("NOT", nArg, aType, pzErr);
}

/* ---- IS [NOT] DISTINCT, IS [NOT] NULL ----------------------------------- */

static int is_null_slot(const exec_vec *v, int i) {
  return v->null[i] != 0 || v->type == WEIR_NULL_TYPE;
}

IMPL(is_impl) {
  for (int i = 0; i < n; i++) {
    int xa = is_null_slot(aArg[0], i), xb = is_null_slot(aArg[1], i);
    out->null[i] = 0;
    out->v.b[i] = (xa && xb) ||
                  (!xa && !xb && exec_slot_cmp(aArg[0], i, aArg[1], i) == 0);
  }
}
IMPL(isnot_impl) {
  is_impl(ctx, n, aArg, nArg, out);
  for (int i = 0; i < n; i++) out->v.b[i] = !out->v.b[i];
}
static int bind_is_common(const uint8_t *aType, uint8_t *pRet,
                          const char **pzErr) {
  *pRet = WEIR_BOOLEAN;
  if (!exec_types_comparable(aType[0], aType[1])) {
    return bind_err(pzErr, "cannot compare %s with %s",
                    exec_type_name(aType[0]), exec_type_name(aType[1]));
  }
  return 0;
}
static int bind_is(int nArg, const uint8_t *aType, uint8_t *pRet,
                   exec_fn_impl *pImpl, const char **pzErr) {
  *pImpl = is_impl;
  return bind_is_common(aType, pRet, pzErr);
}
static int bind_isnot(int nArg, const uint8_t *aType, uint8_t *pRet,
                      exec_fn_impl *pImpl, const char **pzErr) {
  *pImpl = isnot_impl;
  return bind_is_common(aType, pRet, pzErr);
}

IMPL(isnull_impl) {
  for (int i = 0; i < n; i++) {
    out->null[i] = 0;
    out->v.b[i] = (uint8_t)is_null_slot(aArg[0], i);
  }
}
IMPL(isnotnull_impl) {
  for (int i = 0; i < n; i++) {
    out->null[i] = 0;
    out->v.b[i] = (uint8_t)!is_null_slot(aArg[0], i);
  }
}
static int bind_isnull(int nArg, const uint8_t *aType, uint8_t *pRet,
                       exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BOOLEAN;
  *pImpl = isnull_impl;
  return 0;
}
static int bind_isnotnull(int nArg, const uint8_t *aType, uint8_t *pRet,
                          exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BOOLEAN;
  *pImpl = isnotnull_impl;
  return 0;
}

/* ---- CASE, COALESCE, NULLIF --------------------------------------------- */

/* CASE(when1, then1, ..., [else]): the first true when picks its then. */
IMPL(case_impl) {
  int bElse = nArg % 2;
  for (int i = 0; i < n; i++) {
    int k;
    for (k = 0; k + 1 < nArg; k += 2) {
      const exec_vec *w = aArg[k];
      if (!is_null_slot(w, i) && w->v.b[i]) break;
    }
    if (k + 1 < nArg) exec_slot_copy(out, i, aArg[k + 1], i);
    else if (bElse) exec_slot_copy(out, i, aArg[nArg - 1], i);
    else out->null[i] = 1;
  }
}
static int bind_case(int nArg, const uint8_t *aType, uint8_t *pRet,
                     exec_fn_impl *pImpl, const char **pzErr) {
  int t = WEIR_NULL_TYPE;
  for (int k = 0; k < nArg; k++) {
    int bWhen = (k % 2 == 0) && k + 1 < nArg;
    if (bWhen) {
      if (aType[k] != WEIR_BOOLEAN && aType[k] != WEIR_NULL_TYPE) {
        return bind_err(pzErr, "CASE WHEN expects BOOLEAN, got %s",
                        exec_type_name(aType[k]));
      }
      continue;
    }
    int u = exec_types_unify(t, aType[k]);
    if (u < 0) {
      return bind_err(pzErr, "CASE branches have incompatible types %s "
                      "and %s", exec_type_name(t), exec_type_name(aType[k]));
    }
    t = u;
  }
  *pRet = (uint8_t)t;
  *pImpl = case_impl;
  return 0;
}

IMPL(coalesce_impl) {
  for (int i = 0; i < n; i++) {
    int k;
    for (k = 0; k < nArg - 1 && is_null_slot(aArg[k], i); k++) {
    }
    exec_slot_copy(out, i, aArg[k], i);
  }
}
static int bind_coalesce(int nArg, const uint8_t *aType, uint8_t *pRet,
                         exec_fn_impl *pImpl, const char **pzErr) {
  int t = WEIR_NULL_TYPE;
  for (int k = 0; k < nArg; k++) {
    int u = exec_types_unify(t, aType[k]);
    if (u < 0) {
      return bind_err(pzErr, "COALESCE arguments have incompatible types "
                      "%s and %s", exec_type_name(t),
                      exec_type_name(aType[k]));
    }
    t = u;
  }
  *pRet = (uint8_t)t;
  *pImpl = coalesce_impl;
  return 0;
}

IMPL(nullif_impl) {
  for (int i = 0; i < n; i++) {
    if (!is_null_slot(aArg[0], i) && !is_null_slot(aArg[1], i) &&
        exec_slot_cmp(aArg[0], i, aArg[1], i) == 0) {
      out->null[i] = 1;
    } else {
      exec_slot_copy(out, i, aArg[0], i);
    }
  }
}
static int bind_nullif(int nArg, const uint8_t *aType, uint8_t *pRet,
                       exec_fn_impl *pImpl, const char **pzErr) {
  if (!exec_types_comparable(aType[0], aType[1])) {
    return bind_err(pzErr, "NULLIF cannot compare %s with %s",
                    exec_type_name(aType[0]), exec_type_name(aType[1]));
  }
  *pRet = aType[0] == WEIR_NULL_TYPE ? aType[1] : aType[0];
  *pImpl = nullif_impl;
  return 0;
}

/* ---- IN, BETWEEN -------------------------------------------------------- */

IMPL(in_impl) {
  const exec_vec *x = aArg[0];
  for (int i = 0; i < n; i++) {
    if (is_null_slot(x, i)) {
      out->null[i] = 1;
      out->v.b[i] = 0;
      continue;
    }
    int bFound = 0, bNull = 0;
    for (int k = 1; k < nArg && !bFound; k++) {
      if (is_null_slot(aArg[k], i)) bNull = 1;
      else if (exec_slot_cmp(x, i, aArg[k], i) == 0) bFound = 1;
    }
    out->null[i] = (uint8_t)(!bFound && bNull);
    out->v.b[i] = (uint8_t)bFound;
  }
}
static int bind_in(int nArg, const uint8_t *aType, uint8_t *pRet,
                   exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BOOLEAN;
  *pImpl = in_impl;
  for (int k = 1; k < nArg; k++) {
    if (!exec_types_comparable(aType[0], aType[k])) {
      return bind_err(pzErr, "IN cannot compare %s with %s",
                      exec_type_name(aType[0]), exec_type_name(aType[k]));
    }
  }
  return 0;
}

/* BETWEEN(x, lo, hi) = x >= lo AND x <= hi, three-valued. */
IMPL(between_impl) {
  const exec_vec *x = aArg[0], *lo = aArg[1], *hi = aArg[2];
  for (int i = 0; i < n; i++) {
    int nx = is_null_slot(x, i), nlo = is_null_slot(lo, i);
    int nhi = is_null_slot(hi, i);
    /* -1 unknown, 0 false, 1 true */
    int ge = nx || nlo ? -1 : exec_slot_cmp(x, i, lo, i) >= 0;
    int le = nx || nhi ? -1 : exec_slot_cmp(x, i, hi, i) <= 0;
    if (ge == 0 || le == 0) {
      out->null[i] = 0;
      out->v.b[i] = 0;
    } else {
      out->null[i] = (uint8_t)(ge < 0 || le < 0);
      out->v.b[i] = 1;
    }
  }
}
static int bind_between(int nArg, const uint8_t *aType, uint8_t *pRet,
                        exec_fn_impl *pImpl, const char **pzErr) {
  *pRet = WEIR_BOOLEAN;
  *pImpl = between_impl;
  for (int k = 1; k < 3; k++) {
    if (!exec_types_comparable(aType[0], aType[k])) {
      return bind_err(pzErr, "BETWEEN cannot compare %s with %s",
                      exec_type_name(aType[0]), exec_type_name(aType[k]));
    }
  }
  return 0;
}

/* ---- the registry ------------------------------------------------------- */

const exec_fn exec_fns_core[] = {
  {"+", 2, 2, bind_add},
  {"-", 2, 2, bind_sub},
  {"*", 2, 2, bind_mul},
  {"/", 2, 2, bind_div},
  {"%", 2, 2, bind_mod},
  {"NEG", 1, 1, bind_neg},
  {"=", 2, 2, bind_eq},
  {"<>", 2, 2, bind_ne},
  {"!=", 2, 2, bind_ne},
  {"<", 2, 2, bind_lt},
  {"<=", 2, 2, bind_le},
  {">", 2, 2, bind_gt},
  {">=", 2, 2, bind_ge},
  {"AND", 2, 2, bind_and},
  {"OR", 2, 2, bind_or},
  {"NOT", 1, 1, bind_not},
  {"IS", 2, 2, bind_is},
  {"ISNOT", 2, 2, bind_isnot},
  {"ISNULL", 1, 1, bind_isnull},
  {"ISNOTNULL", 1, 1, bind_isnotnull},
  {"CASE", 2, -1, bind_case},
  {"COALESCE", 1, -1, bind_coalesce},
  {"IFNULL", 2, 2, bind_coalesce},
  {"NULLIF", 2, 2, bind_nullif},
  {"IN", 2, -1, bind_in},
  {"BETWEEN", 3, 3, bind_between},
  {NULL, 0, 0, NULL}
};

/*
** Look up a scalar function or operator by case-insensitive name. Returns
** a static registry entry, or NULL if there is no such function.
*/
const exec_fn *exec_fn_find(const char *zName) {
  static const exec_fn *aTab[] = {exec_fns_core, exec_fns_str,
                                  exec_fns_time, exec_fns_more};
  if (!zName) return NULL;
  for (int t = 0; t < COMMON_ARRAY_SIZE(aTab); t++) {
    for (const exec_fn *f = aTab[t]; f->zName; f++) {
      if (common_stricmp(f->zName, zName) == 0) return f;
    }
  }
  return NULL;
}
