/*
** planner/bind.c — binding and type checking of expressions: names are
** resolved against a scope (the columns a FROM clause produces), SQL
** operators and functions are looked up in exec's function registry and
** typed with their xBind, aggregates are collected for the Combine step,
** and post-aggregation expressions are rewritten to read the aggregate's
** output (keys, window bounds, aggregates, pane metadata).
**
** Part of the planner stage (parser -> planner -> exec -> connectors).
** Every error names the offending node's byte offset.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/plan_int.h"

/* The pane metadata columns that follow the aggregates of a PLAN_AGG,
** and the placeholder column numbers used until the number of aggregates
** is known (see plan_fix_meta in plan.c). */
#define PLAN_META_BASE (-100)

/* Scalar functions and aggregates a "did you mean" may suggest. */
static const char *const azKnownFn[] = {"COUNT",         "SUM",
                                        "MIN",           "MAX",
                                        "AVG",           "COALESCE",
                                        "NULLIF",        "LOWER",
                                        "UPPER",         "SUBSTR",
                                        "SUBSTRING",     "LENGTH",
                                        "CHAR_LENGTH",   "TRIM",
                                        "LTRIM",         "RTRIM",
                                        "CONCAT",        "REPLACE",
                                        "ABS",           "ROUND",
                                        "FLOOR",         "CEIL",
                                        "CEILING",       "MOD",
                                        "POWER",         "SQRT",
                                        "YEAR",          "MONTH",
                                        "DAYOFMONTH",    "HOUR",
                                        "MINUTE",        "SECOND",
                                        "DATE_FORMAT",   "TO_TIMESTAMP",
                                        "FROM_UNIXTIME", "UNIX_TIMESTAMP",
                                        "NOW",           "CURRENT_TIMESTAMP",
                                        "TUMBLE",        "HOP",
                                        "SESSION",       "CUMULATE",
                                        "TUMBLE_START",  "TUMBLE_END",
                                        "HOP_START",     "HOP_END",
                                        "SESSION_START", "SESSION_END",
                                        "PROCTIME"};

/*
** A column reference expression reading input column iCol of type type.
*/
exec_expr *plan_expr_col(plan_ctx *p, int iCol, int type) {
  exec_expr *x = common_arena_zalloc(p->a, sizeof(*x));
  x->kind = EXPR_COL;
  x->iCol = iCol;
  x->type = (uint8_t)type;
  return x;
}

/*
** A constant expression holding a copy of *v (strings copied into the
** plan arena).
*/
exec_expr *plan_expr_const(plan_ctx *p, const exec_value *v) {
  exec_expr *x = common_arena_zalloc(p->a, sizeof(*x));
  x->kind = EXPR_CONST;
  x->type = v->type;
  x->value = *v;
  if (v->type == WEIR_VARCHAR && !v->isNull) {
    char *z = common_arena_alloc(p->a, v->u.s.n + 1);
    memcpy(z, v->u.s.p, v->u.s.n);
    z[v->u.s.n] = 0;
    x->value.u.s.p = z;
  }
  return x;
}

/* A VARCHAR constant. */
static exec_expr *const_str(plan_ctx *p, const char *z) {
  exec_value v;
  memset(&v, 0, sizeof(v));
  v.type = WEIR_VARCHAR;
  v.u.s.p = z;
  v.u.s.n = (uint32_t)strlen(z);
  return plan_expr_const(p, &v);
}

/* Is zFn a comparison-like function whose VARCHAR literals should be
** read as TIMESTAMPs when another argument is a TIMESTAMP? */
static int is_comparison(const char *zFn) {
  static const char *const az[] = {"=",       "<>", "<",        "<=",
                                   ">",       ">=", "IS",       "ISNOT",
                                   "BETWEEN", "IN", "COALESCE", "NULLIF"};
  int i;
  for (i = 0; i < COMMON_ARRAY_SIZE(az); i++) {
    if (strcmp(az[i], zFn) == 0) return 1;
  }
  return 0;
}

/* Rewrite VARCHAR constants among aArg into TIMESTAMP constants when some
** argument is a TIMESTAMP (ts > '2026-01-01 12:00:00'). */
static int coerce_ts_literals(plan_ctx *p, int iPos, int nArg,
                              exec_expr **aArg) {
  int i, bTs = 0;
  for (i = 0; i < nArg; i++) {
    if (aArg[i]->type == WEIR_TIMESTAMP) bTs = 1;
  }
  if (!bTs) return 0;
  for (i = 0; i < nArg; i++) {
    exec_expr *x = aArg[i];
    int64_t us;
    if (x->kind != EXPR_CONST || x->type != WEIR_VARCHAR) continue;
    if (x->value.isNull) continue;
    if (common_ts_parse(x->value.u.s.p, x->value.u.s.n, &us)) {
      return plan_err(p, iPos, "cannot convert '%.*s' to TIMESTAMP",
                      (int)x->value.u.s.n, x->value.u.s.p);
    }
    x->type = WEIR_TIMESTAMP;
    x->value.type = WEIR_TIMESTAMP;
    x->value.u.i = us;
  }
  return 0;
}

/* Is zFn spelled like an operator (not a named function)? */
static int is_operator(const char *zFn) {
  return !isalpha((unsigned char)zFn[0]) || strcmp(zFn, "AND") == 0 ||
         strcmp(zFn, "OR") == 0 || strcmp(zFn, "NOT") == 0 ||
         strcmp(zFn, "NEG") == 0 || strcmp(zFn, "LIKE") == 0 ||
         strcmp(zFn, "IS") == 0 || strcmp(zFn, "ISNOT") == 0;
}

