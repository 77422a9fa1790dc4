/*
** parser/parser.c — the parser's entry points (parser/parser.h): the
** driver that runs the tokenizer (tokenize.c) into the lemon parser
** (parse.y) one statement at a time, error formatting with a caret,
** parse_complete, and parse_stmt_dump, which renders an AST back to
** normalised SQL for tests and EXPLAIN.
*/
#include "parser/parse_int.h"
#include "parse.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the driver ---------------------------------------------------------- */

/* Type and length of the next non-space token at z (type 0 at the end);
** *pOff gets its offset from z. */
static int peek_token(const unsigned char *z, int *pOff, int *pLen) {
  int off = 0;
  for (;;) {
    int type;
    const char *zErr;
    if (!z[off]) {
      *pOff = off;
      *pLen = 0;
      return 0;
    }
    int n = parse_get_token(z + off, &type, &zErr);
    if (type != TK_SPACE) {
      *pOff = off;
      *pLen = n;
      return type;
    }
    off += n;
  }
}

static int peek_type(const unsigned char *z) {
  int off, n;
  return peek_token(z, &off, &n);
}

/* EMIT and WINDOW are keywords only in front of what can follow them in
** an EMIT clause or a ksqlDB window clause; elsewhere they are names. */
static int classify_keyword(int type, const unsigned char *zNext) {
  int off, n;
  int next = peek_token(zNext, &off, &n);
  if (type == TK_EMIT) {
    switch (next) {
    case TK_STREAM: case TK_CHANGES: case TK_FINAL: case TK_AFTER:
    case TK_ON: case TK_EARLY: case TK_LATE: case TK_ALLOWED: case TK_GRACE:
    case TK_DISCARDING: case TK_ACCUMULATING: case TK_RETRACTING:
    case TK_PERIODIC: case TK_PER: case TK_CHANGELOG: case TK_WITH:
    case TK_WITHOUT: case TK_BEFORE:
      return TK_EMIT;
    default:
      return TK_ID;
    }
  }
  if (type == TK_WINDOW) {
    if (next == TK_CLOSE) return TK_WINDOW;
    if (next == TK_ID && peek_type(zNext + off + n) == TK_LP)
      return TK_WINDOW;
    return TK_ID;
  }
  return type;
}

/* Offset just past the next top-level ';' at or after i, or the end. */
static int skip_to_semi(const unsigned char *z, int i) {
  while (z[i]) {
    int type;
    const char *zErr;
    int n = parse_get_token(z + i, &type, &zErr);
    i += n;
    if (type == TK_SEMI) break;
  }
  return i;
}

