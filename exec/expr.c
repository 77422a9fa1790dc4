/*
** exec/expr.c — evaluation of bound expressions over a batch, CAST, and
** the EXPLAIN rendering of expressions.
**
** The planner builds exec_expr trees whose EXPR_CALL nodes carry the
** implementation chosen by the function's xBind (functions*.c). Here a
** tree is evaluated a vector at a time: column references return the
** batch's own vector, constants are broadcast into a scratch vector once
** per batch, calls evaluate their arguments then run the implementation
** into a fresh scratch vector. Everything lives in ctx->pScratch, which
** the operator resets after each push.
**
** CAST rules (failed conversions give NULL, never an error):
**   numeric <-> VARCHAR (text is trimmed of spaces; '2.5' AS BIGINT is 2,
**   as in SQLite; out-of-range -> NULL), BIGINT <-> DOUBLE (truncation
**   toward zero), BOOLEAN <-> BIGINT/DOUBLE (non-zero is TRUE),
**   VARCHAR -> BOOLEAN ('true'/'false'/'t'/'f'/'1'/'0', any case),
**   BOOLEAN -> VARCHAR ('TRUE'/'FALSE'), VARCHAR <-> TIMESTAMP (the
**   timestamp literal syntax of common_ts_parse / common_ts_format),
**   TIMESTAMP <-> BIGINT and INTERVAL <-> BIGINT in microseconds (the
**   internal representation, so CAST(CAST(ts AS BIGINT) AS TIMESTAMP) = ts),
**   INTERVAL -> VARCHAR ("INTERVAL '5' SECOND", see vector.c).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "exec/functions_int.h"

/* ---- evaluation ---------------------------------------------------------- */

/* Broadcast the constant of e into a new scratch vector of n rows. */
static exec_vec *eval_const(const exec_expr *e, int n, exec_eval_ctx *ctx) {
  exec_vec *v = exec_vec_new(ctx->pScratch, e->type);
  const exec_value *x = &e->value;
  if (x->isNull || x->type == WEIR_NULL_TYPE || e->type == WEIR_NULL_TYPE) {
    memset(v->null, 1, (size_t)n);
    memset(v->v.p, 0, exec_type_size(e->type) * (size_t)n);
    return v;
  }
  switch (e->type) {
    case WEIR_BOOLEAN: {
      uint8_t b = x->type == WEIR_DOUBLE ? x->u.f != 0 : x->u.i != 0;
      memset(v->v.b, b, (size_t)n);
      break;
    }
    case WEIR_DOUBLE: {
      double f = x->type == WEIR_DOUBLE ? x->u.f : (double)x->u.i;
      for (int i = 0; i < n; i++) v->v.f64[i] = f;
      break;
    }
    case WEIR_VARCHAR: {
      exec_str s = x->type == WEIR_VARCHAR ? x->u.s : (exec_str){"", 0};
      for (int i = 0; i < n; i++) v->v.s[i] = s;
      break;
    }
    default: {
      int64_t k = x->type == WEIR_DOUBLE ? (int64_t)x->u.f : x->u.i;
      for (int i = 0; i < n; i++) v->v.i64[i] = k;
      break;
    }
  }
  return v;
}