/*
** Build a call of function zFn over aArg. The function is found in exec's
** registry, its argument count checked and its xBind asked for the result
** type and implementation. On failure an error at iPos is recorded and
** NULL returned.
*/
exec_expr *plan_expr_call(plan_ctx *p, int iPos, const char *zFn, int nArg,
                          exec_expr **aArg) {
  const exec_fn *fn = exec_fn_find(zFn);
  uint8_t aType[64];
  uint8_t ret = 0;
  exec_fn_impl xImpl = NULL;
  const char *zErr = NULL;
  exec_expr *x;
  int i;
  if (!fn) {
    const char *zHint =
        plan_did_you_mean(zFn, azKnownFn, COMMON_ARRAY_SIZE(azKnownFn));
    if (zHint) {
      plan_err(p, iPos, "unknown function \"%s\" (did you mean \"%s\"?)", zFn,
               zHint);
    } else {
      plan_err(p, iPos, "unknown function \"%s\"", zFn);
    }
    return NULL;
  }
  if (nArg < fn->nMinArg || (fn->nMaxArg >= 0 && nArg > fn->nMaxArg) ||
      nArg > COMMON_ARRAY_SIZE(aType)) {
    if (fn->nMaxArg == fn->nMinArg) {
      plan_err(p, iPos,
               "wrong number of arguments to %s: expected %d, "
               "got %d",
               zFn, fn->nMinArg, nArg);
    } else if (fn->nMaxArg < 0) {
      plan_err(p, iPos,
               "wrong number of arguments to %s: expected at "
               "least %d, got %d",
               zFn, fn->nMinArg, nArg);
    } else {
      plan_err(p, iPos,
               "wrong number of arguments to %s: expected %d to "
               "%d, got %d",
               zFn, fn->nMinArg, fn->nMaxArg, nArg);
    }
    return NULL;
  }
  if (is_comparison(zFn) && coerce_ts_literals(p, iPos, nArg, aArg)) {
    return NULL;
  }
  for (i = 0; i < nArg; i++) aType[i] = aArg[i]->type;
  if (fn->xBind(nArg, aType, &ret, &xImpl, &zErr)) {
    if (is_operator(zFn) && nArg == 2) {
      plan_err(p, iPos, "cannot apply %s to %s and %s", zFn,
               exec_type_name(aType[0]), exec_type_name(aType[1]));
    } else if (is_operator(zFn) && nArg == 1) {
      plan_err(p, iPos, "cannot apply %s to %s", zFn, exec_type_name(aType[0]));
    } else {
      plan_err(p, iPos, "%s", zErr ? zErr : "argument type mismatch");
    }
    return NULL;
  }
  x = common_arena_zalloc(p->a, sizeof(*x));
  x->kind = EXPR_CALL;
  x->type = ret;
  x->xImpl = xImpl;
  x->zFn = fn->zName;
  x->nArg = nArg;
  x->aArg = common_arena_alloc(p->a, sizeof(exec_expr *) * (nArg + 1));
  for (i = 0; i < nArg; i++) x->aArg[i] = aArg[i];
  return x;
}

/* Convenience: one or two arguments. */
static exec_expr *call1(plan_ctx *p, int iPos, const char *zFn, exec_expr *a) {
  exec_expr *aa[1];
  aa[0] = a;
  return plan_expr_call(p, iPos, zFn, 1, aa);
}
static exec_expr *call2(plan_ctx *p, int iPos, const char *zFn, exec_expr *a,
                        exec_expr *b) {
  exec_expr *aa[2];
  aa[0] = a;
  aa[1] = b;
  return plan_expr_call(p, iPos, zFn, 2, aa);
}

/*
** Is zName one of the aggregate functions (COUNT SUM MIN MAX AVG)?
*/
int plan_is_agg_name(const char *zName) {
  static const char *const az[] = {"COUNT", "SUM", "MIN", "MAX", "AVG"};
  int i;
  if (!zName) return 0;
  for (i = 0; i < COMMON_ARRAY_SIZE(az); i++) {
    if (common_stricmp(az[i], zName) == 0) return 1;
  }
  return 0;
}

/*
** Does e contain an aggregate call (not looking into subqueries)?
*/
int plan_has_agg(const ast_expr *e) {
  int i;
  if (!e) return 0;
  if (e->kind == AE_FUNC && plan_is_agg_name(e->zName) && !e->pOver) {
    return 1;
  }
  if (plan_has_agg(e->pLeft) || plan_has_agg(e->pRight)) return 1;
  if (e->pArgs) {
    for (i = 0; i < e->pArgs->n; i++) {
      if (plan_has_agg(e->pArgs->a[i])) return 1;
    }
  }
  return 0;
}

/*
** Find column zName (qualified by zTable when not NULL) in scope s.
** Returns its index, -1 when absent, -2 when ambiguous.
*/
int plan_scope_find(const plan_scope *s, const char *zTable,
                    const char *zName) {
  int i, iFound = -1;
  if (!s) return -1;
  for (i = 0; i < s->nCol; i++) {
    if (common_stricmp(s->azName[i], zName) != 0) continue;
    if (!zTable && s->aHidden && s->aHidden[i]) continue;
    if (zTable &&
        (!s->azTable[i] || common_stricmp(s->azTable[i], zTable) != 0)) {
      continue;
    }
    if (iFound >= 0) return -2;
    iFound = i;
  }
  return iFound;
}

static int str_eq(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}
static int str_ieq(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return common_stricmp(a, b) == 0;
}

/*
** Structural equality of two expression ASTs; column references compare
** by what they resolve to in pScope (so "team" equals "s.team").
*/
int plan_ast_equal(const plan_scope *pScope, const ast_expr *x,
                   const ast_expr *y) {
  int i;
  if (x == y) return 1;
  if (!x || !y) return 0;
  if (x->kind != y->kind) return 0;
  if (x->kind == AE_COLUMN) {
    int ix = plan_scope_find(pScope, x->zTable, x->zName);
    int iy = plan_scope_find(pScope, y->zTable, y->zName);
    if (ix >= 0 || iy >= 0) return ix == iy;
    return str_ieq(x->zName, y->zName) && str_ieq(x->zTable, y->zTable);
  }
  if (x->op != y->op || x->iVal != y->iVal || x->iType != y->iType) return 0;
  if (x->rVal != y->rVal && !(x->rVal != x->rVal && y->rVal != y->rVal)) {
    return 0;
  }
  if (x->bNot != y->bNot || x->bDistinct != y->bDistinct ||
      x->bStar != y->bStar) {
    return 0;
  }
  if (!str_eq(x->zVal, y->zVal) || !str_ieq(x->zName, y->zName)) return 0;
  if (x->pSelect || y->pSelect || x->pOver || y->pOver) return 0;
  if (!plan_ast_equal(pScope, x->pLeft, y->pLeft)) return 0;
  if (!plan_ast_equal(pScope, x->pRight, y->pRight)) return 0;
  if (!plan_ast_equal(pScope, x->pFilter, y->pFilter)) return 0;
  if (!x->pArgs || !y->pArgs) return x->pArgs == y->pArgs;
  if (x->pArgs->n != y->pArgs->n) return 0;
  for (i = 0; i < x->pArgs->n; i++) {
    if (!plan_ast_equal(pScope, x->pArgs->a[i], y->pArgs->a[i])) return 0;
  }
  return 1;
}

/*
** The name an unaliased expression gets as an output column: a column's
** name, otherwise its SQL text (as SQLite does).
*/
const char *plan_expr_name(plan_ctx *p, const ast_expr *e) {
  if (e->kind == AE_COLUMN) return common_arena_strdup(p->a, e->zName);
  if (p->zSql && e->iEnd > e->iPos && e->iPos >= 0) {
    return common_arena_strndup(p->a, p->zSql + e->iPos,
                                (size_t)(e->iEnd - e->iPos));
  }
  if (e->zName) return common_arena_strdup(p->a, e->zName);
  return "expr";
}

