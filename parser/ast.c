/*
** parser/ast.c — the AST builders the grammar actions call (parse.y), and
** the normalisations the parser owes the planner:
**
**   - literals: TIMESTAMP '...' and INTERVAL ... become microseconds;
**     integers too large for int64 become doubles (as in SQLite);
**   - names: quoted identifiers are dequoted; function names are upper
**     case; DESCRIPTOR(...) and PROCTIME() get their own node kinds;
**   - EMIT: every spelling of DESIGN.md §2.3 becomes one ast_emit:
**
**     spelling                               normalised
**     -------------------------------------  -------------------------------
**     EMIT CHANGES | STREAM | ON UPDATE |    early = EVERY_ROW (unless a
**       PER EVENT | CHANGELOG                trigger is given), accum =
**                                            RETRACTING (unless given),
**                                            bOnTime = 0
**     EMIT FINAL | ON WINDOW CLOSE |         style FINAL, bOnTime = 1
**       AFTER WINDOW CLOSE
**     ... AFTER WINDOW CLOSE WITH DELAY d    + lateness = d
**     AFTER WATERMARK                        bOnTime = 1
**     AFTER DELAY d (bare or EARLY)          early = AFTER_DELAY d
**     AFTER n ROWS (bare or EARLY)           early = AFTER_ROWS n
**     EARLY EVERY i                          early = EVERY i
**     PERIODIC i                             early = EVERY i, accum =
**                                            ACCUMULATING (unless given)
**     EARLY EVERY ROW                        early = EVERY_ROW
**     LATE <trigger>                         late = <trigger>
**     ALLOWED LATENESS d | GRACE PERIOD d    lateness = d
**     WITH DELAY d BEFORE WATERMARK          early = AFTER_DELAY d
**     WITHOUT DELAY BEFORE WATERMARK         early = EVERY_ROW
**     WITH DELAY d AFTER WATERMARK           late = AFTER_DELAY d, bOnTime
**     WITHOUT DELAY AFTER WATERMARK          late = EVERY_ROW, bOnTime
**     DISCARDING|ACCUMULATING|RETRACTING     accum
**
**     `EMIT STREAM AFTER DELAY d` (the paper) is thus a retracting
**     changelog whose early panes come d after the first row.
**
** Every node lives in the statement arena; no builder fails: errors are
** recorded in the parse context (the first one wins) and parsing stops.
*/
#include "parser/parse_int.h"
#include "parse.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define US_SECOND INT64_C(1000000)

/* ---- errors -------------------------------------------------------------- */

/* Record the first error of the statement; see parse_int.h. */
void parse_error_at(parse_ctx *p, int iPos, const char *z, int n,
                    const char *zFmt, ...) {
  if (p->nErr++ > 0) return;
  parse_result *r = p->pRes;
  va_list ap;
  char zBuf[256];
  va_start(ap, zFmt);
  vsnprintf(zBuf, sizeof zBuf, zFmt, ap);
  va_end(ap);
  r->nErr = 1;
  r->err.iPos = iPos < 0 ? p->iCurPos : iPos;
  r->err.zMsg = common_arena_strdup(p->pArena, zBuf);
  r->err.zToken = (z && n >= 0) ? common_arena_strndup(p->pArena, z,
                                                       (size_t)n)
                                : NULL;
}

/* The grammar's %syntax_error handler; see parse_int.h. */
void parse_syntax_error(parse_ctx *p, const parse_token *t) {
  if (t->n == 0) {
    parse_error_at(p, t->iPos, NULL, -1, "unexpected end of input");
  } else {
    parse_error_at(p, t->iPos, t->z, t->n, "syntax error near \"%.*s\"",
                   t->n > 64 ? 64 : t->n, t->z);
  }
}

/* ---- strings ------------------------------------------------------------- */

/* The token's text as an arena string; 'strings', "identifiers" and
** `identifiers` are dequoted (doubled quotes unescaped). */
char *parse_tok_str(parse_ctx *p, const parse_token *t) {
  if (!t || !t->z) return NULL;
  char q = t->n >= 2 ? t->z[0] : 0;
  if (q != '\'' && q != '"' && q != '`')
    return common_arena_strndup(p->pArena, t->z, (size_t)t->n);
  char *z = common_arena_alloc(p->pArena, (size_t)t->n);
  int j = 0;
  for (int i = 1; i < t->n - 1; i++) {
    z[j++] = t->z[i];
    if (t->z[i] == q && i + 1 < t->n - 1 && t->z[i + 1] == q) i++;
  }
  z[j] = 0;
  return z;
}

/* The token's text in upper case (arena). */
char *parse_tok_upper(parse_ctx *p, const parse_token *t) {
  char *z = parse_tok_str(p, t);
  for (char *c = z; c && *c; c++) *c = (char)toupper((unsigned char)*c);
  return z;
}

/* "zLeft.name" for dotted keys (arena). */
char *parse_name_cat(parse_ctx *p, const char *zLeft, const parse_token *t) {
  return common_arena_printf(p->pArena, "%s.%s", zLeft,
                             parse_tok_str(p, t));
}

static int is_quoted(const parse_token *t) {
  return t->n > 0 && (t->z[0] == '"' || t->z[0] == '`');
}

/* ---- expressions --------------------------------------------------------- */

static int h_of(const ast_expr *e) { return e ? e->nHeight : 0; }
static int h_list(const ast_list *l) {
  int h = 0;
  for (int i = 0; l && i < l->n; i++) h = COMMON_MAX(h, h_of(l->a[i]));
  return h;
}

/* Set e's height from its children and enforce the limit. */
static ast_expr *expr_height(parse_ctx *p, ast_expr *e) {
  int h = COMMON_MAX(h_of(e->pLeft), h_of(e->pRight));
  h = COMMON_MAX(h, h_list(e->pArgs));
  h = COMMON_MAX(h, h_of(e->pFilter));
  if (e->pSelect) h = COMMON_MAX(h, e->pSelect->nHeight);
  if (e->pOver) {
    h = COMMON_MAX(h, h_list(e->pOver->pPartition));
    h = COMMON_MAX(h, h_list(e->pOver->pOrder));
    h = COMMON_MAX(h, h_of(e->pOver->frameStart.pExpr));
    h = COMMON_MAX(h, h_of(e->pOver->frameEnd.pExpr));
  }
  e->nHeight = h + 1;
  if (e->nHeight > PARSE_MAX_EXPR_HEIGHT)
    parse_error_at(p, e->iPos, NULL, -1,
                   "expression too deeply nested (limit %d)",
                   PARSE_MAX_EXPR_HEIGHT);
  return e;
}

/* A node of kind k spanning [iPos, iEnd). */
ast_expr *parse_expr_new(parse_ctx *p, ast_expr_kind k, int iPos, int iEnd) {
  ast_expr *e = common_arena_zalloc(p->pArena, sizeof(*e));
  e->kind = k;
  e->iPos = iPos;
  e->iEnd = iEnd;
  e->nHeight = 1;
  return e;
}

static ast_expr *expr_tok(parse_ctx *p, ast_expr_kind k,
                          const parse_token *t) {
  return parse_expr_new(p, k, t->iPos, t->iPos + t->n);
}

/* NULL, TRUE, FALSE: value v. */
ast_expr *parse_expr_literal(parse_ctx *p, ast_expr_kind k,
                             const parse_token *t, int64_t v) {
  ast_expr *e = expr_tok(p, k, t);
  e->iVal = v;
  return e;
}