/* Parse the first statement of zSql; see parser.h. */
int parse_statement(parse_result *r, const char *zSql, const char **pzTail) {
  const unsigned char *z = (const unsigned char *)zSql;
  parse_ctx ctx;
  void *pParser = NULL;
  int i = 0, iLastEnd = 0, iFirst = 0, depth = 0;
  int iIntEnd = -1;             /* end of the last token if an integer */

  memset(r, 0, sizeof(*r));
  common_arena_init(&r->arena, 4096);
  r->err.iPos = -1;
  memset(&ctx, 0, sizeof(ctx));
  ctx.pRes = r;
  ctx.pArena = &r->arena;
  ctx.zSql = zSql;

  for (;;) {
    int type = 0, n = 0;
    const char *zErr = NULL;
    if (z[i]) n = parse_get_token(z + i, &type, &zErr);
    if (n == 0) {
      /* End of text: finish the statement, if one was started. */
      if (pParser) {
        parse_token t = {zSql + iLastEnd, 0, iLastEnd};
        ctx.iCurPos = iLastEnd;
        parse_Lemon(pParser, 0, t);
      }
      break;
    }
    if (type == TK_SPACE) {
      i += n;
      continue;
    }
    if (type == TK_ID && i == iIntEnd && parse_unit_suffix(zSql + i, n)) {
      type = TK_UNIT;           /* 2s: the digits just ended here */
    }
    iIntEnd = type == TK_INTEGER ? i + n : -1;
    if (type == TK_ILLEGAL) {
      ctx.iCurPos = i;
      parse_error_at(&ctx, i, zSql + i, n > 64 ? 64 : n, "%s", zErr);
      i = zErr && !strncmp(zErr, "unterminated", 12) ? i + n
                                                     : skip_to_semi(z, i);
      break;
    }
    if (!pParser) {
      if (type == TK_SEMI) {   /* an empty statement */
        i += n;
        break;
      }
      pParser = parse_LemonAlloc(common_malloc, &ctx);
      iFirst = i;
    }
    if (type == TK_WITH && peek_type(z + i + n) == TK_DELAY) type = TK_WITHD;
    if (type == TK_EMIT || type == TK_WINDOW)
      type = classify_keyword(type, z + i + n);
    if (type == TK_LP && ++depth > PARSE_MAX_PAREN_DEPTH) {
      parse_error_at(&ctx, i, zSql + i, 1, "too many nested parentheses "
                     "(limit %d)", PARSE_MAX_PAREN_DEPTH);
      i = skip_to_semi(z, i);
      break;
    }
    if (type == TK_RP) depth--;
    parse_token t = {zSql + i, n, i};
    ctx.iCurPos = i;
    parse_Lemon(pParser, type, t);
    i += n;
    if (ctx.nErr) {
      if (type != TK_SEMI) i = skip_to_semi(z, i);
      break;
    }
    if (type == TK_SEMI) {
      parse_token e = {zSql + i, 0, i};
      parse_Lemon(pParser, 0, e);
      break;
    }
    iLastEnd = i;
  }
  if (pParser) parse_LemonFree(pParser, common_free);
  if (pzTail) *pzTail = zSql + i;

  if (ctx.nErr) {
    r->pStmt = NULL;
    if (r->err.iPos < 0) r->err.iPos = 0;
    common_line_col(zSql, r->err.iPos, &r->err.iLine, &r->err.iCol);
    return 1;
  }
  r->pStmt = ctx.pStmt;
  if (r->pStmt) {
    r->pStmt->iPos = iFirst;
    r->pStmt->iEnd = iLastEnd;
  }
  return 0;
}

/* Free everything a parse_statement call allocated. */
void parse_result_free(parse_result *r) {
  common_arena_free(&r->arena);
  memset(r, 0, sizeof(*r));
  r->err.iPos = -1;
}

/* "line L, column C: MSG" + source line + caret; see parser.h. */
void parse_error_format(common_buf *b, const char *zSql,
                        const parse_error *e) {
  int iLine = e->iLine, iCol = e->iCol;
  if (e->iPos >= 0 && iLine == 0)
    common_line_col(zSql, e->iPos, &iLine, &iCol);
  common_buf_printf(b, "line %d, column %d: %s\n", iLine, iCol,
                    e->zMsg ? e->zMsg : "error");
  if (e->iPos >= 0) common_caret(b, zSql, e->iPos);
}

/* Does zSql end with a complete statement? (SQLite's own test.) */
int parse_complete(const char *zSql) {
  return sqlite3_complete(zSql);
}

/* ---- dump ---------------------------------------------------------------- */

static void dump_expr(common_buf *b, const ast_expr *e);
static void dump_select(common_buf *b, const ast_select *s);

static const char *op_text(int op) {
  switch (op) {
  case TK_PLUS: return "+";
  case TK_MINUS: return "-";
  case TK_STAR: return "*";
  case TK_SLASH: return "/";
  case TK_REM: return "%";
  case TK_CONCAT: return "||";
  case TK_EQ: return "=";
  case TK_NE: return "<>";
  case TK_LT: return "<";
  case TK_LE: return "<=";
  case TK_GT: return ">";
  case TK_GE: return ">=";
  case TK_AND: return "AND";
  case TK_OR: return "OR";
  case TK_NOT: return "NOT";
  case TK_IS: return "IS";
  case TK_ISNOT: return "IS NOT";
  case TK_BITNOT: return "~";
  default: return "?";
  }
}

static void dump_string(common_buf *b, const char *z) {
  common_buf_putc(b, '\'');
  for (; z && *z; z++) {
    if (*z == '\'') common_buf_putc(b, '\'');
    common_buf_putc(b, *z);
  }
  common_buf_putc(b, '\'');
}