/* Are two bound expressions the same computation? */
static int expr_equal(const exec_expr *x, const exec_expr *y) {
  int i;
  if (x == y) return 1;
  if (!x || !y || x->kind != y->kind || x->type != y->type) return 0;
  switch (x->kind) {
    case EXPR_COL:
      return x->iCol == y->iCol;
    case EXPR_ROWOP:
      return 1;
    case EXPR_CONST:
      if (x->value.isNull || y->value.isNull) {
        return x->value.isNull == y->value.isNull;
      }
      if (x->type == WEIR_VARCHAR) {
        return x->value.u.s.n == y->value.u.s.n &&
               memcmp(x->value.u.s.p, y->value.u.s.p, x->value.u.s.n) == 0;
      }
      if (x->type == WEIR_DOUBLE) return x->value.u.f == y->value.u.f;
      return x->value.u.i == y->value.u.i;
    case EXPR_CALL:
      if (x->xImpl != y->xImpl || !x->zFn || !y->zFn ||
          strcmp(x->zFn, y->zFn) != 0) {
        return 0;
      }
      break;
    case EXPR_CAST:
      break;
  }
  if (x->nArg != y->nArg) return 0;
  for (i = 0; i < x->nArg; i++) {
    if (!expr_equal(x->aArg[i], y->aArg[i])) return 0;
  }
  return 1;
}

/*
** Add x to the aggregate's pre-projection and return its column there.
** An identical expression already there is shared.
*/
int plan_agg_pre(plan_ctx *p, plan_agg *g, exec_expr *x, const char *zName) {
  int i;
  for (i = 0; i < g->nPre; i++) {
    if (expr_equal(g->aPre[i], x)) return i;
  }
  if (g->nPre == g->nPreAlloc) {
    int nNew = g->nPreAlloc ? g->nPreAlloc * 2 : 16;
    exec_expr **aNew = common_arena_alloc(p->a, sizeof(*aNew) * nNew);
    const char **azNew = common_arena_alloc(p->a, sizeof(*azNew) * nNew);
    if (g->nPre) {
      memcpy(aNew, g->aPre, sizeof(*aNew) * g->nPre);
      memcpy(azNew, g->azPre, sizeof(*azNew) * g->nPre);
    }
    g->aPre = aNew;
    g->azPre = azNew;
    g->nPreAlloc = nNew;
  }
  g->aPre[g->nPre] = x;
  g->azPre[g->nPre] = zName;
  return g->nPre++;
}

/* Names of the pane metadata pseudo-columns, in the AGG's order, then
** their aliases. */
static int meta_index(const char *zName) {
  if (common_stricmp(zName, "pane_timing") == 0) return 0;
  if (common_stricmp(zName, "pane_index") == 0) return 1;
  if (common_stricmp(zName, "emit_time") == 0) return 2;
  if (common_stricmp(zName, "ptime") == 0) return 2;
  if (common_stricmp(zName, "ver") == 0) return 3;
  return -1;
}
static const uint8_t aMetaType[4] = {WEIR_VARCHAR, WEIR_BIGINT, WEIR_TIMESTAMP,
                                     WEIR_BIGINT};

/* Output column of the AGG for the window start (0) or end (1). */
static exec_expr *win_col(plan_bind *b, int iEnd) {
  return plan_expr_col(b->p, b->pAgg->nKey + iEnd, WEIR_TIMESTAMP);
}

/* The row's op, as VARCHAR. */
static exec_expr *rowop_expr(plan_ctx *p) {
  exec_expr *x = common_arena_zalloc(p->a, sizeof(*x));
  x->kind = EXPR_ROWOP;
  x->type = WEIR_VARCHAR;
  return x;
}

/* The list of names in a scope, for "did you mean". */
static const char *suggest_column(plan_ctx *p, const plan_scope *s,
                                  const char *zTable, const char *zName) {
  const char **az;
  int i, n = 0;
  if (!s || s->nCol == 0) return NULL;
  az = common_arena_alloc(p->a, sizeof(char *) * s->nCol);
  for (i = 0; i < s->nCol; i++) {
    if (zTable &&
        (!s->azTable[i] || common_stricmp(s->azTable[i], zTable) != 0)) {
      continue;
    }
    az[n++] = s->azName[i];
  }
  return plan_did_you_mean(zName, az, n);
}