/* Decimal or 0x hex integer; too large for int64 becomes AE_FLOAT. */
ast_expr *parse_expr_int(parse_ctx *p, const parse_token *t) {
  ast_expr *e = expr_tok(p, AE_INT, t);
  uint64_t v = 0;
  int bOver = 0;
  if (t->n > 2 && t->z[0] == '0' && (t->z[1] == 'x' || t->z[1] == 'X')) {
    for (int i = 2; i < t->n; i++) {
      int c = tolower((unsigned char)t->z[i]);
      int d = isdigit(c) ? c - '0' : c - 'a' + 10;
      if (v >> 60) bOver = 1;
      v = v * 16 + (uint64_t)d;
    }
    if (bOver) {
      parse_error_at(p, t->iPos, t->z, t->n, "hex literal too big");
      return e;
    }
    e->iVal = (int64_t)v;   /* 0xFFFFFFFFFFFFFFFF is -1, as in SQLite */
    return e;
  }
  for (int i = 0; i < t->n; i++) {
    int d = t->z[i] - '0';
    if (v > (UINT64_C(0x7fffffffffffffff) - (uint64_t)d) / 10) bOver = 1;
    v = v * 10 + (uint64_t)d;
  }
  if (bOver) {
    char *z = common_arena_strndup(p->pArena, t->z, (size_t)t->n);
    e->kind = AE_FLOAT;
    e->rVal = strtod(z, NULL);
  } else {
    e->iVal = (int64_t)v;
  }
  return e;
}

/* 1.5, .5, 1e3. */
ast_expr *parse_expr_float(parse_ctx *p, const parse_token *t) {
  ast_expr *e = expr_tok(p, AE_FLOAT, t);
  char *z = common_arena_strndup(p->pArena, t->z, (size_t)t->n);
  e->rVal = strtod(z, NULL);
  return e;
}

/* 'text' with '' unescaped. */
ast_expr *parse_expr_string(parse_ctx *p, const parse_token *t) {
  ast_expr *e = expr_tok(p, AE_STRING, t);
  e->zVal = parse_tok_str(p, t);
  return e;
}

/* TIMESTAMP 'YYYY-MM-DD HH:MM:SS[.ffffff]' -> us since epoch. */
ast_expr *parse_expr_timestamp(parse_ctx *p, const parse_token *kw,
                               const parse_token *s) {
  ast_expr *e = parse_expr_new(p, AE_TIMESTAMP, kw->iPos, s->iPos + s->n);
  char *z = parse_tok_str(p, s);
  if (common_ts_parse(z, strlen(z), &e->iVal) != 0)
    parse_error_at(p, s->iPos, s->z, s->n, "bad TIMESTAMP literal");
  return e;
}

/* Microseconds in one unit named z (plural allowed), 0 if not a fixed
** length unit, -1 if not a unit at all. */
static int64_t unit_us(const char *z, size_t n) {
  static const struct { const char *z; int64_t us; } a[] = {
    {"MICROSECOND", 1}, {"MILLISECOND", 1000}, {"SECOND", US_SECOND},
    {"MINUTE", 60 * US_SECOND}, {"HOUR", 3600 * US_SECOND},
    {"DAY", 86400 * US_SECOND}, {"WEEK", 7 * 86400 * US_SECOND},
    {"MONTH", 0}, {"YEAR", 0},
  };
  /* Proton's shorthand suffixes (2s, 500ms, 1m, 1h, 1d). */
  static const struct { const char *z; int64_t us; } aShort[] = {
    {"us", 1}, {"ms", 1000}, {"s", US_SECOND}, {"m", 60 * US_SECOND},
    {"h", 3600 * US_SECOND}, {"d", 86400 * US_SECOND},
  };
  for (int i = 0; i < COMMON_ARRAY_SIZE(aShort); i++) {
    if (strlen(aShort[i].z) == n && common_strnicmp(z, aShort[i].z, n) == 0)
      return aShort[i].us;
  }
  if (n > 1 && (z[n - 1] == 's' || z[n - 1] == 'S')) n--;
  for (int i = 0; i < COMMON_ARRAY_SIZE(a); i++) {
    if (strlen(a[i].z) == n && common_strnicmp(z, a[i].z, n) == 0)
      return a[i].us;
  }
  return -1;
}

/* Parse [+-]digits[.digits] times mult into *pUs; advance *pz. */
static int scale_number(const char **pz, int64_t mult, int64_t *pUs) {
  const char *z = *pz;
  int neg = 0;
  if (*z == '-' || *z == '+') neg = *z++ == '-';
  if (!isdigit((unsigned char)*z) &&
      !(*z == '.' && isdigit((unsigned char)z[1])))
    return -1;
  int64_t whole = 0;
  while (isdigit((unsigned char)*z)) {
    if (whole > INT64_MAX / 10 - 10) return -1;
    whole = whole * 10 + (*z++ - '0');
  }
  int64_t frac = 0, div = 1;
  if (*z == '.') {
    z++;
    while (isdigit((unsigned char)*z)) {
      if (div < INT64_C(1000000000000)) {
        frac = frac * 10 + (*z - '0');
        div *= 10;
      }
      z++;
    }
  }
  /* whole * mult plus a fraction of mult must fit. */
  if (mult && whole > (INT64_MAX - mult) / mult) return -1;
  int64_t us = whole * mult + (int64_t)llround((double)frac * (double)mult
                                               / (double)div);
  *pUs = neg ? -us : us;
  *pz = z;
  return 0;
}

/* Text of an INTERVAL string without units: '5 minutes', '1 hour 30
** minutes', '-2 seconds'. */
static int interval_text(const char *z, int64_t *pUs) {
  int64_t total = 0;
  int nPart = 0;
  for (;;) {
    while (*z == ' ') z++;
    if (!*z) break;
    int64_t one = 0;
    /* Parse the number first with unit 1, then scale by the unit. */
    const char *zNum = z;
    if (scale_number(&z, 1, &one)) return -1;
    (void)one;
    while (*z == ' ') z++;
    const char *zU = z;
    while (isalpha((unsigned char)*z)) z++;
    int64_t mult = unit_us(zU, (size_t)(z - zU));
    if (mult <= 0) return -1;
    if (scale_number(&zNum, mult, &one)) return -1;
    if (__builtin_add_overflow(total, one, &total)) return -1;
    nPart++;
  }
  if (nPart == 0) return -1;
  *pUs = total;
  return 0;
}

/* '1:30' MINUTE TO SECOND, '1 02:03:04' DAY TO SECOND ... */
static int interval_fields(const char *z, int64_t from, int64_t to,
                           int64_t *pUs) {
  static const int64_t aUnit[] = {86400 * US_SECOND, 3600 * US_SECOND,
                                  60 * US_SECOND, US_SECOND};
  int i = 0, j;
  while (i < 4 && aUnit[i] != from) i++;
  for (j = i; j < 4 && aUnit[j] != to; j++) {}
  if (i >= 4 || j >= 4 || j <= i) return -1;
  while (*z == ' ') z++;
  int neg = 0;
  if (*z == '-' || *z == '+') neg = *z++ == '-';
  int64_t total = 0;
  for (int k = i; k <= j; k++) {
    int64_t v;
    if (*z == '-' || *z == '+') return -1;
    if (k < j && !isdigit((unsigned char)*z)) return -1;
    if (scale_number(&z, aUnit[k], &v)) return -1;
    if (__builtin_add_overflow(total, v, &total)) return -1;
    if (k < j) {
      char sep = aUnit[k] == 86400 * US_SECOND ? ' ' : ':';
      if (*z != sep) return -1;
      z++;
    }
  }
  while (*z == ' ') z++;
  if (*z) return -1;
  *pUs = neg ? -total : total;
  return 0;
}

/* INTERVAL literals in every spelling; see parse_int.h. */
ast_expr *parse_expr_interval(parse_ctx *p, const parse_token *kw,
                              const parse_token *v, const parse_token *unit,
                              const parse_token *unit2, int bNeg) {
  const parse_token *last = unit2 ? unit2 : unit ? unit : v;
  ast_expr *e = parse_expr_new(p, AE_INTERVAL, kw ? kw->iPos : v->iPos,
                               last->iPos + last->n);
  int64_t mult = 0, mult2 = 0, us = 0;
  if (unit) {
    mult = unit_us(unit->z, (size_t)unit->n);
    if (mult <= 0) {
      parse_error_at(p, unit->iPos, unit->z, unit->n,
                     "interval unit %.*s is not supported (not a fixed "
                     "length)", unit->n, unit->z);
      return e;
    }
  }
  if (unit2) {
    mult2 = unit_us(unit2->z, (size_t)unit2->n);
    if (mult2 <= 0) {
      parse_error_at(p, unit2->iPos, unit2->z, unit2->n,
                     "interval unit %.*s is not supported", unit2->n,
                     unit2->z);
      return e;
    }
  }
  int rc;
  if (v->z[0] != '\'') {
    const char *z = common_arena_strndup(p->pArena, v->z, (size_t)v->n);
    rc = scale_number(&z, mult, &us);
    if (rc == 0 && *z) rc = -1;
  } else {
    const char *z = parse_tok_str(p, v);
    if (unit2) {
      rc = interval_fields(z, mult, mult2, &us);
    } else if (unit) {
      while (*z == ' ') z++;
      rc = scale_number(&z, mult, &us);
      while (rc == 0 && *z == ' ') z++;
      if (rc == 0 && *z) rc = -1;
    } else {
      rc = interval_text(z, &us);
    }
  }
  if (rc) {
    parse_error_at(p, v->iPos, v->z, v->n, "bad INTERVAL literal");
    return e;
  }
  e->iVal = bNeg ? -us : us;
  return e;
}