/* An interval in the largest unit that divides it. */
static void dump_interval(common_buf *b, int64_t us) {
  static const struct { const char *z; int64_t us; } a[] = {
    {"DAY", INT64_C(86400000000)}, {"HOUR", INT64_C(3600000000)},
    {"MINUTE", INT64_C(60000000)}, {"SECOND", INT64_C(1000000)},
    {"MILLISECOND", 1000}, {"MICROSECOND", 1},
  };
  for (int i = 0; i < COMMON_ARRAY_SIZE(a); i++) {
    if (us % a[i].us == 0) {
      common_buf_printf(b, "INTERVAL '%lld' %s", (long long)(us / a[i].us),
                        a[i].z);
      return;
    }
  }
}

static void dump_list(common_buf *b, const ast_list *l) {
  for (int i = 0; l && i < l->n; i++) {
    if (i) common_buf_puts(b, ", ");
    dump_expr(b, l->a[i]);
    if (l->azAlias[i]) common_buf_printf(b, " AS %s", l->azAlias[i]);
    if (l->aDesc[i]) common_buf_puts(b, " DESC");
  }
}

static void dump_bound(common_buf *b, const ast_frame_bound *f) {
  switch (f->kind) {
  case ABD_UNBOUNDED_PRECEDING: common_buf_puts(b, "UNBOUNDED PRECEDING");
    break;
  case ABD_UNBOUNDED_FOLLOWING: common_buf_puts(b, "UNBOUNDED FOLLOWING");
    break;
  case ABD_CURRENT_ROW: common_buf_puts(b, "CURRENT ROW"); break;
  case ABD_PRECEDING:
  case ABD_FOLLOWING:
    dump_expr(b, f->pExpr);
    common_buf_puts(b, f->kind == ABD_PRECEDING ? " PRECEDING"
                                                : " FOLLOWING");
    break;
  }
}

