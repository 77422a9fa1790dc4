/*
** parser/parser.h — what the parser offers: SQL text in, an AST out.
**
** First stage of the pipeline (parser -> planner -> exec -> connectors).
** A hand-written tokenizer (tokenize.c) feeds a lemon grammar (parse.y)
** whose actions only call the ast_* builders in ast.c, so the grammar holds
** no logic. Everything a statement's AST needs lives in one arena owned by
** the parse_result; freeing that frees the AST.
**
** Errors carry the byte offset of the offending token; parse_error_format
** turns that into "line L, column C" plus the source line and a caret.
*/
#ifndef WEIR_PARSER_H
#define WEIR_PARSER_H

#include <stdint.h>
#include "common/common.h"

/* ---- types named in SQL ------------------------------------------------ */
/* Values match weir_type in include/weir.h. */
enum {
  AST_TYPE_NONE = 0,
  AST_TYPE_BOOLEAN = 1,
  AST_TYPE_BIGINT = 2,     /* also INT, INTEGER, SMALLINT, TINYINT */
  AST_TYPE_DOUBLE = 3,     /* also REAL, FLOAT, DECIMAL/NUMERIC */
  AST_TYPE_VARCHAR = 4,    /* also TEXT, STRING, CHAR, VARCHAR(n) */
  AST_TYPE_TIMESTAMP = 5,  /* also TIMESTAMP(3), TIMESTAMP_LTZ(3) */
  AST_TYPE_INTERVAL = 6
};

/* ---- expressions --------------------------------------------------------- */
typedef struct ast_expr ast_expr;
typedef struct ast_list ast_list;
typedef struct ast_select ast_select;
typedef struct ast_from ast_from;
typedef struct ast_stmt ast_stmt;

typedef enum ast_expr_kind {
  AE_NULL = 1,    /* NULL literal */
  AE_INT,         /* iVal */
  AE_FLOAT,       /* rVal */
  AE_STRING,      /* zVal ('' unescaped) */
  AE_BOOL,        /* iVal 0/1 */
  AE_TIMESTAMP,   /* TIMESTAMP '2026-01-01 12:00:00[.ffffff]': iVal = us
                  ** since epoch UTC, computed by the parser; bad text is a
                  ** syntax error at the literal */
  AE_INTERVAL,    /* INTERVAL '5' SECOND, INTERVAL '1:30' MINUTE TO SECOND,
                  ** INTERVAL 5 MINUTES, 60 SECONDS (ksqlDB): iVal = us */
  AE_COLUMN,      /* [zTable.]zName; zName "*" for t.* and * */
  AE_UNARY,       /* op in {TK_MINUS, TK_PLUS, TK_NOT, TK_BITNOT}, pLeft */
  AE_BINARY,      /* op is the TK_ code: TK_PLUS TK_MINUS TK_STAR TK_SLASH
                  ** TK_REM TK_CONCAT TK_EQ TK_NE TK_LT TK_LE TK_GT TK_GE
                  ** TK_AND TK_OR TK_IS TK_ISNOT (IS [NOT] DISTINCT FROM
                  ** maps to TK_ISNOT / TK_IS); pLeft, pRight */
  AE_FUNC,        /* zName(pArgs), zName upper case unless quoted:
                  ** bDistinct, bStar (COUNT(*)), pFilter
                  ** (FILTER (WHERE ...)), pOver (OVER (...)). Also the
                  ** window TVFs and group-window functions; named args
                  ** appear as AE_NAMED in pArgs. */
  AE_CASE,        /* CASE pLeft? WHEN..THEN pairs in pArgs (even=when,
                  ** odd=then) ELSE pRight? END */
  AE_CAST,        /* CAST(pLeft AS type): iType, zTypeName */
  AE_BETWEEN,     /* pLeft BETWEEN pArgs->a[0] AND pArgs->a[1]; bNot */
  AE_IN,          /* pLeft IN (pArgs) or IN (pSelect); bNot */
  AE_LIKE,        /* pLeft LIKE pRight [ESCAPE pArgs->a[0]]; bNot */
  AE_ISNULL,      /* pLeft IS NULL; bNot for IS NOT NULL / NOTNULL */
  AE_SUBQUERY,    /* (pSelect) as a scalar */
  AE_EXISTS,      /* EXISTS (pSelect); bNot */
  AE_EXTRACT,     /* EXTRACT(zName FROM pLeft): zName is the field, upper */
  AE_DESCRIPTOR,  /* DESCRIPTOR(c1, c2): pArgs of AE_COLUMN */
  AE_TABLEARG,    /* TABLE name (a table argument to a TVF): zName;
                  ** pArgs = Flink's PARTITION BY keys, or NULL */
  AE_NAMED,       /* zName => pLeft (paper's named arguments); zName is
                  ** upper case (DATA, TIMECOL, DUR, SIZE, HOPSIZE...) */
  AE_PROCTIME,    /* PROCTIME() */
  AE_PSEUDO       /* reserved for the planner */
} ast_expr_kind;