/* [tab.]name */
ast_expr *parse_expr_column(parse_ctx *p, const parse_token *tab,
                            const parse_token *name) {
  ast_expr *e = parse_expr_new(p, AE_COLUMN, tab ? tab->iPos : name->iPos,
                               name->iPos + name->n);
  e->zTable = tab ? parse_tok_str(p, tab) : NULL;
  e->zName = parse_tok_str(p, name);
  return e;
}

/* * or tab.* */
ast_expr *parse_expr_star(parse_ctx *p, const parse_token *tab,
                          const parse_token *star) {
  ast_expr *e = parse_expr_new(p, AE_COLUMN, tab ? tab->iPos : star->iPos,
                               star->iPos + 1);
  e->zTable = tab ? parse_tok_str(p, tab) : NULL;
  e->zName = common_arena_strdup(p->pArena, "*");
  return e;
}

/* op x; a minus in front of a bare number or interval literal folds into
** it, NOT in front of EXISTS flips its bNot. */
ast_expr *parse_expr_unary(parse_ctx *p, int op, const parse_token *t,
                           ast_expr *x) {
  int bBare = p->zSql[x->iPos] != '(';
  if (op == TK_MINUS && bBare && x->iVal != INT64_MIN &&
      (x->kind == AE_INT || x->kind == AE_FLOAT || x->kind == AE_INTERVAL)) {
    x->iVal = -x->iVal;
    x->rVal = -x->rVal;
    x->iPos = t->iPos;
    return x;
  }
  if (op == TK_NOT && x->kind == AE_EXISTS && bBare) {
    x->bNot = !x->bNot;
    x->iPos = t->iPos;
    return x;
  }
  ast_expr *e = parse_expr_new(p, AE_UNARY, t->iPos, x->iEnd);
  e->op = op;
  e->pLeft = x;
  return expr_height(p, e);
}

/* l op r; IS NULL / IS NOT NULL become AE_ISNULL. */
ast_expr *parse_expr_binary(parse_ctx *p, int op, ast_expr *l, ast_expr *r) {
  if ((op == TK_IS || op == TK_ISNOT) && r->kind == AE_NULL &&
      p->zSql[r->iPos] != '(') {
    ast_expr *e = parse_expr_new(p, AE_ISNULL, l->iPos, r->iEnd);
    e->bNot = op == TK_ISNOT;
    e->pLeft = l;
    return expr_height(p, e);
  }
  ast_expr *e = parse_expr_new(p, AE_BINARY, l->iPos, r->iEnd);
  e->op = op;
  e->pLeft = l;
  e->pRight = r;
  return expr_height(p, e);
}

/* name(args): also DESCRIPTOR(cols) and PROCTIME(). */
ast_expr *parse_expr_func(parse_ctx *p, const parse_token *name,
                          ast_list *args, int bDistinct, int bStar,
                          const parse_token *end) {
  ast_expr *e = parse_expr_new(p, AE_FUNC, name->iPos, end->iPos + end->n);
  e->zName = is_quoted(name) ? parse_tok_str(p, name)
                             : parse_tok_upper(p, name);
  e->pArgs = args;
  e->bDistinct = bDistinct != 0;
  e->bStar = bStar != 0;
  if (!strcmp(e->zName, "DESCRIPTOR") && !bStar && !bDistinct) {
    e->kind = AE_DESCRIPTOR;
    for (int i = 0; args && i < args->n; i++) {
      if (args->a[i]->kind != AE_COLUMN) {
        parse_error_at(p, args->a[i]->iPos, NULL, -1,
                       "DESCRIPTOR takes column names");
      }
    }
  } else if (!strcmp(e->zName, "PROCTIME") && !args && !bStar) {
    e->kind = AE_PROCTIME;
  }
  return expr_height(p, e);
}

/* Attach FILTER (WHERE f) and OVER (...) to a call. */
ast_expr *parse_expr_func_finish(parse_ctx *p, ast_expr *f, ast_expr *filter,
                                 ast_over *over) {
  if ((filter || over) && f->kind != AE_FUNC) {
    parse_error_at(p, f->iPos, NULL, -1, "%s takes no FILTER or OVER",
                   f->zName);
    return f;
  }
  f->pFilter = filter;
  f->pOver = over;
  if (filter && filter->iEnd > f->iEnd) f->iEnd = filter->iEnd + 1;
  return expr_height(p, f);
}

/* OVER (PARTITION BY part ORDER BY order [frame]). A frame must not
** start after it ends (e.g. CURRENT ROW AND 1 PRECEDING). */
ast_over *parse_over_new(parse_ctx *p, ast_list *part, ast_list *order,
                         const parse_frame *frame) {
  ast_over *o = common_arena_zalloc(p->pArena, sizeof(*o));
  o->pPartition = part;
  o->pOrder = order;
  if (frame && frame->unit) {
    o->frameUnit = (ast_frame_unit)frame->unit;
    o->frameStart = frame->start;
    o->frameEnd = frame->end;
    if (frame->start.kind == ABD_UNBOUNDED_FOLLOWING ||
        frame->end.kind == ABD_UNBOUNDED_PRECEDING ||
        frame->start.kind > frame->end.kind) {
      ast_expr *x = frame->start.pExpr ? frame->start.pExpr
                                       : frame->end.pExpr;
      parse_error_at(p, x ? x->iPos : -1, NULL, -1,
                     "window frame starts after it ends");
    }
  }
  return o;
}

/* One bound of a window frame. */
ast_frame_bound parse_frame_bound(int kind, ast_expr *x) {
  ast_frame_bound b;
  b.kind = (ast_bound_kind)kind;
  b.pExpr = x;
  return b;
}

/* CASE [base] WHEN..THEN.. [ELSE els] END. */
ast_expr *parse_expr_case(parse_ctx *p, const parse_token *t, ast_expr *base,
                          ast_list *whens, ast_expr *els,
                          const parse_token *end) {
  ast_expr *e = parse_expr_new(p, AE_CASE, t->iPos, end->iPos + end->n);
  e->pLeft = base;
  e->pArgs = whens;
  e->pRight = els;
  return expr_height(p, e);
}

/* CAST(x AS type). */
ast_expr *parse_expr_cast(parse_ctx *p, const parse_token *t, ast_expr *x,
                          ast_coldef *type, const parse_token *end) {
  ast_expr *e = parse_expr_new(p, AE_CAST, t->iPos, end->iPos + end->n);
  e->pLeft = x;
  e->iType = type->iType;
  e->zTypeName = type->zTypeName;
  return expr_height(p, e);
}

/* x [NOT] BETWEEN lo AND hi. */
ast_expr *parse_expr_between(parse_ctx *p, ast_expr *x, int bNot,
                             ast_expr *lo, ast_expr *hi) {
  ast_expr *e = parse_expr_new(p, AE_BETWEEN, x->iPos, hi->iEnd);
  e->pLeft = x;
  e->bNot = bNot != 0;
  e->pArgs = parse_list_append(p, NULL, lo, NULL);
  e->pArgs = parse_list_append(p, e->pArgs, hi, NULL);
  return expr_height(p, e);
}