static void dump_expr(common_buf *b, const ast_expr *e) {
  if (!e) {
    common_buf_puts(b, "<null>");
    return;
  }
  switch (e->kind) {
  case AE_NULL: common_buf_puts(b, "NULL"); break;
  case AE_INT: common_buf_printf(b, "%lld", (long long)e->iVal); break;
  case AE_FLOAT: {
    /* The shortest of %.15g / %.17g that reads back as the same double,
    ** always with a '.' or exponent so it stays a FLOAT. */
    char z[40];
    snprintf(z, sizeof z, "%.15g", e->rVal);
    if (strtod(z, NULL) != e->rVal) snprintf(z, sizeof z, "%.17g", e->rVal);
    if (!strpbrk(z, ".eEn")) strcat(z, ".0");
    common_buf_puts(b, z);
    break;
  }
  case AE_STRING: dump_string(b, e->zVal); break;
  case AE_BOOL: common_buf_puts(b, e->iVal ? "TRUE" : "FALSE"); break;
  case AE_TIMESTAMP: {
    char z[40];
    common_ts_format(z, e->iVal);
    common_buf_printf(b, "TIMESTAMP '%s'", z);
    break;
  }
  case AE_INTERVAL: dump_interval(b, e->iVal); break;
  case AE_COLUMN:
    if (e->zTable) common_buf_printf(b, "%s.", e->zTable);
    common_buf_puts(b, e->zName);
    break;
  case AE_UNARY:
    common_buf_printf(b, "(%s ", op_text(e->op));
    dump_expr(b, e->pLeft);
    common_buf_putc(b, ')');
    break;
  case AE_BINARY:
    common_buf_putc(b, '(');
    dump_expr(b, e->pLeft);
    common_buf_printf(b, " %s ", op_text(e->op));
    dump_expr(b, e->pRight);
    common_buf_putc(b, ')');
    break;
  case AE_FUNC:
    common_buf_printf(b, "%s(", e->zName);
    if (e->bDistinct) common_buf_puts(b, "DISTINCT ");
    if (e->bStar) common_buf_putc(b, '*');
    dump_list(b, e->pArgs);
    common_buf_putc(b, ')');
    if (e->pFilter) {
      common_buf_puts(b, " FILTER (WHERE ");
      dump_expr(b, e->pFilter);
      common_buf_putc(b, ')');
    }
    if (e->pOver) {
      common_buf_puts(b, " OVER (");
      if (e->pOver->pPartition) {
        common_buf_puts(b, "PARTITION BY ");
        dump_list(b, e->pOver->pPartition);
      }
      if (e->pOver->pOrder) {
        if (e->pOver->pPartition) common_buf_putc(b, ' ');
        common_buf_puts(b, "ORDER BY ");
        dump_list(b, e->pOver->pOrder);
      }
      if (e->pOver->frameUnit) {
        if (e->pOver->pPartition || e->pOver->pOrder) common_buf_putc(b, ' ');
        common_buf_puts(b, e->pOver->frameUnit == AFU_ROWS
                               ? "ROWS BETWEEN " : "RANGE BETWEEN ");
        dump_bound(b, &e->pOver->frameStart);
        common_buf_puts(b, " AND ");
        dump_bound(b, &e->pOver->frameEnd);
      }
      common_buf_putc(b, ')');
    }
    break;
  case AE_CASE:
    common_buf_puts(b, "CASE");
    if (e->pLeft) {
      common_buf_putc(b, ' ');
      dump_expr(b, e->pLeft);
    }
    for (int i = 0; e->pArgs && i + 1 < e->pArgs->n; i += 2) {
      common_buf_puts(b, " WHEN ");
      dump_expr(b, e->pArgs->a[i]);
      common_buf_puts(b, " THEN ");
      dump_expr(b, e->pArgs->a[i + 1]);
    }
    if (e->pRight) {
      common_buf_puts(b, " ELSE ");
      dump_expr(b, e->pRight);
    }
    common_buf_puts(b, " END");
    break;
  case AE_CAST:
    common_buf_puts(b, "CAST(");
    dump_expr(b, e->pLeft);
    common_buf_printf(b, " AS %s)", e->zTypeName);
    break;
  case AE_BETWEEN:
    common_buf_putc(b, '(');
    dump_expr(b, e->pLeft);
    common_buf_puts(b, e->bNot ? " NOT BETWEEN " : " BETWEEN ");
    dump_expr(b, e->pArgs->a[0]);
    common_buf_puts(b, " AND ");
    dump_expr(b, e->pArgs->a[1]);
    common_buf_putc(b, ')');
    break;
  case AE_IN:
    common_buf_putc(b, '(');
    dump_expr(b, e->pLeft);
    common_buf_puts(b, e->bNot ? " NOT IN (" : " IN (");
    if (e->pSelect) dump_select(b, e->pSelect);
    else dump_list(b, e->pArgs);
    common_buf_puts(b, "))");
    break;
  case AE_LIKE:
    common_buf_putc(b, '(');
    dump_expr(b, e->pLeft);
    common_buf_puts(b, e->bNot ? " NOT LIKE " : " LIKE ");
    dump_expr(b, e->pRight);
    if (e->pArgs) {
      common_buf_puts(b, " ESCAPE ");
      dump_expr(b, e->pArgs->a[0]);
    }
    common_buf_putc(b, ')');
    break;
  case AE_ISNULL:
    common_buf_putc(b, '(');
    dump_expr(b, e->pLeft);
    common_buf_puts(b, e->bNot ? " IS NOT NULL)" : " IS NULL)");
    break;
  case AE_SUBQUERY:
    common_buf_putc(b, '(');
    dump_select(b, e->pSelect);
    common_buf_putc(b, ')');
    break;
  case AE_EXISTS:
    common_buf_puts(b, e->bNot ? "NOT EXISTS (" : "EXISTS (");
    dump_select(b, e->pSelect);
    common_buf_putc(b, ')');
    break;
  case AE_EXTRACT:
    common_buf_printf(b, "EXTRACT(%s FROM ", e->zName);
    dump_expr(b, e->pLeft);
    common_buf_putc(b, ')');
    break;
  case AE_DESCRIPTOR:
    common_buf_puts(b, "DESCRIPTOR(");
    dump_list(b, e->pArgs);
    common_buf_putc(b, ')');
    break;
  case AE_TABLEARG: common_buf_printf(b, "TABLE %s", e->zName); break;
  case AE_NAMED:
    common_buf_printf(b, "%s => ", e->zName);
    dump_expr(b, e->pLeft);
    break;
  case AE_PROCTIME: common_buf_puts(b, "PROCTIME()"); break;
  default: common_buf_printf(b, "<expr %d>", (int)e->kind); break;
  }
}