/*
** Evaluate e over batch b (b may be NULL for an expression without column
** references: it is then evaluated for one row). Returns a vector of
** b->n rows valid until ctx->pScratch is reset; EXPR_COL returns the
** batch's own vector (no copy). Runtime errors are recorded in ctx->zErr
** (the row gets NULL).
*/
const exec_vec *exec_expr_eval(const exec_expr *e, const exec_batch *b,
                               exec_eval_ctx *ctx) {
  int n = b ? b->n : 1;
  switch (e->kind) {
    case EXPR_COL:
      return &b->aCol[e->iCol];
    case EXPR_CONST:
      return eval_const(e, n, ctx);
    case EXPR_CALL: {
      const exec_vec *aStack[8];
      const exec_vec **aArg = aStack;
      if (e->nArg > COMMON_ARRAY_SIZE(aStack)) {
        aArg = common_arena_alloc(ctx->pScratch,
                                  sizeof(*aArg) * (size_t)e->nArg);
      }
      for (int k = 0; k < e->nArg; k++) {
        aArg[k] = exec_expr_eval(e->aArg[k], b, ctx);
      }
      exec_vec *out = exec_vec_new(ctx->pScratch, e->type);
      if (e->xImpl) {
        e->xImpl(ctx, n, (const exec_vec *const *)aArg, e->nArg, out);
      } else {
        memset(out->null, 1, (size_t)n);
        if (!ctx->zErr) ctx->zErr = "function without implementation";
      }
      return out;
    }
    case EXPR_CAST: {
      const exec_vec *in = exec_expr_eval(e->aArg[0], b, ctx);
      if (in->type == e->type) return in;
      exec_vec *out = exec_vec_new(ctx->pScratch, e->type);
      exec_cast(ctx, n, in, out);
      return out;
    }
    case EXPR_ROWOP: {
      exec_vec *out = exec_vec_new(ctx->pScratch, WEIR_VARCHAR);
      for (int i = 0; i < n; i++) {
        const char *z = exec_op_name(b ? b->op[i] : OP_INSERT);
        out->null[i] = 0;
        out->v.s[i].p = z;
        out->v.s[i].n = (uint32_t)strlen(z);
      }
      return out;
    }
  }
  exec_vec *out = exec_vec_new(ctx->pScratch, e->type);
  memset(out->null, 1, (size_t)n);
  if (!ctx->zErr) ctx->zErr = "unknown expression kind";
  return out;
}

/* ---- CAST ------------------------------------------------------------- */

/* s without leading and trailing spaces. */
static exec_str str_trim(exec_str s) {
  while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
    s.p++;
    s.n--;
  }
  while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t')) s.n--;
  return s;
}

/* Parse text as a DOUBLE (strtod syntax, whole text). 0 on success. */
static int parse_f64(exec_eval_ctx *ctx, exec_str s, double *pF) {
  char zBuf[64];
  char *z = zBuf, *zEnd;
  s = str_trim(s);
  if (!s.n) return 1;
  if (s.n >= sizeof zBuf) z = common_arena_alloc(ctx->pScratch, s.n + 1);
  memcpy(z, s.p, s.n);
  z[s.n] = 0;
  *pF = strtod(z, &zEnd);
  return zEnd != z + s.n;
}

/* Nonzero if f truncates to a representable int64. */
static int f64_fits_i64(double f) {
  return f >= -9.2233720368547758e18 && f < 9.2233720368547758e18;
}

/* Parse text as a BIGINT: an integer, or a number truncated toward zero.
** 0 on success. */
static int parse_i64(exec_eval_ctx *ctx, exec_str s, int64_t *pI) {
  s = str_trim(s);
  uint32_t i = 0;
  int bNeg = 0;
  uint64_t u = 0;
  if (i < s.n && (s.p[i] == '-' || s.p[i] == '+')) bNeg = s.p[i++] == '-';
  uint32_t i0 = i;
  while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9') {
    uint64_t d = (uint64_t)(s.p[i] - '0');
    if (u > (UINT64_MAX - d) / 10) return 1;
    u = u * 10 + d;
    i++;
  }
  if (i == s.n && i > i0) {
    if (bNeg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX) {
      return 1;
    }
    *pI = bNeg ? (int64_t)((uint64_t)0 - u) : (int64_t)u;
    return 0;
  }
  double f;
  if (parse_f64(ctx, s, &f) || !f64_fits_i64(f)) return 1;
  *pI = (int64_t)f;
  return 0;
}

