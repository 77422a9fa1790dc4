/*
** tests/unit/test_parser.c — unit tests of the parser stage (parser/):
** expressions and precedence, literals, DDL and the other statements,
** windows in both spellings, keywords used as names, the statement tail,
** parse_complete, errors with line/column/token, and nesting limits.
** EMIT normalisation has its own file, test_parser_emit.c; the DESIGN.md
** examples are in test_parser_design.c.
*/
#include "parser/parser.h"
#include "parser/parse_int.h"
#include "parse.h"
#include "tinytest.h"

#include <stdlib.h>

#define US_S INT64_C(1000000)

/* Parse one statement that must succeed; the result stays in *r. */
static ast_stmt *parse_ok(parse_result *r, const char *zSql) {
  const char *zTail;
  int rc = parse_statement(r, zSql, &zTail);
  if (rc) {
    common_buf b;
    common_buf_init(&b);
    parse_error_format(&b, zSql, &r->err);
    fprintf(stderr, "unexpected error for: %s\n%s\n", zSql, b.z);
    common_buf_free(&b);
  }
  CHECK_EQ_INT(rc, 0);
  CHECK(r->pStmt != NULL);
  return r->pStmt;
}

/* The dump of the statement zSql (static buffer, valid until next call). */
static const char *dump(const char *zSql) {
  static char *zOut;
  parse_result r;
  common_free(zOut);
  zOut = NULL;
  ast_stmt *s = parse_ok(&r, zSql);
  common_buf b;
  common_buf_init(&b);
  if (s) parse_stmt_dump(&b, s);
  common_buf_putc(&b, 0);
  zOut = common_buf_detach(&b);
  parse_result_free(&r);
  return zOut;
}

/* Parse zSql, which must fail; returns the formatted message (static). */
static const char *parse_err(const char *zSql, parse_error *pErr) {
  static char *zOut;
  parse_result r;
  const char *zTail;
  common_free(zOut);
  zOut = NULL;
  int rc = parse_statement(&r, zSql, &zTail);
  CHECK_EQ_INT(rc, 1);
  CHECK(r.pStmt == NULL);
  common_buf b;
  common_buf_init(&b);
  parse_error_format(&b, zSql, &r.err);
  common_buf_putc(&b, 0);
  zOut = common_buf_detach(&b);
  if (pErr) {
    *pErr = r.err;
    pErr->zToken = r.err.zToken ? strdup(r.err.zToken) : NULL;
    pErr->zMsg = NULL;
  }
  parse_result_free(&r);
  return zOut;
}

/* ---- expressions ---------------------------------------------------------*/

TEST(precedence) {
  CHECK_EQ_STR(dump("SELECT a + b * c"), "SELECT (a + (b * c))");
  CHECK_EQ_STR(dump("SELECT (a + b) * c"), "SELECT ((a + b) * c)");
  CHECK_EQ_STR(dump("SELECT a - b - c"), "SELECT ((a - b) - c)");
  CHECK_EQ_STR(dump("SELECT a OR b AND c"), "SELECT (a OR (b AND c))");
  CHECK_EQ_STR(dump("SELECT NOT a = b"), "SELECT (NOT (a = b))");
  CHECK_EQ_STR(dump("SELECT a || b = c"), "SELECT ((a || b) = c)");
  CHECK_EQ_STR(dump("SELECT a < b = c"), "SELECT ((a < b) = c)");
  CHECK_EQ_STR(dump("SELECT -a * b"), "SELECT ((- a) * b)");
  CHECK_EQ_STR(dump("SELECT a % b / c"), "SELECT ((a % b) / c)");
  CHECK_EQ_STR(dump("SELECT ~a != b"), "SELECT ((~ a) <> b)");
  CHECK_EQ_STR(dump("SELECT a >= 1 AND b <= 2 OR c > 3 AND d < 4"),
               "SELECT (((a >= 1) AND (b <= 2)) OR ((c > 3) AND (d < 4)))");
  CHECK_EQ_STR(dump("SELECT a BETWEEN 1 AND 2 AND b"),
               "SELECT ((a BETWEEN 1 AND 2) AND b)");
  CHECK_EQ_STR(dump("SELECT a NOT BETWEEN b + 1 AND c"),
               "SELECT (a NOT BETWEEN (b + 1) AND c)");
}

TEST(operators_and_forms) {
  CHECK_EQ_STR(dump("SELECT a IS NULL, b IS NOT NULL, c ISNULL, d NOTNULL,"
                    " e NOT NULL"),
               "SELECT (a IS NULL), (b IS NOT NULL), (c IS NULL), "
               "(d IS NOT NULL), (e IS NOT NULL)");
  CHECK_EQ_STR(dump("SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b,"
                    " a IS b, a IS NOT b"),
               "SELECT (a IS NOT b), (a IS b), (a IS b), (a IS NOT b)");
  CHECK_EQ_STR(dump("SELECT a LIKE 'x%' ESCAPE '\\', b NOT LIKE 'y'"),
               "SELECT (a LIKE 'x%' ESCAPE '\\'), (b NOT LIKE 'y')");
  CHECK_EQ_STR(dump("SELECT a IN (1, 2, 3), b NOT IN (SELECT x FROM t)"),
               "SELECT (a IN (1, 2, 3)), (b NOT IN (SELECT x FROM t))");
  CHECK_EQ_STR(dump("SELECT EXISTS (SELECT 1), NOT EXISTS (SELECT 2)"),
               "SELECT EXISTS (SELECT 1), NOT EXISTS (SELECT 2)");
  CHECK_EQ_STR(dump("SELECT CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END,"
                    " CASE x WHEN 1 THEN 'one' END"),
               "SELECT CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END, "
               "CASE x WHEN 1 THEN 'one' END");
  CHECK_EQ_STR(dump("SELECT CAST(a AS BIGINT), cast(b as varchar(10))"),
               "SELECT CAST(a AS BIGINT), CAST(b AS VARCHAR(10))");
  CHECK_EQ_STR(dump("SELECT EXTRACT(hour FROM ts), extract(Year from ts)"),
               "SELECT EXTRACT(HOUR FROM ts), EXTRACT(YEAR FROM ts)");
  CHECK_EQ_STR(dump("SELECT (SELECT max(x) FROM t) + 1"),
               "SELECT ((SELECT MAX(x) FROM t) + 1)");
  CHECK_EQ_STR(dump("SELECT count(*), count(DISTINCT a), "
                    "sum(b) FILTER (WHERE b > 0), t.*, *"),
               "SELECT COUNT(*), COUNT(DISTINCT a), "
               "SUM(b) FILTER (WHERE (b > 0)), t.*, *");
  CHECK_EQ_STR(dump("SELECT ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY c "
                    "DESC, d ASC) AS rn FROM t"),
               "SELECT ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY c DESC"
               ", d) AS rn FROM t");
  CHECK_EQ_STR(dump("SELECT left(a, 2), RIGHT(b, 1), replace(c, 'x', 'y'),"
                    " if(d, 1, 2), key, MOD(e, 3) FROM t LEFT JOIN u ON x"),
               "SELECT LEFT(a, 2), RIGHT(b, 1), REPLACE(c, 'x', 'y'), "
               "IF(d, 1, 2), key, MOD(e, 3) FROM t LEFT JOIN u ON x");
  CHECK_EQ_STR(dump("SELECT PROCTIME(), DESCRIPTOR(ts)"),
               "SELECT PROCTIME(), DESCRIPTOR(ts)");
}