/* Window specification of OVER (...). */
/* Frame of OVER (... ROWS|RANGE BETWEEN start AND end). */
typedef enum ast_frame_unit {
  AFU_NONE = 0, AFU_ROWS, AFU_RANGE
} ast_frame_unit;
typedef enum ast_bound_kind {
  ABD_UNBOUNDED_PRECEDING = 1, ABD_PRECEDING, ABD_CURRENT_ROW,
  ABD_FOLLOWING, ABD_UNBOUNDED_FOLLOWING
} ast_bound_kind;
typedef struct ast_frame_bound {
  ast_bound_kind kind;
  ast_expr *pExpr;        /* n / interval of ABD_PRECEDING, ABD_FOLLOWING */
} ast_frame_bound;

typedef struct ast_over {
  ast_list *pPartition;   /* PARTITION BY list, may be NULL */
  ast_list *pOrder;       /* ORDER BY list (aDesc set), may be NULL */
  ast_frame_unit frameUnit;        /* AFU_NONE: no frame clause */
  ast_frame_bound frameStart;      /* "ROWS x PRECEDING" alone has */
  ast_frame_bound frameEnd;        /* frameEnd = CURRENT ROW */
} ast_over;

struct ast_expr {
  ast_expr_kind kind;
  int op;                 /* TK_ code for AE_UNARY/AE_BINARY */
  int iPos;               /* byte offset of the first token in the text */
  int iEnd;               /* byte offset just past the last token */
  char *zName;            /* column, function, field or argument name */
  char *zTable;           /* qualifier of AE_COLUMN, or NULL */
  char *zVal;             /* AE_STRING text */
  int64_t iVal;           /* AE_INT, AE_BOOL, AE_TIMESTAMP, AE_INTERVAL */
  double rVal;            /* AE_FLOAT */
  int iType;              /* AE_CAST target: AST_TYPE_* */
  char *zTypeName;        /* AE_CAST target as written */
  unsigned bNot : 1;
  unsigned bDistinct : 1;
  unsigned bStar : 1;
  ast_expr *pLeft, *pRight;
  ast_list *pArgs;
  ast_select *pSelect;
  ast_expr *pFilter;
  ast_over *pOver;
  int nHeight;            /* height of this tree (leaf = 1), bounded by
                          ** the parser so later passes may recurse */
};

/* A list of expressions, each with an optional alias (SELECT list, GROUP
** BY, ORDER BY with aDesc, function args, VALUES rows...). */
struct ast_list {
  int n, nAlloc;
  ast_expr **a;
  char **azAlias;         /* per item alias or NULL (always allocated) */
  unsigned char *aDesc;   /* per item DESC flag (ORDER BY) */
};