/* x [NOT] IN (list) | (select). */
ast_expr *parse_expr_in(parse_ctx *p, ast_expr *x, int bNot, ast_list *l,
                        ast_select *s, const parse_token *end) {
  ast_expr *e = parse_expr_new(p, AE_IN, x->iPos, end->iPos + end->n);
  e->pLeft = x;
  e->bNot = bNot != 0;
  e->pArgs = l;
  e->pSelect = s;
  return expr_height(p, e);
}

/* x [NOT] LIKE pat [ESCAPE esc]. */
ast_expr *parse_expr_like(parse_ctx *p, ast_expr *x, int bNot, ast_expr *pat,
                          ast_expr *esc) {
  ast_expr *e = parse_expr_new(p, AE_LIKE, x->iPos,
                               esc ? esc->iEnd : pat->iEnd);
  e->pLeft = x;
  e->pRight = pat;
  e->bNot = bNot != 0;
  if (esc) e->pArgs = parse_list_append(p, NULL, esc, NULL);
  return expr_height(p, e);
}

/* x ISNULL | NOTNULL | NOT NULL. */
ast_expr *parse_expr_isnull(parse_ctx *p, ast_expr *x, int bNot,
                            const parse_token *end) {
  ast_expr *e = parse_expr_new(p, AE_ISNULL, x->iPos, end->iPos + end->n);
  e->pLeft = x;
  e->bNot = bNot != 0;
  return expr_height(p, e);
}

/* (select) as a scalar, or EXISTS (select). */
ast_expr *parse_expr_subquery(parse_ctx *p, ast_expr_kind k,
                              const parse_token *t, ast_select *s,
                              const parse_token *end) {
  ast_expr *e = parse_expr_new(p, k, t->iPos, end->iPos + end->n);
  e->pSelect = s;
  return expr_height(p, e);
}

/* EXTRACT(field FROM x): field upper case. */
ast_expr *parse_expr_extract(parse_ctx *p, const parse_token *t,
                             const parse_token *field, ast_expr *x,
                             const parse_token *end) {
  ast_expr *e = parse_expr_new(p, AE_EXTRACT, t->iPos, end->iPos + end->n);
  e->zName = parse_tok_upper(p, field);
  e->pLeft = x;
  return expr_height(p, e);
}

/* TABLE name, a table argument of a window TVF. */
ast_expr *parse_expr_tablearg(parse_ctx *p, const parse_token *t,
                              const parse_token *name) {
  ast_expr *e = parse_expr_new(p, AE_TABLEARG, t->iPos,
                               name->iPos + name->n);
  e->zName = parse_tok_str(p, name);
  return e;
}

/* name => x: argument names are upper-cased (DATA, TIMECOL, SIZE...). */
ast_expr *parse_expr_named(parse_ctx *p, const parse_token *name,
                           ast_expr *x) {
  ast_expr *e = parse_expr_new(p, AE_NAMED, name->iPos, x->iEnd);
  e->zName = parse_tok_upper(p, name);
  e->pLeft = x;
  return expr_height(p, e);
}

/* ( x ): the node itself, its span widened to the parentheses. */
ast_expr *parse_expr_paren(parse_ctx *p, const parse_token *lp, ast_expr *x,
                           const parse_token *rp) {
  (void)p;
  x->iPos = lp->iPos;
  x->iEnd = rp->iPos + 1;
  return x;
}

/* ---- lists --------------------------------------------------------------- */

/* Append x (with an optional alias token, z == NULL for none) to l, which
** may be NULL. */
ast_list *parse_list_append(parse_ctx *p, ast_list *l, ast_expr *x,
                            const parse_token *alias) {
  if (!l) l = common_arena_zalloc(p->pArena, sizeof(*l));
  if (l->n == l->nAlloc) {
    int nNew = l->nAlloc ? l->nAlloc * 2 : 4;
    ast_expr **a = common_arena_alloc(p->pArena, sizeof(*a) * (size_t)nNew);
    char **az = common_arena_zalloc(p->pArena, sizeof(*az) * (size_t)nNew);
    unsigned char *d = common_arena_zalloc(p->pArena, (size_t)nNew);
    if (l->n) {
      memcpy(a, l->a, sizeof(*a) * (size_t)l->n);
      memcpy(az, l->azAlias, sizeof(*az) * (size_t)l->n);
      memcpy(d, l->aDesc, (size_t)l->n);
    }
    l->a = a;
    l->azAlias = az;
    l->aDesc = d;
    l->nAlloc = nNew;
  }
  l->a[l->n] = x;
  l->azAlias[l->n] = (alias && alias->z) ? parse_tok_str(p, alias) : NULL;
  l->aDesc[l->n] = 0;
  l->n++;
  return l;
}

/* Mark the last item DESC. */
void parse_list_set_desc(ast_list *l, int bDesc) {
  if (l && l->n) l->aDesc[l->n - 1] = (unsigned char)(bDesc != 0);
}

/* ---- SELECT -------------------------------------------------------------- */

static int from_height(const ast_from *f) { return f ? f->nHeight : 0; }

static void select_height(parse_ctx *p, ast_select *s) {
  int h = COMMON_MAX(h_list(s->pCols), from_height(s->pFrom));
  h = COMMON_MAX(h, h_of(s->pWhere));
  h = COMMON_MAX(h, h_list(s->pGroupBy));
  h = COMMON_MAX(h, h_of(s->pHaving));
  h = COMMON_MAX(h, h_list(s->pOrderBy));
  h = COMMON_MAX(h, h_of(s->pLimit));
  h = COMMON_MAX(h, h_of(s->pOffset));
  for (int i = 0; s->pValues && i < s->pValues->n; i++)
    h = COMMON_MAX(h, h_of(s->pValues->a[i]));
  for (int i = 0; i < s->nCte; i++)
    h = COMMON_MAX(h, s->aCte[i].pSelect->nHeight);
  if (s->pUnionAll) h = COMMON_MAX(h, s->pUnionAll->nHeight - 1);
  s->nHeight = h + 1;
  if (s->nHeight > PARSE_MAX_EXPR_HEIGHT)
    parse_error_at(p, s->iPos, NULL, -1,
                   "statement too deeply nested (limit %d)",
                   PARSE_MAX_EXPR_HEIGHT);
}

/* One SELECT core. */
ast_select *parse_select_new(parse_ctx *p, const parse_token *t, int bDistinct,
                             ast_list *cols, ast_from *from,
                             ast_kwindow *kw, ast_expr *where,
                             ast_list *group, ast_expr *having) {
  ast_select *s = common_arena_zalloc(p->pArena, sizeof(*s));
  s->iPos = t->iPos;
  s->bDistinct = bDistinct != 0;
  s->pCols = cols;
  s->pFrom = from;
  s->pKWindow = kw;
  s->pWhere = where;
  s->pGroupBy = group;
  s->pHaving = having;
  select_height(p, s);
  return s;
}

/* Add one VALUES row: an AE_FUNC "ROW" holding the row's values. */
ast_list *parse_values_row(parse_ctx *p, ast_list *rows,
                           const parse_token *lp, ast_list *row) {
  ast_expr *e = parse_expr_new(p, AE_FUNC, lp->iPos, lp->iPos + 1);
  e->zName = common_arena_strdup(p->pArena, "ROW");
  e->pArgs = row;
  if (row && row->n) e->iEnd = row->a[row->n - 1]->iEnd + 1;
  if (rows && rows->n && rows->a[0]->pArgs && row &&
      rows->a[0]->pArgs->n != row->n) {
    parse_error_at(p, lp->iPos, lp->z, 1,
                   "all VALUES rows must have the same number of values");
  }
  return parse_list_append(p, rows, expr_height(p, e), NULL);
}

/* VALUES (..), (..). */
ast_select *parse_select_values(parse_ctx *p, const parse_token *t,
                                ast_list *rows) {
  ast_select *s = common_arena_zalloc(p->pArena, sizeof(*s));
  s->iPos = t->iPos;
  s->pValues = rows;
  select_height(p, s);
  return s;
}

/* head UNION ALL next: next goes to the end of head's chain. */
ast_select *parse_select_union(parse_ctx *p, ast_select *head,
                               ast_select *next) {
  ast_select *s = p->pUnionHead == head ? p->pUnionTail : head;
  while (s->pUnionAll) s = s->pUnionAll;
  s->pUnionAll = next;
  head->nHeight = COMMON_MAX(head->nHeight, next->nHeight);
  p->pUnionHead = head;
  p->pUnionTail = next;
  return head;
}