static void dump_from(common_buf *b, const ast_from *f) {
  static const char *azJoin[] = {"", "JOIN", "LEFT JOIN", "RIGHT JOIN",
                                 "FULL JOIN", "CROSS JOIN"};
  switch (f->kind) {
  case AF_TABLE: common_buf_puts(b, f->zName); break;
  case AF_SUBQUERY:
    common_buf_putc(b, '(');
    dump_select(b, f->pSelect);
    common_buf_putc(b, ')');
    break;
  case AF_TVF: dump_expr(b, f->pFunc); break;
  case AF_JOIN:
    /* Joins are always left-deep (the grammar has no parenthesised
    ** joins), so no parentheses are needed to show the structure. */
    dump_from(b, f->pLeft);
    common_buf_printf(b, " %s ", azJoin[f->joinKind]);
    dump_from(b, f->pRight);
    if (f->pOn) {
      common_buf_puts(b, " ON ");
      dump_expr(b, f->pOn);
    }
    if (f->nUsing) {
      common_buf_puts(b, " USING (");
      for (int i = 0; i < f->nUsing; i++)
        common_buf_printf(b, "%s%s", i ? ", " : "", f->azUsing[i]);
      common_buf_putc(b, ')');
    }
    break;
  }
  if (f->zAlias) common_buf_printf(b, " AS %s", f->zAlias);
}

static const char *trig_text(ast_trig_kind k) {
  switch (k) {
  case ATR_EVERY: return "EVERY";
  case ATR_AFTER_DELAY: return "AFTER DELAY";
  case ATR_AFTER_ROWS: return "AFTER";
  case ATR_EVERY_ROW: return "EVERY ROW";
  default: return "";
  }
}

static void dump_trig(common_buf *b, const char *zWhen, ast_trig_kind k,
                      int64_t arg) {
  if (k == ATR_NONE) return;
  common_buf_printf(b, " %s %s", zWhen, trig_text(k));
  if (k == ATR_EVERY || k == ATR_AFTER_DELAY) {
    common_buf_putc(b, ' ');
    dump_interval(b, arg);
  } else if (k == ATR_AFTER_ROWS) {
    common_buf_printf(b, " %lld ROWS", (long long)arg);
  }
}

static void dump_emit(common_buf *b, const ast_emit *e) {
  static const char *azStyle[] = {"", "", " STREAM", " CHANGES", " FINAL"};
  static const char *azAcc[] = {"", " DISCARDING", " ACCUMULATING",
                                " RETRACTING"};
  common_buf_printf(b, " EMIT%s", azStyle[e->style]);
  if (e->bOnTime && e->style != AEM_FINAL)
    common_buf_puts(b, " AFTER WATERMARK");
  dump_trig(b, "EARLY", e->early, e->earlyArg);
  dump_trig(b, "LATE", e->late, e->lateArg);
  if (e->lateness >= 0) {
    common_buf_puts(b, " ALLOWED LATENESS ");
    dump_interval(b, e->lateness);
  }
  common_buf_puts(b, azAcc[e->accum]);
}

static void dump_kwindow(common_buf *b, const ast_kwindow *w) {
  static const char *az[] = {"", "TUMBLING", "HOPPING", "SESSION"};
  common_buf_printf(b, " WINDOW %s (", az[w->kind]);
  if (w->kind == AKW_SESSION) {
    dump_interval(b, w->size);
  } else {
    common_buf_puts(b, "SIZE ");
    dump_interval(b, w->size);
  }
  if (w->kind == AKW_HOPPING) {
    common_buf_puts(b, ", ADVANCE BY ");
    dump_interval(b, w->advance);
  }
  if (w->grace >= 0) {
    common_buf_puts(b, ", GRACE PERIOD ");
    dump_interval(b, w->grace);
  }
  if (w->retention >= 0) {
    common_buf_puts(b, ", RETENTION ");
    dump_interval(b, w->retention);
  }
  common_buf_putc(b, ')');
}