TEST(over_frames) {
  CHECK_EQ_STR(dump("SELECT SUM(x) OVER (PARTITION BY k ORDER BY ts RANGE "
                    "BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)"),
               "SELECT SUM(x) OVER (PARTITION BY k ORDER BY ts RANGE "
               "BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)");
  CHECK_EQ_STR(dump("SELECT AVG(x) OVER (ORDER BY ts ROWS 5 PRECEDING)"),
               "SELECT AVG(x) OVER (ORDER BY ts ROWS BETWEEN 5 PRECEDING "
               "AND CURRENT ROW)");
  CHECK_EQ_STR(dump("SELECT AVG(x) OVER (ROWS BETWEEN UNBOUNDED PRECEDING "
                    "AND UNBOUNDED FOLLOWING)"),
               "SELECT AVG(x) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND "
               "UNBOUNDED FOLLOWING)");
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT MAX(x) OVER (ORDER BY ts ROWS BETWEEN "
                             "2 PRECEDING AND 1 FOLLOWING) FROM t");
  ast_over *o = s->pSelect->pCols->a[0]->pOver;
  CHECK_EQ_INT(o->frameUnit, AFU_ROWS);
  CHECK_EQ_INT(o->frameStart.kind, ABD_PRECEDING);
  CHECK_EQ_INT(o->frameStart.pExpr->iVal, 2);
  CHECK_EQ_INT(o->frameEnd.kind, ABD_FOLLOWING);
  CHECK_EQ_INT(o->frameEnd.pExpr->iVal, 1);
  parse_result_free(&r);
  s = parse_ok(&r, "SELECT ROW_NUMBER() OVER (ORDER BY a) FROM t");
  CHECK_EQ_INT(s->pSelect->pCols->a[0]->pOver->frameUnit, AFU_NONE);
  parse_result_free(&r);
  CHECK_CONTAINS(parse_err("SELECT SUM(x) OVER (ROWS BETWEEN CURRENT ROW "
                           "AND 1 PRECEDING)", NULL), "starts after");
  /* The new keywords stay usable as names. */
  CHECK_EQ_STR(dump("SELECT range, current, preceding, following, unbounded,"
                    " timestamp FROM t"),
               "SELECT range, current, preceding, following, unbounded, "
               "timestamp FROM t");
}

TEST(expression_nodes) {
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT COUNT(*) FILTER (WHERE x) OVER "
                             "(PARTITION BY k), PROCTIME(), "
                             "DESCRIPTOR(a, b), a IS NULL");
  ast_list *l = s->pSelect->pCols;
  CHECK_EQ_INT(l->n, 4);
  CHECK_EQ_INT(l->a[0]->kind, AE_FUNC);
  CHECK(l->a[0]->bStar);
  CHECK(l->a[0]->pFilter != NULL);
  CHECK(l->a[0]->pOver && l->a[0]->pOver->pPartition->n == 1);
  CHECK_EQ_INT(l->a[1]->kind, AE_PROCTIME);
  CHECK_EQ_INT(l->a[2]->kind, AE_DESCRIPTOR);
  CHECK_EQ_INT(l->a[2]->pArgs->n, 2);
  CHECK_EQ_STR(l->a[2]->pArgs->a[1]->zName, "b");
  CHECK_EQ_INT(l->a[3]->kind, AE_ISNULL);
  CHECK(!l->a[3]->bNot);
  parse_result_free(&r);
}

TEST(literals) {
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT 42, 0x1F, 1e3, 2.5, .5, 'it''s', "
                             "NULL, TRUE, false, -7, 9223372036854775808");
  ast_list *l = s->pSelect->pCols;
  CHECK_EQ_INT(l->a[0]->kind, AE_INT);
  CHECK_EQ_INT(l->a[0]->iVal, 42);
  CHECK_EQ_INT(l->a[1]->kind, AE_INT);
  CHECK_EQ_INT(l->a[1]->iVal, 31);
  CHECK_EQ_INT(l->a[2]->kind, AE_FLOAT);
  CHECK(l->a[2]->rVal == 1000.0);
  CHECK(l->a[3]->rVal == 2.5);
  CHECK(l->a[4]->rVal == 0.5);
  CHECK_EQ_INT(l->a[5]->kind, AE_STRING);
  CHECK_EQ_STR(l->a[5]->zVal, "it's");
  CHECK_EQ_INT(l->a[6]->kind, AE_NULL);
  CHECK_EQ_INT(l->a[7]->kind, AE_BOOL);
  CHECK_EQ_INT(l->a[7]->iVal, 1);
  CHECK_EQ_INT(l->a[8]->iVal, 0);
  CHECK_EQ_INT(l->a[9]->kind, AE_INT);
  CHECK_EQ_INT(l->a[9]->iVal, -7);
  CHECK_EQ_INT(l->a[10]->kind, AE_FLOAT);
  parse_result_free(&r);
}

TEST(identifiers_and_comments) {
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT \"my col\", `other``s`, T.x -- c\n"
                             "FROM /* block\n comment */ t AS \"T\"");
  ast_list *l = s->pSelect->pCols;
  CHECK_EQ_STR(l->a[0]->zName, "my col");
  CHECK_EQ_STR(l->a[1]->zName, "other`s");
  CHECK_EQ_STR(l->a[2]->zTable, "T");
  CHECK_EQ_STR(l->a[2]->zName, "x");
  CHECK_EQ_STR(s->pSelect->pFrom->zAlias, "T");
  parse_result_free(&r);
  CHECK_EQ_STR(dump("sElEcT a fRoM t wHeRe b"), "SELECT a FROM t WHERE b");
}

TEST(timestamp_literal) {
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT TIMESTAMP '2026-01-01 12:00:00', "
                             "TIMESTAMP '1970-01-01 00:00:01.5', "
                             "TIMESTAMP '2026-01-01'");
  ast_list *l = s->pSelect->pCols;
  int64_t day = common_days_from_civil(2026, 1, 1);
  CHECK_EQ_INT(l->a[0]->kind, AE_TIMESTAMP);
  CHECK_EQ_INT(l->a[0]->iVal, (day * 86400 + 12 * 3600) * US_S);
  CHECK_EQ_INT(l->a[0]->iVal, INT64_C(1767268800000000));
  CHECK_EQ_INT(l->a[1]->iVal, 1500000);
  CHECK_EQ_INT(l->a[2]->iVal, day * 86400 * US_S);
  parse_result_free(&r);

  parse_error e;
  const char *z = parse_err("SELECT TIMESTAMP '2026-13-01 00:00:00'", &e);
  CHECK_CONTAINS(z, "bad TIMESTAMP literal");
  CHECK_EQ_INT(e.iCol, 18);
  free(e.zToken);
}