/* Bind a column reference (or a pseudo-column). */
static exec_expr *bind_column(plan_bind *b, const ast_expr *e) {
  plan_ctx *p = b->p;
  const plan_scope *s = b->pScope;
  int i;
  int bPost = b->pAgg && !b->bInAgg;
  if (strcmp(e->zName, "*") == 0) {
    plan_err(p, e->iPos, "* is not allowed here");
    return NULL;
  }
  i = plan_scope_find(s, e->zTable, e->zName);
  if (i == -2) {
    plan_err(p, e->iPos, "ambiguous column \"%s\"", e->zName);
    return NULL;
  }
  if (i >= 0) {
    if (s->aKind[i] != SCOPE_REAL) {
      if (bPost && b->pAgg->bWindow) {
        return win_col(b, s->aKind[i] == SCOPE_WIN_END);
      }
      plan_err(p, e->iPos,
               "\"%s\" can only be used in the select list "
               "or GROUP BY of a windowed aggregate",
               e->zName);
      return NULL;
    }
    if (bPost) {
      plan_err(p, e->iPos,
               "column \"%s\" must appear in GROUP BY or be "
               "used in an aggregate",
               e->zName);
      return NULL;
    }
    return plan_expr_col(p, i, s->aType[i]);
  }
  if (!e->zTable) {
    int m;
    int iWin = -1;
    if (common_stricmp(e->zName, "window_start") == 0 ||
        common_stricmp(e->zName, "windowstart") == 0) {
      iWin = 0;
    } else if (common_stricmp(e->zName, "window_end") == 0 ||
               common_stricmp(e->zName, "windowend") == 0) {
      iWin = 1;
    }
    if (iWin >= 0) {
      if (bPost && b->pAgg->bWindow) return win_col(b, iWin);
      plan_err(p, e->iPos,
               "%s used without a window (use a window table "
               "function in FROM or a group window in GROUP BY)",
               e->zName);
      return NULL;
    }
    if (common_stricmp(e->zName, "op") == 0) return rowop_expr(p);
    if (common_stricmp(e->zName, "undo") == 0) {
      exec_expr *aa[3];
      aa[0] = rowop_expr(p);
      aa[1] = const_str(p, "-U");
      aa[2] = const_str(p, "-D");
      return plan_expr_call(p, e->iPos, "IN", 3, aa);
    }
    if (b->pAliasCols && b->pAliasCols->azAlias) {
      const ast_list *l = b->pAliasCols;
      for (m = 0; m < l->n; m++) {
        if (l->azAlias[m] && common_stricmp(l->azAlias[m], e->zName) == 0) {
          plan_bind sub = *b;
          sub.pAliasCols = NULL;
          return plan_bind_expr(&sub, l->a[m]);
        }
      }
    }
    m = meta_index(e->zName);
    if (m >= 0) {
      if (bPost) {
        return plan_expr_col(p, PLAN_META_BASE - m, aMetaType[m]);
      }
      if (!b->pAgg && !b->bInAgg && b->pMetaSrc) {
        int iCol = plan_expose_meta(p, b->pMetaSrc, m);
        if (iCol >= 0) return plan_expr_col(p, iCol, aMetaType[m]);
      }
      plan_err(p, e->iPos,
               "%s is only available on the result of an "
               "aggregate (GROUP BY)",
               e->zName);
      return NULL;
    }
  } else {
    int j, bTab = 0;
    for (j = 0; s && j < s->nCol; j++) {
      if (s->azTable[j] && common_stricmp(s->azTable[j], e->zTable) == 0) {
        bTab = 1;
      }
    }
    if (!bTab) {
      plan_err(p, e->iPos, "unknown table or alias \"%s\"", e->zTable);
      return NULL;
    }
  }
  /* SQL's niladic time functions, written without parentheses, when no
  ** column has that name. */
  if (!e->zTable && (common_stricmp(e->zName, "CURRENT_TIMESTAMP") == 0 ||
                     common_stricmp(e->zName, "LOCALTIMESTAMP") == 0)) {
    return plan_expr_call(p, e->iPos, "NOW", 0, NULL);
  }
  {
    const char *zHint = suggest_column(p, s, e->zTable, e->zName);
    if (zHint) {
      plan_err(p, e->iPos, "unknown column \"%s\" (did you mean \"%s\"?)",
               e->zName, zHint);
    } else {
      plan_err(p, e->iPos, "unknown column \"%s\"", e->zName);
    }
  }
  return NULL;
}

/* Bind an aggregate call (in a post-aggregation context): its argument and
** FILTER are bound against the input and added to the pre-projection; the
** result is a reference to the aggregate's output column. */
static exec_expr *bind_aggregate(plan_bind *b, const ast_expr *e,
                                 const char *zUp) {
  plan_ctx *p = b->p;
  plan_agg *g = b->pAgg;
  plan_bind sub = *b;
  exec_agg agg;
  int nArg = e->pArgs ? e->pArgs->n : 0;
  int j;
  memset(&agg, 0, sizeof(agg));
  agg.iArg = -1;
  agg.iFilter = -1;
  agg.bDistinct = e->bDistinct;
  sub.pAgg = NULL;
  sub.bInAgg = 1;
  sub.bAggOk = 0;
  sub.pScope = g->pIn;
  if (strcmp(zUp, "COUNT") == 0 && e->bStar) {
    agg.kind = AGG_COUNT_STAR;
    agg.resType = WEIR_BIGINT;
    if (e->bDistinct) {
      plan_err(p, e->iPos, "COUNT(DISTINCT *) is not valid");
      return NULL;
    }
  } else {
    exec_expr *x;
    int t;
    if (e->bStar) {
      plan_err(p, e->iPos, "%s(*) is not valid; only COUNT(*)", zUp);
      return NULL;
    }
    if (nArg != 1) {
      plan_err(p, e->iPos,
               "wrong number of arguments to %s: expected 1, "
               "got %d",
               zUp, nArg);
      return NULL;
    }
    sub.zClause = zUp;
    x = plan_bind_expr(&sub, e->pArgs->a[0]);
    if (!x) return NULL;
    t = x->type;
    agg.argType = (uint8_t)t;
    if (strcmp(zUp, "COUNT") == 0) {
      agg.kind = AGG_COUNT;
      agg.resType = WEIR_BIGINT;
    } else if (strcmp(zUp, "SUM") == 0 || strcmp(zUp, "AVG") == 0) {
      int bAvg = zUp[0] == 'A';
      if (t != WEIR_BIGINT && t != WEIR_DOUBLE && t != WEIR_NULL_TYPE &&
          !(t == WEIR_INTERVAL && !bAvg)) {
        plan_err(p, e->pArgs->a[0]->iPos,
                 "%s expects a numeric argument, "
                 "not %s",
                 zUp, exec_type_name(t));
        return NULL;
      }
      agg.kind = bAvg ? AGG_AVG : AGG_SUM;
      agg.resType =
          bAvg ? WEIR_DOUBLE : (uint8_t)(t == WEIR_NULL_TYPE ? WEIR_BIGINT : t);
    } else {
      agg.kind = zUp[1] == 'I' ? AGG_MIN : AGG_MAX;
      agg.resType = (uint8_t)(t == WEIR_NULL_TYPE ? WEIR_BIGINT : t);
    }
    agg.iArg = plan_agg_pre(p, g, x, plan_expr_name(p, e->pArgs->a[0]));
  }
  if (e->pFilter) {
    exec_expr *f;
    sub.zClause = "FILTER";
    f = plan_bind_expr(&sub, e->pFilter);
    if (!f) return NULL;
    if (f->type != WEIR_BOOLEAN && f->type != WEIR_NULL_TYPE) {
      plan_err(p, e->pFilter->iPos, "FILTER must be BOOLEAN, not %s",
               exec_type_name(f->type));
      return NULL;
    }
    agg.iFilter = plan_agg_pre(p, g, f, plan_expr_name(p, e->pFilter));
  }
  g->bSawAgg = 1;
  for (j = 0; j < g->nAgg; j++) {
    const exec_agg *o = &g->aAgg[j];
    if (o->kind == agg.kind && o->bDistinct == agg.bDistinct &&
        o->iArg == agg.iArg && o->iFilter == agg.iFilter) {
      break;
    }
  }
  if (j == g->nAgg) {
    if (g->nAgg == g->nAggAlloc) {
      int nNew = g->nAggAlloc ? g->nAggAlloc * 2 : 8;
      exec_agg *aNew = common_arena_alloc(p->a, sizeof(*aNew) * nNew);
      const char **azNew = common_arena_alloc(p->a, sizeof(char *) * nNew);
      if (g->nAgg) {
        memcpy(aNew, g->aAgg, sizeof(*aNew) * g->nAgg);
        memcpy(azNew, g->azAgg, sizeof(char *) * g->nAgg);
      }
      g->aAgg = aNew;
      g->azAgg = azNew;
      g->nAggAlloc = nNew;
    }
    g->aAgg[j] = agg;
    g->azAgg[j] = plan_expr_name(p, e);
    g->nAgg++;
  }
  return plan_expr_col(p, g->nKey + (g->bWindow ? 2 : 0) + j, agg.resType);
}