static void dump_core(common_buf *b, const ast_select *s) {
  if (s->pValues) {
    common_buf_puts(b, "VALUES ");
    for (int i = 0; i < s->pValues->n; i++) {
      common_buf_puts(b, i ? ", (" : "(");
      dump_list(b, s->pValues->a[i]->pArgs);
      common_buf_putc(b, ')');
    }
    return;
  }
  common_buf_puts(b, s->bDistinct ? "SELECT DISTINCT " : "SELECT ");
  dump_list(b, s->pCols);
  if (s->pFrom) {
    common_buf_puts(b, " FROM ");
    dump_from(b, s->pFrom);
  }
  if (s->pKWindow) dump_kwindow(b, s->pKWindow);
  if (s->pWhere) {
    common_buf_puts(b, " WHERE ");
    dump_expr(b, s->pWhere);
  }
  if (s->pGroupBy) {
    common_buf_puts(b, " GROUP BY ");
    dump_list(b, s->pGroupBy);
  }
  if (s->pHaving) {
    common_buf_puts(b, " HAVING ");
    dump_expr(b, s->pHaving);
  }
}

static void dump_select(common_buf *b, const ast_select *s) {
  if (s->nCte) {
    common_buf_puts(b, "WITH ");
    for (int i = 0; i < s->nCte; i++) {
      common_buf_printf(b, "%s%s AS (", i ? ", " : "", s->aCte[i].zName);
      dump_select(b, s->aCte[i].pSelect);
      common_buf_puts(b, ")");
    }
    common_buf_putc(b, ' ');
  }
  for (const ast_select *c = s; c; c = c->pUnionAll) {
    if (c != s) common_buf_puts(b, " UNION ALL ");
    dump_core(b, c);
  }
  if (s->pOrderBy) {
    common_buf_puts(b, " ORDER BY ");
    dump_list(b, s->pOrderBy);
  }
  if (s->pLimit) {
    common_buf_puts(b, " LIMIT ");
    dump_expr(b, s->pLimit);
  }
  if (s->pOffset) {
    common_buf_puts(b, " OFFSET ");
    dump_expr(b, s->pOffset);
  }
  if (s->pEmit) dump_emit(b, s->pEmit);
}

static const char *obj_text(ast_obj_kind k) {
  switch (k) {
  case AO_SOURCE: return "SOURCE";
  case AO_SINK: return "SINK";
  case AO_VIEW: return "VIEW";
  case AO_QUERY: return "QUERY";
  case AO_TABLE: return "TABLE";
  case AO_STREAM: return "STREAM";
  default: return "?";
  }
}

static void dump_options(common_buf *b, const ast_stmt *s) {
  if (!s->nOpt) return;
  common_buf_puts(b, " WITH (");
  for (int i = 0; i < s->nOpt; i++) {
    if (i) common_buf_puts(b, ", ");
    dump_string(b, s->aOpt[i].zKey);
    common_buf_puts(b, " = ");
    dump_string(b, s->aOpt[i].zValue);
  }
  common_buf_putc(b, ')');
}

static void dump_columns(common_buf *b, const ast_stmt *s) {
  if (!s->nCol && !s->zWmColumn) return;
  common_buf_puts(b, " (");
  for (int i = 0; i < s->nCol; i++) {
    const ast_coldef *c = &s->aCol[i];
    if (i) common_buf_puts(b, ", ");
    common_buf_puts(b, c->zName);
    if (c->pComputed) {
      common_buf_puts(b, " AS ");
      dump_expr(b, c->pComputed);
    } else {
      common_buf_printf(b, " %s", c->zTypeName);
    }
    if (c->bKey) common_buf_puts(b, " KEY");
    if (c->zMetadata) {
      common_buf_puts(b, " METADATA FROM ");
      dump_string(b, c->zMetadata);
    }
  }
  if (s->zWmColumn) {
    common_buf_printf(b, "%sWATERMARK FOR %s AS ", s->nCol ? ", " : "",
                      s->zWmColumn);
    dump_expr(b, s->pWmExpr);
  }
  common_buf_putc(b, ')');
}