/* ---- FROM --------------------------------------------------------------- */
typedef enum ast_from_kind {
  AF_TABLE = 1,     /* zName [AS zAlias] */
  AF_SUBQUERY,      /* (pSelect) [AS zAlias] */
  AF_TVF,           /* pFunc (an AE_FUNC: TUMBLE/HOP/SESSION/CUMULATE, also
                    ** written TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), ...)));
                    ** [AS zAlias] */
  AF_JOIN           /* pLeft JOIN pRight ON pOn | USING (azUsing) */
} ast_from_kind;

typedef enum ast_join_kind {
  AJ_INNER = 1, AJ_LEFT, AJ_RIGHT, AJ_FULL, AJ_CROSS
} ast_join_kind;

struct ast_from {
  ast_from_kind kind;
  int iPos;
  char *zName;
  char *zAlias;
  ast_select *pSelect;
  ast_expr *pFunc;
  ast_join_kind joinKind;
  ast_from *pLeft, *pRight;
  ast_expr *pOn;
  int nUsing;
  char **azUsing;
  int nHeight;            /* tree height incl. subqueries and ON exprs */
};

/* ---- ksqlDB window clause: FROM s WINDOW TUMBLING (SIZE 1 HOUR, ...) ---- */
typedef enum ast_kwin_kind {
  AKW_TUMBLING = 1, AKW_HOPPING, AKW_SESSION
} ast_kwin_kind;
typedef struct ast_kwindow {
  ast_kwin_kind kind;
  int iPos;
  int64_t size;        /* us: SIZE, or the SESSION gap */
  int64_t advance;     /* us: ADVANCE BY (hopping), else 0 */
  int64_t grace;       /* us: GRACE PERIOD, -1 when absent */
  int64_t retention;   /* us: RETENTION, -1 when absent */
} ast_kwindow;

/* ---- EMIT --------------------------------------------------------------- */
/* The parser normalises every spelling of DESIGN.md §2.3 into this one
** structure (the builder functions in ast.c do it; see the table there):
**   EMIT CHANGES / EMIT STREAM / EMIT ON UPDATE / EMIT PER EVENT /
**   EMIT CHANGELOG           -> early = EVERY_ROW, accum = RETRACTING,
**                               bOnTime = 0 (panes EARLY then LATE)
**   EMIT FINAL / EMIT ON WINDOW CLOSE / EMIT AFTER WINDOW CLOSE
**                            -> bOnTime = 1, no early
**   EMIT AFTER WINDOW CLOSE WITH DELAY d
**                            -> bOnTime = 1, lateness d (Proton's delay is
**                               extra wait for late rows: allowed lateness)
**   EMIT STREAM AFTER DELAY d / EMIT AFTER DELAY d
**                            -> early = AFTER_DELAY d
**   EMIT PERIODIC i          -> early = EVERY i
**   EMIT WITH DELAY d BEFORE WATERMARK, WITHOUT DELAY AFTER WATERMARK
**                            -> early = AFTER_DELAY d, bOnTime = 1,
**                               late = EVERY_ROW
** Fields left at 0/-1 mean "not said"; the planner applies the defaults. */
typedef enum ast_trig_kind {
  ATR_NONE = 0,
  ATR_EVERY,        /* EVERY interval: aligned processing-time periods */
  ATR_AFTER_DELAY,  /* AFTER DELAY interval: d after first row since pane */
  ATR_AFTER_ROWS,   /* AFTER n ROWS */
  ATR_EVERY_ROW     /* EVERY ROW: after each input batch */
} ast_trig_kind;

typedef enum ast_accum {
  AACC_DEFAULT = 0, AACC_DISCARDING, AACC_ACCUMULATING, AACC_RETRACTING
} ast_accum;

typedef enum ast_emit_style {
  AEM_PLAIN = 1,    /* EMIT [AFTER WATERMARK ...] */
  AEM_STREAM,       /* EMIT STREAM ... */
  AEM_CHANGES,      /* EMIT CHANGES / ON UPDATE / PER EVENT / CHANGELOG */
  AEM_FINAL         /* EMIT FINAL / ON WINDOW CLOSE / AFTER WINDOW CLOSE */
} ast_emit_style;