/* WITH name AS (select), ... collected as a list of AE_SUBQUERY. */
ast_list *parse_cte_append(parse_ctx *p, ast_list *l, const parse_token *name,
                           ast_select *s) {
  ast_expr *e = parse_expr_new(p, AE_SUBQUERY, name->iPos,
                               name->iPos + name->n);
  e->pSelect = s;
  return parse_list_append(p, l, expr_height(p, e), name);
}

/* Attach the WITH list, ORDER BY and LIMIT/OFFSET to a (compound)
** select's head. */
ast_select *parse_select_finish(parse_ctx *p, ast_select *s, ast_list *ctes,
                                ast_list *order, ast_expr *limit,
                                ast_expr *offset) {
  if (ctes) {
    s->nCte = ctes->n;
    s->aCte = common_arena_zalloc(p->pArena,
                                  sizeof(ast_cte) * (size_t)ctes->n);
    for (int i = 0; i < ctes->n; i++) {
      s->aCte[i].zName = ctes->azAlias[i];
      s->aCte[i].pSelect = ctes->a[i]->pSelect;
    }
  }
  s->pOrderBy = order;
  s->pLimit = limit;
  s->pOffset = offset;
  select_height(p, s);
  return s;
}

/* Attach EMIT (and a ksqlDB LIMIT written after it). */
ast_select *parse_select_emit(parse_ctx *p, ast_select *s, ast_emit *e,
                              ast_expr *limit, ast_expr *offset) {
  s->pEmit = e;
  if (limit) {
    if (s->pLimit) {
      parse_error_at(p, limit->iPos, NULL, -1, "LIMIT given twice");
      return s;
    }
    s->pLimit = limit;
    s->pOffset = offset;
    select_height(p, s);
  }
  return s;
}

/* ---- FROM ---------------------------------------------------------------- */

static ast_from *from_new(parse_ctx *p, ast_from_kind k, int iPos,
                          const parse_token *alias) {
  ast_from *f = common_arena_zalloc(p->pArena, sizeof(*f));
  f->kind = k;
  f->iPos = iPos;
  f->zAlias = (alias && alias->z) ? parse_tok_str(p, alias) : NULL;
  f->nHeight = 1;
  return f;
}

/* name [AS alias]. */
ast_from *parse_from_table(parse_ctx *p, const parse_token *name,
                           const parse_token *alias) {
  ast_from *f = from_new(p, AF_TABLE, name->iPos, alias);
  f->zName = parse_tok_str(p, name);
  return f;
}

/* (select) [AS alias]. */
ast_from *parse_from_subquery(parse_ctx *p, const parse_token *lp,
                              ast_select *s, const parse_token *alias) {
  ast_from *f = from_new(p, AF_SUBQUERY, lp->iPos, alias);
  f->pSelect = s;
  f->nHeight = s->nHeight + 1;
  return f;
}

/* A table-valued function: TUMBLE(t, ts, i), TABLE(HOP(TABLE t, ...)). */
ast_from *parse_from_tvf(parse_ctx *p, ast_expr *func,
                         const parse_token *alias) {
  ast_from *f = from_new(p, AF_TVF, func->iPos, alias);
  f->pFunc = func;
  f->zName = func->zName;
  f->nHeight = func->nHeight + 1;
  if (func->kind != AE_FUNC)
    parse_error_at(p, func->iPos, NULL, -1, "%s is not a table function",
                   func->zName);
  return f;
}

/* l JOIN r [ON on | USING (cols)]. */
ast_from *parse_from_join(parse_ctx *p, ast_from *l, int joinKind,
                          ast_from *r, ast_expr *on, ast_list *using) {
  ast_from *f = from_new(p, AF_JOIN, l->iPos, NULL);
  f->joinKind = (ast_join_kind)joinKind;
  f->pLeft = l;
  f->pRight = r;
  f->pOn = on;
  if (using) {
    f->nUsing = using->n;
    f->azUsing = common_arena_alloc(p->pArena,
                                    sizeof(char *) * (size_t)using->n);
    for (int i = 0; i < using->n; i++) f->azUsing[i] = using->a[i]->zName;
  }
  if (joinKind == AJ_CROSS && (on || using))
    parse_error_at(p, on ? on->iPos : r->iPos, NULL, -1,
                   "a CROSS JOIN takes no ON or USING");
  int h = COMMON_MAX(l->nHeight, r->nHeight);
  f->nHeight = COMMON_MAX(h, h_of(on)) + 1;
  if (f->nHeight > PARSE_MAX_EXPR_HEIGHT)
    parse_error_at(p, r->iPos, NULL, -1, "too many joins (limit %d)",
                   PARSE_MAX_EXPR_HEIGHT);
  return f;
}

/* LEFT [OUTER] | RIGHT [OUTER] | FULL [OUTER] | INNER | CROSS. */
int parse_join_kind(parse_ctx *p, const parse_token *a,
                    const parse_token *b) {
  static const struct { const char *z; int k; } aKind[] = {
    {"LEFT", AJ_LEFT}, {"RIGHT", AJ_RIGHT}, {"FULL", AJ_FULL},
    {"INNER", AJ_INNER}, {"CROSS", AJ_CROSS},
  };
  int k = 0;
  for (int i = 0; i < COMMON_ARRAY_SIZE(aKind); i++) {
    if ((int)strlen(aKind[i].z) == a->n &&
        !common_strnicmp(a->z, aKind[i].z, (size_t)a->n))
      k = aKind[i].k;
  }
  int bOuterOk = k == AJ_LEFT || k == AJ_RIGHT || k == AJ_FULL;
  if (k == 0 || (b && !(bOuterOk && b->n == 5 &&
                        !common_strnicmp(b->z, "OUTER", 5)))) {
    const parse_token *t = k == 0 ? a : b;
    parse_error_at(p, t->iPos, t->z, t->n, "unsupported join type near "
                   "\"%.*s\"", t->n, t->z);
    return AJ_INNER;
  }
  return k;
}

/* ---- ksqlDB WINDOW clause ------------------------------------------------ */

/* WINDOW TUMBLING|HOPPING|SESSION ( ... */
ast_kwindow *parse_kwindow_new(parse_ctx *p, const parse_token *kind) {
  ast_kwindow *w = common_arena_zalloc(p->pArena, sizeof(*w));
  w->iPos = kind->iPos;
  w->grace = -1;
  w->retention = -1;
  char *z = parse_tok_upper(p, kind);
  if (!strcmp(z, "TUMBLING")) w->kind = AKW_TUMBLING;
  else if (!strcmp(z, "HOPPING")) w->kind = AKW_HOPPING;
  else if (!strcmp(z, "SESSION")) w->kind = AKW_SESSION;
  else
    parse_error_at(p, kind->iPos, kind->z, kind->n,
                   "unknown window type \"%.*s\" (TUMBLING, HOPPING or "
                   "SESSION)", kind->n, kind->z);
  return w;
}

/* One item of the window clause; see parse_int.h. */
ast_kwindow *parse_kwindow_item(parse_ctx *p, ast_kwindow *w, int what,
                                ast_expr *iv) {
  int64_t v = iv->iVal;
  int bBad = 0;
  switch (what) {
  case PKW_SIZE: bBad = w->kind == AKW_SESSION; w->size = v; break;
  case PKW_ADVANCE: bBad = w->kind != AKW_HOPPING; w->advance = v; break;
  case PKW_GRACE: w->grace = v; break;
  case PKW_RETENTION: w->retention = v; break;
  default: bBad = w->kind != AKW_SESSION; w->size = v; break;
  }
  if (bBad)
    parse_error_at(p, iv->iPos, NULL, -1,
                   "this item does not belong in a %s window",
                   w->kind == AKW_SESSION ? "SESSION"
                   : w->kind == AKW_HOPPING ? "HOPPING" : "TUMBLING");
  else if (v < 0 || (v == 0 && what != PKW_GRACE && what != PKW_RETENTION))
    parse_error_at(p, iv->iPos, NULL, -1, "window interval must be "
                   "positive");
  return w;
}