TEST(interval_literals) {
  parse_result r;
  ast_stmt *s = parse_ok(&r,
      "SELECT INTERVAL '5' SECOND, INTERVAL '2' MINUTE, INTERVAL '10' "
      "MINUTES, INTERVAL '1:30' MINUTE TO SECOND, INTERVAL '1.5' SECOND, "
      "INTERVAL 3 HOURS, INTERVAL '5 minutes', 60 SECONDS, "
      "INTERVAL '1 02:03:04' DAY TO SECOND, -INTERVAL '1' DAY, "
      "INTERVAL '250' MILLISECOND, INTERVAL '-2' SECOND");
  ast_list *l = s->pSelect->pCols;
  CHECK_EQ_INT(l->a[0]->kind, AE_INTERVAL);
  CHECK_EQ_INT(l->a[0]->iVal, 5 * US_S);
  CHECK_EQ_INT(l->a[1]->iVal, 120 * US_S);
  CHECK_EQ_INT(l->a[2]->iVal, 600 * US_S);
  CHECK_EQ_INT(l->a[3]->iVal, 90 * US_S);
  CHECK_EQ_INT(l->a[4]->iVal, 1500000);
  CHECK_EQ_INT(l->a[5]->iVal, 3 * 3600 * US_S);
  CHECK_EQ_INT(l->a[6]->iVal, 300 * US_S);
  CHECK_EQ_INT(l->a[7]->kind, AE_INTERVAL);
  CHECK_EQ_INT(l->a[7]->iVal, 60 * US_S);
  CHECK_EQ_INT(l->a[8]->iVal, (86400 + 2 * 3600 + 3 * 60 + 4) * US_S);
  CHECK_EQ_INT(l->a[9]->kind, AE_INTERVAL);
  CHECK_EQ_INT(l->a[9]->iVal, -86400 * US_S);
  CHECK_EQ_INT(l->a[10]->iVal, 250000);
  CHECK_EQ_INT(l->a[11]->iVal, -2 * US_S);
  parse_result_free(&r);

  /* Out-of-range values are errors, never overflow. */
  CHECK_CONTAINS(parse_err("SELECT INTERVAL '9223372036854775807' SECOND",
                           NULL), "bad INTERVAL literal");
  CHECK_CONTAINS(parse_err("SELECT INTERVAL '106751991 23:59:59.999999' DAY "
                           "TO SECOND", NULL), "bad INTERVAL literal");
  CHECK_CONTAINS(parse_err("SELECT INTERVAL '9223372036854 seconds "
                           "9223372036854 seconds 9223372036854775 "
                           "microseconds'", NULL), "bad INTERVAL literal");
  CHECK_CONTAINS(parse_err("SELECT 106751991168 DAYS", NULL),
                 "bad INTERVAL literal");
  CHECK_EQ_STR(dump("SELECT -0x8000000000000000, -0x7FFFFFFFFFFFFFFF"),
               "SELECT (- -9223372036854775808), -9223372036854775807");
  CHECK_CONTAINS(parse_err("SELECT INTERVAL '1' MONTH", NULL),
                 "not a fixed length");
  CHECK_CONTAINS(parse_err("SELECT INTERVAL 'abc' SECOND", NULL),
                 "bad INTERVAL literal");
  CHECK_CONTAINS(parse_err("SELECT INTERVAL '1:2:3' MINUTE TO SECOND", NULL),
                 "bad INTERVAL literal");
}

/* ---- queries ------------------------------------------------------------- */

TEST(select_clauses) {
  CHECK_EQ_STR(dump("SELECT DISTINCT a AS x, b y FROM t WHERE c > 1 "
                    "GROUP BY a, b HAVING COUNT(*) > 2 ORDER BY x DESC, y "
                    "LIMIT 10 OFFSET 5"),
               "SELECT DISTINCT a AS x, b AS y FROM t WHERE (c > 1) "
               "GROUP BY a, b HAVING (COUNT(*) > 2) ORDER BY x DESC, y "
               "LIMIT 10 OFFSET 5");
  CHECK_EQ_STR(dump("SELECT a FROM t LIMIT 5, 10"),
               "SELECT a FROM t LIMIT 10 OFFSET 5");
  CHECK_EQ_STR(dump("WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) "
                    "SELECT x FROM b"),
               "WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) "
               "SELECT x FROM b");
  CHECK_EQ_STR(dump("SELECT a FROM t UNION ALL SELECT b FROM u UNION ALL "
                    "SELECT c FROM v ORDER BY 1"),
               "SELECT a FROM t UNION ALL SELECT b FROM u UNION ALL "
               "SELECT c FROM v ORDER BY 1");
  CHECK_EQ_STR(dump("SELECT * FROM (SELECT a FROM t) AS sub, "
                    "(SELECT b FROM u) v"),
               "SELECT * FROM (SELECT a FROM t) AS sub CROSS JOIN "
               "(SELECT b FROM u) AS v");
  CHECK_EQ_STR(dump("SELECT 1 UNION ALL SELECT (SELECT 2 UNION ALL SELECT 3 "
                    "UNION ALL SELECT 4) UNION ALL SELECT 5 UNION ALL "
                    "SELECT 6"),
               "SELECT 1 UNION ALL SELECT (SELECT 2 UNION ALL SELECT 3 "
               "UNION ALL SELECT 4) UNION ALL SELECT 5 UNION ALL SELECT 6");
  CHECK_CONTAINS(parse_err("SELECT 1 UNION SELECT 2", NULL),
                 "only UNION ALL");
  CHECK_EQ_STR(dump("VALUES (1, 'a'), (2, 'b')"),
               "VALUES (1, 'a'), (2, 'b')");
}

TEST(joins) {
  CHECK_EQ_STR(dump("SELECT * FROM a JOIN b ON a.k = b.k"),
               "SELECT * FROM a JOIN b ON (a.k = b.k)");
  CHECK_EQ_STR(dump("SELECT * FROM a INNER JOIN b USING (k, j)"),
               "SELECT * FROM a JOIN b USING (k, j)");
  CHECK_EQ_STR(dump("SELECT * FROM a LEFT OUTER JOIN b ON x RIGHT JOIN c ON "
                    "y FULL OUTER JOIN d ON z CROSS JOIN e, f"),
               "SELECT * FROM a LEFT JOIN b ON x RIGHT JOIN c ON y "
               "FULL JOIN d ON z CROSS JOIN e CROSS JOIN f");
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT * FROM a x LEFT JOIN b y ON x.i = y.i");
  ast_from *f = s->pSelect->pFrom;
  CHECK_EQ_INT(f->kind, AF_JOIN);
  CHECK_EQ_INT(f->joinKind, AJ_LEFT);
  CHECK_EQ_STR(f->pLeft->zAlias, "x");
  CHECK_EQ_STR(f->pRight->zName, "b");
  CHECK(f->pOn != NULL);
  parse_result_free(&r);
  CHECK_CONTAINS(parse_err("SELECT * FROM a NATURAL JOIN b", NULL),
                 "unsupported join type");
  CHECK_CONTAINS(parse_err("SELECT * FROM a CROSS JOIN b ON x", NULL),
                 "CROSS JOIN takes no ON");
}