typedef struct ast_emit {
  int iPos;
  ast_emit_style style;
  unsigned bOnTime : 1;     /* AFTER WATERMARK / ON WINDOW CLOSE present */
  ast_trig_kind early;
  int64_t earlyArg;         /* us for EVERY/AFTER_DELAY, n for AFTER_ROWS */
  ast_trig_kind late;
  int64_t lateArg;
  int64_t lateness;         /* us; -1 when not said (ALLOWED LATENESS /
                            ** GRACE PERIOD) */
  int64_t closeDelay;       /* us; Proton's AFTER WINDOW CLOSE WITH DELAY d
                            ** (0 when not said) */
  ast_accum accum;
} ast_emit;

/* ---- SELECT ------------------------------------------------------------- */
typedef struct ast_cte {
  char *zName;
  ast_select *pSelect;
} ast_cte;

struct ast_select {
  int iPos;
  unsigned bDistinct : 1;
  ast_list *pCols;          /* result columns with aliases; "*" items are
                            ** AE_COLUMN with zName "*" */
  ast_from *pFrom;          /* NULL for SELECT without FROM */
  ast_kwindow *pKWindow;    /* ksqlDB WINDOW clause, or NULL */
  ast_expr *pWhere;
  ast_list *pGroupBy;
  ast_expr *pHaving;
  ast_list *pOrderBy;
  ast_expr *pLimit, *pOffset;
  ast_list *pValues;        /* VALUES (..),(..): a list of AE_FUNC-less
                            ** rows; each item is an AE_FUNC named "ROW"
                            ** whose pArgs hold the row; pCols NULL */
  ast_select *pUnionAll;    /* next SELECT of a UNION ALL chain */
  int nCte;                 /* WITH name AS (select), ... */
  ast_cte *aCte;
  ast_emit *pEmit;          /* EMIT clause (only on the outermost) */
  int nHeight;              /* height of the deepest tree inside */
};
/* On a UNION ALL chain the head's aCte, pOrderBy, pLimit, pOffset and pEmit
** apply to the whole chain; the other members never carry them. */

/* ---- statements --------------------------------------------------------- */
typedef enum ast_stmt_kind {
  AS_SELECT = 1,          /* pSelect (also VALUES) */
  AS_CREATE_SOURCE,       /* CREATE SOURCE|STREAM|TABLE zName (cols,
                          ** WATERMARK FOR ...) WITH (...) */
  AS_CREATE_SINK,         /* CREATE SINK zName FROM zFrom WITH (...) or
                          ** CREATE SINK zName AS select WITH (...) or
                          ** CREATE SINK zName WITH (...) alone (zFrom and
                          ** pSelect NULL: fed by INSERT INTO) */
  AS_CREATE_VIEW,         /* CREATE [MATERIALIZED] VIEW zName AS select
                          ** [WITH (...)]; bMaterialized */
  AS_INSERT,              /* INSERT INTO zName [(cols)] select|VALUES */
  AS_DROP,                /* DROP objKind [IF EXISTS] zName */
  AS_SHOW,                /* SHOW objKind (SOURCES|VIEWS|QUERIES|SINKS) */
  AS_DESCRIBE,            /* DESCRIBE zName */
  AS_EXPLAIN,             /* EXPLAIN [ANALYZE] pInner; bAnalyze */
  AS_SET,                 /* SET zName = pExpr (string/number/timestamp) */
  AS_ADVANCE_TIME,        /* ADVANCE TIME TO pExpr | BY pExpr (bBy) */
  AS_ADVANCE_WATERMARK,   /* ADVANCE WATERMARK OF zName TO pExpr */
  AS_STOP_QUERY           /* STOP QUERY zName */
} ast_stmt_kind;

typedef enum ast_obj_kind {
  AO_SOURCE = 1, AO_SINK, AO_VIEW, AO_QUERY, AO_TABLE, AO_STREAM
} ast_obj_kind;