/* Parse a boolean word. 0 on success. */
static int parse_bool(exec_str s, uint8_t *pB) {
  static const struct { const char *z; uint8_t b; } a[] = {
    {"true", 1}, {"false", 0}, {"t", 1}, {"f", 0}, {"1", 1}, {"0", 0},
  };
  s = str_trim(s);
  for (int k = 0; k < COMMON_ARRAY_SIZE(a); k++) {
    if (strlen(a[k].z) == s.n && common_strnicmp(s.p, a[k].z, s.n) == 0) {
      *pB = a[k].b;
      return 0;
    }
  }
  return 1;
}

/* Render slot i of in (non-NULL) as text into sb. */
static exec_str slot_text(exec_sbuf *sb, const exec_vec *in, int i) {
  char *z = exec_sbuf_room(sb, EXEC_FMT_MAX);
  int n = 0;
  switch (in->type) {
    case WEIR_BOOLEAN:
      return in->v.b[i] ? (exec_str){"TRUE", 4} : (exec_str){"FALSE", 5};
    case WEIR_BIGINT: n = exec_fmt_i64(z, in->v.i64[i]); break;
    case WEIR_DOUBLE: n = exec_fmt_double(z, in->v.f64[i]); break;
    case WEIR_TIMESTAMP: n = common_ts_format(z, in->v.i64[i]); break;
    case WEIR_INTERVAL: n = exec_fmt_interval(z, in->v.i64[i]); break;
    default: break;
  }
  return exec_sbuf_commit(sb, (size_t)n);
}

/*
** Nonzero if exec_cast converts type from to type to (the rules are in
** this file's header comment). The planner rejects other casts.
*/
int exec_cast_supported(int from, int to) {
  if (from == to || from == WEIR_NULL_TYPE) return 1;
  switch (to) {
    case WEIR_VARCHAR: return 1;
    case WEIR_BIGINT: return from != WEIR_NULL_TYPE;
    case WEIR_DOUBLE:
      return from == WEIR_BIGINT || from == WEIR_BOOLEAN ||
             from == WEIR_VARCHAR;
    case WEIR_BOOLEAN:
      return from == WEIR_BIGINT || from == WEIR_DOUBLE ||
             from == WEIR_VARCHAR;
    case WEIR_TIMESTAMP:
      return from == WEIR_VARCHAR || from == WEIR_BIGINT;
    case WEIR_INTERVAL: return from == WEIR_BIGINT;
    default: return 0;
  }
}

/*
** Cast in[0..n) to out->type into out (allocated by the caller, e.g. with
** exec_vec_new). New strings go to ctx->pScratch. A value that does not
** convert, or an unsupported pair of types, gives NULL.
*/
void exec_cast(exec_eval_ctx *ctx, int n, const exec_vec *in,
               exec_vec *out) {
  int from = in->type, to = out->type;
  if (from == WEIR_NULL_TYPE || to == WEIR_NULL_TYPE ||
      !exec_cast_supported(from, to)) {
    memset(out->null, 1, (size_t)n);
    return;
  }
  if (from == to) {
    memcpy(out->null, in->null, (size_t)n);
    memcpy(out->v.p, in->v.p, exec_type_size(to) * (size_t)n);
    return;
  }
  exec_sbuf sb = {ctx->pScratch, NULL, 0};
  for (int i = 0; i < n; i++) {
    int bad = in->null[i] != 0;
    if (bad) {
      out->null[i] = 1;
      continue;
    }
    switch (to) {
      case WEIR_VARCHAR:
        out->v.s[i] = slot_text(&sb, in, i);
        break;
      case WEIR_BIGINT:
      case WEIR_TIMESTAMP:
      case WEIR_INTERVAL:
        if (from == WEIR_VARCHAR) {
          if (to == WEIR_TIMESTAMP) {
            bad = common_ts_parse(in->v.s[i].p, in->v.s[i].n,
                                  &out->v.i64[i]) != 0;
          } else {
            bad = parse_i64(ctx, in->v.s[i], &out->v.i64[i]);
          }
        } else if (from == WEIR_DOUBLE) {
          double f = in->v.f64[i];
          bad = !f64_fits_i64(f);
          out->v.i64[i] = bad ? 0 : (int64_t)f;
        } else if (from == WEIR_BOOLEAN) {
          out->v.i64[i] = in->v.b[i] != 0;
        } else {
          out->v.i64[i] = in->v.i64[i];
        }
        break;
      case WEIR_DOUBLE:
        if (from == WEIR_VARCHAR) {
          bad = parse_f64(ctx, in->v.s[i], &out->v.f64[i]);
        } else {
          out->v.f64[i] = exec_slot_f64(in, i);
        }
        break;
      case WEIR_BOOLEAN:
        if (from == WEIR_VARCHAR) {
          bad = parse_bool(in->v.s[i], &out->v.b[i]);
        } else {
          out->v.b[i] = exec_slot_f64(in, i) != 0;
        }
        break;
      default:
        bad = 1;
        break;
    }
    out->null[i] = (uint8_t)(bad != 0);
  }
}