/* Bind every argument of e into a new array (NULL on error). */
static exec_expr **bind_args(plan_bind *b, const ast_list *pList, int nExtra,
                             int *pn) {
  int n = pList ? pList->n : 0, i;
  exec_expr **a =
      common_arena_alloc(b->p->a, sizeof(exec_expr *) * (n + nExtra + 1));
  for (i = 0; i < n; i++) {
    a[nExtra + i] = plan_bind_expr(b, pList->a[i]);
    if (!a[nExtra + i]) return NULL;
  }
  *pn = n + nExtra;
  return a;
}

/* The window function names and their _START/_END forms. */
static int is_window_fn(const char *z) {
  return common_stricmp(z, "TUMBLE") == 0 || common_stricmp(z, "HOP") == 0 ||
         common_stricmp(z, "SESSION") == 0 ||
         common_stricmp(z, "CUMULATE") == 0;
}
static int window_bound_fn(const char *z) {
  static const char *const az[] = {"TUMBLE_START", "HOP_START", "SESSION_START",
                                   "TUMBLE_END",   "HOP_END",   "SESSION_END"};
  int i;
  for (i = 0; i < COMMON_ARRAY_SIZE(az); i++) {
    if (common_stricmp(z, az[i]) == 0) return i < 3 ? 0 : 1;
  }
  return -1;
}

/* Bind a function call: aggregates, window bound functions, scalars. */
static exec_expr *bind_func(plan_bind *b, const ast_expr *e) {
  plan_ctx *p = b->p;
  char zUp[64];
  int i, nArg, iBound;
  exec_expr **aArg;
  for (i = 0; e->zName[i] && i < 63; i++) {
    zUp[i] = (char)toupper((unsigned char)e->zName[i]);
  }
  zUp[i] = 0;
  if (e->pOver) {
    plan_err(p, e->iPos,
             "window functions (%s ... OVER) are not "
             "supported yet",
             zUp);
    return NULL;
  }
  if (plan_is_agg_name(zUp)) {
    if (b->bInAgg) {
      plan_err(p, e->iPos,
               "aggregate functions cannot be nested (%s "
               "inside an aggregate)",
               zUp);
      return NULL;
    }
    if (!b->pAgg || !b->bAggOk) {
      plan_err(p, e->iPos, "aggregate %s is not allowed in %s", zUp,
               b->zClause ? b->zClause : "this context");
      return NULL;
    }
    return bind_aggregate(b, e, zUp);
  }
  if (e->pFilter) {
    plan_err(p, e->pFilter->iPos, "FILTER applies only to aggregates");
    return NULL;
  }
  if (e->bStar || e->bDistinct) {
    plan_err(p, e->iPos, "%s is only valid in aggregates, not in %s",
             e->bStar ? "(*)" : "DISTINCT", zUp);
    return NULL;
  }
  if (is_window_fn(zUp)) {
    plan_err(p, e->iPos,
             "%s(...) is only allowed in FROM (window table "
             "function) or GROUP BY (group window)",
             zUp);
    return NULL;
  }
  iBound = window_bound_fn(zUp);
  if (iBound >= 0) {
    if (b->pAgg && !b->bInAgg && b->pAgg->bWindow) {
      if (b->pAgg->pWinCall &&
          plan_check_win_bound(p, b->pScope, b->pAgg, e)) {
        return NULL;
      }
      return win_col(b, iBound);
    }
    plan_err(p, e->iPos,
             "%s requires a window in GROUP BY (e.g. GROUP BY "
             "%.*s(ts, INTERVAL '1' MINUTE))",
             zUp, (int)(strchr(zUp, '_') - zUp), zUp);
    return NULL;
  }
  if (strcmp(zUp, "PROCTIME") == 0) {
    return plan_expr_call(p, e->iPos, "NOW", 0, NULL);
  }
  aArg = bind_args(b, e->pArgs, 0, &nArg);
  if (!aArg) return NULL;
  return plan_expr_call(p, e->iPos, zUp, nArg, aArg);
}

/* The operators the AST carries as TK_ codes, and the function each
** maps to. The codes are learnt from the parser itself (plan_tokens_init),
** so the planner does not depend on the generated parser/parse.h: a build
** order or a grammar change cannot leave it with stale codes. */
typedef struct tk_map {
  const char *zProbe; /* an expression using the operator */
  const char *zFn;    /* function name ("" for unary plus) */
  int bUnary;
  int op; /* learnt TK_ code, or -1 */
} tk_map;

static tk_map aTkMap[] = {
    {"a + b", "+", 0, -1},     {"a - b", "-", 0, -1},
    {"a * b", "*", 0, -1},     {"a / b", "/", 0, -1},
    {"a % b", "%", 0, -1},     {"a || b", "||", 0, -1},
    {"a = b", "=", 0, -1},     {"a <> b", "<>", 0, -1},
    {"a < b", "<", 0, -1},     {"a <= b", "<=", 0, -1},
    {"a > b", ">", 0, -1},     {"a >= b", ">=", 0, -1},
    {"a AND b", "AND", 0, -1}, {"a OR b", "OR", 0, -1},
    {"a IS b", "IS", 0, -1},   {"a IS NOT b", "ISNOT", 0, -1},
    {"NOT a", "NOT", 1, -1},   {"- a", "NEG", 1, -1},
    {"+ a", "", 1, -1},        {"~ a", "~", 1, -1},
};