/* CREATE SOURCE spellings, kept for messages. */
typedef enum ast_src_spelling { ASP_SOURCE = 1, ASP_STREAM, ASP_TABLE }
  ast_src_spelling;

typedef struct ast_coldef {
  char *zName;
  int iType;             /* AST_TYPE_* */
  char *zTypeName;       /* as written */
  int iPos;
  unsigned bKey : 1;     /* KEY (ksqlDB) / PRIMARY KEY column */
  char *zMetadata;       /* METADATA FROM 'timestamp' (Flink), or NULL;
                         ** bare METADATA gives the column's own name */
  ast_expr *pComputed;   /* Flink computed column `name AS expr` (iType
                         ** AST_TYPE_NONE), or NULL */
} ast_coldef;

typedef struct ast_option {
  char *zKey;            /* unquoted or quoted key, e.g. bootstrap.servers */
  char *zValue;          /* string value (numbers kept as text) */
  int iPos;
} ast_option;

struct ast_stmt {
  ast_stmt_kind kind;
  int iPos;              /* offset of the first token */
  int iEnd;              /* offset just past the statement (before ';') */
  char *zName;
  char *zFrom;           /* CREATE SINK ... FROM zFrom */
  ast_obj_kind objKind;
  ast_src_spelling spelling;
  unsigned bIfExists : 1;
  unsigned bIfNotExists : 1;
  unsigned bMaterialized : 1;
  unsigned bAnalyze : 1;
  unsigned bBy : 1;
  unsigned bOrReplace : 1;
  int nCol;
  ast_coldef *aCol;
  char *zWmColumn;       /* WATERMARK FOR zWmColumn AS pWmExpr */
  ast_expr *pWmExpr;
  int nOpt;
  ast_option *aOpt;      /* WITH (k = v, ...) */
  int nInsCol;
  char **azInsCol;       /* INSERT INTO t (a, b) */
  ast_select *pSelect;
  ast_expr *pExpr;       /* SET value, ADVANCE target */
  ast_stmt *pInner;      /* EXPLAIN target */
};

/* ---- the parse API ------------------------------------------------------ */
typedef struct parse_error {
  int iPos;              /* byte offset into the text, -1 if none */
  int iLine, iCol;       /* 1-based, derived from iPos */
  char *zToken;          /* offending token text, or NULL (at end) */
  char *zMsg;            /* e.g. "syntax error near \"FORM\"" */
} parse_error;

typedef struct parse_result {
  common_arena arena;    /* owns every AST node and string */
  ast_stmt *pStmt;       /* the statement, or NULL on error / empty */
  int nErr;
  parse_error err;       /* the first error (strings in arena) */
} parse_result;

/* Parse the first statement of zSql (up to and including its ';' or the
** end of text). *pzTail is set just past what was consumed, so callers
** loop over a script. An empty statement (only spaces/comments/';')
** yields pStmt == NULL and nErr == 0. Returns 0, or 1 with r->err set.
** The caller must call parse_result_free(r) in both cases. */
int parse_statement(parse_result *r, const char *zSql, const char **pzTail);
void parse_result_free(parse_result *r);

/* Write "line L, column C: MSG" followed by the source line and a caret
** under the offending token into b. zSql is the text given to the parser.*/
void parse_error_format(common_buf *b, const char *zSql,
                        const parse_error *e);

/* Is zSql a complete statement list (ends in ';' outside quotes/comments)?
** Thin wrapper over sqlite3_complete(). */
int parse_complete(const char *zSql);

/* Debug rendering of an AST back to (normalised) SQL, for tests. */
void parse_stmt_dump(common_buf *b, const ast_stmt *s);

/* ---- builders called by the grammar actions (ast.c) --------------------- */
/* Each allocates in the parse arena; none fails. The grammar file shows
** which builder each rule uses. */
typedef struct parse_ctx parse_ctx;   /* defined in parser/parse_int.h */

#endif