/* ---- EXPLAIN ------------------------------------------------------------ */

/* Append a constant as SQL literal text. */
static void explain_value(common_buf *b, const exec_value *v) {
  char z[EXEC_FMT_MAX];
  if (v->isNull || v->type == WEIR_NULL_TYPE) {
    common_buf_puts(b, "NULL");
    return;
  }
  switch (v->type) {
    case WEIR_VARCHAR:
      common_buf_putc(b, '\'');
      for (uint32_t i = 0; i < v->u.s.n; i++) {
        if (v->u.s.p[i] == '\'') common_buf_putc(b, '\'');
        common_buf_putc(b, v->u.s.p[i]);
      }
      common_buf_putc(b, '\'');
      break;
    case WEIR_TIMESTAMP:
      common_ts_format(z, v->u.i);
      common_buf_printf(b, "TIMESTAMP '%s'", z);
      break;
    default:
      exec_value_format(b, v);
      break;
  }
}

static const char *azBinary[] = {
  "+", "-", "*", "/", "%", "||", "=", "<>", "!=", "<", "<=", ">", ">=",
  "AND", "OR", NULL,
};

static int is_binary(const char *z) {
  for (int k = 0; azBinary[k]; k++) {
    if (common_stricmp(z, azBinary[k]) == 0) return 1;
  }
  return 0;
}