/* Render s as normalised SQL into b; see parser.h. */
void parse_stmt_dump(common_buf *b, const ast_stmt *s) {
  if (!s) return;
  switch (s->kind) {
  case AS_SELECT: dump_select(b, s->pSelect); break;
  case AS_CREATE_SOURCE:
    common_buf_printf(b, "CREATE %s%s%s", s->bOrReplace ? "OR REPLACE " : "",
                      obj_text(s->objKind),
                      s->bIfNotExists ? " IF NOT EXISTS" : "");
    common_buf_printf(b, " %s", s->zName);
    dump_columns(b, s);
    dump_options(b, s);
    break;
  case AS_CREATE_SINK:
    common_buf_printf(b, "CREATE %sSINK%s %s",
                      s->bOrReplace ? "OR REPLACE " : "",
                      s->bIfNotExists ? " IF NOT EXISTS" : "", s->zName);
    if (s->zFrom) {
      common_buf_printf(b, " FROM %s", s->zFrom);
      dump_options(b, s);
    } else if (s->pSelect) {
      common_buf_puts(b, " AS ");
      dump_select(b, s->pSelect);
      dump_options(b, s);
    } else {
      dump_options(b, s);   /* declared alone, fed by INSERT INTO */
    }
    break;
  case AS_CREATE_VIEW:
    common_buf_printf(b, "CREATE %s%sVIEW%s %s AS ",
                      s->bOrReplace ? "OR REPLACE " : "",
                      s->bMaterialized ? "MATERIALIZED " : "",
                      s->bIfNotExists ? " IF NOT EXISTS" : "", s->zName);
    dump_select(b, s->pSelect);
    dump_options(b, s);
    break;
  case AS_INSERT:
    common_buf_printf(b, "INSERT INTO %s ", s->zName);
    if (s->nInsCol) {
      common_buf_putc(b, '(');
      for (int i = 0; i < s->nInsCol; i++)
        common_buf_printf(b, "%s%s", i ? ", " : "", s->azInsCol[i]);
      common_buf_puts(b, ") ");
    }
    dump_select(b, s->pSelect);
    break;
  case AS_DROP:
    common_buf_printf(b, "DROP %s%s %s", obj_text(s->objKind),
                      s->bIfExists ? " IF EXISTS" : "", s->zName);
    break;
  case AS_SHOW: {
    const char *z = obj_text(s->objKind);
    if (s->objKind == AO_QUERY) common_buf_puts(b, "SHOW QUERIES");
    else common_buf_printf(b, "SHOW %sS", z);
    break;
  }
  case AS_DESCRIBE: common_buf_printf(b, "DESCRIBE %s", s->zName); break;
  case AS_EXPLAIN:
    common_buf_puts(b, s->bAnalyze ? "EXPLAIN ANALYZE " : "EXPLAIN ");
    parse_stmt_dump(b, s->pInner);
    break;
  case AS_SET: {
    /* A key that is not a plain identifier is written quoted. */
    int k = parse_keyword_code(s->zName, (int)strlen(s->zName));
    int bPlain = k == TK_ID || parse_LemonFallback(k) == TK_ID;
    for (const char *c = s->zName; *c; c++)
      if (!(isalnum((unsigned char)*c) || *c == '_')) bPlain = 0;
    if (bPlain) common_buf_printf(b, "SET %s = ", s->zName);
    else {
      common_buf_puts(b, "SET ");
      dump_string(b, s->zName);
      common_buf_puts(b, " = ");
    }
    dump_expr(b, s->pExpr);
    break;
  }
  case AS_ADVANCE_TIME:
    common_buf_puts(b, s->bBy ? "ADVANCE TIME BY " : "ADVANCE TIME TO ");
    dump_expr(b, s->pExpr);
    break;
  case AS_ADVANCE_WATERMARK:
    common_buf_puts(b, "ADVANCE WATERMARK ");
    if (s->zName) common_buf_printf(b, "OF %s ", s->zName);
    common_buf_puts(b, "TO ");
    dump_expr(b, s->pExpr);
    break;
  case AS_STOP_QUERY: common_buf_printf(b, "STOP QUERY %s", s->zName); break;
  }
}