/* Check the window has what its kind needs. */
ast_kwindow *parse_kwindow_finish(parse_ctx *p, ast_kwindow *w) {
  if (w->size <= 0)
    parse_error_at(p, w->iPos, NULL, -1, "window needs a %s",
                   w->kind == AKW_SESSION ? "gap" : "SIZE");
  else if (w->kind == AKW_HOPPING && w->advance <= 0)
    parse_error_at(p, w->iPos, NULL, -1, "HOPPING window needs ADVANCE BY");
  return w;
}

/* ---- EMIT ---------------------------------------------------------------- */

/* The emit under construction: the AST struct plus a pending Blink
** "WITH DELAY d" / "WITHOUT DELAY" waiting for BEFORE/AFTER WATERMARK. */
typedef struct emit_build {
  ast_emit e;
  int pending;          /* 0, PEI_WITH_DELAY or PEI_WITHOUT_DELAY */
  int64_t pendingArg;
  int iPendingPos;
  int bPeriodic;        /* EMIT PERIODIC i was said */
} emit_build;

/* EMIT */
ast_emit *parse_emit_new(parse_ctx *p, const parse_token *t) {
  emit_build *b = common_arena_zalloc(p->pArena, sizeof(*b));
  b->e.iPos = t->iPos;
  b->e.style = AEM_PLAIN;
  b->e.lateness = -1;
  return &b->e;
}

/* A bare trigger, carried in the early fields of an ast_emit. */
ast_emit *parse_trigger(parse_ctx *p, int kind, ast_expr *arg) {
  ast_emit *t = common_arena_zalloc(p->pArena, sizeof(*t));
  t->early = (ast_trig_kind)kind;
  t->earlyArg = arg ? arg->iVal : 0;
  t->iPos = arg ? arg->iPos : -1;
  return t;
}

static void set_trig(parse_ctx *p, const parse_token *t, ast_trig_kind *pK,
                     int64_t *pArg, ast_trig_kind k, int64_t arg,
                     const char *zWhich) {
  if (*pK != ATR_NONE && (*pK != k || *pArg != arg)) {
    parse_error_at(p, t->iPos, t->z, t->n, "EMIT has two %s triggers",
                   zWhich);
    return;
  }
  if ((k == ATR_EVERY || k == ATR_AFTER_DELAY || k == ATR_AFTER_ROWS) &&
      arg <= 0) {
    parse_error_at(p, t->iPos, t->z, t->n, "EMIT %s must be positive",
                   k == ATR_AFTER_ROWS ? "row count" : "interval");
    return;
  }
  *pK = k;
  *pArg = arg;
}

static void set_style(parse_ctx *p, ast_emit *e, const parse_token *t,
                      ast_emit_style s) {
  if (e->style != AEM_PLAIN && e->style != s)
    parse_error_at(p, t->iPos, t->z, t->n, "conflicting EMIT spellings "
                   "near \"%.*s\"", t->n, t->z);
  e->style = s;
}

static void set_accum(parse_ctx *p, ast_emit *e, const parse_token *t,
                      ast_accum a) {
  if (e->accum != AACC_DEFAULT && e->accum != a)
    parse_error_at(p, t->iPos, t->z, t->n, "EMIT has two accumulation "
                   "modes");
  e->accum = a;
}

/* Proton: EMIT AFTER WINDOW CLOSE WITH DELAY d -- the window's one result
** waits until the watermark passes its end + d. */
static void close_delay(emit_build *b) {
  b->e.closeDelay = b->pendingArg;
  b->pending = 0;
}

/* Apply one EMIT item; see the table at the top of this file. */
ast_emit *parse_emit_item_add(parse_ctx *p, ast_emit *e, int item,
                              const parse_token *t, ast_expr *iv,
                              ast_emit *trig) {
  emit_build *b = (emit_build *)e;
  int64_t v = iv ? iv->iVal : 0;
  if (b->pending && item != PEI_AFTER_WATERMARK &&
      item != PEI_BEFORE_WATERMARK) {
    if (b->pending == PEI_WITH_DELAY && e->style == AEM_FINAL) {
      close_delay(b);     /* Proton's, followed by more of the clause */
    } else {
      parse_error_at(p, t->iPos, t->z, t->n, "expected BEFORE WATERMARK or "
                     "AFTER WATERMARK near \"%.*s\"", t->n, t->z);
      return e;
    }
  }
  switch (item) {
  case PEI_STREAM: set_style(p, e, t, AEM_STREAM); break;
  case PEI_CHANGES:
  case PEI_ON_UPDATE:
  case PEI_PER_EVENT:
  case PEI_CHANGELOG: set_style(p, e, t, AEM_CHANGES); break;
  case PEI_FINAL:
  case PEI_ON_WINDOW_CLOSE:
  case PEI_AFTER_WINDOW_CLOSE:
    set_style(p, e, t, AEM_FINAL);
    e->bOnTime = 1;
    break;
  case PEI_AFTER_WATERMARK:
    e->bOnTime = 1;
    if (b->pending == PEI_WITH_DELAY)
      set_trig(p, t, &e->late, &e->lateArg, ATR_AFTER_DELAY, b->pendingArg,
               "LATE");
    else if (b->pending == PEI_WITHOUT_DELAY)
      set_trig(p, t, &e->late, &e->lateArg, ATR_EVERY_ROW, 0, "LATE");
    b->pending = 0;
    break;
  case PEI_BEFORE_WATERMARK:
    if (b->pending == PEI_WITH_DELAY)
      set_trig(p, t, &e->early, &e->earlyArg, ATR_AFTER_DELAY,
               b->pendingArg, "EARLY");
    else if (b->pending == PEI_WITHOUT_DELAY)
      set_trig(p, t, &e->early, &e->earlyArg, ATR_EVERY_ROW, 0, "EARLY");
    else
      parse_error_at(p, t->iPos, t->z, t->n, "BEFORE WATERMARK needs WITH "
                     "DELAY or WITHOUT DELAY in front");
    b->pending = 0;
    break;
  case PEI_AFTER_DELAY:
    set_trig(p, t, &e->early, &e->earlyArg, ATR_AFTER_DELAY, v, "EARLY");
    break;
  case PEI_AFTER_ROWS:
    set_trig(p, t, &e->early, &e->earlyArg, ATR_AFTER_ROWS, v, "EARLY");
    break;
  case PEI_PERIODIC:
    set_trig(p, t, &e->early, &e->earlyArg, ATR_EVERY, v, "EARLY");
    ((emit_build *)e)->bPeriodic = 1;
    break;
  case PEI_EARLY:
    set_trig(p, t, &e->early, &e->earlyArg, trig->early, trig->earlyArg,
             "EARLY");
    break;
  case PEI_LATE:
    set_trig(p, t, &e->late, &e->lateArg, trig->early, trig->earlyArg,
             "LATE");
    break;
  case PEI_LATENESS:
    if (v < 0)
      parse_error_at(p, iv->iPos, NULL, -1, "lateness must not be "
                     "negative");
    else if (e->lateness >= 0 && e->lateness != v)
      parse_error_at(p, iv->iPos, NULL, -1, "EMIT has two allowed "
                     "latenesses (ALLOWED LATENESS / GRACE PERIOD)");
    e->lateness = v;
    break;
  case PEI_DISCARDING: set_accum(p, e, t, AACC_DISCARDING); break;
  case PEI_ACCUMULATING: set_accum(p, e, t, AACC_ACCUMULATING); break;
  case PEI_RETRACTING: set_accum(p, e, t, AACC_RETRACTING); break;
  case PEI_WITH_DELAY:
  case PEI_WITHOUT_DELAY:
    b->pending = item;
    b->pendingArg = v;
    b->iPendingPos = t->iPos;
    if (item == PEI_WITH_DELAY && v < 0)
      parse_error_at(p, iv->iPos, NULL, -1, "delay must not be negative");
    break;
  default: break;
  }
  return e;
}