/* ---- windows --------------------------------------------------------------*/

TEST(window_tvf_positional) {
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT window_start, SUM(score) FROM "
                             "TUMBLE(scores, ts, INTERVAL '2' MINUTE) "
                             "GROUP BY window_start, window_end");
  ast_from *f = s->pSelect->pFrom;
  CHECK_EQ_INT(f->kind, AF_TVF);
  CHECK_EQ_STR(f->pFunc->zName, "TUMBLE");
  CHECK_EQ_INT(f->pFunc->pArgs->n, 3);
  CHECK_EQ_INT(f->pFunc->pArgs->a[0]->kind, AE_COLUMN);
  CHECK_EQ_INT(f->pFunc->pArgs->a[2]->iVal, 120 * US_S);
  parse_result_free(&r);
  CHECK_EQ_STR(dump("SELECT * FROM HOP(scores, ts, INTERVAL '1' MINUTE, "
                    "INTERVAL '5' MINUTE) AS w"),
               "SELECT * FROM HOP(scores, ts, INTERVAL '1' MINUTE, "
               "INTERVAL '5' MINUTE) AS w");
  CHECK_EQ_STR(dump("SELECT * FROM session(scores, ts, INTERVAL '5' MINUTE)"),
               "SELECT * FROM SESSION(scores, ts, INTERVAL '5' MINUTE)");
  CHECK_EQ_STR(dump("SELECT * FROM CUMULATE(scores, ts, INTERVAL '1' MINUTE,"
                    " INTERVAL '1' HOUR)"),
               "SELECT * FROM CUMULATE(scores, ts, INTERVAL '1' MINUTE, "
               "INTERVAL '1' HOUR)");
  CHECK_EQ_STR(dump("SELECT * FROM TUMBLE(scores, PROCTIME(), "
                    "INTERVAL '1' MINUTE)"),
               "SELECT * FROM TUMBLE(scores, PROCTIME(), "
               "INTERVAL '1' MINUTE)");
}