/*
** Learn the parser's TK_ code of every operator by parsing one SELECT of
** probe expressions (once per process). Returns 0, or 1 with an error in
** p when the parser does not produce the expected shapes.
*/
int plan_check_tokens(plan_ctx *p) {
  static int iState = 0; /* 0 not yet, 1 learnt, 2 failed */
  if (iState == 0) {
    common_buf b;
    parse_result r;
    const char *zTail;
    int i, nOk = 0;
    common_buf_init(&b);
    common_buf_puts(&b, "SELECT ");
    for (i = 0; i < COMMON_ARRAY_SIZE(aTkMap); i++) {
      common_buf_printf(&b, "%s%s", i ? ", " : "", aTkMap[i].zProbe);
    }
    memset(&r, 0, sizeof(r));
    if (parse_statement(&r, b.z, &zTail) == 0 && r.pStmt && r.pStmt->pSelect &&
        r.pStmt->pSelect->pCols &&
        r.pStmt->pSelect->pCols->n == COMMON_ARRAY_SIZE(aTkMap)) {
      for (i = 0; i < COMMON_ARRAY_SIZE(aTkMap); i++) {
        const ast_expr *e = r.pStmt->pSelect->pCols->a[i];
        if (e->kind == (aTkMap[i].bUnary ? AE_UNARY : AE_BINARY)) {
          aTkMap[i].op = e->op;
          nOk++;
        }
      }
    }
    parse_result_free(&r);
    common_buf_free(&b);
    /* unary + may be dropped by the parser; everything else must map */
    iState = nOk >= COMMON_ARRAY_SIZE(aTkMap) - 1 ? 1 : 2;
  }
  if (iState == 1) return 0;
  return plan_err(p, -1,
                  "internal error: the parser's operator codes could not "
                  "be learnt");
}

/*
** The parser's code of the operator spelt zFn ("+", "AND", "NEG", ...),
** or -1. plan_check_tokens() must have succeeded.
*/
int plan_tk(const char *zFn) {
  int i;
  for (i = 0; i < COMMON_ARRAY_SIZE(aTkMap); i++) {
    if (strcmp(aTkMap[i].zFn, zFn) == 0) return aTkMap[i].op;
  }
  return -1;
}

/* The function name of a binary operator token, or NULL. */
static const char *binary_fn(int op) {
  int i;
  for (i = 0; i < COMMON_ARRAY_SIZE(aTkMap); i++) {
    if (!aTkMap[i].bUnary && aTkMap[i].op == op) return aTkMap[i].zFn;
  }
  return NULL;
}

/* The function name of a unary operator token ("" for unary plus), or
** NULL. */
static const char *unary_fn(int op) {
  int i;
  for (i = 0; i < COMMON_ARRAY_SIZE(aTkMap); i++) {
    if (aTkMap[i].bUnary && aTkMap[i].op == op) return aTkMap[i].zFn;
  }
  return NULL;
}

/* Constant of a literal AST node (kind known to be a literal). */
static int literal_value(plan_ctx *p, const ast_expr *e, exec_value *v) {
  memset(v, 0, sizeof(*v));
  switch (e->kind) {
    case AE_NULL:
      v->type = WEIR_NULL_TYPE;
      v->isNull = 1;
      return 0;
    case AE_INT:
      v->type = WEIR_BIGINT;
      v->u.i = e->iVal;
      return 0;
    case AE_FLOAT:
      v->type = WEIR_DOUBLE;
      v->u.f = e->rVal;
      return 0;
    case AE_BOOL:
      v->type = WEIR_BOOLEAN;
      v->u.i = e->iVal != 0;
      return 0;
    case AE_TIMESTAMP:
      v->type = WEIR_TIMESTAMP;
      v->u.i = e->iVal;
      return 0;
    case AE_INTERVAL:
      v->type = WEIR_INTERVAL;
      v->u.i = e->iVal;
      return 0;
    case AE_STRING: {
      const char *z = e->zVal ? e->zVal : "";
      v->type = WEIR_VARCHAR;
      v->u.s.p = common_arena_strdup(p->a, z);
      v->u.s.n = (uint32_t)strlen(z);
      return 0;
    }
    default:
      break;
  }
  return 1;
}