/* Resolve what is left pending and apply the spelling defaults. */
ast_emit *parse_emit_finish(parse_ctx *p, ast_emit *e) {
  emit_build *b = (emit_build *)e;
  if (b->pending == PEI_WITH_DELAY && e->style == AEM_FINAL) {
    close_delay(b);
  } else if (b->pending) {
    parse_error_at(p, b->iPendingPos, NULL, -1, "expected BEFORE WATERMARK "
                   "or AFTER WATERMARK after the delay");
  }
  b->pending = 0;
  if (e->closeDelay > 0 && e->lateness >= 0)
    parse_error_at(p, e->iPos, NULL, -1, "AFTER WINDOW CLOSE WITH DELAY "
                   "already sets how late rows may come; drop ALLOWED "
                   "LATENESS / GRACE PERIOD");
  if (e->style == AEM_CHANGES || e->style == AEM_STREAM) {
    if (e->early == ATR_NONE && !e->bOnTime) e->early = ATR_EVERY_ROW;
    if (e->accum == AACC_DEFAULT) e->accum = AACC_RETRACTING;
  }
  /* Proton's EMIT PERIODIC i shows the window's running result. */
  if (b->bPeriodic && e->accum == AACC_DEFAULT) e->accum = AACC_ACCUMULATING;
  if (e->style == AEM_FINAL && e->early != ATR_NONE)
    parse_error_at(p, e->iPos, NULL, -1, "EMIT FINAL, ON WINDOW CLOSE and "
                   "AFTER WINDOW CLOSE fire when the window closes: no "
                   "EARLY trigger");
  return e;
}

/* ---- types, columns, options --------------------------------------------- */

/* A type name with up to two numeric arguments. */
ast_coldef *parse_type(parse_ctx *p, const parse_token *name, int nArg,
                       const parse_token *a1, const parse_token *a2) {
  static const struct { const char *z; int t; } aType[] = {
    {"BOOLEAN", AST_TYPE_BOOLEAN}, {"BOOL", AST_TYPE_BOOLEAN},
    {"BIGINT", AST_TYPE_BIGINT}, {"INT", AST_TYPE_BIGINT},
    {"INTEGER", AST_TYPE_BIGINT}, {"SMALLINT", AST_TYPE_BIGINT},
    {"TINYINT", AST_TYPE_BIGINT}, {"DOUBLE", AST_TYPE_DOUBLE},
    {"REAL", AST_TYPE_DOUBLE}, {"FLOAT", AST_TYPE_DOUBLE},
    {"DECIMAL", AST_TYPE_DOUBLE}, {"NUMERIC", AST_TYPE_DOUBLE},
    {"VARCHAR", AST_TYPE_VARCHAR}, {"TEXT", AST_TYPE_VARCHAR},
    {"STRING", AST_TYPE_VARCHAR}, {"CHAR", AST_TYPE_VARCHAR},
    {"TIMESTAMP", AST_TYPE_TIMESTAMP}, {"TIMESTAMP_LTZ", AST_TYPE_TIMESTAMP},
    {"INTERVAL", AST_TYPE_INTERVAL},
  };
  ast_coldef *c = common_arena_zalloc(p->pArena, sizeof(*c));
  c->iPos = name->iPos;
  char *zUp = parse_tok_upper(p, name);
  for (int i = 0; i < COMMON_ARRAY_SIZE(aType); i++)
    if (!strcmp(zUp, aType[i].z)) c->iType = aType[i].t;
  if (!c->iType)
    parse_error_at(p, name->iPos, name->z, name->n, "unknown type \"%.*s\"",
                   name->n, name->z);
  if (nArg == 2)
    c->zTypeName = common_arena_printf(p->pArena, "%s(%.*s, %.*s)", zUp,
                                       a1->n, a1->z, a2->n, a2->z);
  else if (nArg == 1)
    c->zTypeName = common_arena_printf(p->pArena, "%s(%.*s)", zUp, a1->n,
                                       a1->z);
  else
    c->zTypeName = zUp;
  return c;
}

/* A statement under construction (CREATE SOURCE's column list). */
ast_stmt *parse_stmt_new(parse_ctx *p, ast_stmt_kind k, const parse_token *t) {
  ast_stmt *s = common_arena_zalloc(p->pArena, sizeof(*s));
  s->kind = k;
  s->iPos = t ? t->iPos : p->iCurPos;
  return s;
}

/* Append column name of type (NULL for a computed column). */
ast_stmt *parse_coldef_add(parse_ctx *p, ast_stmt *s, const parse_token *name,
                           ast_coldef *type) {
  for (int i = 0; i < s->nCol; i++) {
    char *z = parse_tok_str(p, name);
    if (!common_stricmp(s->aCol[i].zName, z))
      parse_error_at(p, name->iPos, name->z, name->n,
                     "duplicate column \"%s\"", z);
  }
  if ((s->nCol & (s->nCol - 1)) == 0) {
    /* Grow at powers of two. */
    int nNew = s->nCol ? s->nCol * 2 : 4;
    ast_coldef *a = common_arena_zalloc(p->pArena,
                                        sizeof(*a) * (size_t)nNew);
    if (s->nCol) memcpy(a, s->aCol, sizeof(*a) * (size_t)s->nCol);
    s->aCol = a;
  }
  ast_coldef *c = &s->aCol[s->nCol++];
  if (type) *c = *type;
  c->zName = parse_tok_str(p, name);
  c->iPos = name->iPos;
  return s;
}

/* Modifier of the last column; see parse_int.h. */
ast_stmt *parse_coldef_mod(parse_ctx *p, ast_stmt *s, int what,
                           const parse_token *t, ast_expr *x) {
  if (s->nCol == 0) return s;
  ast_coldef *c = &s->aCol[s->nCol - 1];
  switch (what) {
  case PCM_KEY: c->bKey = 1; break;
  case PCM_METADATA:
    c->zMetadata = t->z[0] == '\'' ? parse_tok_str(p, t) : c->zName;
    break;
  case PCM_COMPUTED: c->pComputed = x; break;
  default: break;
  }
  return s;
}

/* WATERMARK FOR col AS x. */
ast_stmt *parse_watermark(parse_ctx *p, ast_stmt *s, const parse_token *col,
                          ast_expr *x) {
  if (s->zWmColumn)
    parse_error_at(p, col->iPos, col->z, col->n, "only one WATERMARK per "
                   "source");
  s->zWmColumn = parse_tok_str(p, col);
  s->pWmExpr = x;
  return s;
}

/* PRIMARY KEY (a, b): marks the named columns as keys. */
ast_stmt *parse_primary_key(parse_ctx *p, ast_stmt *s, ast_list *cols) {
  for (int i = 0; i < cols->n; i++) {
    int j;
    for (j = 0; j < s->nCol; j++)
      if (!common_stricmp(s->aCol[j].zName, cols->a[i]->zName)) break;
    if (j == s->nCol) {
      parse_error_at(p, cols->a[i]->iPos, NULL, -1, "PRIMARY KEY column "
                     "\"%s\" is not declared", cols->a[i]->zName);
      return s;
    }
    s->aCol[j].bKey = 1;
  }
  return s;
}

/* Names kept as AE_COLUMN items. */
ast_list *parse_idlist_append(parse_ctx *p, ast_list *l,
                              const parse_token *name) {
  return parse_list_append(p, l, parse_expr_column(p, NULL, name), NULL);
}

/* key = value (numbers kept as text, TRUE/FALSE lower case). */
ast_option *parse_option_new(parse_ctx *p, const char *zKey, int iPos,
                             const parse_token *val, int bNeg) {
  ast_option *o = common_arena_zalloc(p->pArena, sizeof(*o));
  o->zKey = (char *)zKey;
  o->iPos = iPos;
  char *z = parse_tok_str(p, val);
  if (val->z[0] != '\'' && val->z[0] != '"' && val->z[0] != '`') {
    int k = parse_keyword_code(val->z, val->n);
    if (k == TK_TRUE || k == TK_FALSE)
      for (char *c = z; *c; c++) *c = (char)tolower((unsigned char)*c);
  }
  if (bNeg) {
    if (!isdigit((unsigned char)val->z[0]) && val->z[0] != '.')
      parse_error_at(p, val->iPos, val->z, val->n, "syntax error near "
                     "\"%.*s\"", val->n, val->z);
    z = common_arena_printf(p->pArena, "-%s", z);
  }
  o->zValue = z;
  return o;
}