TEST(window_tvf_flink_table_descriptor) {
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT * FROM TABLE(TUMBLE(TABLE t, "
                             "DESCRIPTOR(ts), INTERVAL '10' MINUTES))");
  ast_from *f = s->pSelect->pFrom;
  CHECK_EQ_INT(f->kind, AF_TVF);
  ast_expr *fn = f->pFunc;
  CHECK_EQ_STR(fn->zName, "TUMBLE");
  CHECK_EQ_INT(fn->pArgs->n, 3);
  CHECK_EQ_INT(fn->pArgs->a[0]->kind, AE_TABLEARG);
  CHECK_EQ_STR(fn->pArgs->a[0]->zName, "t");
  CHECK_EQ_INT(fn->pArgs->a[1]->kind, AE_DESCRIPTOR);
  CHECK_EQ_STR(fn->pArgs->a[1]->pArgs->a[0]->zName, "ts");
  CHECK_EQ_INT(fn->pArgs->a[2]->iVal, 600 * US_S);
  parse_result_free(&r);
}

TEST(window_tvf_named_args) {
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT * FROM TUMBLE(data => TABLE bids, "
                             "timecol => DESCRIPTOR(ts), dur => "
                             "INTERVAL '10' MINUTE)");
  ast_expr *fn = s->pSelect->pFrom->pFunc;
  CHECK_EQ_INT(fn->pArgs->n, 3);
  CHECK_EQ_INT(fn->pArgs->a[0]->kind, AE_NAMED);
  CHECK_EQ_STR(fn->pArgs->a[0]->zName, "DATA");
  CHECK_EQ_INT(fn->pArgs->a[0]->pLeft->kind, AE_TABLEARG);
  CHECK_EQ_STR(fn->pArgs->a[0]->pLeft->zName, "bids");
  CHECK_EQ_STR(fn->pArgs->a[1]->zName, "TIMECOL");
  CHECK_EQ_INT(fn->pArgs->a[1]->pLeft->kind, AE_DESCRIPTOR);
  CHECK_EQ_STR(fn->pArgs->a[2]->zName, "DUR");
  CHECK_EQ_INT(fn->pArgs->a[2]->pLeft->iVal, 600 * US_S);
  parse_result_free(&r);
  CHECK_EQ_STR(dump("SELECT * FROM HOP(data => TABLE bids, timecol => "
                    "DESCRIPTOR(ts), dur => INTERVAL '10' MINUTE, "
                    "hopsize => INTERVAL '5' MINUTE)"),
               "SELECT * FROM HOP(DATA => TABLE bids, TIMECOL => "
               "DESCRIPTOR(ts), DUR => INTERVAL '10' MINUTE, "
               "HOPSIZE => INTERVAL '5' MINUTE)");
}

TEST(window_tvf_flink_named_keywords) {
  /* Flink's parameter names include keywords (SIZE, OFFSET). */
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT * FROM TABLE(TUMBLE(DATA => TABLE bid, "
                             "TIMECOL => DESCRIPTOR(dateTime), SIZE => "
                             "INTERVAL '10' SECOND, OFFSET => INTERVAL '1' "
                             "SECOND)) LIMIT 5 OFFSET 1");
  ast_expr *fn = s->pSelect->pFrom->pFunc;
  CHECK_EQ_INT(fn->pArgs->n, 4);
  CHECK_EQ_STR(fn->pArgs->a[2]->zName, "SIZE");
  CHECK_EQ_INT(fn->pArgs->a[2]->pLeft->iVal, 10 * US_S);
  CHECK_EQ_STR(fn->pArgs->a[3]->zName, "OFFSET");
  CHECK_EQ_INT(s->pSelect->pLimit->iVal, 5);
  CHECK_EQ_INT(s->pSelect->pOffset->iVal, 1);
  parse_result_free(&r);
  s = parse_ok(&r, "  WITH w AS (SELECT 1) SELECT * FROM w");
  CHECK_EQ_INT(s->iPos, 2);
  parse_result_free(&r);
}

TEST(window_group_functions) {
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT team, TUMBLE_START(ts, INTERVAL '2' "
                             "MINUTE), SUM(score) FROM scores GROUP BY team,"
                             " TUMBLE(ts, INTERVAL '2' MINUTE)");
  ast_select *sel = s->pSelect;
  CHECK_EQ_STR(sel->pCols->a[1]->zName, "TUMBLE_START");
  CHECK_EQ_INT(sel->pFrom->kind, AF_TABLE);
  CHECK_EQ_INT(sel->pGroupBy->n, 2);
  CHECK_EQ_INT(sel->pGroupBy->a[1]->kind, AE_FUNC);
  CHECK_EQ_STR(sel->pGroupBy->a[1]->zName, "TUMBLE");
  parse_result_free(&r);
  CHECK_EQ_STR(dump("SELECT HOP_END(ts, INTERVAL '1' MINUTE, INTERVAL '5' "
                    "MINUTE) FROM s GROUP BY HOP(ts, INTERVAL '1' MINUTE, "
                    "INTERVAL '5' MINUTE), SESSION(ts, INTERVAL '5' MINUTE)"),
               "SELECT HOP_END(ts, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE)"
               " FROM s GROUP BY HOP(ts, INTERVAL '1' MINUTE, INTERVAL '5' "
               "MINUTE), SESSION(ts, INTERVAL '5' MINUTE)");
}

TEST(window_ksqldb_clause) {
  parse_result r;
  ast_stmt *s = parse_ok(&r, "SELECT WINDOWSTART, WINDOWEND, k, COUNT(*) "
                             "FROM s WINDOW TUMBLING (SIZE 1 HOUR, GRACE "
                             "PERIOD 10 MINUTES) GROUP BY k EMIT CHANGES");
  ast_kwindow *w = s->pSelect->pKWindow;
  CHECK(w != NULL);
  CHECK_EQ_INT(w->kind, AKW_TUMBLING);
  CHECK_EQ_INT(w->size, 3600 * US_S);
  CHECK_EQ_INT(w->grace, 600 * US_S);
  CHECK_EQ_INT(w->retention, -1);
  CHECK(s->pSelect->pEmit != NULL);
  parse_result_free(&r);

  s = parse_ok(&r, "SELECT COUNT(*) FROM s WINDOW HOPPING (SIZE 1 HOUR, "
                   "ADVANCE BY 10 MINUTES, RETENTION 2 DAYS) GROUP BY k");
  w = s->pSelect->pKWindow;
  CHECK_EQ_INT(w->kind, AKW_HOPPING);
  CHECK_EQ_INT(w->size, 3600 * US_S);
  CHECK_EQ_INT(w->advance, 600 * US_S);
  CHECK_EQ_INT(w->grace, -1);
  CHECK_EQ_INT(w->retention, 2 * 86400 * US_S);
  parse_result_free(&r);

  s = parse_ok(&r, "SELECT COUNT(*) FROM s WINDOW SESSION (60 SECONDS) "
                   "GROUP BY k");
  w = s->pSelect->pKWindow;
  CHECK_EQ_INT(w->kind, AKW_SESSION);
  CHECK_EQ_INT(w->size, 60 * US_S);
  parse_result_free(&r);

  CHECK_CONTAINS(parse_err("SELECT 1 FROM s WINDOW HOPPING (SIZE 1 HOUR)",
                           NULL), "ADVANCE BY");
  CHECK_CONTAINS(parse_err("SELECT 1 FROM s WINDOW SLIDING (SIZE 1 HOUR)",
                           NULL), "unknown window type");
}

/* ---- names --------------------------------------------------------------- */

TEST(keyword_table) {
  /* The table is binary-searched: every keyword must be found, in any
  ** case, and near misses must not. */
  static const char *az[] = {
    "ACCUMULATING", "ADVANCE", "AFTER", "ALL", "ALLOWED", "ANALYZE", "AND",
    "AS", "ASC", "BEFORE", "BETWEEN", "BY", "CASE", "CAST", "CHANGELOG",
    "CHANGES", "CLOSE", "CREATE", "CROSS", "CURRENT", "DAY", "DAYS", "DELAY",
    "DESC", "DESCRIBE", "DISCARDING", "DISTINCT", "DROP", "EARLY", "ELSE",
    "EMIT", "END", "ENFORCED", "ESCAPE", "EVENT", "EVERY", "EXISTS",
    "EXPLAIN", "EXTRACT", "FALSE", "FILTER", "FINAL", "FOLLOWING", "FOR",
    "FROM", "FULL", "GRACE", "GROUP", "HAVING", "HOUR", "HOURS", "IF", "IN",
    "INNER", "INSERT", "INTERVAL", "INTO", "IS", "ISNULL", "JOIN", "KEY",
    "LATE", "LATENESS", "LEFT", "LIKE", "LIMIT", "MATERIALIZED", "METADATA",
    "MICROSECOND", "MILLISECONDS", "MINUTE", "MINUTES", "MONTH", "NATURAL",
    "NOT", "NOTNULL", "NULL", "OF", "OFFSET", "ON", "OR", "ORDER", "OUTER",
    "OVER", "PARTITION", "PER", "PERIOD", "PERIODIC", "PRECEDING",
    "PRIMARY", "QUERY", "RANGE", "REPLACE", "RETENTION", "RETRACTING",
    "RIGHT", "ROW", "ROWS", "SECOND", "SECONDS", "SELECT", "SET", "SHOW",
    "SINK", "SIZE", "SOURCE", "STOP", "STREAM", "TABLE", "THEN", "TIME",
    "TERMINATE", "TIMESTAMP", "TO", "TRUE", "UNBOUNDED", "UNION", "UPDATE",
    "USING",
    "VALUES", "VIEW", "VIRTUAL", "WATERMARK", "WEEK", "WHEN", "WHERE",
    "WINDOW", "WITH", "WITHOUT", "YEAR", "YEARS",
  };
  for (int i = 0; i < COMMON_ARRAY_SIZE(az); i++) {
    int k = parse_keyword_code(az[i], (int)strlen(az[i]));
    if (k == TK_ID) fprintf(stderr, "keyword %s not found\n", az[i]);
    CHECK(k != TK_ID);
    char zLow[32];
    snprintf(zLow, sizeof zLow, "%s", az[i]);
    for (char *c = zLow; *c; c++) *c = (char)(*c | 0x20);
    CHECK_EQ_INT(parse_keyword_code(zLow, (int)strlen(zLow)), k);
  }
  CHECK_EQ_INT(parse_keyword_code("SELEC", 5), TK_ID);
  CHECK_EQ_INT(parse_keyword_code("SELECTS", 7), TK_ID);
  CHECK_EQ_INT(parse_keyword_code("TUMBLE", 6), TK_ID);
  CHECK_EQ_INT(parse_keyword_code("MINUTE", 6), TK_UNIT);
  CHECK_EQ_INT(parse_keyword_code("like", 4), TK_LIKE_KW);
}

TEST(keywords_as_identifiers) {
  CHECK_EQ_STR(dump("SELECT time, window, source, sink, stream, key, emit, "
                    "watermark, delay, late, early, final, changes, rows, "
                    "row, size, hour FROM events"),
               "SELECT time, window, source, sink, stream, key, emit, "
               "watermark, delay, late, early, final, changes, rows, row, "
               "size, hour FROM events");
  CHECK_EQ_STR(dump("SELECT a window FROM t emit"),
               "SELECT a AS window FROM t AS emit");
  CHECK_EQ_STR(dump("SELECT source.time FROM source WHERE window > 1"),
               "SELECT source.time FROM source WHERE (window > 1)");
  CHECK_EQ_STR(dump("CREATE SOURCE s (time TIMESTAMP, window BIGINT, "
                    "source VARCHAR, emit INT)"),
               "CREATE SOURCE s (time TIMESTAMP, window BIGINT, "
               "source VARCHAR, emit INT)");
  CHECK_EQ_STR(dump("SELECT time FROM t EMIT CHANGES"),
               "SELECT time FROM t EMIT CHANGES EARLY EVERY ROW RETRACTING");
}

/* ---- statements ---------------------------------------------------------- */

TEST(create_source_full) {
  parse_result r;
  ast_stmt *s = parse_ok(&r,
      "CREATE TABLE IF NOT EXISTS bids (auction BIGINT, price DOUBLE, "
      "flag BOOLEAN, n SMALLINT, m TINYINT, i INTEGER, f FLOAT, re REAL, "
      "d DECIMAL(10, 2), c CHAR(3), s STRING, tx TEXT, v VARCHAR(20), "
      "dt TIMESTAMP(3), ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp', "
      "iv INTERVAL, pt AS PROCTIME(), "
      "PRIMARY KEY (auction) NOT ENFORCED, "
      "WATERMARK FOR dt AS dt - INTERVAL '4' SECOND) "
      "WITH (connector = 'kafka', scan.startup.mode = 'earliest-offset', "
      "'format.on-error' = 'skip', 'bootstrap.servers' = '127.0.0.1:9092', "
      "n = 5, x = -2.5, b = true)");
  CHECK_EQ_INT(s->kind, AS_CREATE_SOURCE);
  CHECK_EQ_INT(s->spelling, ASP_TABLE);
  CHECK(s->bIfNotExists);
  CHECK_EQ_STR(s->zName, "bids");
  CHECK_EQ_INT(s->nCol, 17);
  static const int aType[] = {
    AST_TYPE_BIGINT, AST_TYPE_DOUBLE, AST_TYPE_BOOLEAN, AST_TYPE_BIGINT,
    AST_TYPE_BIGINT, AST_TYPE_BIGINT, AST_TYPE_DOUBLE, AST_TYPE_DOUBLE,
    AST_TYPE_DOUBLE, AST_TYPE_VARCHAR, AST_TYPE_VARCHAR, AST_TYPE_VARCHAR,
    AST_TYPE_VARCHAR, AST_TYPE_TIMESTAMP, AST_TYPE_TIMESTAMP,
    AST_TYPE_INTERVAL, AST_TYPE_NONE};
  for (int i = 0; i < 17 && i < s->nCol; i++)
    CHECK_EQ_INT(s->aCol[i].iType, aType[i]);
  CHECK(s->aCol[0].bKey);
  CHECK(!s->aCol[1].bKey);
  CHECK_EQ_STR(s->aCol[8].zTypeName, "DECIMAL(10, 2)");
  CHECK_EQ_STR(s->aCol[13].zTypeName, "TIMESTAMP(3)");
  CHECK_EQ_STR(s->aCol[14].zMetadata, "timestamp");
  CHECK(s->aCol[16].pComputed != NULL);
  CHECK_EQ_INT(s->aCol[16].pComputed->kind, AE_PROCTIME);
  CHECK_EQ_STR(s->zWmColumn, "dt");
  CHECK_EQ_INT(s->pWmExpr->kind, AE_BINARY);
  CHECK_EQ_INT(s->pWmExpr->pRight->iVal, 4 * US_S);
  CHECK_EQ_INT(s->nOpt, 7);
  CHECK_EQ_STR(s->aOpt[0].zKey, "connector");
  CHECK_EQ_STR(s->aOpt[0].zValue, "kafka");
  CHECK_EQ_STR(s->aOpt[1].zKey, "scan.startup.mode");
  CHECK_EQ_STR(s->aOpt[2].zKey, "format.on-error");
  CHECK_EQ_STR(s->aOpt[3].zValue, "127.0.0.1:9092");
  CHECK_EQ_STR(s->aOpt[4].zValue, "5");
  CHECK_EQ_STR(s->aOpt[5].zValue, "-2.5");
  CHECK_EQ_STR(s->aOpt[6].zValue, "true");
  parse_result_free(&r);
}

TEST(create_source_spellings) {
  parse_result r;
  ast_stmt *s = parse_ok(&r, "CREATE STREAM pageviews (id VARCHAR KEY, "
                             "viewtime BIGINT) WITH (kafka_topic = 'pv', "
                             "value_format = 'JSON')");
  CHECK_EQ_INT(s->spelling, ASP_STREAM);
  CHECK(s->aCol[0].bKey);
  CHECK(!s->aCol[1].bKey);
  parse_result_free(&r);
  s = parse_ok(&r, "create source clicks (a int) with (connector='memory')");
  CHECK_EQ_INT(s->spelling, ASP_SOURCE);
  CHECK_EQ_INT(s->nOpt, 1);
  parse_result_free(&r);
  CHECK_CONTAINS(parse_err("CREATE SOURCE s (a FOO)", NULL),
                 "unknown type \"FOO\"");
  CHECK_CONTAINS(parse_err("CREATE SOURCE s (a INT, a INT)", NULL),
                 "duplicate column");
  CHECK_CONTAINS(parse_err("CREATE SOURCE s (a INT, PRIMARY KEY (b))", NULL),
                 "not declared");
  CHECK_CONTAINS(parse_err("CREATE SOURCE s (a INT) WITH (x = 1, x = 2)",
                           NULL), "given twice");
}

TEST(create_sink_view_insert) {
  parse_result r;
  ast_stmt *s = parse_ok(&r, "CREATE SINK out FROM totals WITH "
                             "(connector = 'kafka', topic = 'o')");
  CHECK_EQ_INT(s->kind, AS_CREATE_SINK);
  CHECK_EQ_STR(s->zFrom, "totals");
  CHECK_EQ_INT(s->nOpt, 2);
  parse_result_free(&r);

  s = parse_ok(&r, "CREATE SINK alone WITH (connector = 'file', "
                   "path = 'x.json')");
  CHECK_EQ_INT(s->kind, AS_CREATE_SINK);
  CHECK(s->zFrom == NULL && s->pSelect == NULL);
  CHECK_EQ_INT(s->nOpt, 2);
  parse_result_free(&r);
  CHECK_EQ_STR(dump("CREATE SINK alone WITH (connector = 'memory')"),
               "CREATE SINK alone WITH ('connector' = 'memory')");

  s = parse_ok(&r, "CREATE SINK out AS SELECT a FROM t EMIT CHANGES "
                   "WITH (connector = 'file', path = '/tmp/o.json')");
  CHECK_EQ_INT(s->kind, AS_CREATE_SINK);
  CHECK(s->zFrom == NULL);
  CHECK(s->pSelect && s->pSelect->pEmit);
  CHECK_EQ_STR(s->aOpt[1].zValue, "/tmp/o.json");
  parse_result_free(&r);

  s = parse_ok(&r, "CREATE OR REPLACE MATERIALIZED VIEW mv WITH "
                   "('late.sink' = 'late') AS SELECT a, COUNT(*) FROM t "
                   "GROUP BY a");
  CHECK_EQ_INT(s->kind, AS_CREATE_VIEW);
  CHECK(s->bMaterialized);
  CHECK(s->bOrReplace);
  CHECK_EQ_STR(s->aOpt[0].zKey, "late.sink");
  parse_result_free(&r);

  s = parse_ok(&r, "CREATE VIEW v AS SELECT 1");
  CHECK(!s->bMaterialized);
  parse_result_free(&r);

  s = parse_ok(&r, "CREATE TABLE agg AS SELECT k, COUNT(*) FROM s "
                   "GROUP BY k EMIT CHANGES");
  CHECK_EQ_INT(s->kind, AS_CREATE_VIEW);
  CHECK(s->bMaterialized);
  parse_result_free(&r);

  s = parse_ok(&r, "INSERT INTO sink_t (a, b) SELECT x, y FROM t");
  CHECK_EQ_INT(s->kind, AS_INSERT);
  CHECK_EQ_INT(s->nInsCol, 2);
  CHECK_EQ_STR(s->azInsCol[1], "b");
  parse_result_free(&r);

  s = parse_ok(&r, "INSERT INTO scores VALUES ('julie', 'red', 5, "
                   "TIMESTAMP '2026-01-01 12:00:26'), ('bob', 'blue', 3, "
                   "NULL)");
  CHECK_EQ_INT(s->pSelect->pValues->n, 2);
  ast_expr *row = s->pSelect->pValues->a[0];
  CHECK_EQ_INT(row->kind, AE_FUNC);
  CHECK_EQ_STR(row->zName, "ROW");
  CHECK_EQ_INT(row->pArgs->n, 4);
  CHECK_EQ_INT(row->pArgs->a[3]->kind, AE_TIMESTAMP);
  CHECK(s->pSelect->pCols == NULL);
  parse_result_free(&r);
  CHECK_CONTAINS(parse_err("INSERT INTO t VALUES (1, 2), (3)", NULL),
                 "same number of values");
}

TEST(other_statements) {
  CHECK_EQ_STR(dump("CREATE OR REPLACE SINK IF NOT EXISTS k FROM v"),
               "CREATE OR REPLACE SINK IF NOT EXISTS k FROM v");
  CHECK_EQ_STR(dump("DROP SOURCE s"), "DROP SOURCE s");
  CHECK_EQ_STR(dump("DROP STREAM IF EXISTS s"), "DROP STREAM IF EXISTS s");
  CHECK_EQ_STR(dump("DROP MATERIALIZED VIEW mv"), "DROP VIEW mv");
  CHECK_EQ_STR(dump("drop sink k"), "DROP SINK k");
  CHECK_EQ_STR(dump("DROP TABLE t"), "DROP TABLE t");
  CHECK_EQ_STR(dump("DROP QUERY q"), "DROP QUERY q");
  CHECK_EQ_STR(dump("SHOW SOURCES"), "SHOW SOURCES");
  CHECK_EQ_STR(dump("show streams"), "SHOW STREAMS");
  CHECK_EQ_STR(dump("SHOW TABLES"), "SHOW TABLES");
  CHECK_EQ_STR(dump("SHOW SINKS"), "SHOW SINKS");
  CHECK_EQ_STR(dump("SHOW VIEWS"), "SHOW VIEWS");
  CHECK_EQ_STR(dump("SHOW QUERIES"), "SHOW QUERIES");
  CHECK_CONTAINS(parse_err("SHOW FOO", NULL), "SHOW what?");
  CHECK_EQ_STR(dump("DESCRIBE scores"), "DESCRIBE scores");
  CHECK_EQ_STR(dump("DESC scores"), "DESCRIBE scores");
  CHECK_EQ_STR(dump("EXPLAIN SELECT a FROM t"), "EXPLAIN SELECT a FROM t");
  CHECK_EQ_STR(dump("EXPLAIN ANALYZE SELECT a FROM t"),
               "EXPLAIN ANALYZE SELECT a FROM t");
  CHECK_EQ_STR(dump("STOP QUERY q1"), "STOP QUERY q1");
  CHECK_EQ_STR(dump("TERMINATE q2"), "STOP QUERY q2");
  CHECK_EQ_STR(dump("SELECT terminate FROM t"), "SELECT terminate FROM t");
  CHECK_EQ_STR(dump("SET clock = 'manual'"), "SET clock = 'manual'");
  CHECK_EQ_STR(dump("SET 'table.exec.state.ttl' = 1000"),
               "SET 'table.exec.state.ttl' = 1000");
  CHECK_EQ_STR(dump("SET a.b.c TO fast"), "SET 'a.b.c' = fast");
  CHECK_EQ_STR(dump("SET scan.mode = 'x'"), "SET 'scan.mode' = 'x'");
  CHECK_EQ_STR(dump("SET time = TIMESTAMP '2026-01-01 12:00:00'"),
               "SET time = TIMESTAMP '2026-01-01 12:00:00'");
  CHECK_EQ_STR(dump("ADVANCE TIME BY 5 SECONDS"),
               "ADVANCE TIME BY INTERVAL '5' SECOND");
  CHECK_EQ_STR(dump("ADVANCE WATERMARK TO TIMESTAMP '2026-01-01'"),
               "ADVANCE WATERMARK TO TIMESTAMP '2026-01-01 00:00:00'");

  parse_result r;
  ast_stmt *s = parse_ok(&r, "EXPLAIN ANALYZE SELECT 1");
  CHECK_EQ_INT(s->kind, AS_EXPLAIN);
  CHECK(s->bAnalyze);
  CHECK_EQ_INT(s->pInner->kind, AS_SELECT);
  parse_result_free(&r);
  s = parse_ok(&r, "ADVANCE TIME BY INTERVAL '90' SECOND");
  CHECK_EQ_INT(s->kind, AS_ADVANCE_TIME);
  CHECK(s->bBy);
  CHECK_EQ_INT(s->pExpr->iVal, 90 * US_S);
  parse_result_free(&r);
  s = parse_ok(&r, "SET x = -3");
  CHECK_EQ_INT(s->kind, AS_SET);
  CHECK_EQ_STR(s->zName, "x");
  CHECK_EQ_INT(s->pExpr->kind, AE_INT);
  CHECK_EQ_INT(s->pExpr->iVal, -3);
  parse_result_free(&r);
  s = parse_ok(&r, "STOP QUERY q7");
  CHECK_EQ_INT(s->kind, AS_STOP_QUERY);
  CHECK_EQ_STR(s->zName, "q7");
  parse_result_free(&r);
}

/* ---- the statement stream ------------------------------------------------ */

TEST(multi_statement_tail) {
  const char *zSql = "SELECT 1; ;  -- only a comment\n SELECT 2 ;SHOW "
                     "SOURCES";
  const char *z = zSql;
  int nStmt = 0, nEmpty = 0;
  const char *azWant[] = {"SELECT 1", "SELECT 2", "SHOW SOURCES"};
  while (*z) {
    parse_result r;
    const char *zTail;
    CHECK_EQ_INT(parse_statement(&r, z, &zTail), 0);
    CHECK(zTail > z);
    if (r.pStmt) {
      common_buf b;
      common_buf_init(&b);
      parse_stmt_dump(&b, r.pStmt);
      if (nStmt < 3) CHECK_EQ_STR(b.z, azWant[nStmt]);
      common_buf_free(&b);
      nStmt++;
    } else {
      nEmpty++;
    }
    parse_result_free(&r);
    z = zTail;
  }
  CHECK_EQ_INT(nStmt, 3);
  CHECK(nEmpty >= 1);

  /* The first statement ends just before its ';', and the tail is right
  ** after it. */
  parse_result r;
  const char *zTail;
  const char *zTwo = "SELECT a FROM t  ;SELECT 2";
  CHECK_EQ_INT(parse_statement(&r, zTwo, &zTail), 0);
  CHECK_EQ_INT(r.pStmt->iPos, 0);
  CHECK_EQ_INT(r.pStmt->iEnd, 15);
  CHECK_EQ_STR(zTail, "SELECT 2");
  parse_result_free(&r);

  /* After an error the tail skips to the next statement. */
  CHECK_EQ_INT(parse_statement(&r, "SELECT FROM; SELECT 3", &zTail), 1);
  CHECK_EQ_STR(zTail, " SELECT 3");
  parse_result_free(&r);
  CHECK_EQ_INT(parse_statement(&r, "SELECT (1; SELECT 3", &zTail), 1);
  CHECK_EQ_STR(zTail, " SELECT 3");
  parse_result_free(&r);

  /* Only blanks: nothing, no error. */
  CHECK_EQ_INT(parse_statement(&r, "  /* x */ -- y", &zTail), 0);
  CHECK(r.pStmt == NULL);
  CHECK_EQ_INT(r.nErr, 0);
  CHECK_EQ_INT(*zTail, 0);
  parse_result_free(&r);
}

TEST(complete) {
  CHECK(parse_complete("SELECT 1;"));
  CHECK(parse_complete("SELECT 1;\n"));
  CHECK(!parse_complete("SELECT 1"));
  CHECK(!parse_complete("SELECT ';"));
  CHECK(!parse_complete("SELECT 1 -- ;"));
  CHECK(parse_complete("SELECT 1 /* ; */ ;"));
  CHECK(parse_complete("CREATE SOURCE s (a INT)\n WITH (x = ';');"));
  CHECK(!parse_complete("CREATE SOURCE s (a INT)\n WITH (x = ';')"));
}

/* ---- errors ------------------------------------------------------------- */

TEST(error_position_and_caret) {
  parse_error e;
  const char *z = parse_err("SELECT a\nFROM t WHERE\n  a = = 1", &e);
  CHECK_EQ_INT(e.iLine, 3);
  CHECK_EQ_INT(e.iCol, 7);
  CHECK_EQ_STR(e.zToken, "=");
  CHECK_EQ_STR(z, "line 3, column 7: syntax error near \"=\"\n"
                  "    a = = 1\n"
                  "        ^");
  free(e.zToken);

  z = parse_err("SELECT a,\n  b FROM t FORM x", &e);
  CHECK_EQ_INT(e.iLine, 2);
  CHECK_EQ_INT(e.iCol, 17);
  CHECK_EQ_STR(e.zToken, "x");
  CHECK_CONTAINS(z, "line 2, column 17: syntax error near \"x\"");
  free(e.zToken);

  z = parse_err("SELEC a FROM t", &e);
  CHECK_EQ_INT(e.iLine, 1);
  CHECK_EQ_INT(e.iCol, 1);
  CHECK_EQ_STR(e.zToken, "SELEC");
  free(e.zToken);

  z = parse_err("SELECT a FROM", &e);
  CHECK_CONTAINS(z, "unexpected end of input");
  CHECK(e.zToken == NULL);
  CHECK_EQ_INT(e.iCol, 14);
  free(e.zToken);

  z = parse_err("SELECT 'abc", &e);
  CHECK_CONTAINS(z, "line 1, column 8: unterminated string");
  free(e.zToken);

  z = parse_err("SELECT a FROM t WHERE x ? 1", &e);
  CHECK_CONTAINS(z, "unrecognized token");
  CHECK_EQ_STR(e.zToken, "?");
  free(e.zToken);

  z = parse_err("SELECT 12abc", &e);
  CHECK_CONTAINS(z, "unrecognized token");
  free(e.zToken);

  z = parse_err("CREATE SOURCE s (a INT) WITH (x = )", &e);
  CHECK_EQ_STR(e.zToken, ")");
  CHECK_EQ_INT(e.iCol, 35);
  free(e.zToken);
}

TEST(deep_nesting_is_an_error) {
  common_buf b;
  common_buf_init(&b);
  common_buf_puts(&b, "SELECT ");
  for (int i = 0; i < 5000; i++) common_buf_putc(&b, '(');
  common_buf_putc(&b, '1');
  for (int i = 0; i < 5000; i++) common_buf_putc(&b, ')');
  CHECK_CONTAINS(parse_err(b.z, NULL), "nested");
  common_buf_reset(&b);

  common_buf_puts(&b, "SELECT 1");
  for (int i = 0; i < 5000; i++) common_buf_puts(&b, " + 1");
  CHECK_CONTAINS(parse_err(b.z, NULL), "too deeply nested");
  common_buf_reset(&b);

  common_buf_puts(&b, "SELECT ");
  for (int i = 0; i < 5000; i++) common_buf_puts(&b, "NOT ");
  common_buf_puts(&b, "1");
  CHECK_CONTAINS(parse_err(b.z, NULL), "nested");
  common_buf_reset(&b);

  common_buf_puts(&b, "SELECT * FROM t0");
  for (int i = 0; i < 3000; i++) common_buf_puts(&b, " JOIN t ON 1");
  CHECK_CONTAINS(parse_err(b.z, NULL), "too many joins");
  common_buf_reset(&b);

  /* Moderate nesting is fine. */
  common_buf_puts(&b, "SELECT ");
  for (int i = 0; i < 100; i++) common_buf_putc(&b, '(');
  common_buf_putc(&b, '1');
  for (int i = 0; i < 100; i++) common_buf_putc(&b, ')');
  parse_result r;
  parse_ok(&r, b.z);
  parse_result_free(&r);
  common_buf_free(&b);
}

TEST(no_leak_after_many_parses) {
  int64_t before = common_mem_used();
  static const char *az[] = {
    "SELECT a FROM t WHERE", "SELECT 1", "CREATE SOURCE s (a INT",
    "SELECT 'x", "SELECT (((1", "INSERT INTO t VALUES (1)",
  };
  for (int k = 0; k < 200; k++) {
    parse_result r;
    const char *zTail;
    parse_statement(&r, az[k % COMMON_ARRAY_SIZE(az)], &zTail);
    parse_result_free(&r);
  }
  CHECK_EQ_INT(common_mem_used(), before);
}

int main(int argc, char **argv) { return tt_main(argc, argv); }