/*
** Bind and type expression e in the context b. In a post-aggregation
** context (b->pAgg set), group keys, aggregates, window bounds and pane
** metadata become references to the aggregate's output columns; any
** other column reference is an error. Returns NULL after recording an
** error.
*/
exec_expr *plan_bind_expr(plan_bind *b, const ast_expr *e) {
  plan_ctx *p = b->p;
  exec_value v;
  int i, nArg;
  exec_expr **aArg, *x;
  if (!e) {
    plan_err(p, -1, "missing expression");
    return NULL;
  }
  if (b->pAgg && !b->bInAgg) {
    plan_agg *g = b->pAgg;
    for (i = 0; i < g->nKey; i++) {
      if (plan_ast_equal(g->pIn, g->aKeyAst[i], e)) {
        return plan_expr_col(p, i, g->aPre[g->aKeyPre[i]]->type);
      }
    }
  }
  switch (e->kind) {
    case AE_NULL:
    case AE_INT:
    case AE_FLOAT:
    case AE_STRING:
    case AE_BOOL:
    case AE_TIMESTAMP:
    case AE_INTERVAL:
      literal_value(p, e, &v);
      return plan_expr_const(p, &v);
    case AE_COLUMN:
      return bind_column(b, e);
    case AE_UNARY: {
      const char *zFn = unary_fn(e->op);
      if (!zFn || strcmp(zFn, "~") == 0) {
        plan_err(p, e->iPos, "operator %s is not supported", zFn ? zFn : "?");
        return NULL;
      }
      x = plan_bind_expr(b, e->pLeft);
      if (!x) return NULL;
      if (zFn[0] == 0) {
        if (x->type != WEIR_BIGINT && x->type != WEIR_DOUBLE &&
            x->type != WEIR_INTERVAL && x->type != WEIR_NULL_TYPE) {
          plan_err(p, e->iPos, "cannot apply + to %s", exec_type_name(x->type));
          return NULL;
        }
        return x;
      }
      if (strcmp(zFn, "NEG") == 0 && x->kind == EXPR_CONST &&
          !x->value.isNull &&
          (x->type == WEIR_BIGINT || x->type == WEIR_INTERVAL)) {
        x->value.u.i = -x->value.u.i;
        return x;
      }
      if (strcmp(zFn, "NEG") == 0 && x->kind == EXPR_CONST &&
          !x->value.isNull && x->type == WEIR_DOUBLE) {
        x->value.u.f = -x->value.u.f;
        return x;
      }
      x = call1(p, e->iPos, zFn, x);
      if (!x && p->err->zMsg && strstr(p->err->zMsg, "cannot apply NEG")) {
        /* say "-" as written */
        char *z = p->err->zMsg;
        char *zAt = strstr(z, "NEG");
        memmove(zAt + 1, zAt + 3, strlen(zAt + 3) + 1);
        zAt[0] = '-';
      }
      return x;
    }
    case AE_BINARY: {
      const char *zFn = binary_fn(e->op);
      exec_expr *l, *r;
      if (!zFn) {
        plan_err(p, e->iPos, "unsupported operator");
        return NULL;
      }
      l = plan_bind_expr(b, e->pLeft);
      if (!l) return NULL;
      r = plan_bind_expr(b, e->pRight);
      if (!r) return NULL;
      return call2(p, e->iPos, zFn, l, r);
    }
    case AE_FUNC:
      return bind_func(b, e);
    case AE_CASE: {
      int n = e->pArgs ? e->pArgs->n : 0;
      exec_expr *base = NULL;
      aArg = common_arena_alloc(p->a, sizeof(exec_expr *) * (n + 2));
      if (e->pLeft) {
        base = plan_bind_expr(b, e->pLeft);
        if (!base) return NULL;
      }
      for (i = 0; i < n; i++) {
        aArg[i] = plan_bind_expr(b, e->pArgs->a[i]);
        if (!aArg[i]) return NULL;
        if (base && (i % 2) == 0) {
          aArg[i] = call2(p, e->pArgs->a[i]->iPos, "=", base, aArg[i]);
          if (!aArg[i]) return NULL;
        } else if ((i % 2) == 0 && aArg[i]->type != WEIR_BOOLEAN &&
                   aArg[i]->type != WEIR_NULL_TYPE) {
          plan_err(p, e->pArgs->a[i]->iPos,
                   "CASE WHEN must be BOOLEAN, "
                   "not %s",
                   exec_type_name(aArg[i]->type));
          return NULL;
        }
      }
      if (e->pRight) {
        aArg[n] = plan_bind_expr(b, e->pRight);
        if (!aArg[n]) return NULL;
        n++;
      }
      return plan_expr_call(p, e->iPos, "CASE", n, aArg);
    }
    case AE_CAST: {
      exec_expr *a0 = plan_bind_expr(b, e->pLeft);
      if (!a0) return NULL;
      if (e->iType < AST_TYPE_BOOLEAN || e->iType > AST_TYPE_INTERVAL) {
        plan_err(p, e->iPos, "cannot CAST to %s",
                 e->zTypeName ? e->zTypeName : "this type");
        return NULL;
      }
      if (a0->kind == EXPR_CONST && a0->type == WEIR_VARCHAR &&
          e->iType == AST_TYPE_TIMESTAMP && !a0->value.isNull) {
        /* fold CAST('2026-...' AS TIMESTAMP) now, with a clear error */
        exec_expr *aa[2];
        exec_value tv;
        memset(&tv, 0, sizeof(tv));
        tv.type = WEIR_TIMESTAMP;
        aa[0] = a0;
        aa[1] = plan_expr_const(p, &tv);
        if (coerce_ts_literals(p, e->iPos, 2, aa)) return NULL;
        return a0;
      }
      x = common_arena_zalloc(p->a, sizeof(*x));
      x->kind = EXPR_CAST;
      x->type = (uint8_t)e->iType;
      x->nArg = 1;
      x->aArg = common_arena_alloc(p->a, sizeof(exec_expr *));
      x->aArg[0] = a0;
      x->zFn = "CAST";
      return x;
    }
    case AE_BETWEEN:
      if (!e->pArgs || e->pArgs->n != 2) {
        plan_err(p, e->iPos, "malformed BETWEEN");
        return NULL;
      }
      aArg = common_arena_alloc(p->a, sizeof(exec_expr *) * 3);
      aArg[0] = plan_bind_expr(b, e->pLeft);
      if (!aArg[0]) return NULL;
      aArg[1] = plan_bind_expr(b, e->pArgs->a[0]);
      if (!aArg[1]) return NULL;
      aArg[2] = plan_bind_expr(b, e->pArgs->a[1]);
      if (!aArg[2]) return NULL;
      x = plan_expr_call(p, e->iPos, "BETWEEN", 3, aArg);
      if (x && e->bNot) x = call1(p, e->iPos, "NOT", x);
      return x;
    case AE_IN:
      if (e->pSelect) {
        plan_err(p, e->iPos, "IN (SELECT ...) is not supported yet");
        return NULL;
      }
      aArg = bind_args(b, e->pArgs, 1, &nArg);
      if (!aArg) return NULL;
      aArg[0] = plan_bind_expr(b, e->pLeft);
      if (!aArg[0]) return NULL;
      x = plan_expr_call(p, e->iPos, "IN", nArg, aArg);
      if (x && e->bNot) x = call1(p, e->iPos, "NOT", x);
      return x;
    case AE_LIKE:
      aArg = common_arena_alloc(p->a, sizeof(exec_expr *) * 3);
      nArg = 2;
      aArg[0] = plan_bind_expr(b, e->pLeft);
      if (!aArg[0]) return NULL;
      aArg[1] = plan_bind_expr(b, e->pRight);
      if (!aArg[1]) return NULL;
      if (e->pArgs && e->pArgs->n > 0) {
        aArg[2] = plan_bind_expr(b, e->pArgs->a[0]);
        if (!aArg[2]) return NULL;
        nArg = 3;
      }
      x = plan_expr_call(p, e->iPos, "LIKE", nArg, aArg);
      if (x && e->bNot) x = call1(p, e->iPos, "NOT", x);
      return x;
    case AE_ISNULL:
      x = plan_bind_expr(b, e->pLeft);
      if (!x) return NULL;
      return call1(p, e->iPos, e->bNot ? "ISNOTNULL" : "ISNULL", x);
    case AE_EXTRACT: {
      char zFn[64];
      x = plan_bind_expr(b, e->pLeft);
      if (!x) return NULL;
      snprintf(zFn, sizeof(zFn), "EXTRACT_%s", e->zName ? e->zName : "");
      for (i = 0; zFn[i]; i++) zFn[i] = (char)toupper((unsigned char)zFn[i]);
      if (!exec_fn_find(zFn)) {
        plan_err(p, e->iPos, "unknown EXTRACT field %s",
                 e->zName ? e->zName : "");
        return NULL;
      }
      return call1(p, e->iPos, zFn, x);
    }
    case AE_PROCTIME:
      return plan_expr_call(p, e->iPos, "NOW", 0, NULL);
    case AE_SUBQUERY:
    case AE_EXISTS:
      plan_err(p, e->iPos,
               "subqueries in expressions are not supported "
               "yet");
      return NULL;
    case AE_DESCRIPTOR:
    case AE_TABLEARG:
    case AE_NAMED:
      plan_err(p, e->iPos,
               "%s is only allowed as an argument of a window "
               "table function",
               e->kind == AE_DESCRIPTOR ? "DESCRIPTOR(...)"
               : e->kind == AE_TABLEARG ? "TABLE name"
                                        : "a named argument");
      return NULL;
    default:
      break;
  }
  plan_err(p, e->iPos, "unsupported expression");
  return NULL;
}