/*
** Append e rendered as SQL to b: operators infix and parenthesised
** ("(score * 2)", "(score > 10)"), functions as NAME(args), column names
** from pIn (or "$i" when pIn is NULL or too short).
*/
void exec_expr_explain(common_buf *b, const exec_expr *e,
                       const exec_schema *pIn) {
  const char *zFn = e->zFn ? e->zFn : "?";
  exec_expr *const *a = e->aArg;
  switch (e->kind) {
    case EXPR_COL:
      if (pIn && e->iCol >= 0 && e->iCol < pIn->nCol && pIn->azName &&
          pIn->azName[e->iCol]) {
        common_buf_puts(b, pIn->azName[e->iCol]);
      } else {
        common_buf_printf(b, "$%d", e->iCol);
      }
      return;
    case EXPR_CONST:
      explain_value(b, &e->value);
      return;
    case EXPR_ROWOP:
      common_buf_puts(b, "op");
      return;
    case EXPR_CAST:
      common_buf_puts(b, "CAST(");
      if (e->nArg > 0) exec_expr_explain(b, a[0], pIn);
      common_buf_printf(b, " AS %s)", exec_type_name(e->type));
      return;
    case EXPR_CALL:
      break;
    default:
      common_buf_puts(b, "?");
      return;
  }
  if (e->nArg == 2 && is_binary(zFn)) {
    common_buf_putc(b, '(');
    exec_expr_explain(b, a[0], pIn);
    common_buf_printf(b, " %s ", zFn);
    exec_expr_explain(b, a[1], pIn);
    common_buf_putc(b, ')');
  } else if (e->nArg == 2 && (!common_stricmp(zFn, "IS") ||
                              !common_stricmp(zFn, "ISNOT"))) {
    common_buf_putc(b, '(');
    exec_expr_explain(b, a[0], pIn);
    common_buf_puts(b, common_stricmp(zFn, "IS") ? " IS DISTINCT FROM "
                                                  : " IS NOT DISTINCT FROM ");
    exec_expr_explain(b, a[1], pIn);
    common_buf_putc(b, ')');
  } else if (e->nArg == 1 && !common_stricmp(zFn, "NOT")) {
    common_buf_puts(b, "(NOT ");
    exec_expr_explain(b, a[0], pIn);
    common_buf_putc(b, ')');
  } else if (e->nArg == 1 && !common_stricmp(zFn, "NEG")) {
    common_buf_puts(b, "(-");
    exec_expr_explain(b, a[0], pIn);
    common_buf_putc(b, ')');
  } else if (e->nArg == 1 && (!common_stricmp(zFn, "ISNULL") ||
                              !common_stricmp(zFn, "ISNOTNULL"))) {
    common_buf_putc(b, '(');
    exec_expr_explain(b, a[0], pIn);
    common_buf_puts(b, common_stricmp(zFn, "ISNULL") ? " IS NOT NULL)"
                                                      : " IS NULL)");
  } else if ((e->nArg == 2 || e->nArg == 3) && !common_stricmp(zFn, "LIKE")) {
    common_buf_putc(b, '(');
    exec_expr_explain(b, a[0], pIn);
    common_buf_puts(b, " LIKE ");
    exec_expr_explain(b, a[1], pIn);
    if (e->nArg == 3) {
      common_buf_puts(b, " ESCAPE ");
      exec_expr_explain(b, a[2], pIn);
    }
    common_buf_putc(b, ')');
  } else if (e->nArg == 3 && !common_stricmp(zFn, "BETWEEN")) {
    common_buf_putc(b, '(');
    exec_expr_explain(b, a[0], pIn);
    common_buf_puts(b, " BETWEEN ");
    exec_expr_explain(b, a[1], pIn);
    common_buf_puts(b, " AND ");
    exec_expr_explain(b, a[2], pIn);
    common_buf_putc(b, ')');
  } else if (e->nArg >= 1 && !common_stricmp(zFn, "IN")) {
    common_buf_putc(b, '(');
    exec_expr_explain(b, a[0], pIn);
    common_buf_puts(b, " IN (");
    for (int k = 1; k < e->nArg; k++) {
      if (k > 1) common_buf_puts(b, ", ");
      exec_expr_explain(b, a[k], pIn);
    }
    common_buf_puts(b, "))");
  } else if (!common_stricmp(zFn, "CASE")) {
    common_buf_puts(b, "CASE");
    int k;
    for (k = 0; k + 1 < e->nArg; k += 2) {
      common_buf_puts(b, " WHEN ");
      exec_expr_explain(b, a[k], pIn);
      common_buf_puts(b, " THEN ");
      exec_expr_explain(b, a[k + 1], pIn);
    }
    if (k < e->nArg) {
      common_buf_puts(b, " ELSE ");
      exec_expr_explain(b, a[k], pIn);
    }
    common_buf_puts(b, " END");
  } else if (e->nArg == 1 && !common_strnicmp(zFn, "EXTRACT_", 8)) {
    common_buf_printf(b, "EXTRACT(%s FROM ", zFn + 8);
    exec_expr_explain(b, a[0], pIn);
    common_buf_putc(b, ')');
  } else {
    common_buf_puts(b, zFn);
    common_buf_putc(b, '(');
    for (int k = 0; k < e->nArg; k++) {
      if (k) common_buf_puts(b, ", ");
      exec_expr_explain(b, a[k], pIn);
    }
    common_buf_putc(b, ')');
  }
}