/* Options are collected as an ast_list whose items point at them. */
ast_list *parse_option_append(parse_ctx *p, ast_list *l, ast_option *o) {
  ast_expr *e = parse_expr_new(p, AE_STRING, o->iPos, o->iPos);
  e->zVal = (char *)o;
  return parse_list_append(p, l, e, NULL);
}

/* Append the options of opts to s->aOpt (a key given twice is an error). */
void parse_stmt_set_options(parse_ctx *p, ast_stmt *s, ast_list *opts) {
  if (!opts || !opts->n) return;
  ast_option *a = common_arena_zalloc(
      p->pArena, sizeof(*a) * (size_t)(s->nOpt + opts->n));
  if (s->nOpt) memcpy(a, s->aOpt, sizeof(*a) * (size_t)s->nOpt);
  for (int i = 0; i < opts->n; i++) {
    ast_option *o = (ast_option *)opts->a[i]->zVal;
    for (int j = 0; j < s->nOpt; j++)
      if (!strcmp(a[j].zKey, o->zKey))
        parse_error_at(p, o->iPos, NULL, -1, "option '%s' given twice",
                       o->zKey);
    a[s->nOpt++] = *o;
  }
  s->aOpt = a;
}

/* ---- statements ---------------------------------------------------------- */

static int spelling_of(const parse_token *kw) {
  int k = parse_keyword_code(kw->z, kw->n);
  return k == TK_STREAM ? ASP_STREAM : k == TK_TABLE ? ASP_TABLE : ASP_SOURCE;
}

/* CREATE [OR REPLACE] SOURCE|STREAM|TABLE [IF NOT EXISTS] name (...)
** WITH (...). */
ast_stmt *parse_create_source(parse_ctx *p, ast_stmt *s, int bOrReplace,
                              const parse_token *kw, int bIfNotExists,
                              const parse_token *name, ast_list *opts) {
  s->kind = AS_CREATE_SOURCE;
  s->zName = parse_tok_str(p, name);
  s->spelling = (ast_src_spelling)spelling_of(kw);
  s->objKind = s->spelling == ASP_STREAM ? AO_STREAM
               : s->spelling == ASP_TABLE ? AO_TABLE : AO_SOURCE;
  s->bOrReplace = bOrReplace != 0;
  s->bIfNotExists = bIfNotExists != 0;
  parse_stmt_set_options(p, s, opts);
  return s;
}

/* CREATE SINK name FROM from WITH (...) | AS select WITH (...). */
ast_stmt *parse_create_sink(parse_ctx *p, const parse_token *t,
                            int bIfNotExists, const parse_token *name,
                            const parse_token *from, ast_select *sel,
                            ast_list *opts, ast_list *opts2) {
  ast_stmt *s = parse_stmt_new(p, AS_CREATE_SINK, t);
  s->objKind = AO_SINK;
  s->zName = parse_tok_str(p, name);
  s->zFrom = from ? parse_tok_str(p, from) : NULL;
  s->pSelect = sel;
  s->bIfNotExists = bIfNotExists != 0;
  parse_stmt_set_options(p, s, opts);
  parse_stmt_set_options(p, s, opts2);
  return s;
}

/* CREATE [MATERIALIZED] VIEW name [WITH (...)] AS select [WITH (...)]. */
ast_stmt *parse_create_view(parse_ctx *p, const parse_token *t, int bOrReplace,
                            int bMat, int bIfNotExists,
                            const parse_token *name, ast_list *opts,
                            ast_select *sel, ast_list *opts2) {
  ast_stmt *s = parse_stmt_new(p, AS_CREATE_VIEW, t);
  s->objKind = AO_VIEW;
  s->zName = parse_tok_str(p, name);
  s->bOrReplace = bOrReplace != 0;
  s->bMaterialized = bMat != 0;
  s->bIfNotExists = bIfNotExists != 0;
  s->pSelect = sel;
  parse_stmt_set_options(p, s, opts);
  parse_stmt_set_options(p, s, opts2);
  return s;
}

/* INSERT INTO name [(cols)] select|VALUES. */
ast_stmt *parse_insert(parse_ctx *p, const parse_token *t,
                       const parse_token *name, ast_list *cols,
                       ast_select *sel) {
  ast_stmt *s = parse_stmt_new(p, AS_INSERT, t);
  s->zName = parse_tok_str(p, name);
  s->pSelect = sel;
  if (cols) {
    s->nInsCol = cols->n;
    s->azInsCol = common_arena_alloc(p->pArena,
                                     sizeof(char *) * (size_t)cols->n);
    for (int i = 0; i < cols->n; i++) s->azInsCol[i] = cols->a[i]->zName;
  }
  return s;
}

/* DROP kind [IF EXISTS] name. */
ast_stmt *parse_drop(parse_ctx *p, const parse_token *t, int objKind,
                     int bIfExists, const parse_token *name) {
  ast_stmt *s = parse_stmt_new(p, AS_DROP, t);
  s->objKind = (ast_obj_kind)objKind;
  s->bIfExists = bIfExists != 0;
  s->zName = parse_tok_str(p, name);
  return s;
}

/* SHOW SOURCES|STREAMS|TABLES|SINKS|VIEWS|QUERIES. */
ast_stmt *parse_show(parse_ctx *p, const parse_token *t,
                     const parse_token *what) {
  static const struct { const char *z; int k; } aWhat[] = {
    {"SOURCES", AO_SOURCE}, {"STREAMS", AO_STREAM}, {"TABLES", AO_TABLE},
    {"SINKS", AO_SINK}, {"VIEWS", AO_VIEW}, {"QUERIES", AO_QUERY},
  };
  ast_stmt *s = parse_stmt_new(p, AS_SHOW, t);
  char *z = parse_tok_upper(p, what);
  for (int i = 0; i < COMMON_ARRAY_SIZE(aWhat); i++)
    if (!strcmp(z, aWhat[i].z)) s->objKind = (ast_obj_kind)aWhat[i].k;
  if (!s->objKind)
    parse_error_at(p, what->iPos, what->z, what->n,
                   "SHOW what? \"%.*s\" is not SOURCES, STREAMS, TABLES, "
                   "SINKS, VIEWS or QUERIES", what->n, what->z);
  return s;
}

/* DESCRIBE name, STOP QUERY name. */
ast_stmt *parse_named_stmt(parse_ctx *p, ast_stmt_kind k,
                           const parse_token *t, const parse_token *name) {
  ast_stmt *s = parse_stmt_new(p, k, t);
  s->zName = parse_tok_str(p, name);
  if (k == AS_STOP_QUERY) s->objKind = AO_QUERY;
  return s;
}

/* EXPLAIN [ANALYZE] inner. */
ast_stmt *parse_explain(parse_ctx *p, const parse_token *t, int bAnalyze,
                        ast_stmt *inner) {
  ast_stmt *s = parse_stmt_new(p, AS_EXPLAIN, t);
  s->bAnalyze = bAnalyze != 0;
  s->pInner = inner;
  return s;
}

/* SET key = x. */
ast_stmt *parse_set(parse_ctx *p, const parse_token *t, const char *zKey,
                    ast_expr *x) {
  ast_stmt *s = parse_stmt_new(p, AS_SET, t);
  s->zName = (char *)zKey;
  s->pExpr = x;
  return s;
}

/* ADVANCE TIME TO|BY x, ADVANCE WATERMARK [OF name] TO x. */
ast_stmt *parse_advance(parse_ctx *p, const parse_token *t, ast_stmt_kind k,
                        const parse_token *name, int bBy, ast_expr *x) {
  ast_stmt *s = parse_stmt_new(p, k, t);
  s->zName = name ? parse_tok_str(p, name) : NULL;
  s->bBy = bBy != 0;
  s->pExpr = x;
  return s;
}

/* A query as a statement. */
ast_stmt *parse_select_stmt(parse_ctx *p, ast_select *sel) {
  ast_stmt *s = parse_stmt_new(p, AS_SELECT, NULL);
  s->iPos = sel->iPos;
  s->pSelect = sel;
  return s;
}