/* Arithmetic on two folded constants. */
static int fold_binary(plan_ctx *p, const ast_expr *e, const exec_value *l,
                       const exec_value *r, exec_value *o) {
  const char *zFn = binary_fn(e->op);
  int tl = l->type, tr = r->type;
  memset(o, 0, sizeof(*o));
  if (!zFn || strchr("+-*/", zFn[0]) == NULL || zFn[1]) {
    return plan_err(p, e->iPos, "expected a constant value");
  }
  if (l->isNull || r->isNull) {
    o->type = WEIR_NULL_TYPE;
    o->isNull = 1;
    return 0;
  }
  if ((tl == WEIR_TIMESTAMP || tl == WEIR_INTERVAL) && tr == WEIR_INTERVAL &&
      (zFn[0] == '+' || zFn[0] == '-')) {
    o->type = (uint8_t)tl;
    o->u.i = zFn[0] == '+' ? l->u.i + r->u.i : l->u.i - r->u.i;
    return 0;
  }
  if (tl == WEIR_TIMESTAMP && tr == WEIR_TIMESTAMP && zFn[0] == '-') {
    o->type = WEIR_INTERVAL;
    o->u.i = l->u.i - r->u.i;
    return 0;
  }
  if (tl == WEIR_INTERVAL && tr == WEIR_BIGINT &&
      (zFn[0] == '*' || zFn[0] == '/')) {
    if (zFn[0] == '/' && r->u.i == 0) {
      return plan_err(p, e->iPos, "division by zero");
    }
    o->type = WEIR_INTERVAL;
    o->u.i = zFn[0] == '*' ? l->u.i * r->u.i : l->u.i / r->u.i;
    return 0;
  }
  if (tl == WEIR_BIGINT && tr == WEIR_BIGINT) {
    o->type = WEIR_BIGINT;
    switch (zFn[0]) {
      case '+':
        o->u.i = l->u.i + r->u.i;
        break;
      case '-':
        o->u.i = l->u.i - r->u.i;
        break;
      case '*':
        o->u.i = l->u.i * r->u.i;
        break;
      default:
        if (r->u.i == 0) return plan_err(p, e->iPos, "division by zero");
        o->u.i = l->u.i / r->u.i;
    }
    return 0;
  }
  if ((tl == WEIR_BIGINT || tl == WEIR_DOUBLE) &&
      (tr == WEIR_BIGINT || tr == WEIR_DOUBLE)) {
    double a = tl == WEIR_BIGINT ? (double)l->u.i : l->u.f;
    double c = tr == WEIR_BIGINT ? (double)r->u.i : r->u.f;
    o->type = WEIR_DOUBLE;
    switch (zFn[0]) {
      case '+':
        o->u.f = a + c;
        break;
      case '-':
        o->u.f = a - c;
        break;
      case '*':
        o->u.f = a * c;
        break;
      default:
        o->u.f = a / c;
    }
    return 0;
  }
  return plan_err(p, e->iPos, "cannot apply %s to %s and %s", zFn,
                  exec_type_name(tl), exec_type_name(tr));
}

/*
** Evaluate a constant expression at planning time: literals, unary minus,
** + - * / over numbers, TIMESTAMP/INTERVAL arithmetic and CAST of a
** string. Strings are copied into the plan arena. Returns 0, or 1 with
** an error recorded.
*/
int plan_fold_const(plan_ctx *p, const ast_expr *e, exec_value *pOut) {
  exec_value l, r;
  if (!e) return plan_err(p, -1, "expected a constant value");
  if (literal_value(p, e, pOut) == 0) return 0;
  switch (e->kind) {
    case AE_UNARY: {
      const char *zFn = unary_fn(e->op);
      if (!zFn || strcmp(zFn, "NOT") == 0 || strcmp(zFn, "~") == 0) break;
      if (plan_fold_const(p, e->pLeft, pOut)) return 1;
      if (zFn[0] == 0 || pOut->isNull) return 0;
      if (pOut->type == WEIR_DOUBLE) {
        pOut->u.f = -pOut->u.f;
        return 0;
      }
      if (pOut->type == WEIR_BIGINT || pOut->type == WEIR_INTERVAL) {
        pOut->u.i = -pOut->u.i;
        return 0;
      }
      return plan_err(p, e->iPos, "cannot apply - to %s",
                      exec_type_name(pOut->type));
    }
    case AE_BINARY:
      if (plan_fold_const(p, e->pLeft, &l)) return 1;
      if (plan_fold_const(p, e->pRight, &r)) return 1;
      if (l.type == WEIR_TIMESTAMP && r.type == WEIR_VARCHAR) {
        return plan_err(p, e->pRight->iPos, "expected an INTERVAL");
      }
      return fold_binary(p, e, &l, &r, pOut);
    case AE_CAST:
      if (plan_fold_const(p, e->pLeft, &l)) return 1;
      memset(pOut, 0, sizeof(*pOut));
      pOut->type = (uint8_t)e->iType;
      if (l.isNull) {
        pOut->isNull = 1;
        return 0;
      }
      if (l.type == e->iType) {
        *pOut = l;
        return 0;
      }
      if (l.type == WEIR_VARCHAR && e->iType == AST_TYPE_TIMESTAMP) {
        if (common_ts_parse(l.u.s.p, l.u.s.n, &pOut->u.i)) {
          return plan_err(p, e->iPos, "cannot convert '%.*s' to TIMESTAMP",
                          (int)l.u.s.n, l.u.s.p);
        }
        return 0;
      }
      if (l.type == WEIR_BIGINT && e->iType == AST_TYPE_DOUBLE) {
        pOut->u.f = (double)l.u.i;
        return 0;
      }
      if (l.type == WEIR_DOUBLE && e->iType == AST_TYPE_BIGINT) {
        pOut->u.i = (int64_t)l.u.f;
        return 0;
      }
      if (l.type == WEIR_VARCHAR &&
          (e->iType == AST_TYPE_BIGINT || e->iType == AST_TYPE_DOUBLE)) {
        char zBuf[64];
        char *zEnd;
        snprintf(zBuf, sizeof(zBuf), "%.*s", (int)l.u.s.n, l.u.s.p);
        if (e->iType == AST_TYPE_BIGINT) {
          pOut->u.i = strtoll(zBuf, &zEnd, 10);
        } else {
          pOut->u.f = strtod(zBuf, &zEnd);
        }
        if (zEnd == zBuf || *zEnd) {
          return plan_err(p, e->iPos, "cannot convert '%s' to %s", zBuf,
                          exec_type_name(e->iType));
        }
        return 0;
      }
      return plan_err(p, e->iPos, "cannot CAST %s to %s",
                      exec_type_name(l.type), exec_type_name(e->iType));
    default:
      break;
  }
  return plan_err(p, e->iPos, "expected a constant value");
}
